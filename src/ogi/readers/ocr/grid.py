"""Ruled tables on a page image: rulings by OpenCV morphology, then cells with their spans.

Ink darker than its surroundings is opened with a long flat kernel (horizontal rulings) and a
long upright one (vertical rulings); text strokes are too short to survive. Where both kinds meet
in one connected region there is a table. Its row and column boundaries are the distinct ruling
positions; two neighbouring grid positions belong to one merged cell where no ruling separates
them, so merged cells keep their spans exactly as in a text PDF's table.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from ogi.readers.spans import Span, merged_cells

H_RULING = 20.0
"""Points: the shortest horizontal ruling (a narrow column's width is about 25 pt)."""
V_RULING = 11.0
"""Points: the shortest vertical ruling (a row is at least about 14 pt high; strokes of 10.5 pt
table text are shorter)."""
SAME_LINE = 4.0
"""Points within which two rulings are one boundary."""
COVERED = 0.5
MEETS = 2.0
"""Points within which a vertical ruling's end must meet a horizontal ruling."""
DARK = 185
"""Grey level (paper 255) a ruling is darker than. A red seal is light in the red channel the page
is read in; without this its ring, crossing a table, would pass for rulings."""
FREE_END = 20.0
"""Points: a vertical ruling meeting a horizontal one at one end only must be at least this long
(the last row before a page break often has no bottom ruling; a character's stroke is shorter)."""
NO_END = 30.0
"""Points: a vertical ruling whose ends noise or a seal has broken off must be at least this long;
no character of a report is that tall."""
"""A boundary separates two grid positions when rulings cover this share of their common edge."""


@dataclass(slots=True)
class Grid:
    xs: list[float]
    """Column boundaries, pixels, left to right."""
    ys: list[float]
    """Row boundaries, pixels, top to bottom."""
    spans: list[Span]

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return self.xs[0], self.ys[0], self.xs[-1], self.ys[-1]

    def box(self, s: Span) -> tuple[float, float, float, float]:
        return self.xs[s.col], self.ys[s.row], self.xs[s.col + s.colspan], self.ys[s.row + s.rowspan]


def _segments(mask: np.ndarray, horizontal: bool) -> list[tuple[float, int, int]]:
    """(position across, start, end along) of each ruling piece."""
    n, _, stats, centroids = cv2.connectedComponentsWithStats(mask, connectivity=8)
    out = []
    for i in range(1, n):
        x, y, w, h, _ = stats[i]
        if horizontal:
            out.append((float(centroids[i][1]), int(x), int(x + w)))
        else:
            out.append((float(centroids[i][0]), int(y), int(y + h)))
    return out


def _cluster(values: list[float], tolerance: float) -> list[float]:
    groups: list[list[float]] = []
    for v in sorted(values):
        if groups and v - groups[-1][-1] <= tolerance:
            groups[-1].append(v)
        else:
            groups.append([v])
    return [float(np.mean(g)) for g in groups]


def _coverage(segments: list[tuple[float, int, int]], at: float, lo: float, hi: float, tolerance: float) -> float:
    """The share of [lo, hi] covered by rulings at ``at``."""
    if hi <= lo:
        return 0.0
    pieces = sorted(
        (max(s, lo), min(e, hi)) for pos, s, e in segments if abs(pos - at) <= tolerance and e > lo and s < hi
    )
    covered, reach = 0.0, lo
    for s, e in pieces:
        if e > reach:
            covered += e - max(s, reach)
            reach = e
    return covered / (hi - lo)


def rulings(gray: np.ndarray, px_per_pt: float) -> tuple[np.ndarray, np.ndarray]:
    """Masks of the horizontal and the vertical rulings."""
    ink = cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 15, 15)
    ink[gray >= DARK] = 0
    h_len, v_len = max(10, int(H_RULING * px_per_pt)), max(8, int(V_RULING * px_per_pt))
    # A ruling slightly off level or broken by noise is thickened first so that it stays one piece.
    across = cv2.dilate(ink, np.ones((3, 1), np.uint8))
    horizontal = cv2.morphologyEx(across, cv2.MORPH_OPEN, np.ones((1, h_len), np.uint8))
    down = cv2.dilate(ink, np.ones((1, 3), np.uint8))
    vertical = cv2.morphologyEx(down, cv2.MORPH_OPEN, np.ones((v_len, 1), np.uint8))
    return horizontal, vertical


