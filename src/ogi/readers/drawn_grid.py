"""Tables drawn with lines in plain text: an exact grid, read as one.

w3m's ``-dump`` draws a page's tables with box-drawing characters (``┌─┬┐│├┼┤└┴┘``), pandoc's grid
tables and tabulate's ``grid``/``psql`` formats with ASCII (``+----+``, ``|``, ``+====+``). The
rulings give every column and row boundary, so the cells, merged ones included, are known exactly.

Positions are display columns: a CJK or full-width character takes two (``east_asian_width`` W or
F), everything else one (w3m and pandoc both count the box characters, ambiguous width, as one).
Column boundaries are the junctions of the horizontal rulings; row boundaries are the lines that
draw a horizontal ruling, in full or in part. Two neighbouring positions no ruling separates are
one cell (:func:`ogi.readers.spans.merged_cells`, the rule of the PDF and OCR grids). A drawing
whose rulings disagree (a vertical bar off the column boundaries, a boundary drawn on some lines of
a row and not others, a ruling half drawn) is no grid: :func:`read_grid` returns None and the
lines stay paragraphs.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from itertools import pairwise

from ogi.model import Table, Where
from ogi.readers._util import Placed, expand, join_wrapped
from ogi.readers.spans import merged_cells

HORIZONTAL = set("─━═┄┅┈┉╌╍-=:")
VERTICAL = set("│┃║┆┇┊┋╎╏|")
JUNCTION = {chr(c) for c in range(0x2500, 0x2580)} - HORIZONTAL - VERTICAL | {"+"}
WIDE = ""
"""Stands in the second display column of a wide character."""
RULING = re.compile(r"[┌├┬┼└┴╔╠╦╬╚╩╞╪╒╘╤╧╟╫╓╙╥╨+][─━═=:-]{2,}|[─━═=:-]{2,}[┐┤┬┼┘┴╗╣╦╬╝╩╡╪╕╛╤╧╢╫╖╜╥╨+]")
FULL_RULING = re.compile(r"^\s*[┌├└╔╠╚╞╒╘╟╓╙+][─━═┬┼┴╦╬╩╪╤╧╫╥╨:=+-]+[┐┤┘╗╣╝╡╕╛╢╖╜+]\s*$")
EDGE = re.compile(r"^\s*[│┃║|├┌└╔╠╚╞╒╘╟╓╙+].*[│┃║|┤┐┘╗╣╝╡╕╛╢╖╜+]\s*$")


def display_columns(line: str) -> list[str]:
    """One entry per display column: the character, or :data:`WIDE` in a wide character's second."""
    out: list[str] = []
    for ch in line:
        if unicodedata.combining(ch):
            continue
        out.append(ch)
        if unicodedata.east_asian_width(ch) in ("W", "F"):
            out.append(WIDE)
    return out


def drawn_runs(lines: list[str]) -> list[tuple[int, int]]:
    """``(start, end)`` of each run of lines that draws a table: a full ruling line, lines that
    start and end on a border, and a full ruling line closing it."""
    out = []
    k, n = 0, len(lines)
    while k < n:
        if not FULL_RULING.match(lines[k]):
            k += 1
            continue
        j = k + 1
        while j < n and EDGE.match(lines[j]):
            j += 1
        end = j
        while end > k + 1 and not FULL_RULING.match(lines[end - 1]):
            end -= 1
        if end - k >= 3:
            out.append((k, end))
        k = max(end, k + 1)
    return out


def _join(parts: list[str]) -> str:
    text = ""
    for part in parts:
        if not text:
            text = part
        elif text[-1].isdigit() and part[0].isdigit():
            text += part  # a number wrapped in a narrow column
        else:
            text = join_wrapped(text, part)
    return text


def _segment(cols: list[str], a: int, b: int) -> list[str]:
    return cols[a:b] + [" "] * max(0, b - max(a, len(cols)))


