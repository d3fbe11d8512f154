"""An entry's article page: is the report its body, or attached to it, or neither?

- **The body is the report** when the page's text carries the report's own section headings
  (主动公开政府信息情况, 收到和处理政府信息公开申请情况, 行政复议…行政诉讼,
  存在的主要问题及改进情况): the page itself is saved and read as HTML.
- **Attachments**: links to PDF, DOC, DOCX, WPS or OFD files (by the path, the link text — "年报.pdf"
  — or a ``filename=`` in a download script's query). When several are attached, the ones named
  as the report (年度报告, 年报) are the report; the others are kept as attachments.
- **Scans**: a page whose body is neither the report nor links to one, but shows images in its
  article body (TRS ``div.TRS_Editor``, ``#zoom`` …), is a scanned report: the images are kept.
- **Gone**: removed documents answer with a stub that only refreshes to the column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Literal
from urllib.parse import parse_qs, unquote, urlsplit

import lxml.html

from ogi.collect.pages import clean, link_text

DOCUMENT_EXTENSIONS = frozenset({".pdf", ".doc", ".docx", ".wps", ".ofd", ".rtf"})
IMAGE_EXTENSIONS = frozenset({".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp", ".webp"})
_MARKERS = (
    re.compile(r"主动公开政府信息的?情况"),
    re.compile(r"(?:收到和处理政府信息公开申请|依申请公开政府信息)的?情况"),
    re.compile(r"行政复议.{0,8}行政诉讼"),
    re.compile(r"主要问题.{0,4}改进"),
)
_MIN_MARKERS = 3
_REPORT_NAME = re.compile(r"年度报告|年报|工作报告")
_NOT_REPORT_NAME = re.compile(r"解读|图解|一图|读懂|附表说明")
# The article body's container in the usual CMS templates (TRS: div.TRS_Editor inside
# div.article_content; others: #zoom, .conTxt …). Only images inside one count as a scan.
_ARTICLE_BODY = re.compile(
    r"TRS_Editor|TRS_UEDITOR|article_content|article-content|\bzoom\b|conTxt|xl_content|news_content|detail_content",
    re.I,
)
_REFRESH_ONLY = 1024


@dataclass(frozen=True, slots=True)
class Attachment:
    url: str
    name: str
    """The link's text, or the file name in the URL."""
    kind: Literal["document", "image"]
    is_report: bool


@dataclass
class Article:
    body_is_report: bool
    attachments: list[Attachment] = field(default_factory=list)
    gone: str | None = None
    """Why the page holds nothing (a removed document's stub), when it does not."""

    @property
    def reports(self) -> list[Attachment]:
        return [a for a in self.attachments if a.is_report]


def _extension(url: str, text: str) -> str:
    parts = urlsplit(url)
    for candidate in (unquote(parts.path), text, *(v for vs in parse_qs(parts.query).values() for v in vs)):
        suffix = PurePosixPath(candidate.strip()).suffix.lower()
        if suffix in DOCUMENT_EXTENSIONS or suffix in IMAGE_EXTENSIONS:
            return suffix
    return ""


def _article_bodies(root: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    return [el for el in root.iter("div", "article", "section", "td")
            if _ARTICLE_BODY.search(f"{el.get('class', '')} {el.get('id', '')}")]  # fmt: skip


def body_is_report(text: str) -> bool:
    compact = re.sub(r"\s+", "", text)
    return sum(1 for m in _MARKERS if m.search(compact)) >= _MIN_MARKERS


def read_article(root: lxml.html.HtmlElement, size: int) -> Article:
    """What an article page (parsed, links absolute) holds."""
    refresh = root.xpath("//meta[translate(@http-equiv, 'REFSH', 'refsh')='refresh']/@content")
    text = clean(root.text_content())
    if refresh and size < _REFRESH_ONLY and len(text) < 40:
        return Article(False, gone=f"the page only refreshes to another page ({clean(refresh[0])}): removed")
    for junk in root.iter("script", "style", "noscript"):
        junk.text = ""
    article = Article(body_is_report(clean(root.text_content())))
    documents: dict[str, Attachment] = {}
    for a in root.iter("a"):
        url, name = a.get("href", "").split("#")[0], link_text(a)
        if not url.startswith(("http://", "https://")) or url in documents:
            continue
        if _extension(url, name) in DOCUMENT_EXTENSIONS:
            label = name or unquote(PurePosixPath(urlsplit(url).path).name)
            documents[url] = Attachment(url, label, "document", False)
    plausible = {u for u, d in documents.items() if not _NOT_REPORT_NAME.search(d.name)}
    chosen = {u for u in plausible if _REPORT_NAME.search(documents[u].name)} or plausible
    article.attachments = [Attachment(d.url, d.name, d.kind, u in chosen) for u, d in documents.items()]
    if not article.body_is_report and not documents:
        images: dict[str, Attachment] = {}
        for img in (img for body in _article_bodies(root) for img in body.iter("img")):
            src = img.get("src", "")
            if src.startswith(("http://", "https://")) and _extension(src, "") in IMAGE_EXTENSIONS:
                images.setdefault(src, Attachment(src, clean(img.get("alt")) or src.rsplit("/", 1)[-1], "image", True))
        article.attachments = list(images.values())
    return article
