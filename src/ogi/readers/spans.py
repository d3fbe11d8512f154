"""The cells of a ruled table: neighbouring grid positions merged where no ruling separates them.

One rule for the tables of text PDFs (rulings drawn as vectors) and of scans (rulings found in
the image), so that a merged cell keeps the same spans whichever way the report was printed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(slots=True)
class Span:
    """A cell of the grid: its top-left position and how many rows and columns it covers."""

    row: int
    col: int
    rowspan: int
    colspan: int


class Groups:
    """Union-find over ``0..n-1`` (path halving): which items have been joined, directly or not."""

    def __init__(self, n: int) -> None:
        self._parent = list(range(n))

    def root(self, i: int) -> int:
        parent = self._parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(self, a: int, b: int) -> None:
        self._parent[self.root(a)] = self.root(b)


def merged_cells(
    rows: int, cols: int, open_right: Callable[[int, int], bool], open_below: Callable[[int, int], bool]
) -> list[Span]:
    """The cells of a ``rows`` × ``cols`` grid, top-left first. ``open_right(r, c)`` says that no
    ruling separates position (r, c) from (r, c + 1); ``open_below(r, c)`` the same for (r + 1, c).
    A merged group that is no rectangle (a ruling drawn only in part, or broken by noise) is not one
    cell: each of its positions is a cell of its own, so that no two cells overlap."""
    groups = Groups(rows * cols)
    for r in range(rows):
        for c in range(cols):
            if c + 1 < cols and open_right(r, c):
                groups.join(r * cols + c, r * cols + c + 1)
            if r + 1 < rows and open_below(r, c):
                groups.join(r * cols + c, (r + 1) * cols + c)
    members: dict[int, list[tuple[int, int]]] = {}
    for r in range(rows):
        for c in range(cols):
            members.setdefault(groups.root(r * cols + c), []).append((r, c))
    spans = []
    for positions in members.values():
        r0, r1 = min(r for r, _ in positions), max(r for r, _ in positions)
        c0, c1 = min(c for _, c in positions), max(c for _, c in positions)
        if len(positions) == (r1 - r0 + 1) * (c1 - c0 + 1):
            spans.append(Span(r0, c0, r1 - r0 + 1, c1 - c0 + 1))
        else:
            spans.extend(Span(r, c, 1, 1) for r, c in positions)
    spans.sort(key=lambda s: (s.row, s.col))
    return spans
