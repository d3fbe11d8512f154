"""Scanned pages of a PDF: render with pdfium, read, and fit the blocks in among the text pages'
blocks. Boxes are in PDF points from the page's top-left corner.

A page that is one scanned image is rendered at the image's own resolution (within 150–300 dpi),
so its pixels are read as they were scanned; other pages at :attr:`ParseOptions.ocr_dpi`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ogi.model import Table
from ogi.model.document import Block
from ogi.readers.ocr import PageImage, read_images
from ogi.readers.options import ParseOptions

MIN_DPI, MAX_DPI = 150, 300


def _scan_scale(page: pdfium.PdfPage) -> float | None:
    """Pixels per point of the scanned image that covers the page, if one does."""
    width = page.get_width()
    best = 0.0
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]):
        left, _, right, _ = obj.get_bounds()
        if right - left >= 0.6 * width:
            best = max(best, obj.get_px_size()[0] / (right - left))
    return min(max(best, MIN_DPI / 72), MAX_DPI / 72) if best else None


def _rendered(pdf: pdfium.PdfDocument, numbers: list[int], dpi: int) -> Iterator[PageImage]:
    for n in numbers:
        page = pdf[n - 1]
        try:
            scale = _scan_scale(page) or dpi / 72
            bitmap = page.render(scale=scale, rev_byteorder=True)  # RGB, not pdfium's BGR
            rgb = bitmap.to_numpy()[:, :, :3].copy()
        finally:
            page.close()
        yield PageImage(n, rgb, scale, 1 / scale)


def read_pdf_pages(pdf: pdfium.PdfDocument, numbers: list[int], options: ParseOptions, notes: list[str]) -> list[Block]:
    """OCR the pages ``numbers`` (1-based) of an open PDF."""
    return read_images(_rendered(pdf, numbers, options.ocr_dpi), options, notes)


def _page_of(block: Block) -> int:
    return block.where.page or 0


def interleave(text_blocks: list[Block], ocr_blocks: list[Block]) -> list[Block]:
    """Both lists in page order (each keeps its own order within a page), tables renumbered."""
    merged = sorted(
        [(_page_of(b), 0, i, b) for i, b in enumerate(text_blocks)]
        + [(_page_of(b), 1, i, b) for i, b in enumerate(ocr_blocks)],
        key=lambda t: t[:3],
    )
    out: list[Block] = []
    index = 0
    for _, _, _, b in merged:
        if isinstance(b, Table):
            index += 1
            if b.where.table != index:
                b = _renumber(b, index)
        out.append(b)
    return out


def _renumber(t: Table, index: int) -> Table:
    for row in t.rows:
        for cell in row:
            cell.where = replace(cell.where, table=index)
    return Table(t.rows, replace(t.where, table=index), t.exact_columns)
