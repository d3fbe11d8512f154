"""Text-PDF reader on pdfium alone: one pass per page for characters, boxes and rulings.

For each page: the rulings from its vector paths (:mod:`.rulings`), the table grids they draw,
merged cells included (:mod:`.grid`), then every character of the text layer into the cell
under it or into a prose line (:mod:`.text`). Across pages: tables continued on the next page
are stitched (:mod:`.stitch`), paragraphs joined and page numbers dropped (:mod:`.layout`).
Positions are display coordinates (:mod:`.page`): every table cell keeps its page and box.

A page without a text layer (:func:`~.text.page_has_text`) is a scan: it is read by OCR
(:mod:`ogi.readers.ocr`, the ``ocr`` extra) as :class:`~ogi.readers.options.ParseOptions` say,
and its blocks fitted in among the text pages' (a mixed PDF keeps its text pages as text).
"""

from __future__ import annotations

import pypdfium2 as pdfium

from ogi.errors import InputError
from ogi.model import Document, Paragraph
from ogi.model.document import Block
from ogi.readers._util import decode_error, find_published
from ogi.readers.options import ParseOptions
from ogi.readers.pdf.grid import find_grids
from ogi.readers.pdf.layout import blocks
from ogi.readers.pdf.page import Page
from ogi.readers.pdf.rulings import find_rulings
from ogi.readers.pdf.text import frame_of, page_has_text, read_text

SCANNED = "a scanned PDF without a text layer, and OCR is turned off (--ocr never)"
NOTHING_READ = "a scanned PDF, and OCR found no text on its pages: is it legible?"

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
        if not page_has_text(page, textpage):
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


def read(data: bytes, source: str, options: ParseOptions | None = None) -> Document:
    options = options or ParseOptions()
    if not data.strip():
        raise InputError(source, "the file is empty")
    pdf = _open(data, source)
    try:
        try:
            title = " ".join(str(pdf.get_metadata_dict().get("Title", "")).split())
        except (UnicodeDecodeError, pdfium.PdfiumError):  # a damaged info dictionary: no title, still a PDF
            title = ""
        pages, notes, failure = _read_pages(pdf)
        scanned, ocr_blocks = _ocr_hook(pdf, pages, options, source, notes)
    except pdfium.PdfiumError as exc:  # a page that loaded for its text but not to be rendered
        raise InputError(source, f"the PDF is damaged ({decode_error(exc)})") from exc
    finally:
        pdf.close()
    if not pages:
        raise InputError(source, f"the PDF is damaged ({failure})")
    pages = [p for p in pages if p.number not in scanned]
    if not any(p.has_text for p in pages) and not ocr_blocks:
        raise InputError(source, NOTHING_READ if scanned else SCANNED)
    empty = [p.number for p in pages if not p.has_text]
    if empty:
        notes.append(f"pages without a text layer (scanned?): {', '.join(map(str, empty))}")
    read_blocks = blocks(pages, notes)
    if ocr_blocks:
        from ogi.readers.ocr.pdf import interleave

        read_blocks = interleave(read_blocks, ocr_blocks)
    doc = Document(source=source, format="pdf", blocks=read_blocks, notes=list(dict.fromkeys(notes)))
    if title:
        doc.meta["title"] = title
    if scanned:
        doc.meta["ocr_pages"] = ",".join(map(str, scanned))
    published = find_published(b.text for b in doc.blocks if isinstance(b, Paragraph))
    if published:
        doc.meta["published"] = published
    return doc


def _ocr_hook(
    pdf: pdfium.PdfDocument, pages: list[Page], options: ParseOptions, source: str, notes: list[str]
) -> tuple[list[int], list[Block]]:
    """OCR of the pages without a text layer (of every page with ``ocr="always"``; of none with
    ``"never"``): the numbers of the pages read, and their blocks. Without the ``ocr`` extra a PDF
    of scans only is refused with the install hint; a mixed one is read without its scanned pages,
    which the notes name."""
    if options.ocr == "never":
        return [], []
    wanted = [p.number for p in pages if options.ocr == "always" or not p.has_text]
    if not wanted:
        return [], []
    from ogi.readers import ocr

    try:
        ocr.require(source, "--ocr always" if options.ocr == "always" else "a scanned PDF without a text layer")
    except InputError:
        if options.ocr == "always" or len(wanted) == len(pages):
            raise
        notes.append(f"OCR is not installed, so the pages without a text layer were not read: {ocr.INSTALL_HINT}")
        return [], []
    from ogi.readers.ocr.pdf import read_pdf_pages

    return wanted, read_pdf_pages(pdf, wanted, options, notes)
