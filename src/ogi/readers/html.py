"""HTML reader: web pages and fragments of published reports.

Portal pages wrap the report in site chrome and sometimes in layout tables. Only innermost
tables with at least two rows and two columns become :class:`Table` grids; every other table
is flattened into paragraphs. Chrome that survives (menus as lists, footers) stays as
paragraphs: the extractor locates the report by its headings, and ends its last section with the
element that holds it (each paragraph keeps its place in the tree, :attr:`Paragraph.path`).
"""

from __future__ import annotations

import re

import charset_normalizer
import lxml.etree
import lxml.html

from ogi.errors import InputError
from ogi.model import Document, Paragraph, Where
from ogi.model.document import Block
from ogi.readers._util import Placed, cell_text, clean, expand, find_published

DROP = frozenset(
    [
        "script",
        "style",
        "noscript",
        "template",
        "iframe",
        "nav",
        "select",
        "option",
        "button",
        "svg",
        "object",
        "embed",
        "head",
        "input",
        "textarea",
        "map",
        "canvas",
        "audio",
        "video",
    ]
)
BLOCK = frozenset(
    [
        "p",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "blockquote",
        "pre",
        "section",
        "article",
        "main",
        "header",
        "footer",
        "aside",
        "address",
        "figure",
        "figcaption",
        "center",
        "form",
        "fieldset",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "tr",
        "td",
        "th",
        "caption",
        "hr",
        "body",
        "html",
    ]
)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_\-]+)", re.I)
_GB = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030", "gb_2312-80": "gb18030"}
MAX_LAYOUT_CELL = 400
"""A cell longer than this is prose in a layout table, not a report table cell."""


def _decode(data: bytes, source: str) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8"
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16", errors="replace"), "utf-16"
    m = _META_CHARSET.search(data[:4096])
    declared = m.group(1).decode("ascii").lower() if m else None
    # Valid UTF-8 is practically never GBK text, so UTF-8 first is safe even under a GBK label.
    for enc in ("utf-8", _GB.get(declared or "", declared)):
        if enc:
            try:
                return data.decode(enc), enc
            except (UnicodeDecodeError, LookupError):
                continue
    best = charset_normalizer.from_bytes(data).best()
    if best is None or best.encoding is None:
        raise InputError(source, "the HTML page is in an unknown text encoding")
    return str(best), best.encoding


def _is_data_table(table: lxml.html.HtmlElement) -> bool:
    if table.xpath(".//table"):
        return False
    rows = _rows(table)
    if len(rows) < 2 or max(len(_cells(tr)) for tr in rows) < 2:
        return False
    return all(len(clean(td.text_content())) <= MAX_LAYOUT_CELL for tr in rows for td in _cells(tr))


def _rows(table: lxml.html.HtmlElement) -> list:
    return table.xpath("./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr")


def _cells(tr: lxml.html.HtmlElement) -> list:
    return tr.xpath("./td | ./th")


def _span(td: lxml.html.HtmlElement, name: str) -> int:
    m = re.match(r"\s*(\d+)", td.get(name) or "")
    return min(int(m.group(1)), 1000) if m else 1


class _Walker:
    """Turns a subtree into lines of text; tables are handed to ``on_table``."""

    def __init__(self, doc: _Builder | None) -> None:
        self.doc = doc
        self.lines: list[tuple[str, int | None, tuple[int, ...]]] = []
        self.buf: list[str] = []
        self.line: int | None = None
        self.path: list[int] = []
        self.start_path: tuple[int, ...] = ()

    def add(self, text: str | None, line: int | None) -> None:
        # Whitespace-only text spanning source lines is markup indentation; inside Chinese
        # text or a number cut into styled runs it must not become a space.
        if not text or (not text.strip(" \t\r\n") and ("\n" in text or "\r" in text)):
            return
        if not self.buf:
            self.line, self.start_path = line, tuple(self.path)
        self.buf.append(text)

    def flush(self) -> None:
        text = clean("".join(self.buf))
        if text:
            self.lines.append((text, self.line, self.start_path))
        self.buf = []

    def walk(self, el: lxml.html.HtmlElement) -> None:
        for i, child in enumerate(el):
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag and tag.lower() not in DROP:
                self.path.append(i)
                self.element(child, tag.lower())
                self.path.pop()
            self.add(child.tail, child.sourceline)

    def element(self, el: lxml.html.HtmlElement, tag: str) -> None:
        if tag == "br":
            self.flush()
            return
        if tag == "table" and self.doc is not None and _is_data_table(el):
            self.flush()
            self.doc.table(el, self)
            return
        block = tag in BLOCK
        if block:
            self.flush()
        self.add(el.text, el.sourceline)
        self.walk(el)
        if block:
            self.flush()


class _Builder:
    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.n_tables = 0

    def paragraphs(self, walker: _Walker) -> None:
        self.blocks.extend(Paragraph(text, Where(line=line), path) for text, line, path in walker.lines)
        walker.lines = []

    def table(self, el: lxml.html.HtmlElement, walker: _Walker) -> None:
        self.paragraphs(walker)
        rows = _rows(el)
        occupied: set[tuple[int, int]] = set()
        placed: list[Placed] = []
        for r, tr in enumerate(rows):
            c = 0
            for td in _cells(tr):
                while (r, c) in occupied:
                    c += 1
                rowspan = _span(td, "rowspan") if td.get("rowspan", "").strip() != "0" else len(rows) - r
                rowspan, colspan = max(1, min(rowspan, len(rows) - r)), max(1, _span(td, "colspan"))
                inner = _Walker(None)
                inner.add(td.text, td.sourceline)
                inner.walk(td)
                inner.flush()
                placed.append(Placed(r, c, rowspan, colspan, cell_text(t for t, _, _ in inner.lines)))
                occupied.update((i, j) for i in range(r, r + rowspan) for j in range(c, c + colspan))
                c += colspan
        self.n_tables += 1
        self.blocks.append(expand(placed, len(rows), self.n_tables))


def read(data: bytes, source: str) -> Document:
    if not data.strip():
        raise InputError(source, "the file is empty")
    text, encoding = _decode(data, source)
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    if not text.strip():
        raise InputError(source, "the HTML page is empty")
    try:
        root = lxml.html.document_fromstring(text)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise InputError(source, f"not a readable HTML page ({exc})") from exc
    builder = _Builder()
    walker = _Walker(builder)
    body = root.find("body")
    walker.walk(body if body is not None else root)
    walker.flush()
    builder.paragraphs(walker)
    if not builder.blocks:
        raise InputError(source, "the HTML page has no text")
    doc = Document(source=source, format="html", blocks=builder.blocks)
    if encoding not in ("utf-8", "utf-16"):
        doc.notes.append(f"decoded as {encoding}")
    title = root.findtext(".//title") or ""
    if not clean(title):
        h1 = root.find(".//h1")
        title = h1.text_content() if h1 is not None else ""
    if clean(title):
        doc.meta["title"] = clean(title)
    published = find_published(b.text for b in builder.blocks[:400] if isinstance(b, Paragraph))
    if published is None:
        pub_meta = root.xpath("//meta[translate(@name,'PUBDATE','pubdate')='pubdate']/@content")
        if pub_meta and clean(pub_meta[0]):
            published = clean(pub_meta[0]).split(" ")[0]
            doc.notes.append("publication date taken from the page's PubDate meta tag")
    if published:
        doc.meta["published"] = published
    url = root.xpath("//meta[translate(@name,'URL','url')='url']/@content | //link[@rel='canonical']/@href")
    if url and clean(url[0]):
        doc.meta["url"] = clean(url[0])
    return doc
