"""Text-PDF reader: pypdfium2 for the text, pdfplumber's ruling-line finder for the tables.

pdfium is fast and gives every character with its box, so prose comes from it. pdfplumber
(pdfminer) is slow, so it only runs on pages that draw vector paths. A table's grid is rebuilt
from its cell boxes, which gives every merged cell's row and column span; a table that runs on
at the top of the next page with matching column rulings is stitched to the one before.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass, field
from io import BytesIO

import pdfplumber
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ogi.errors import InputError
from ogi.model import Document, Paragraph, Table, Where
from ogi.model.document import Block
from ogi.readers._util import Placed, cell_text, decode_error, expand, find_published, is_page_number
from ogi.readers.pdf_tables import PageTable, find_tables, stitch

# pdfminer logs every unreadable operator of a damaged file as a warning; ogi reports the file itself.
logging.getLogger("pdfminer").setLevel(logging.ERROR)

SCANNED = "a scanned PDF without a text layer: OCR is not supported yet"


@dataclass(slots=True)
class Line:
    top: float
    bottom: float
    x0: float
    x1: float
    text: str


@dataclass(slots=True)
class _Page:
    number: int
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)
    tables: list[PageTable] = field(default_factory=list)


def _open(data: bytes, source: str) -> pdfium.PdfDocument:
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        msg = str(exc).lower()
        if "password" in msg:
            raise InputError(source, "the PDF is encrypted and needs a password: save an unprotected copy") from exc
        raise InputError(source, f"the PDF is damaged or truncated ({decode_error(exc)})") from exc
    if b"%%EOF" not in data.rstrip(b"\x00\r\n\t\f ")[-2048:]:
        # pdfium rebuilds a cut-off file silently; the missing end marker is the tell.
        raise InputError(source, "the PDF is truncated (no end-of-file marker): download it again")
    if len(pdf) == 0:
        raise InputError(source, "the PDF has no pages")
    return pdf


def _lines(page: pdfium.PdfPage, height: float, boxes: list[tuple[float, float, float, float]]) -> list[Line]:
    """Text lines as pdfium breaks them, skipping characters inside table boxes."""
    tp = page.get_textpage()
    out: list[Line] = []
    chars: list[str] = []
    box: list[float] = []

    def close() -> None:
        text = " ".join("".join(chars).split())
        if text and box:
            out.append(Line(height - box[3], height - box[1], box[0], box[2], text))
        chars.clear()
        box.clear()

    for i in range(tp.count_chars()):
        ch = chr(pdfium_c.FPDFText_GetUnicode(tp.raw, i) or 32)
        if ch in "\r\n":
            if ch == "\n":
                close()
            continue
        left, bottom, right, top = tp.get_charbox(i)
        cx, cy = (left + right) / 2, height - (bottom + top) / 2
        if any(x0 <= cx <= x1 and t <= cy <= b for x0, t, x1, b in boxes):
            continue
        chars.append(ch)
        if not ch.isspace() and right > left:
            if box:
                box[:] = [min(box[0], left), min(box[1], bottom), max(box[2], right), max(box[3], top)]
            else:
                box.extend((left, bottom, right, top))
    close()
    out.sort(key=lambda ln: ln.top)
    return out


def _has_paths(page: pdfium.PdfPage) -> bool:
    return next(iter(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH])), None) is not None


def _is_footer_number(line: Line, page: _Page) -> bool:
    if is_page_number(line.text):
        return True
    if not line.text.isdigit() or len(line.text) > 4:
        return False
    centred = abs((line.x0 + line.x1) / 2 - page.width / 2) < page.width * 0.15
    return line.top > page.height * (0.88 if centred else 0.92) or line.bottom < page.height * 0.06


def _paragraphs(page: _Page, dropped: list[int]) -> list[tuple[float, Paragraph, Line]]:
    """Join wrapped lines: a line reaching the right margin continues into the next one
    unless that one is indented or far below."""
    lines = [ln for ln in page.lines if not _is_footer_number(ln, page)]
    if len(lines) < len(page.lines):
        dropped.append(page.number)
    if not lines:
        return []
    left, right = min(ln.x0 for ln in lines), max(ln.x1 for ln in lines)
    out: list[tuple[float, Paragraph, Line]] = []
    for ln in lines:
        if out and _continues(out[-1][2], ln, left, right, page):
            prev = out[-1]
            out[-1] = (prev[0], Paragraph(_join(prev[1].text, ln.text), prev[1].where), ln)
        else:
            out.append((ln.top, Paragraph(ln.text, Where(page=page.number)), ln))
    return out


def _continues(a: Line, b: Line, left: float, right: float, page: _Page) -> bool:
    em = max(a.bottom - a.top, 6.0)
    if any(a.bottom <= t.bbox[1] and t.bbox[3] <= b.top for t in page.tables):
        return False
    return a.x1 >= right - 1.5 * em and b.x0 <= left + 0.8 * em and 0 <= b.top - a.bottom < 1.2 * em


def _join(a: str, b: str) -> str:
    return f"{a} {b}" if a[-1:].isascii() and a[-1:].isalnum() and b[:1].isascii() and b[:1].isalnum() else a + b


def read(data: bytes, source: str) -> Document:
    if not data.strip():
        raise InputError(source, "the file is empty")
    pdf = _open(data, source)
    try:
        title = " ".join(str(pdf.get_metadata_dict().get("Title", "")).split())
    except (UnicodeDecodeError, pdfium.PdfiumError):  # a damaged info dictionary: no title, still a PDF
        title = ""
    plumber: pdfplumber.PDF | None = None
    notes: list[str] = []
    pages: list[_Page] = []
    try:
        for i in range(len(pdf)):
            page = pdf[i]
            width, height = page.get_size()
            p = _Page(i + 1, width, height)
            if _has_paths(page):
                try:
                    if plumber is None:
                        plumber = pdfplumber.open(BytesIO(data))
                    p.tables = find_tables(plumber.pages[i], i + 1)
                except Exception as exc:  # a page pdfminer cannot parse still has its text
                    notes.append(f"page {i + 1}: tables not read ({decode_error(exc)})")
            p.lines = _lines(page, height, [t.bbox for t in p.tables])
            pages.append(p)
    except pdfium.PdfiumError as exc:
        raise InputError(source, f"the PDF is damaged ({decode_error(exc)})") from exc
    finally:
        if plumber is not None:
            with contextlib.suppress(Exception):  # closing walks the pages again; a broken one is known already
                plumber.close()
        pdf.close()
    if not any(p.lines or p.tables for p in pages):
        raise InputError(source, SCANNED)
    empty = [p.number for p in pages if not p.lines and not p.tables]
    if empty:
        notes.append(f"pages without a text layer (scanned?): {', '.join(map(str, empty))}")
    blocks = _blocks(pages, notes)
    doc = Document(source=source, format="pdf", blocks=blocks, notes=list(dict.fromkeys(notes)))
    if title:
        doc.meta["title"] = title
    published = find_published(b.text for b in doc.blocks if isinstance(b, Paragraph))
    if published:
        doc.meta["published"] = published
    return doc


def _blocks(pages: list[_Page], notes: list[str]) -> list[Block]:
    """Paragraphs and tables in reading order, tables stitched and paragraphs joined across pages."""
    seq: list[Paragraph | PageTable] = []
    dropped: list[int] = []
    prev_line: Line | None = None
    prev_page: _Page | None = None
    for page in pages:
        items: list[tuple[float, Paragraph | PageTable, Line | None]] = list(_paragraphs(page, dropped))
        items += [(t.bbox[1], t, None) for t in page.tables]
        items.sort(key=lambda it: it[0])
        for n, (_, item, last_line) in enumerate(items):
            if (
                n == 0
                and seq
                and isinstance(item, PageTable)
                and isinstance(seq[-1], PageTable)
                and stitch(seq[-1], item)
            ):
                notes.append(f"table continued from page {page.number - 1} to page {page.number}")
                continue
            if (
                n == 0
                and seq
                and isinstance(item, Paragraph)
                and isinstance(seq[-1], Paragraph)
                and prev_line is not None
                and prev_page is not None
                and last_line is not None
                and _continues_page(prev_line, prev_page, item, page)
            ):
                seq[-1] = Paragraph(_join(seq[-1].text, item.text), seq[-1].where)
                prev_line = last_line
                continue
            seq.append(item)
            prev_line = last_line
        prev_page = page
    if dropped:
        notes.append(f"dropped page numbers on pages {', '.join(map(str, dropped))}")
    blocks: list[Block] = []
    for item in seq:
        if isinstance(item, Paragraph):
            blocks.append(item)
        elif item.n_rows < 2:  # a one-row box that continued nothing: framed text, not a table
            text = " ".join(" ".join(p.text.split()) for p in item.cells if p.text.strip())
            if text:
                blocks.append(Paragraph(text, Where(page=item.page)))
        else:
            blocks.append(_table(item, len([b for b in blocks if isinstance(b, Table)]) + 1))
    return blocks


def _continues_page(a: Line, a_page: _Page, b: Paragraph, b_page: _Page) -> bool:
    first = next((ln for ln in b_page.lines if b.text.startswith(ln.text)), None)
    body = [ln for ln in a_page.lines if not _is_footer_number(ln, a_page)]
    if first is None or not body:
        return False
    right, left = max(ln.x1 for ln in body), min(ln.x0 for ln in b_page.lines)
    em = max(a.bottom - a.top, 6.0)
    return a.x1 >= right - 1.5 * em and first.x0 <= left + 0.8 * em


def _table(t: PageTable, index: int) -> Table:
    placed = [
        Placed(
            p.row,
            p.col,
            p.rowspan,
            p.colspan,
            cell_text(ln for ln in p.text.split("\n") if not is_page_number(ln)),
            p.box,
        )
        for p in t.cells
    ]
    return expand(placed, t.n_rows, index, t.page, row_pages=t.row_pages)
