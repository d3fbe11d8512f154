"""Table rulings of one page, from its vector paths.

Word, WPS and LibreOffice draw a table's borders as stroked lines; browsers (Skia) as thin
filled rectangles, one per cell side. Both become :class:`Ruling` objects: a stroked path gives
every straight, axis-parallel segment it draws, a filled one counts only where it is thin. A
filled shape that is not thin is shading (Word paints a white box behind every line of some
documents): its edges would turn prose into one-column tables, so it is skipped. Rulings of one
line are then snapped together (a border drawn twice, or as a double line) and joined where a
border is drawn cell by cell.

Paths are read through pdfium's raw API, page object by page object, descending into form
XObjects with their matrices: the helper classes cost more than the reading itself.
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterator

import pypdfium2.raw as pdfium_c

from ogi.readers.pdf.page import Frame, Ruling

THIN = 3.0
"""A filled shape at most this thick (points) is a line."""
MIN_LENGTH = 3.0
"""Shorter marks are dots and glyph parts, not rulings."""
TOLERANCE = 3.0
"""Points within which two rulings are the same line, or two pieces of one line meet."""
SLANT = 0.5
"""How far (points) a segment's ends may differ across its axis and still count as straight."""
MAX_DEPTH = 8

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def find_rulings(page: object, frame: Frame) -> tuple[list[Ruling], list[Ruling]]:
    """The page's (horizontal, vertical) rulings in display coordinates, snapped and joined.
    ``page`` is the raw pdfium page handle."""
    horizontal: list[Ruling] = []
    vertical: list[Ruling] = []
    reader = _PathReader(frame, horizontal, vertical)
    for obj, parent in _paths(page):
        reader.add(obj, parent)
    return merge(horizontal), merge(vertical)


def _paths(page: object) -> Iterator[tuple[object, Matrix | None]]:
    """Every path object of the page with the matrix of the form XObjects around it (None on the
    page itself)."""
    stack: list[tuple[object, bool, Matrix | None, int]] = [(page, False, None, 0)]
    matrix = pdfium_c.FS_MATRIX()
    while stack:
        holder, is_form, parent, depth = stack.pop()
        count = pdfium_c.FPDFFormObj_CountObjects(holder) if is_form else pdfium_c.FPDFPage_CountObjects(holder)
        get = pdfium_c.FPDFFormObj_GetObject if is_form else pdfium_c.FPDFPage_GetObject
        for i in range(max(count, 0)):
            obj = get(holder, i)
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
                yield obj, parent
            elif kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth < MAX_DEPTH:
                if not pdfium_c.FPDFPageObj_GetMatrix(obj, matrix):
                    continue
                own = (matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f)
                stack.append((obj, True, own if parent is None else compose(own, parent), depth + 1))