def find_grids(gray: np.ndarray, px_per_pt: float) -> list[Grid]:
    """The ruled tables of a straightened page, top to bottom; each has two columns or more."""
    horizontal, vertical = rulings(gray, px_per_pt)
    both = cv2.dilate(cv2.bitwise_or(horizontal, vertical), np.ones((5, 5), np.uint8))
    n, _, stats, _ = cv2.connectedComponentsWithStats(both, connectivity=8)
    grids = []
    for i in range(1, n):
        x, y, w, h, _ = stats[i]
        if w < 60 * px_per_pt or h < 12 * px_per_pt:
            continue
        region = (slice(y, y + h), slice(x, x + w))
        hs = [(p + y, s + x, e + x) for p, s, e in _segments(horizontal[region], True)]
        vs = [(p + x, s + y, e + y) for p, s, e in _segments(vertical[region], False)]
        vs = [v for v in vs if _is_ruling(v, horizontal, px_per_pt)]
        grid = _grid(hs, vs, SAME_LINE * px_per_pt)
        if grid is not None:
            grids.append(grid)
    grids.sort(key=lambda g: g.ys[0])
    return grids


def _is_ruling(v: tuple[float, int, int], horizontal: np.ndarray, px_per_pt: float) -> bool:
    """Whether an upright stroke is a table ruling: it runs from one horizontal ruling to another.
    The strokes of characters inside the cells stop short of the rulings."""
    x, top, bottom = v
    d, c = max(2, int(MEETS * px_per_pt)), round(x)

    def meets(y: int) -> bool:
        return bool(horizontal[max(y - d, 0) : y + d + 1, max(c - d, 0) : c + d + 1].any())

    ends, length = meets(top) + meets(bottom), (bottom - top) / px_per_pt
    return ends == 2 or (ends == 1 and length >= FREE_END) or length >= NO_END


def _grid(hs: list[tuple[float, int, int]], vs: list[tuple[float, int, int]], tol: float) -> Grid | None:
    if len(hs) < 1 or len(vs) < 3:
        return None
    ys = _cluster([p for p, _, _ in hs], tol)
    xs = _cluster([p for p, _, _ in vs], tol)
    # A table cut by the page edge or a missing outer ruling still ends where its rulings end.
    top, bottom = min(s for _, s, _ in vs), max(e for _, _, e in vs)
    left, right = min(s for _, s, _ in hs), max(e for _, _, e in hs)
    if ys[0] - top > 2 * tol:
        ys.insert(0, float(top))
        hs.append((float(top), left, right))
    if bottom - ys[-1] > 2 * tol:
        ys.append(float(bottom))
        hs.append((float(bottom), left, right))
    ys = [y for i, y in enumerate(ys) if i == 0 or y - ys[i - 1] > 2 * tol]
    xs = [x for i, x in enumerate(xs) if i == 0 or x - xs[i - 1] > 2 * tol]
    if len(xs) < 3 or len(ys) < 2:
        return None
    rows, cols = len(ys) - 1, len(xs) - 1
    spans = merged_cells(
        rows,
        cols,
        lambda r, c: _coverage(vs, xs[c + 1], ys[r], ys[r + 1], tol) < COVERED,
        lambda r, c: _coverage(hs, ys[r + 1], xs[c], xs[c + 1], tol) < COVERED,
    )
    if rows * cols == len(spans) == 1:
        return None
    return Grid(xs, ys, spans)
