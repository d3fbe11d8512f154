"""The one document representation every reader produces: paragraphs and table grids.

Readers (text, HTML, DOCX, PDF…) turn a file into a :class:`Document`; the extractor never
sees file formats. Tables are grids with row and column spans expanded: a cell covered by a
span keeps the text of its origin cell and points at it, so positions stay exact.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

_WHERE_NAMES = ("page", "line", "table", "row", "col", "char")


@dataclass(frozen=True, slots=True)
class Where:
    """Where something sits in the source: page, line, table, row, column (1-based)."""

    page: int | None = None
    line: int | None = None
    table: int | None = None
    row: int | None = None
    col: int | None = None
    char: int | None = None
    box: tuple[float, float, float, float] | None = None
    """(x0, y0, x1, y1) on the page, origin at its top-left corner: PDF points for PDF pages
    (scanned ones too), pixels for images. Not part of the text form."""
    confidence: float | None = None
    """For text read by OCR: the recogniser's confidence, 0–1."""

    def __str__(self) -> str:
        return _where_text(self)


@lru_cache(maxsize=16384)
def _where_text(w: Where) -> str:
    values = (w.page, w.line, w.table, w.row, w.col, w.char)
    return ", ".join(f"{n} {v}" for n, v in zip(_WHERE_NAMES, values, strict=True) if v is not None) or "document"


@dataclass(slots=True)
class GridCell:
    text: str
    where: Where
    origin: tuple[int, int] | None = None
    """(row, col) of the cell whose span covers this one; None for an origin cell."""
    absent: bool = False
    """No cell of the source sits here (its row has fewer cells than the grid is wide)."""
    alternatives: tuple[str, ...] = ()
    """Other texts the reader considers possible for this cell, most likely first: OCR's readings
    of digits it was unsure of. The extractor turns them into more readings of the row."""

    @property
    def is_span_copy(self) -> bool:
        return self.origin is not None


@dataclass(slots=True)
class Table:
    rows: list[list[GridCell]]
    where: Where
    exact_columns: bool = False
    """True when column positions come from real markup (HTML, DOCX, PDF ruling), False when
    they were guessed by a converter (Markdown or tab-separated text), where merged cells
    may have dropped or added columns."""


@dataclass(slots=True)
class Paragraph:
    text: str
    where: Where
    path: tuple[int, ...] = ()
    """Where the text stands in the page's element tree (HTML): the child indexes from the body
    down to the element its text starts in; () where the source has no such tree. Two paragraphs
    share a container as far as their paths share a beginning."""


Block = Paragraph | Table


@dataclass(slots=True)
class Document:
    source: str
    format: str
    blocks: list[Block] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    """Labelled metadata printed around the report (crawler headers, page info): title,
    published, publisher, url."""
    notes: list[str] = field(default_factory=list)
    """What the reader changed or dropped (encoding used, page numbers removed)."""

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    def plain_text(self) -> str:
        """Every paragraph and every grid row (cells joined by tabs), in reading order."""
        out = []
        for b in self.blocks:
            if isinstance(b, Paragraph):
                out.append(b.text)
            else:
                out.extend("\t".join(c.text for c in row) for row in b.rows)
        return "\n".join(out)
