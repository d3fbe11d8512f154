"""The text layer of one page: each character goes to the table cell under it or to a prose line.

One pass over pdfium's character list. The centre of a character's ink box decides its cell;
prose lines follow pdfium's own line breaks and keep the ink box of their characters, which the
paragraph joiner measures margins and line gaps with. Diagonal text (watermarks, stamps) is
left out: laid over a table it would land in its cells.
"""

from __future__ import annotations

import ctypes
import math

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ogi.readers.pdf.grid import Grid
from ogi.readers.pdf.page import Box, Char, Frame, Line

SLANT = math.radians(5)
"""Text turned further than this from the page's axes is a watermark or a stamp."""


def frame_of(page: pdfium.PdfPage) -> Frame:
    """The page's crop box (its media box where it has none) and rotation."""
    left, bottom, right, top = page.get_cropbox()
    if right < left:
        left, right = right, left
    if top < bottom:
        bottom, top = top, bottom
    return Frame(left, bottom, right, top, page.get_rotation() % 360)


def page_has_text(page: pdfium.PdfPage, textpage: pdfium.PdfTextPage) -> bool:
    """Whether the page has a text layer. A page without one is a scan (or an image of text) and
    needs OCR; so is a page whose few characters (a portal's 「第1页 共5页」 stamp, a watermark) lie
    on an image that covers it."""
    raw = textpage.raw
    printable = 0
    for i in range(pdfium_c.FPDFText_CountChars(raw)):
        code = pdfium_c.FPDFText_GetUnicode(raw, i)
        if code > 32 and not chr(code).isspace():
            printable += 1
            if printable >= STAMP_CHARS:
                return True
    return printable > 0 and not _covered_by_image(page)


STAMP_CHARS = 40
"""A page with fewer characters than this may be a scan with a stamp or watermark on it: a page of
a report that is text has hundreds."""


def _covered_by_image(page: pdfium.PdfPage) -> bool:
    width, height = page.get_width(), page.get_height()
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]):
        left, bottom, right, top = obj.get_bounds()
        if right - left >= 0.6 * width and top - bottom >= 0.6 * height:
            return True
    return False


def read_text(textpage: pdfium.PdfTextPage, frame: Frame, grids: list[Grid]) -> list[Line]:
    """Place every character of the page in a grid cell (``grid.chars``); return the prose lines,
    top to bottom. Spaces inside tables are dropped: cell text takes its spaces from the gaps."""
    boxes = _Boxes(textpage, frame)
    get_unicode, get_angle, raw = pdfium_c.FPDFText_GetUnicode, pdfium_c.FPDFText_GetCharAngle, textpage.raw
    lines: list[Line] = []
    text: list[str] = []
    inks: list[Box] = []

    def close() -> None:
        joined = " ".join("".join(text).split())
        if joined and inks:
            x0, top, x1, bottom = zip(*inks, strict=True)
            lines.append(Line(min(top), max(bottom), min(x0), max(x1), joined))
        text.clear()
        inks.clear()

    for i in range(pdfium_c.FPDFText_CountChars(raw)):
        code = get_unicode(raw, i)
        if code == 10:  # pdfium's line break
            close()
            continue
        if code == 13:
            continue
        ch = chr(code or 32)
        if code > 32 and _slanted(get_angle(raw, i)):
            continue  # a diagonal watermark or stamp: never part of a cell or of the prose
        box = boxes.ink(i)
        if grids and (cell := _locate(grids, box or boxes.loose(i))) is not None:
            if not ch.isspace():
                grid, index = cell
                grid.chars[index].append(boxes.char(i, ch, box))
            continue
        text.append(ch)
        if box is not None and not ch.isspace():
            inks.append(box)
    close()
    lines.sort(key=lambda ln: ln.top)
    return lines


def _slanted(angle: float) -> bool:
    """Whether text at this angle (radians, -1 when unknown) runs neither across nor down the page."""
    if angle < 0:
        return False
    off = angle % (math.pi / 2)
    return SLANT < off < math.pi / 2 - SLANT


def _locate(grids: list[Grid], box: Box | None) -> tuple[Grid, int] | None:
    if box is None:
        return None
    x, y = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    for grid in grids:
        cell = grid.locate(x, y)
        if cell is not None:
            return grid, cell
    return None


class _Boxes:
    """A character's boxes in display coordinates, through reused ctypes buffers.

    The *ink* box (pdfium's char box) always lies inside the cell the character is printed in,
    so it places the character. In its cell, the character's line is its baseline (the same for
    every character of a line, whatever its shape), and its extent across the line is its *font*
    box (pdfium's loose box: the advance, so a gap between two boxes is a real space) — except
    where pdfium gets that box wrong (some vertical labels come out hundreds of points wide),
    where the ink box stands in."""

    def __init__(self, textpage: pdfium.PdfTextPage, frame: Frame) -> None:
        self._raw = textpage.raw
        self._frame = frame
        self._rect = pdfium_c.FS_RECTF()
        self._edges = [ctypes.c_double() for _ in range(4)]
        self._x, self._y = ctypes.c_double(), ctypes.c_double()

    def ink(self, i: int) -> Box | None:
        left, right, bottom, top = self._edges
        if not pdfium_c.FPDFText_GetCharBox(self._raw, i, left, right, bottom, top) or right.value <= left.value:
            return None
        return self._frame.box(left.value, bottom.value, right.value, top.value)

    def loose(self, i: int) -> Box | None:
        r = self._rect
        if not pdfium_c.FPDFText_GetLooseCharBox(self._raw, i, r) or r.right <= r.left:
            return None
        return self._frame.box(r.left, r.bottom, r.right, r.top)

    def char(self, i: int, text: str, ink: Box | None) -> Char:
        """The character as a cell sees it: its extent along the line and its baseline."""
        font = self.loose(i)
        box = font or ink or (0.0, 0.0, 0.0, 0.0)
        if ink is not None and font is not None:
            size = max(ink[2] - ink[0], ink[3] - ink[1])
            centred = font[0] <= (ink[0] + ink[2]) / 2 <= font[2]
            if not centred or font[2] - font[0] > 3 * size + 12:
                box = ink
        if pdfium_c.FPDFText_GetCharOrigin(self._raw, i, self._x, self._y):
            baseline = self._frame.point(self._x.value, self._y.value)[1]
        else:
            baseline = box[3]
        return Char(text, box[0], box[2], baseline)
