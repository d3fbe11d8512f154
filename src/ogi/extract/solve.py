"""Choose among rows' readings with the identities, then fill what the identities force.

1. Every combination of row readings is scored by how many identities it breaks (an identity
   with an unprinted term cannot break); the search keeps the combinations that break the
   fewest, best-scored first.
2. In each kept combination, a cell the document left empty is filled where the identities
   fix it uniquely: the one unknown term of an identity, or all unknown parts of a total whose
   known remainder is 0 (counts are never negative). Filled cells are marked inferred.
3. A cell whose final value differs between kept combinations is uncertain; its other values
   are kept as alternatives.
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


def _violated(eq: Equation, values: dict[str, Number | None]) -> bool:
    terms = [values.get(k) for k in eq.keys]
    if any(t is None for t in terms):
        return False
    return sum(values[k] or 0 for k in eq.lhs) != sum(values[k] or 0 for k in eq.rhs)


def choose(rows: list[RowChoice], equations: list[Equation]) -> list[dict[str, Printed | None]]:
    """The kept combinations (best first) as key → printed value."""
    fixed: dict[str, Printed | None] = {}
    open_rows: list[RowChoice] = []
    for row in rows:
        if len(row.readings) == 1:
            fixed.update(zip(row.keys, row.readings[0].values, strict=True))
        elif row.readings:
            open_rows.append(row)
        else:
            fixed.update(dict.fromkeys(row.keys))
    if not open_rows:
        return [fixed]
    row_of = {k: i for i, r in enumerate(open_rows) for k in r.keys}
    # Each identity is checked once, when the last open row it mentions has been chosen.
    due: list[list[Equation]] = [[] for _ in open_rows]
    for eq in equations:
        idx = [row_of[k] for k in eq.keys if k in row_of]
        if idx:
            due[max(idx)].append(eq)
    values: dict[str, Number | None] = {k: _known(p) for k, p in fixed.items()}
    chosen: list[int] = [0] * len(open_rows)
    best: list[tuple[int, float, list[int]]] = []
    best_violations = [10**9]
    nodes = [0]

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
        for j, reading in enumerate(row.readings):
            for k, p in zip(row.keys, reading.values, strict=True):
                values[k] = _known(p)
            broken = sum(1 for eq in due[i] if _violated(eq, values))
            chosen[i] = j
            dfs(i + 1, violations + broken, score + reading.score)
            if len(best) >= 4 * MAX_SOLUTIONS and best_violations[0] == 0:
                return

    dfs(0, 0, 0.0)
    best.sort(key=lambda t: (t[0], -t[1]))
    out = []
    for _, _, picks in best[:MAX_SOLUTIONS]:
        combo = dict(fixed)
        for row, j in zip(open_rows, picks, strict=True):
            combo.update(zip(row.keys, row.readings[j].values, strict=True))
        out.append(combo)
    return out or [fixed]


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
    return cells


def resolve(rows: list[RowChoice], equations: list[Equation]) -> dict[str, Resolved]:
    combos = choose(rows, equations)
    finals = [infer(c, equations) for c in combos]
    primary = finals[0]
    for key, cell in primary.items():
        others = {f[key].value for f in finals[1:] if f[key].value != cell.value}
        if others:
            cell.alternatives = sorted(others, key=lambda v: (v is None, v))
    return primary
