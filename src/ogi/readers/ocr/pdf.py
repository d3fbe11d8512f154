"""Scanned pages of a PDF: render with pdfium at the OCR resolution, read, and fit the blocks in
among the text pages' blocks. Boxes are in PDF points from the page's top-left corner."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pypdfium2 as pdfium

from ogi.model import Table
from ogi.model.document import Block
from ogi.readers.ocr import PageImage, read_images
from ogi.readers.options import ParseOptions


def _rendered(pdf: pdfium.PdfDocument, numbers: list[int], dpi: int) -> Iterator[PageImage]:
    scale = dpi / 72
    for n in numbers:
        bitmap = pdf[n - 1].render(scale=scale, rev_byteorder=True)  # RGB, not pdfium's BGR
        yield PageImage(n, bitmap.to_numpy()[:, :, :3].copy(), scale, 1 / scale)


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
