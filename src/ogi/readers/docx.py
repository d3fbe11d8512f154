"""DOCX reader: paragraphs and tables in body order, merged cells expanded from the XML.

python-docx's ``table.rows[i].cells`` repeats a merged cell's object but loses where a vertical
merge starts and ignores ``w:gridBefore``/``w:gridAfter``; the grid is rebuilt from ``w:gridSpan``,
``w:vMerge`` and ``w:hMerge`` directly so every position keeps its real column. ``w:gridBefore``
shifts a row's first cell right; the empty positions it and ``w:gridAfter`` leave hold no cell.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from io import BytesIO

import docx
import lxml.etree
from docx.opc.exceptions import PackageNotFoundError

from ogi.errors import InputError
from ogi.model import Document, Paragraph, Where
from ogi.model.document import Block
from ogi.readers._util import Placed, cell_text, clean, decode_error, expand, find_published
from ogi.readers.zipguard import check_container

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
TXBX = W + "txbxContent"
SLIVER = 30
"""Twips (1/20 pt): narrower grid columns are rounding noise, not columns."""
# Wrappers whose children belong to the parent's flow (content controls, custom XML, smart tags).
WRAPPERS = frozenset({W + "sdt", W + "sdtContent", W + "customXml", W + "smartTag"})


def _children(el: lxml.etree._Element, tags: frozenset[str]) -> Iterator[lxml.etree._Element]:
    """Children with one of ``tags``, looking through wrapper elements."""
    for child in el:
        if child.tag in tags:
            yield child
        elif child.tag in WRAPPERS:
            yield from _children(child, tags)


def _para_text(p: lxml.etree._Element) -> str:
    """The paragraph's own text; soft line breaks become newlines. Text boxes are read separately,
    and the VML fallback copy of a drawing is skipped so its text is not doubled."""
    out: list[str] = []

    def visit(el: lxml.etree._Element) -> None:
        for child in el:
            tag = child.tag
            if tag in (MC_FALLBACK, TXBX) or not isinstance(tag, str):
                continue
            if tag == W + "t":
                out.append(child.text or "")
            elif tag == W + "tab":
                out.append(" ")
            elif tag in (W + "br", W + "cr"):
                out.append("\n")
            elif tag == W + "noBreakHyphen":
                out.append("-")
            else:
                visit(child)

    visit(p)
    return "".join(out)


def _textboxes(p: lxml.etree._Element) -> Iterator[lxml.etree._Element]:
    for box in p.iter(TXBX):
        if not any(a.tag == MC_FALLBACK for a in box.iterancestors()):
            yield box


def _val(el: lxml.etree._Element | None, default: int = 1) -> int:
    if el is None:
        return default
    try:
        return max(0, int(el.get(W + "val", default)))
    except ValueError:
        return default


def _cell_lines(tc: lxml.etree._Element) -> list[str]:
    lines: list[str] = []
    for p in tc.iter(W + "p"):
        if not any(a.tag == MC_FALLBACK for a in p.iterancestors()):
            lines.extend(_para_text(p).split("\n"))
    return lines


def _twips(value: str | None) -> int:
    try:
        return round(float(value or 0))
    except ValueError:
        return 0


def _columns(tbl: lxml.etree._Element, width: int) -> list[int]:
    """Grid column index → logical column. Converters leave sliver grid columns from rounding
    (LibreOffice splits a 15-column table into 16 with a 1-twip column); boundaries closer than
    ``SLIVER`` twips are one boundary."""
    widths = [_twips(g.get(W + "w")) for g in tbl.findall(f"{W}tblGrid/{W}gridCol")]
    if len(widths) < width or not all(widths):
        return list(range(width + 1))
    edges = [sum(widths[:i]) for i in range(len(widths) + 1)]
    logical, last = [], None
    for e in edges:
        if last is None or e - last > SLIVER:
            last = e
            logical.append(e)
    return [min(range(len(logical)), key=lambda i: abs(logical[i] - e)) for e in edges]


def _table(tbl: lxml.etree._Element, index: int) -> Block:
    placed: list[Placed] = []
    owner: dict[int, Placed] = {}  # the cell that covers each column in the row above
    rows = list(_children(tbl, frozenset({W + "tr"})))
    for r, tr in enumerate(rows):
        pr = tr.find(W + "trPr")
        c = _val(pr.find(W + "gridBefore") if pr is not None else None, 0)
        last: Placed | None = None
        for tc in _children(tr, frozenset({W + "tc"})):
            tcpr = tc.find(W + "tcPr")
            span = max(1, _val(tcpr.find(W + "gridSpan") if tcpr is not None else None))
            vmerge = tcpr.find(W + "vMerge") if tcpr is not None else None
            hmerge = tcpr.find(W + "hMerge") if tcpr is not None else None
            above = owner.get(c)
            if (
                vmerge is not None
                and vmerge.get(W + "val", "continue") != "restart"
                and above is not None
                and above.row + above.rowspan == r
            ):
                above.rowspan += 1  # continuation of the merge above: a covered position
                last = above
            elif (
                hmerge is not None
                and hmerge.get(W + "val", "continue") != "restart"
                and last is not None
                and last.row == r
            ):
                last.colspan += span
            else:
                last = Placed(r, c, 1, span, cell_text(_cell_lines(tc)))
                placed.append(last)
            for j in range(c, c + span):
                owner[j] = last
            c += span
    ends = max((p.col + p.colspan for p in placed), default=0)
    logical = _columns(tbl, ends)
    for p in placed:
        start = logical[p.col]
        p.col, p.colspan = start, max(1, logical[p.col + p.colspan] - start)
    return expand(placed, len(rows), index)


class _Builder:
    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.n_tables = 0
        self.n_paras = 0

    def walk(self, container: lxml.etree._Element) -> None:
        for el in _children(container, frozenset({W + "p", W + "tbl"})):
            if el.tag == W + "tbl":
                self.n_tables += 1
                self.blocks.append(_table(el, self.n_tables))
                continue
            self.n_paras += 1
            text = clean(_para_text(el))
            if text:
                self.blocks.append(Paragraph(text, Where(line=self.n_paras)))
            for box in _textboxes(el):
                self.walk(box)


def _body(data: bytes, source: str) -> tuple[lxml.etree._Element, str]:
    """The document body and the core title; macro-enabled and template files that python-docx
    refuses are read from ``word/document.xml`` directly."""
    try:
        d = docx.Document(BytesIO(data))
        return d.element.body, d.core_properties.title or ""
    except ValueError:
        pass
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError) as exc:
        raise InputError(source, f"not a readable Word document ({decode_error(exc)})") from exc
    except Exception as exc:
        raise InputError(source, f"the Word document is damaged ({decode_error(exc)})") from exc
    try:
        with zipfile.ZipFile(BytesIO(data)) as z:
            root = lxml.etree.fromstring(z.read("word/document.xml"))
    except Exception as exc:
        raise InputError(source, f"the Word document is damaged ({decode_error(exc)})") from exc
    body = root.find(W + "body")
    if body is None:
        raise InputError(source, "the Word document has no body")
    return body, ""


def read(data: bytes, source: str) -> Document:
    if not data.strip():
        raise InputError(source, "the file is empty")
    if not data.startswith(b"PK"):
        raise InputError(source, "not a DOCX file (no ZIP container); a .doc/.wps file needs the DOC reader")
    check_container(data, source)  # a ZIP bomb is refused before python-docx inflates any part
    body, title = _body(data, source)
    builder = _Builder()
    builder.walk(body)
    if not builder.blocks:
        raise InputError(source, "the Word document has no text")
    doc = Document(source=source, format="docx", blocks=builder.blocks)
    if clean(title):
        doc.meta["title"] = clean(title)
    published = find_published(b.text for b in builder.blocks[:400] if isinstance(b, Paragraph))
    if published:
        doc.meta["published"] = published
    return doc
