"""Text-PDF reader on pdfium alone: one pass per page for characters, boxes and rulings.

For each page: the rulings from its vector paths (:mod:`.rulings`), the table grids they draw,
merged cells included (:mod:`.grid`), then every character of the text layer into the cell
under it or into a prose line (:mod:`.text`). Across pages: tables continued on the next page
are stitched (:mod:`.stitch`), paragraphs joined and page numbers dropped (:mod:`.layout`).
Positions are display coordinates (:mod:`.page`): every table cell keeps its page and box.

A page without a text layer (:func:`~.text.page_has_text`) is a scan; a PDF of scans only is
refused until OCR reads them.
"""

from __future__ import annotations

import pypdfium2 as pdfium

from ogi.errors import InputError
from ogi.model import Document, Paragraph
from ogi.readers._util import decode_error, find_published
from ogi.readers.pdf.grid import find_grids
from ogi.readers.pdf.layout import blocks
from ogi.readers.pdf.page import Page
from ogi.readers.pdf.rulings import find_rulings
from ogi.readers.pdf.text import frame_of, page_has_text, read_text

SCANNED = "a scanned PDF without a text layer: OCR is not supported yet"

__all__ = ["SCANNED", "page_has_text", "read", "read_page"]


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
        pdf.close()
        raise InputError(source, "the PDF is truncated (no end-of-file marker): download it again")
    if len(pdf) == 0:
        pdf.close()
        raise InputError(source, "the PDF has no pages")
    return pdf


def read_page(page: pdfium.PdfPage, number: int) -> Page:
    """One page's prose lines and tables (tables not yet stitched to other pages)."""
    frame = frame_of(page)
    out = Page(number, frame.width, frame.height)
    textpage = page.get_textpage()
    try:
        if not page_has_text(textpage):
            out.has_text = False
            return out
        grids = find_grids(*find_rulings(page.raw, frame), number)
        out.lines = read_text(textpage, frame, grids)
        out.tables = [g.finish() for g in grids]
    finally:
        textpage.close()
    return out


def _read_pages(pdf: pdfium.PdfDocument) -> tuple[list[Page], list[str], str]:
    """The pages pdfium can load; a page it cannot is noted and skipped (the rest of the report
    still reads, and what that page held is reported missing). Also the last failure's reason."""
    pages: list[Page] = []
    notes: list[str] = []
    failure = ""
    for i in range(len(pdf)):
        try:
            page = pdf[i]
            try:
                pages.append(read_page(page, i + 1))
            finally:
                page.close()
        except pdfium.PdfiumError as exc:
            failure = decode_error(exc)
            notes.append(f"page {i + 1} could not be read ({failure})")
    return pages, notes, failure


def read(data: bytes, source: str) -> Document:
    if not data.strip():
        raise InputError(source, "the file is empty")
    pdf = _open(data, source)
    try:
        try:
            title = " ".join(str(pdf.get_metadata_dict().get("Title", "")).split())
        except (UnicodeDecodeError, pdfium.PdfiumError):  # a damaged info dictionary: no title, still a PDF
            title = ""
        pages, notes, failure = _read_pages(pdf)
    finally:
        pdf.close()
    if not pages:
        raise InputError(source, f"the PDF is damaged ({failure})")
    if not any(p.has_text for p in pages):
        raise InputError(source, SCANNED)
    # Pages without a text layer are where OCR (issue 11) will come in; for now they are noted.
    empty = [p.number for p in pages if not p.has_text]
    if empty:
        notes.append(f"pages without a text layer (scanned?): {', '.join(map(str, empty))}")
    doc = Document(source=source, format="pdf", blocks=blocks(pages, notes), notes=list(dict.fromkeys(notes)))
    if title:
        doc.meta["title"] = title
    published = find_published(b.text for b in doc.blocks if isinstance(b, Paragraph))
    if published:
        doc.meta["published"] = published
    return doc
