"""Choose among rows' readings with the identities, then fill what the identities force.

1. Every combination of row readings is scored by how many identities it breaks (an identity
   with an unprinted term cannot break); the search keeps the combinations that break the
   fewest, best-scored first.
2. In each kept combination, a cell the document left empty is filled where the identities
   fix it uniquely: the one unknown term of an identity, or all unknown parts of a total whose
   known remainder is 0 (counts are never negative). Filled cells are marked inferred.
3. A cell whose final value differs between kept combinations is uncertain; its other values
   are kept as alternatives. So is a cell that a reader's alternative text (OCR unsure of a digit)
   would change without breaking any identity the chosen values keep, or that stands in an
   identity the chosen values break: the search keeps only the best few combinations, and a
   value that no identity settles must never pass as certain. A value read by OCR in a broken
   identity is uncertain too, with the value that would balance it: a misreading and a misprint
   look the same.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ogi.extract.readings import Reading
from ogi.extract.values import Printed
from ogi.model.report import Number
from ogi.model.template import Equation

MAX_SOLUTIONS = 16
NODE_BUDGET = 100_000


@dataclass(slots=True)
class RowChoice:
    keys: tuple[str, ...]
    readings: list[Reading]


@dataclass(slots=True)
class Resolved:
    printed: Printed | None
    value: Number | None
    inferred_by: str | None = None
    alternatives: list[Number | None] = field(default_factory=list)

    @property
    def uncertain(self) -> bool:
        return bool(self.alternatives)


def _known(printed: Printed | None) -> Number | None:
    return printed.value if printed is not None else None


INF = float("inf")


@dataclass(slots=True)
class Choice:
    combos: list[dict[str, Printed | None]]
    """Kept combinations, best first, as key → printed value."""
    open_keys: list[tuple[str, ...]]
    """The keys of the rows that had more than one reading."""
    exhausted: bool = False
    """The search stopped at its node budget: the combinations are not known to be the best."""


def choose(rows: list[RowChoice], equations: list[Equation]) -> Choice:
    """Combinations of row readings that break the fewest identities.

    An identity is counted as broken as soon as it must be, whatever the rows not yet chosen
    read: every count is non-negative, so each unchosen cell is bounded by the smallest and largest
    value its readings give (an unprinted cell by 0 and infinity). That prunes most of the search
    long before its last row."""
    fixed: dict[str, Printed | None] = {}
    open_rows: list[RowChoice] = []
    for row in rows:
        if len(row.readings) == 1:
            fixed.update(zip(row.keys, row.readings[0].values, strict=True))
        elif row.readings:
            open_rows.append(row)
        else:
            fixed.update(dict.fromkeys(row.keys))
    open_keys = [r.keys for r in open_rows]
    if not open_rows:
        return Choice([fixed], open_keys)
    row_of = {k: i for i, r in enumerate(open_rows) for k in r.keys}
    span: dict[str, tuple[float, float]] = {}
    for r in open_rows:
        for c, k in enumerate(r.keys):
            vals = [_known(rd.values[c]) for rd in r.readings]
            span[k] = (0.0, INF) if any(v is None for v in vals) else (float(min(vals)), float(max(vals)))  # type: ignore[type-var, arg-type]
    touching: list[list[int]] = [[] for _ in open_rows]
    for e, eq in enumerate(equations):
        for i in sorted({row_of[k] for k in eq.keys if k in row_of}):
            touching[i].append(e)
    values: dict[str, Number | None] = {k: _known(p) for k, p in fixed.items()}
    assigned: set[str] = set(fixed)
    broken_at = [-1] * len(equations)
    chosen: list[int] = [0] * len(open_rows)
    best: list[tuple[int, float, list[int]]] = []
    best_violations = [10**9]
    nodes = [0]

    def bounds(keys: tuple[str, ...]) -> tuple[float, float]:
        lo = hi = 0.0
        for k in keys:
            if k in assigned:
                v = values.get(k)
                if v is None:
                    hi = INF
                else:
                    lo += float(v)
                    hi += float(v)
            else:
                a, b = span.get(k, (0.0, INF))
                lo += a
                hi += b
        return lo, hi

    def must_break(eq: Equation) -> bool:
        l_lo, l_hi = bounds(eq.lhs)
        r_lo, r_hi = bounds(eq.rhs)
        return l_hi < r_lo or r_hi < l_lo

    def dfs(i: int, violations: int, score: float) -> None:
        nodes[0] += 1
        if nodes[0] > NODE_BUDGET or violations > best_violations[0]:
            return
        if i == len(open_rows):
            if violations < best_violations[0]:
                best.clear()
                best_violations[0] = violations
            best.append((violations, score, list(chosen)))
            return
        row = open_rows[i]
        assigned.update(row.keys)
        for j, reading in enumerate(row.readings):
            for k, p in zip(row.keys, reading.values, strict=True):
                values[k] = _known(p)
            newly = [e for e in touching[i] if broken_at[e] < 0 and must_break(equations[e])]
            for e in newly:
                broken_at[e] = i
            chosen[i] = j
            dfs(i + 1, violations + len(newly), score + reading.score)
            for e in newly:
                broken_at[e] = -1
            if len(best) >= 4 * MAX_SOLUTIONS and best_violations[0] == 0:
                break
        assigned.difference_update(row.keys)

    dfs(0, 0, 0.0)
    best.sort(key=lambda t: (t[0], -t[1]))
    out = []
    for _, _, picks in best[:MAX_SOLUTIONS]:
        combo = dict(fixed)
        for row, j in zip(open_rows, picks, strict=True):
            combo.update(zip(row.keys, row.readings[j].values, strict=True))
        out.append(combo)
    if not out:
        first = dict(fixed)
        for row in open_rows:
            first.update(zip(row.keys, row.readings[0].values, strict=True))
        out.append(first)
    return Choice(out, open_keys, exhausted=nodes[0] > NODE_BUDGET)


def infer(combo: dict[str, Printed | None], equations: list[Equation]) -> dict[str, Resolved]:
    """Fill the empty cells that the identities force."""
    cells = {k: Resolved(p, _known(p)) for k, p in combo.items()}
    changed = True
    while changed:
        changed = False
        for eq in equations:
            if any(k not in cells for k in eq.keys):
                continue
            unknown = [k for k in eq.keys if cells[k].value is None]
            if not unknown:
                continue
            lhs_known = sum(cells[k].value or 0 for k in eq.lhs)
            rhs_known = sum(cells[k].value or 0 for k in eq.rhs)
            if len(unknown) == 1:
                k = unknown[0]
                value = rhs_known - lhs_known if k in eq.lhs else lhs_known - rhs_known
                if value >= 0:
                    cells[k].value = value
                    cells[k].inferred_by = eq.rule
                    changed = True
                continue
            for side, other in ((eq.lhs, rhs_known - lhs_known), (eq.rhs, lhs_known - rhs_known)):
                side_unknown = [k for k in unknown if k in side]
                if side_unknown and len(side_unknown) == len(unknown) and other == 0:
                    for k in side_unknown:
                        cells[k].value = 0
                        cells[k].inferred_by = eq.rule
                    changed = True
    _undo_contradicted(cells, equations)
    return cells


def _undo_contradicted(cells: dict[str, Resolved], equations: list[Equation]) -> None:
    """A value one identity forces but another contradicts was not forced uniquely: it goes back
    to unknown, and the contradiction among the printed values is left for the checks to report."""
    for eq in equations:
        terms = [cells.get(k) for k in eq.keys]
        if any(t is None or t.value is None for t in terms) or not any(t.inferred_by for t in terms if t):
            continue
        lhs = sum(cells[k].value or 0 for k in eq.lhs)
        rhs = sum(cells[k].value or 0 for k in eq.rhs)
        if lhs != rhs:
            for t in terms:
                if t is not None and t.inferred_by:
                    t.value, t.inferred_by = None, None


def _holds(eq: Equation, values: dict[str, Number | None]) -> bool:
    terms = [values.get(k) for k in eq.keys]
    if any(v is None for v in terms):
        return True  # an identity with an unknown term cannot break
    return sum(values[k] or 0 for k in eq.lhs) == sum(values[k] or 0 for k in eq.rhs)


def _unsettled(rows: list[RowChoice], equations: list[Equation], cells: dict[str, Resolved]) -> None:
    """Add, as alternatives, the values of the readings built from a reader's alternative texts
    that keep each identity the chosen values keep (the other rows as chosen, inferred cells as
    unknown); and, for a cell in an identity the chosen values break, every value its readings give."""
    chosen = {k: (None if c.inferred_by else c.value) for k, c in cells.items()}
    kept = [eq for eq in equations if _holds(eq, chosen)]
    in_broken = {k for eq in equations if not _holds(eq, chosen) for k in eq.keys}
    for row in rows:
        touching = [eq for eq in kept if any(k in row.keys for k in eq.keys)]
        for reading in row.readings:
            if not reading.from_alternatives:
                continue
            trial = dict(chosen)
            trial.update((k, _known(p)) for k, p in zip(row.keys, reading.values, strict=True))
            # A gap where a value was chosen would keep every identity only by leaving it open.
            gaps = any(trial[k] is None and chosen.get(k) is not None for k in row.keys)
            settled = gaps or not all(_holds(eq, trial) for eq in touching)
            for k in row.keys:
                cell = cells.get(k)
                if cell is None or cell.inferred_by:
                    continue
                if not settled or k in in_broken:
                    _add(cell, trial[k])
    for eq in equations:
        if not _holds(eq, chosen):
            _recognised_in_broken(eq, chosen, cells)


def _add(cell: Resolved, value: Number | None) -> None:
    if value != cell.value and value not in cell.alternatives:
        cell.alternatives = sorted([*cell.alternatives, value], key=lambda v: (v is None, v))


def _recognised_in_broken(eq: Equation, chosen: dict[str, Number | None], cells: dict[str, Resolved]) -> None:
    """A broken identity among values read by OCR may be a misreading as well as a misprint, and
    nothing tells which: each recognised term gets the value that would balance it, and is uncertain."""
    lhs = sum(chosen[k] or 0 for k in eq.lhs)
    rhs = sum(chosen[k] or 0 for k in eq.rhs)
    for k in eq.keys:
        cell = cells[k]
        if cell.printed is None or cell.printed.where.confidence is None or cell.value is None:
            continue
        balancing = cell.value + (rhs - lhs if k in eq.lhs else lhs - rhs)
        if balancing >= 0:
            _add(cell, balancing)


def resolve(rows: list[RowChoice], equations: list[Equation]) -> tuple[dict[str, Resolved], bool]:
    """Every cell resolved, and whether the search ran out of budget (then every cell of a row
    with several readings is uncertain, its readings' values its alternatives)."""
    choice = choose(rows, equations)
    finals = [infer(c, equations) for c in choice.combos]
    primary = finals[0]
    for key, cell in primary.items():
        others = {f[key].value for f in finals[1:] if f[key].value != cell.value}
        if others:
            cell.alternatives = sorted(others, key=lambda v: (v is None, v))
    _unsettled(rows, equations, primary)
    if choice.exhausted:
        readings = {r.keys: r.readings for r in rows}
        for keys in choice.open_keys:
            for c, key in enumerate(keys):
                seen = {_known(rd.values[c]) for rd in readings[keys]} - {primary[key].value}
                if seen:
                    primary[key].alternatives = sorted(
                        set(primary[key].alternatives) | seen, key=lambda v: (v is None, v)
                    )
    return primary, choice.exhausted
