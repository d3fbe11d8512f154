"""A listing page's entries and the further listing pages it leads to.

An entry is a link in a list row: the nearest enclosing ``<li>``, ``<tr>``, ``<dl>`` (or a
small block) that holds no other entry link. Its date is the one printed in that row — never the
one in the URL, which is when the CMS made the page, not when the report was published. Links
without a dated row still count when their title names a report and a year (plain lists print
no dates; the column's own nav link, 政府信息公开年报, names no year).

Static paging comes as "下一页"/"尾页" links and numbered page links (``index_1.html``,
``?page=2``); a "尾页" link to page N stands for every page up to N. Script-driven paging (TRS's
``createPageHTML`` and list APIs) is read by :mod:`ogi.collect.trs`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import lxml.html

from ogi.collect.pages import clean, find_date, link_text
from ogi.collect.titles import REPORT_TITLE, report_year

_ROW_TAGS = frozenset({"li", "tr", "dl", "p", "div", "td", "dd", "span", "table", "section", "article"})
_ROW_LEVELS = 4
_NEXT = re.compile(r"^(?:下一页|下页|后页|下一頁|next|›|»|>|>>)$", re.I)
_LAST = re.compile(r"^(?:尾页|末页|最后一页|尾頁|last|»»)$", re.I)
_DATE_IN_LINK = re.compile(r"[\[(（]?\s*(?:19|20)\d{2}\s*[-./年]\s*\d{1,2}\s*[-./月]\s*\d{1,2}\s*日?\s*[\])）]?")
_NUMBER = re.compile(r"^\[?\s*\d{1,4}\s*\]?$")
_FAMILIES = (
    re.compile(r"^(?P<head>.*/[^/?#]*?_)(?P<n>\d{1,4})(?P<tail>\.s?html?)$"),
    re.compile(r"^(?P<head>.*[?&](?:page|pageNo|pageNum|pageIndex|curPage|currentPage|p)=)(?P<n>\d{1,4})(?P<tail>(?:&.*)?)$"),
)


@dataclass(frozen=True, slots=True)
class Entry:
    """A link listed on a listing page, with what the listing says about it."""

    url: str
    title: str
    date: str | None
    listing: str
    """The listing page it was found on (for an API page, the page whose script asked for it)."""


@dataclass(frozen=True, slots=True)
class ListingRequest:
    """A listing page to fetch: a plain page, or a CMS list API call (``api`` names its kind)."""

    url: str
    method: str = "GET"
    form: tuple[tuple[str, str], ...] = ()
    api: str | None = None
    referer: str | None = None
    page: int = 0

    @property
    def key(self) -> tuple[str, str, tuple[tuple[str, str], ...]]:
        return (self.method, self.url.split("#")[0], self.form)


@dataclass
class ListingPage:
    entries: list[Entry] = field(default_factory=list)
    more: list[ListingRequest] = field(default_factory=list)


def _http(url: str | None) -> bool:
    return bool(url) and urlsplit(url or "").scheme in ("http", "https")


def _row(a: lxml.html.HtmlElement, candidates: set[lxml.html.HtmlElement]) -> lxml.html.HtmlElement | None:
    """The nearest ancestor that is one list row: holds a date and no other candidate link."""
    node = a
    for _ in range(_ROW_LEVELS):
        node = node.getparent()
        if node is None or not isinstance(node.tag, str) or node.tag not in _ROW_TAGS:
            return None
        if sum(1 for x in node.iter("a") if x in candidates) > 1:
            return None
        if find_date(clean(node.text_content()).replace(clean(a.text_content()), " ")):
            return node
    return None


def entries_of(root: lxml.html.HtmlElement, page_url: str) -> list[Entry]:
    """The listing's entries, in page order."""
    anchors = [a for a in root.iter("a") if _http(a.get("href")) and len(link_text(a)) >= 4]
    candidates = set(anchors)
    out: list[Entry] = []
    for a in anchors:
        title = link_text(a)
        own = find_date(title)
        if own and len(title) > 10:
            title = clean(_DATE_IN_LINK.sub(" ", title))  # a row printed inside its link: "标题 2024-03-01"
        row = _row(a, candidates) if not own else None
        row_text = clean(row.text_content()).replace(clean(a.text_content()), " ") if row is not None else ""
        dated = own or find_date(row_text)
        if dated or (REPORT_TITLE.search(title) and report_year(title)):
            out.append(Entry(a.get("href", "").split("#")[0], title, dated, page_url))
    return out


def _family(url: str) -> tuple[str, str] | None:
    for pattern in _FAMILIES:
        if m := pattern.match(url):
            return m.group("head"), m.group("tail")
    return None


def _same_folder(a: str, b: str) -> bool:
    pa, pb = urlsplit(a), urlsplit(b)
    return pa.netloc == pb.netloc and pa.path.rsplit("/", 1)[0] == pb.path.rsplit("/", 1)[0]


def pager_links(root: lxml.html.HtmlElement, page_url: str, max_pages: int) -> list[ListingRequest]:
    """Further listing pages named by the page's pager links."""
    found: dict[str, None] = {}
    for a in root.iter("a"):
        href = a.get("href", "").split("#")[0]
        if not _http(href) or href == page_url or not _same_folder(href, page_url):
            continue
        text = clean(a.text_content())
        if _NEXT.match(text) or _NUMBER.match(text):
            found[href] = None
        elif _LAST.match(text):
            found[href] = None
            family = _family(href)
            last = re.search(r"(\d{1,4})\D*$", href[len(family[0]) :]) if family else None
            if family and last:
                head, tail = family
                for n in range(1, min(int(last.group(1)), max_pages) + 1):
                    found[f"{head}{n}{tail}"] = None
    return [ListingRequest(url, referer=page_url) for url in found]


def read_listing(root: lxml.html.HtmlElement, page_url: str, max_pages: int) -> ListingPage:
    """Entries and further pages of an HTML listing page (static paging and TRS scripts)."""
    from ogi.collect.trs import script_pages

    page = ListingPage(entries_of(root, page_url), pager_links(root, page_url, max_pages))
    page.more.extend(script_pages(root, page_url, max_pages))
    return page
