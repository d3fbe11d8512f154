"""What the PDF reader keeps of one page: its frame, rulings, table grids, text lines.

Every position here is in *display* coordinates: PDF points from the top-left corner of the
page as a viewer shows it (crop box applied, ``/Rotate`` applied), y growing downward — the
convention of pdfplumber's ``x0, top, x1, bottom`` and of :attr:`ogi.model.Where.box`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ogi.readers._util import Placed

Box = tuple[float, float, float, float]
"""(x0, top, x1, bottom) in display coordinates."""


@dataclass(frozen=True, slots=True)
class Frame:
    """Maps PDF user space to display coordinates for one page."""

    left: float
    bottom: float
    right: float
    top: float
    rotation: int
    """Clockwise quarter turns of ``/Rotate``, in degrees: 0, 90, 180 or 270."""

    @property
    def width(self) -> float:
        return self.top - self.bottom if self.rotation in (90, 270) else self.right - self.left

    @property
    def height(self) -> float:
        return self.right - self.left if self.rotation in (90, 270) else self.top - self.bottom

    def point(self, x: float, y: float) -> tuple[float, float]:
        r = self.rotation
        if r == 0:
            return x - self.left, self.top - y
        if r == 90:
            return y - self.bottom, x - self.left
        if r == 180:
            return self.right - x, y - self.bottom
        return self.top - y, self.right - x

    def box(self, left: float, bottom: float, right: float, top: float) -> Box:
        """A user-space rectangle as a display box."""
        r = self.rotation
        if r == 0:  # nearly every page: spelled out, as it runs for every character
            return left - self.left, self.top - top, right - self.left, self.top - bottom
        if r == 90:
            return bottom - self.bottom, left - self.left, top - self.bottom, right - self.left
        if r == 180:
            return self.right - right, bottom - self.bottom, self.right - left, top - self.bottom
        return self.top - top, self.right - right, self.top - bottom, self.right - left


@dataclass(frozen=True, slots=True)
class Ruling:
    """A drawn line (or a thin rectangle) along one axis: ``at`` is its x for a vertical ruling,
    its y for a horizontal one; it runs from ``start`` to ``end`` along the other axis."""

    at: float
    start: float
    end: float

    @property
    def length(self) -> float:
        return self.end - self.start


@dataclass(slots=True)
class Char:
    """A character of a table cell: its extent along the line and its baseline."""

    text: str
    x0: float
    x1: float
    baseline: float


@dataclass(slots=True)
class Line:
    """A line of running text outside the tables, with the ink box of its characters."""

    top: float
    bottom: float
    x0: float
    x1: float
    text: str


@dataclass(slots=True)
class PageTable:
    """A ruled table of one page (or several, once stitched): its grid and its placed cells.

    ``xs`` are the column boundaries (rulings); ``cells`` the cells with their spans and boxes;
    ``row_pages`` the page of every row."""

    page: int
    bbox: Box
    xs: list[float]
    cells: list[Placed]
    row_pages: list[int] = field(default_factory=list)

    @property
    def n_rows(self) -> int:
        return len(self.row_pages)

    @property
    def framed_text(self) -> str:
        """The text of a one-row box read as prose (a framed note, not a table): its cells' words in order."""
        return " ".join(" ".join(p.text.split()) for p in self.cells if p.text.strip())


@dataclass(slots=True)
class Page:
    number: int
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)
    tables: list[PageTable] = field(default_factory=list)
    has_text: bool = True