def compose(inner: Matrix, outer: Matrix) -> Matrix:
    """The matrix applying ``inner`` first, then ``outer``."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


class _PathReader:
    """Turns path objects into rulings; reuses its ctypes buffers across calls."""

    def __init__(self, frame: Frame, horizontal: list[Ruling], vertical: list[Ruling]) -> None:
        self.frame = frame
        self.horizontal = horizontal
        self.vertical = vertical
        self._fill = ctypes.c_int()
        self._stroke = ctypes.c_int()
        self._bounds = [ctypes.c_float() for _ in range(4)]
        self._x = ctypes.c_float()
        self._y = ctypes.c_float()
        self._matrix = pdfium_c.FS_MATRIX()

    def add(self, obj: object, parent: Matrix | None) -> None:
        if not pdfium_c.FPDFPath_GetDrawMode(obj, self._fill, self._stroke):
            return
        filled, stroked = self._fill.value != pdfium_c.FPDF_FILLMODE_NONE, bool(self._stroke.value)
        if not (filled or stroked):
            return  # a clipping path: nothing is painted
        left, bottom, right, top = self._bounds
        if not pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
            return
        corners = [(left.value, bottom.value), (right.value, top.value)]
        if parent is not None:
            corners += [(left.value, top.value), (right.value, bottom.value)]
            corners = [apply(parent, x, y) for x, y in corners]
        box = self._display_box(corners)
        if min(box[2] - box[0], box[3] - box[1]) <= THIN:
            # Most rulings are one line or one thin rectangle: the bounds say it all.
            self._ruling(box)
        elif stroked or pdfium_c.FPDFPath_CountSegments(obj) > 5:
            # A filled shape of one subpath (a rectangle: 4 or 5 segments) that is not thin is shading.
            self._segments(obj, parent, filled, stroked)

    def _display_box(self, points: list[tuple[float, float]]) -> tuple[float, float, float, float]:
        shown = [self.frame.point(x, y) for x, y in points]
        xs, ys = [p[0] for p in shown], [p[1] for p in shown]
        return min(xs), min(ys), max(xs), max(ys)

    def _ruling(self, box: tuple[float, float, float, float]) -> None:
        x0, top, x1, bottom = box
        if max(x1 - x0, bottom - top) < MIN_LENGTH:
            return
        if x1 - x0 >= bottom - top:
            self.horizontal.append(Ruling((top + bottom) / 2, x0, x1))
        else:
            self.vertical.append(Ruling((x0 + x1) / 2, top, bottom))

    def _segments(self, obj: object, parent: Matrix | None, filled: bool, stroked: bool) -> None:
        """A bigger path, segment by segment: a stroked one gives its straight axis-parallel
        segments, a filled one each of its subpaths that is thin."""
        if not pdfium_c.FPDFPageObj_GetMatrix(obj, self._matrix):
            return
        m = self._matrix
        matrix: Matrix = (m.a, m.b, m.c, m.d, m.e, m.f)
        if parent is not None:
            matrix = compose(matrix, parent)
        subpaths: list[list[tuple[float, float]]] = []
        lines: list[tuple[tuple[float, float], tuple[float, float]]] = []
        start = prev = (0.0, 0.0)
        curve_points = 0
        for i in range(pdfium_c.FPDFPath_CountSegments(obj)):
            seg = pdfium_c.FPDFPath_GetPathSegment(obj, i)
            if not pdfium_c.FPDFPathSegment_GetPoint(seg, self._x, self._y):
                continue
            point = self.frame.point(*apply(matrix, self._x.value, self._y.value))
            kind = pdfium_c.FPDFPathSegment_GetType(seg)
            if kind == pdfium_c.FPDF_SEGMENT_MOVETO or not subpaths:
                subpaths.append([point])
                start = point
            else:
                subpaths[-1].append(point)
                if kind == pdfium_c.FPDF_SEGMENT_LINETO:
                    lines.append((prev, point))
                else:  # a Bézier curve comes as three points; only its end continues the path
                    curve_points += 1
                    if curve_points % 3:
                        continue
            prev = point
            if pdfium_c.FPDFPathSegment_GetClose(seg):
                lines.append((point, start))
                prev = start
        if stroked:
            for (ax, ay), (bx, by) in lines:
                if abs(ay - by) <= SLANT or abs(ax - bx) <= SLANT:
                    self._ruling((min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)))
        elif filled:
            for points in subpaths:
                box = self._bbox(points)
                if min(box[2] - box[0], box[3] - box[1]) <= THIN:
                    self._ruling(box)

    @staticmethod
    def _bbox(points: list[tuple[float, float]]) -> tuple[float, float, float, float]:
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        return min(xs), min(ys), max(xs), max(ys)


def merge(rulings: list[Ruling]) -> list[Ruling]:
    """Snap rulings lying within :data:`TOLERANCE` of each other to their mean position, then join
    the pieces of each line that meet or overlap."""
    out: list[Ruling] = []
    rulings = sorted(rulings, key=lambda r: r.at)
    i = 0
    while i < len(rulings):
        j = i + 1
        while j < len(rulings) and rulings[j].at - rulings[j - 1].at <= TOLERANCE:
            j += 1
        group = sorted(rulings[i:j], key=lambda r: r.start)
        at = sum(r.at for r in group) / len(group)
        start, end = group[0].start, group[0].end
        for r in group[1:]:
            if r.start <= end + TOLERANCE:
                end = max(end, r.end)
                continue
            out.append(Ruling(at, start, end))
            start, end = r.start, r.end
        out.append(Ruling(at, start, end))
        i = j
    return [r for r in out if r.length >= MIN_LENGTH]
