"""One page image → its ruled tables (cells with spans, text, box, confidence, alternatives) and
its other text lines, in the page's own units.

Text boxes found by the detector are placed into the cells of the ruled grids; a box that runs
over a column ruling (the detector joined two cells' numbers) is cut at the ruling, and every box
inside a cell is trimmed to the cell so that no ruling is read as a stroke. All crops of a page
are recognised in one batch.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from itertools import pairwise

import cv2
import numpy as np

from ogi.readers._util import Placed, cell_text, is_page_number
from ogi.readers.ocr.decode import Text
from ogi.readers.ocr.engine import Session
from ogi.readers.ocr.grid import Grid, Span, find_grids
from ogi.readers.ocr.preprocess import prepare
from ogi.readers.pdf.page import PageTable

Box = tuple[float, float, float, float]
RULING = 1.2
"""Points trimmed off each side of a cell, so that the ruling is not in the crop."""
CELL_GAP = 1.6
"""A gap wider than this many text heights between boxes on one line separates two cells."""


@dataclass(slots=True)
class Word:
    box: Box
    """Pixels of the straightened page."""
    text: Text = field(default_factory=lambda: Text("", 0.0))
    grid: int | None = None
    span: int | None = None


@dataclass(slots=True)
class Piece:
    """Part of a text line standing apart from the rest (a cell of an unruled table)."""

    text: str
    confidence: float
    alternatives: tuple[str, ...]
    box: Box
    """In the page's output units (PDF points or image pixels), on the page as given."""


@dataclass(slots=True)
class Line:
    top: float
    bottom: float
    x0: float
    x1: float
    """Points on the straightened page, for layout."""
    pieces: list[Piece]

    @property
    def text(self) -> str:
        return " ".join(p.text for p in self.pieces)


@dataclass(slots=True)
class PageRead:
    number: int
    width: float
    height: float
    tables: list[PageTable]
    lines: list[Line]
    rotation: int = 0
    skew: float = 0.0
    low_confidence: int = 0
    """Cells and lines whose text has digits read with doubt (they carry alternatives)."""


@dataclass(slots=True)
class _Frame:
    """Maps the straightened page's pixels to layout points and to output units."""

    to_original: np.ndarray
    px_per_pt: float
    unit_per_px: float

    def pt(self, v: float) -> float:
        return v / self.px_per_pt

    def out(self, box: Box) -> Box:
        x0, y0, x1, y1 = box
        corners = np.array([[x0, y0, 1], [x1, y0, 1], [x1, y1, 1], [x0, y1, 1]], dtype=np.float64)
        pts = corners @ self.to_original.T
        xs, ys = pts[:, 0] * self.unit_per_px, pts[:, 1] * self.unit_per_px
        return (round(xs.min(), 1), round(ys.min(), 1), round(xs.max(), 1), round(ys.max(), 1))


def read_page(rgb: np.ndarray, number: int, px_per_pt: float, unit_per_px: float, session: Session) -> PageRead:
    """Read one page image. ``px_per_pt`` sizes the layout (rulings, gaps); ``unit_per_px`` gives
    the units of the boxes in the result (72/dpi for PDF points, 1 for image pixels)."""
    prepared = prepare(rgb, session)
    frame = _Frame(prepared.to_original, px_per_pt, unit_per_px)
    start = time.perf_counter()
    grids = find_grids(prepared.gray, px_per_pt)
    words = _words(prepared.quads, grids, px_per_pt)
    session.timings.structure += time.perf_counter() - start
    crops = [_crop(prepared.image, w.box) for w in words]
    # A box the straightening moved off the page crops to nothing: no text there.
    words, crops = [w for w, c in zip(words, crops, strict=True) if c.size], [c for c in crops if c.size]
    for word, text in zip(words, session.recognize(crops), strict=True):
        word.text = text
    words = [w for w in words if w.text.text]
    start = time.perf_counter()
    height, width = prepared.gray.shape
    page = PageRead(number, frame.pt(width), frame.pt(height), [], [], prepared.rotation, prepared.skew)
    for g, grid in enumerate(grids):
        page.tables.append(_table(grid, [x for x in words if x.grid == g], number, frame, page))
    page.lines = _lines([x for x in words if x.grid is None], frame, page)
    session.timings.structure += time.perf_counter() - start
    session.timings.pages += 1
    return page


def _span_at(grid: Grid, x: float, y: float) -> int | None:
    for i, s in enumerate(grid.spans):
        x0, y0, x1, y1 = grid.box(s)
        if x0 <= x < x1 and y0 <= y < y1:
            return i
    return None


def _words(quads: np.ndarray, grids: list[Grid], px_per_pt: float) -> list[Word]:
    """Axis-aligned boxes; those in a table cut at column rulings and trimmed to their cells."""
    inset = RULING * px_per_pt
    out: list[Word] = []
    for q in quads:
        x0, y0 = (float(v) for v in q.min(axis=0))
        x1, y1 = (float(v) for v in q.max(axis=0))
        if x1 - x0 < 2 or y1 - y0 < 3:
            continue
        cy = (y0 + y1) / 2
        g = next(
            (i for i, gr in enumerate(grids) if gr.xs[0] <= (x0 + x1) / 2 <= gr.xs[-1] and gr.ys[0] <= cy <= gr.ys[-1]),
            None,
        )
        if g is None:
            out.append(Word((x0, y0, x1, y1)))
            continue
        grid = grids[g]
        cuts = [x0] + [x for x in grid.xs if x0 + inset < x < x1 - inset] + [x1]
        parts: list[tuple[int, float, float]] = []
        for a, b in pairwise(cuts):
            span = _span_at(grid, (a + b) / 2, cy)
            if span is None:
                continue
            if parts and parts[-1][0] == span:
                parts[-1] = (span, parts[-1][1], b)
            else:
                parts.append((span, a, b))
        for span, a, b in parts:
            cx0, cy0, cx1, cy1 = grid.box(grid.spans[span])
            box = (max(a, cx0 + inset), max(y0, cy0 + inset), min(b, cx1 - inset), min(y1, cy1 - inset))
            if box[2] - box[0] >= 2 and box[3] - box[1] >= 3:
                out.append(Word(box, grid=g, span=span))
    return out


