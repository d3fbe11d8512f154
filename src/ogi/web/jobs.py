"""The app's work that runs in the parsing processes: parse for the API, read a document's source
for display, render a page picture (a PDF page, or a page of an image read by OCR). Plain
functions of bytes, picklable results, no web imports."""

from __future__ import annotations

from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

from ogi.errors import OgiError
from ogi.model import Paragraph, Report
from ogi.model.document import Table
from ogi.readers.options import ParseOptions

PAGE_WIDTH_PX = 1240
"""Rendered width of a page picture: A4 at 150 dpi, sharp on a laptop screen and when zoomed."""
PAGE_PICTURES = frozenset({"pdf", "image"})
"""Formats shown as page pictures with each cell's box drawn over them."""


def parse_reports(data: bytes, name: str, options: ParseOptions | None = None) -> list[Report] | str:
    """The parsed reports of a file (one for most files, one per part of a compiled volume), read
    as ``options`` say, or why the file cannot be read as reports. Never raises."""
    try:
        from ogi.api import parse_all_bytes

        return parse_all_bytes(data, name, options)
    except OgiError as e:
        return getattr(e, "reason", None) or str(e)
    except MemoryError:
        raise  # the per-file memory limit (ogi.batch.limits), reported as such
    except Exception as e:
        return f"internal error ({type(e).__name__}: {e}); please report this file"


@dataclass(frozen=True, slots=True)
class GridCellView:
    text: str
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1


@dataclass(frozen=True, slots=True)
class GridView:
    index: int
    rows: list[list[GridCellView]]


@dataclass(frozen=True, slots=True)
class ParagraphView:
    text: str
    line: int | None


@dataclass(slots=True)
class Source:
    """A document as the reader saw it, for showing where a cell was read."""

    kind: str
    """``lines`` (text: the decoded lines), ``blocks`` (paragraphs and table grids), ``pages``
    (page pictures: a PDF's pages, an image's frames)."""
    lines: list[str] = field(default_factory=list)
    blocks: list[ParagraphView | GridView] = field(default_factory=list)
    pages: list[tuple[float, float]] = field(default_factory=list)
    """Each page's (width, height) in the units of its cells' boxes: PDF points, or image pixels."""
    per_point: float = 1.0
    """Box units per point of the printed page: 1 for a PDF, an image's pixels per point."""
    error: str | None = None


def _grid(table: Table, index: int) -> GridView:
    """A reader's grid with its spans folded back into rowspan/colspan."""
    out: list[list[GridCellView]] = []
    spans: dict[tuple[int, int], list[int]] = {}
    for r, row in enumerate(table.rows):
        for c, cell in enumerate(row):
            if cell.origin is not None:
                span = spans.get(cell.origin)
                if span is not None:
                    span[0] = max(span[0], r - cell.origin[0] + 1)
                    span[1] = max(span[1], c - cell.origin[1] + 1)
            elif not cell.absent:
                spans[(r, c)] = [1, 1]
    for r, row in enumerate(table.rows):
        line = []
        for c, cell in enumerate(row):
            if (r, c) in spans:
                rs, cs = spans[(r, c)]
                line.append(GridCellView(cell.text, r + 1, c + 1, rs, cs))
        out.append(line)
    return GridView(index, out)


def _pdf_pages(data: bytes) -> list[tuple[float, float]]:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        return [pdf.get_page_size(i) for i in range(len(pdf))]
    finally:
        pdf.close()


def _image_pages(data: bytes, name: str) -> Source:
    from ogi.readers.image import frames

    sizes, scales = [], []
    for frame, px_per_pt in frames(data, name):
        sizes.append((float(frame.width), float(frame.height)))
        scales.append(px_per_pt)
    return Source("pages", pages=sizes, per_point=scales[0] if scales else 1.0)


def read_source(data: bytes, name: str, fmt: str) -> Source:
    """The document's source for display. Never raises: a failure is the ``error``."""
    try:
        if fmt == "pdf":
            return Source("pages", pages=_pdf_pages(data))
        if fmt == "image":  # shown as it is: reading it again would mean OCR for a picture
            return _image_pages(data, name)
        if fmt == "text":
            from ogi.readers.text import _normalise_text, decode

            text, _ = decode(data, name)
            return Source("lines", lines=_normalise_text(text).split("\n"))
        from ogi.readers import read_document

        document = read_document(data, name)
        blocks: list[ParagraphView | GridView] = []
        n_tables = 0
        for b in document.blocks:
            if isinstance(b, Paragraph):
                blocks.append(ParagraphView(b.text, b.where.line))
            else:
                n_tables += 1
                blocks.append(_grid(b, n_tables))
        return Source("blocks", blocks=blocks)
    except OgiError as e:
        return Source("none", error=getattr(e, "reason", None) or str(e))
    except MemoryError:
        raise  # the per-file memory limit (ogi.batch.limits), reported as such
    except Exception as e:
        return Source("none", error=f"{type(e).__name__}: {e}")


def render_page(data: bytes, page: int, width_px: int = PAGE_WIDTH_PX, fmt: str = "pdf") -> bytes:
    """Page ``page`` (1-based) of a PDF, or frame ``page`` of an image, as a PNG ``width_px`` wide
    (an image narrower than that is kept as it is)."""
    if fmt == "image":
        from ogi.readers.image import frames

        for n, (frame, _) in enumerate(frames(data, "image"), start=1):
            if n == page:
                if frame.width > width_px:
                    frame = frame.resize((width_px, round(frame.height * width_px / frame.width)))
                return _png(frame)
        raise ValueError(f"the image has no page {page}")
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        if not 1 <= page <= len(pdf):
            raise ValueError(f"the PDF has {len(pdf)} pages, not {page}")
        p = pdf[page - 1]
        return _png(p.render(scale=width_px / p.get_width()).to_pil())
    finally:
        pdf.close()


def _png(image: Any) -> bytes:
    out = BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()