def read_grid(lines: list[str], start: int, end: int, index: int) -> Table | None:
    """The table drawn by ``lines[start:end]``, numbered ``index``; None where the drawing is no
    exact grid. Cells carry their first line (1-based)."""
    grid = [display_columns(lines[k].rstrip()) for k in range(start, end)]
    ruled = [bool(RULING.search(lines[k])) for k in range(start, end)]
    xs: set[int] = set()
    for cols, is_ruling in zip(grid, ruled, strict=True):
        if not is_ruling:
            continue
        for x, ch in enumerate(cols):
            touches = (x > 0 and cols[x - 1] in HORIZONTAL) or (x + 1 < len(cols) and cols[x + 1] in HORIZONTAL)
            if ch in JUNCTION and touches:
                xs.add(x)
    bounds = sorted(xs)
    if len(bounds) < 2:
        return None
    n_cols = len(bounds) - 1
    row_lines = [i for i, r in enumerate(ruled) if r]
    if row_lines[0] != 0 or row_lines[-1] != len(grid) - 1:
        return None

    def kind(cols: list[str], c: int) -> str:
        """``rule``, ``open`` (nothing drawn) or ``text`` for column ``c``'s segment of a line."""
        seg = _segment(cols, bounds[c] + 1, bounds[c + 1])
        drawn = sum(1 for ch in seg if ch in HORIZONTAL)
        if drawn == len(seg):
            return "rule"
        if any("\u2500" <= ch <= "\u257f" or ch == "|" for ch in seg):  # a ruling off the boundaries
            return "bad"
        return "text"

    kinds = [[kind(cols, c) for c in range(n_cols)] for cols in grid]
    if any("bad" in ks for ks in kinds):
        return None
    if any(k != "rule" for k in kinds[0] + kinds[-1]):
        return None
    for cols in grid:
        for x in (bounds[0], bounds[-1]):
            if len(cols) <= x or (cols[x] not in VERTICAL and cols[x] not in JUNCTION):
                return None
    # Rows: the content lines between two ruling lines. tabulate's psql format rules only under the
    # header; each body line is a row there (a header on one line, every body row's first cell printed).
    blocks = [(a + 1, b) for a, b in pairwise(row_lines) if b > a + 1]
    if len(row_lines) == 3 and len(blocks) == 2 and blocks[0][1] - blocks[0][0] == 1:
        body = range(*blocks[1])
        if all(kinds[i][0] == "text" and "".join(grid[i][bounds[0] + 1 : bounds[1]]).strip() for i in body):
            blocks = [blocks[0]] + [(i, i + 1) for i in body]
    if not blocks:
        return None
    n_rows = len(blocks)

    def closed_right(r: int, c: int) -> bool | None:
        a, b = blocks[r]
        x = bounds[c + 1]
        drawn = [x < len(grid[i]) and (grid[i][x] in VERTICAL or grid[i][x] in JUNCTION) for i in range(a, b)]
        return all(drawn) if all(drawn) or not any(drawn) else None

    def closed_below(r: int, c: int) -> bool | None:
        below = blocks[r][1]
        if r + 1 < n_rows and blocks[r + 1][0] != below + 1:
            return True  # psql body lines: each its own row, no ruling between them
        return kinds[below][c] == "rule"

    for r in range(n_rows):
        for c in range(n_cols - 1):
            if closed_right(r, c) is None:
                return None
    spans = merged_cells(n_rows, n_cols, lambda r, c: not closed_right(r, c), lambda r, c: not closed_below(r, c))
    placed, first_line = [], {}
    for s in spans:
        top, bottom = blocks[s.row][0], blocks[s.row + s.rowspan - 1][1]
        a, b = bounds[s.col] + 1, bounds[s.col + s.colspan]
        parts = [(i, "".join(_segment(grid[i], a, b)).strip()) for i in range(top, bottom)]
        if any(kinds[i][c] == "rule" for i in range(top, bottom) for c in range(s.col, s.col + s.colspan)):
            return None  # a ruling inside a merged cell: a partial ruling, no rectangle
        parts = [(i, p) for i, p in parts if p]
        placed.append(Placed(s.row, s.col, s.rowspan, s.colspan, _join([p for _, p in parts])))
        first_line[(s.row, s.col)] = start + 1 + (parts[0][0] if parts else top)
    table = expand(placed, n_rows, index)
    rank = {c: i for i, c in enumerate(sorted({p.col for p in placed}))}  # expand drops empty columns
    lines_at = {(r, rank[c]): line for (r, c), line in first_line.items()}
    for row in table.rows:
        for cell in row:
            origin = cell.origin or (cell.where.row - 1, cell.where.col - 1)
            cell.where = replace(cell.where, line=lines_at.get(origin, start + 1))
    table.where = Where(line=start + 1, table=index)
    return table