def _crop(image: np.ndarray, box: Box) -> np.ndarray:
    h, w = image.shape[:2]
    x0, y0 = max(int(box[0]), 0), max(int(box[1]), 0)
    x1, y1 = min(int(np.ceil(box[2])), w), min(int(np.ceil(box[3])), h)
    crop = image[y0:y1, x0:x1]
    ch, cw = crop.shape[:2]
    if ch > 1.8 * cw and cw > 0:
        crop = _side_by_side(crop)
    return crop


def _side_by_side(crop: np.ndarray) -> np.ndarray:
    """Text set upright, one character under the other (a narrow cell): the characters cut apart
    at the blank rows between them and put side by side, each still upright, as the recogniser
    reads a line."""
    ink = (crop[:, :, 0] < 160).any(axis=1)
    runs: list[tuple[int, int]] = []
    start = None
    for y, dark in enumerate(ink):
        if dark and start is None:
            start = y
        elif not dark and start is not None:
            runs.append((start, y))
            start = None
    if start is not None:
        runs.append((start, len(ink)))
    runs = [r for r in runs if r[1] - r[0] >= 3]
    if len(runs) < 2:
        return crop
    height = max(b - a for a, b in runs) + 4
    pad = np.full((height, 4, 3), 255, np.uint8)
    pieces = []
    for a, b in runs:
        piece = np.full((height, crop.shape[1], 3), 255, np.uint8)
        top = (height - (b - a)) // 2
        piece[top : top + b - a] = crop[a:b]
        pieces += [piece, pad]
    return cv2.hconcat(pieces)


def _table(grid: Grid, words: list[Word], number: int, frame: _Frame, page: PageRead) -> PageTable:
    by_span: dict[int, list[Word]] = {}
    for w in words:
        assert w.span is not None
        by_span.setdefault(w.span, []).append(w)
    placed = []
    for i, s in enumerate(grid.spans):
        inside = by_span.get(i, [])
        text = cell_text(" ".join(w.text.text for w in line) for line in _group_lines(inside))
        confidence = min((w.text.confidence for w in inside), default=None)
        alternatives = inside[0].text.alternatives if len(inside) == 1 else ()
        page.low_confidence += bool(alternatives)
        placed.append(_placed(s, text, frame.out(grid.box(s)), confidence, alternatives))
    x0, y0, x1, y1 = grid.bbox
    return PageTable(
        page=number,
        bbox=(frame.pt(x0), frame.pt(y0), frame.pt(x1), frame.pt(y1)),
        xs=[frame.pt(x) for x in grid.xs],
        cells=placed,
        row_pages=[number] * (len(grid.ys) - 1),
    )


def _placed(s: Span, text: str, box: Box, confidence: float | None, alternatives: tuple[str, ...]) -> Placed:
    conf = round(confidence, 3) if confidence is not None else None
    return Placed(s.row, s.col, s.rowspan, s.colspan, text, box, conf, alternatives)


def _group_lines(words: list[Word]) -> list[list[Word]]:
    """Words on the same text line (their middles within each other's height), top to bottom,
    each line left to right."""
    lines: list[list[Word]] = []
    for w in sorted(words, key=lambda w: (w.box[1] + w.box[3]) / 2):
        mid = (w.box[1] + w.box[3]) / 2
        if lines:
            last = lines[-1]
            top = np.median([x.box[1] for x in last])
            bottom = np.median([x.box[3] for x in last])
            if top <= mid <= bottom:
                last.append(w)
                continue
        lines.append([w])
    return [sorted(line, key=lambda w: w.box[0]) for line in lines]


def _lines(words: list[Word], frame: _Frame, page: PageRead) -> list[Line]:
    out = []
    for group in _group_lines(words):
        height = float(np.median([w.box[3] - w.box[1] for w in group]))
        pieces: list[list[Word]] = []
        for w in group:
            if pieces and w.box[0] - pieces[-1][-1].box[2] <= CELL_GAP * height:
                pieces[-1].append(w)
            else:
                pieces.append([w])
        line_pieces = [_piece(p, frame) for p in pieces]
        page.low_confidence += sum(bool(p.alternatives) for p in line_pieces)
        x0, y0 = min(w.box[0] for w in group), min(w.box[1] for w in group)
        x1, y1 = max(w.box[2] for w in group), max(w.box[3] for w in group)
        line = Line(frame.pt(y0), frame.pt(y1), frame.pt(x0), frame.pt(x1), line_pieces)
        if not is_page_number(line.text):
            out.append(line)
    return out


def _piece(words: list[Word], frame: _Frame) -> Piece:
    text = ""
    for w in words:
        t = w.text.text
        text = f"{text} {t}" if text and text[-1].isascii() and t[:1].isascii() else text + t
    box = (
        min(w.box[0] for w in words),
        min(w.box[1] for w in words),
        max(w.box[2] for w in words),
        max(w.box[3] for w in words),
    )
    alternatives = words[0].text.alternatives if len(words) == 1 else ()
    return Piece(text, min(w.text.confidence for w in words), alternatives, frame.out(box))
