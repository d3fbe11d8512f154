"""Split cells that were run together (``21710000218`` for a row of seven cells).

Every split into the row's cells is enumerated — no leading zeros except a lone ``0``, each
piece valid for its column's kind — and a row's own identities (a row total, the appeal group
totals) prune the search as it goes: where a total column comes, only the digits that spell the
sum of its parts are tried, so the enumeration stays small.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ogi.extract.values import CELL_PATTERNS
from ogi.model.template import Kind

NODE_BUDGET = 200_000


@dataclass(frozen=True, slots=True)
class Sum:
    """``cells[result] == sum(cells[i] for i in parts)``."""

    result: int
    parts: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    atomic: bool
    """A whole grid cell: one value, never split."""


class BudgetExceeded(Exception):
    pass


def splits(tokens: list[Token], kinds: list[Kind], sums: list[Sum], *, limit: int = 5000) -> Iterator[list[str]]:
    """Every way to cut ``tokens`` into ``len(kinds)`` cells that satisfies ``sums``.

    Yields the cell texts. Raises :class:`BudgetExceeded` when the search grows past
    :data:`NODE_BUDGET` nodes, so that a pathological blob is flagged instead of hanging.
    """
    k = len(kinds)
    by_result = {s.result: s for s in sums}
    cells: list[str] = [""] * k
    values: list[int | None] = [None] * k
    lengths = [len(t.text) for t in tokens]
    suffix = [0] * (len(tokens) + 1)
    for i in range(len(tokens) - 1, -1, -1):
        suffix[i] = suffix[i + 1] + (1 if tokens[i].atomic else lengths[i])
    nodes = 0
    found = 0

    def rest(ti: int, off: int) -> int:
        if ti >= len(tokens):
            return 0
        head = 1 if tokens[ti].atomic else lengths[ti] - off
        return head + suffix[ti + 1]

    def dfs(ti: int, off: int, col: int) -> Iterator[list[str]]:
        nonlocal nodes, found
        nodes += 1
        if nodes > NODE_BUDGET:
            raise BudgetExceeded
        if col == k:
            if ti == len(tokens):
                found += 1
                yield list(cells)
            return
        if ti >= len(tokens) or rest(ti, off) < k - col:
            return
        tok = tokens[ti]
        if tok.atomic:
            if off == 0:
                cells[col] = tok.text
                values[col] = _int(tok.text)
                if _sum_ok(col, by_result, values):
                    yield from dfs(ti + 1, 0, col + 1)
            return
        text = tok.text
        pattern = CELL_PATTERNS[kinds[col]]
        target = _target(col, by_result, values)
        ends = range(off + 1, len(text) + 1)
        if target is not None:
            spelled = str(target)
            ends = range(off + len(spelled), off + len(spelled) + 1) if text.startswith(spelled, off) else range(0)
        for end in ends:
            piece = text[off:end]
            if not pattern.fullmatch(piece):
                continue
            cells[col] = piece
            values[col] = _int(piece)
            if end == len(text):
                yield from dfs(ti + 1, 0, col + 1)
            else:
                yield from dfs(ti, end, col + 1)
            if found >= limit:
                return

    yield from dfs(0, 0, 0)


def _int(text: str) -> int | None:
    t = text.lstrip("+")
    if t.lstrip("-").isdigit():
        return int(t)
    return None


def _target(col: int, by_result: dict[int, Sum], values: list[int | None]) -> int | None:
    s = by_result.get(col)
    if s is None:
        return None
    parts = [values[i] for i in s.parts]
    if any(v is None for v in parts):
        return None
    return sum(v for v in parts if v is not None)


def _sum_ok(col: int, by_result: dict[int, Sum], values: list[int | None]) -> bool:
    target = _target(col, by_result, values)
    return target is None or values[col] is None or values[col] == target
