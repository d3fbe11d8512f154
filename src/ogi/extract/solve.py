"""Choose among rows' readings with the identities, then fill what the identities force.

1. Every combination of row readings is scored by how many identities it breaks (an identity
   with an unprinted term cannot break); the search keeps the combinations that break the
   fewest, best-scored first.
2. In each kept combination, a cell the document left empty is filled where the identities
   fix it uniquely: the one unknown term of an identity, or all unknown parts of a total whose
   known remainder is 0 (counts are never negative). Filled cells are marked inferred.
3. Where the narrative states a count (``受理申请1295件``), kept combinations that contradict it are
   dropped — unless every one does: the text chooses between readings, it never overrides them.
4. A cell whose final value differs between kept combinations is uncertain; its other values
   are kept as alternatives.
5. A value read by OCR that stands in an identity the chosen values break is uncertain too, with
   the value that would balance it: a misreading and a misprint look the same.

A reader's other texts for a cell (OCR unsure of a digit, :attr:`~ogi.model.GridCell.alternatives`)
are readings like a digit split's: one the identities prefer over the text as recognised is taken,
and marked :attr:`Resolved.ocr_corrected` (found ``OCR_CORRECTED``, never silent); one that does
as well leaves the cell uncertain.

A reading may carry a cost counted like a broken identity: the alignment of label-less rows
(:mod:`ogi.extract.align`) gives "leave the rows unplaced" half an identity, so that a placement
is taken where it breaks nothing and left where it breaks anything.
"""

from __future__ import annotations

from collections.abc import Sequence
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
    costs: list[float] | None = None
    """Per reading, a cost added to the broken identities of any combination that takes it."""

    def cost(self, j: int) -> float:
        return self.costs[j] if self.costs else 0.0


@dataclass(frozen=True, slots=True)
class Witness:
    """A count the narrative states: the cells of one of ``options`` sum to ``value``."""

    options: tuple[tuple[str, ...], ...]
    value: int
    text: str


@dataclass(slots=True)
class Resolved:
    printed: Printed | None
    value: Number | None
    inferred_by: str | None = None
    alternatives: list[Number | None] = field(default_factory=list)
    witnessed: str | None = None
    """The narrative statement that chose this value among the readings the identities left open."""
    ocr_corrected: bool = False
    """The value is one of OCR's other readings of the cell, taken because only it keeps the
    identities the text as recognised breaks (``printed.raw`` is the text as recognised)."""

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
    picks: list[dict[int, int]] = field(default_factory=list)
    """Per kept combination, the reading taken of each row (by its index in the rows given)."""
    exhausted: bool = False
    """The search stopped at its node budget: the combinations are not known to be the best."""


def choose(rows: list[RowChoice], equations: list[Equation]) -> Choice:
    """Combinations of row readings that break the fewest identities.

    An identity is counted as broken as soon as it must be, whatever the rows not yet chosen
    read: every count is non-negative, so each unchosen cell is bounded by the smallest and largest
    value its readings give (an unprinted cell by 0 and infinity). That prunes most of the search
    long before its last row."""
    fixed: dict[str, Printed | None] = {}
    fixed_picks: dict[int, int] = {}
    open_rows: list[RowChoice] = []
    open_at: list[int] = []
    for n, row in enumerate(rows):
        if len(row.readings) == 1:
            fixed.update(zip(row.keys, row.readings[0].values, strict=True))
            fixed_picks[n] = 0
        elif row.readings:
            open_rows.append(row)
            open_at.append(n)
        else:
            fixed.update(dict.fromkeys(row.keys))
    open_keys = [r.keys for r in open_rows]
    if not open_rows:
        return Choice([fixed], open_keys, [fixed_picks])
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
    best: list[tuple[float, float, list[int]]] = []
    best_violations = [float(10**9)]
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

    forced: dict[int, int] = {}
    witness: list[list[int]] = []

    def dfs(i: int, violations: float, score: float) -> None:
        nodes[0] += 1
        if nodes[0] > NODE_BUDGET or violations > best_violations[0] or witness:
            return
        if i == len(open_rows):
            if forced:
                witness.append(list(chosen))
                return
            if violations < best_violations[0]:
                best.clear()
                best_violations[0] = violations
            best.append((violations, score, list(chosen)))
            return
        row = open_rows[i]
        assigned.update(row.keys)
        for j in [forced[i]] if i in forced else range(len(row.readings)):
            reading = row.readings[j]
            for k, p in zip(row.keys, reading.values, strict=True):
                values[k] = _known(p)
            newly = [e for e in touching[i] if broken_at[e] < 0 and must_break(equations[e])]
            for e in newly:
                broken_at[e] = i
            chosen[i] = j
            dfs(i + 1, violations + len(newly) + row.cost(j), score + reading.score)
            for e in newly:
                broken_at[e] = -1
            if witness or (not forced and len(best) >= 4 * MAX_SOLUTIONS and best_violations[0] == 0):
                break
        assigned.difference_update(row.keys)

    dfs(0, 0, 0.0)
    best.sort(key=lambda t: (t[0], -t[1]))
    # The search stops after enough best combinations, and the best-scored of them may all share
    # the first rows' readings: for every other reading of a row that does as well, one combination
    # is kept (found among the others, or searched for on its own), so that a row the identities
    # leave open shows up as uncertain rather than settled by the order of the search.
    ranked = [picks for _, _, picks in best]
    kept = ranked[:1] or [[0] * len(open_rows)]
    if ranked and nodes[0] <= NODE_BUDGET:
        for i, row in enumerate(open_rows):
            for j in range(len(row.readings)):
                if any(picks[i] == j for picks in kept) or nodes[0] > NODE_BUDGET:
                    continue
                found = next((picks for picks in ranked if picks[i] == j), None)
                if found is None:
                    forced[i] = j
                    witness.clear()
                    dfs(0, 0, 0.0)
                    forced.clear()
                    found = witness[0] if witness else None
                if found is not None:
                    kept.append(found)
    kept += [picks for picks in ranked[1:] if picks not in kept][: max(0, MAX_SOLUTIONS - len(kept))]
    out = []
    for picks in kept:
        combo = dict(fixed)
        for row, j in zip(open_rows, picks, strict=True):
            combo.update(zip(row.keys, row.readings[j].values, strict=True))
        out.append(combo)
    all_picks = [fixed_picks | dict(zip(open_at, picks, strict=True)) for picks in kept]
    return Choice(out, open_keys, all_picks, exhausted=nodes[0] > NODE_BUDGET)


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


@dataclass(slots=True)
class Solution:
    cells: dict[str, Resolved]
    picks: list[dict[int, int]]
    """Per kept combination (the primary first), the reading taken of each row."""
    exhausted: bool


def _agrees(cells: dict[str, Resolved], witness: Witness) -> bool | None:
    """Whether a combination says what the witness says; None when it cannot tell (a term unknown)."""
    unknown = False
    for option in witness.options:
        values = [cells[k].value if k in cells else None for k in option]
        if any(v is None for v in values):
            unknown = True
        elif sum(v for v in values if v is not None) == witness.value:
            return True
    return None if unknown else False


def _witnessed(
    finals: list[dict[str, Resolved]], picks: list[dict[int, int]], witnesses: Sequence[Witness]
) -> tuple[list[dict[str, Resolved]], list[dict[int, int]], dict[str, str]]:
    """The combinations the narrative does not contradict (all of them if it contradicts every one),
    and the cells whose value it decided, with the statement that did."""
    kept = list(range(len(finals)))
    decided: dict[str, str] = {}
    for w in witnesses:
        agree = [i for i in kept if _agrees(finals[i], w) is not False]
        if agree and len(agree) < len(kept):
            before, kept = kept, agree
            for k in finals[0]:
                if len({finals[i][k].value for i in before}) > 1 and len({finals[i][k].value for i in kept}) == 1:
                    decided[k] = w.text
    if len(kept) == len(finals):
        return finals, picks, {}
    return [finals[i] for i in kept], [picks[i] for i in kept], decided


def solve(rows: list[RowChoice], equations: list[Equation], witnesses: Sequence[Witness] = ()) -> Solution:
    """Every cell resolved, the readings taken, and whether the search ran out of budget (then every
    cell of a row with several readings is uncertain, its readings' values its alternatives)."""
    choice = choose(rows, equations)
    finals = [infer(c, equations) for c in choice.combos]
    picks = choice.picks
    decided: dict[str, str] = {}
    if witnesses and len(finals) > 1:
        finals, picks, decided = _witnessed(finals, picks, witnesses)
    primary = finals[0]
    for key, cell in primary.items():
        others = {f[key].value for f in finals[1:] if f[key].value != cell.value}
        if others:
            cell.alternatives = sorted(others, key=lambda v: (v is None, v))
        elif key in decided:
            cell.witnessed = decided[key]
    _recognised_in_broken(equations, primary)
    if choice.exhausted:
        readings = {r.keys: r.readings for r in rows}
        for keys in choice.open_keys:
            for c, key in enumerate(keys):
                seen = {_known(rd.values[c]) for rd in readings[keys]} - {primary[key].value}
                if seen:
                    primary[key].alternatives = sorted(
                        set(primary[key].alternatives) | seen, key=lambda v: (v is None, v)
                    )
    _mark_corrected(rows, picks[0] if picks else {}, primary)
    return Solution(primary, picks, choice.exhausted)


def _recognised_in_broken(equations: list[Equation], cells: dict[str, Resolved]) -> None:
    """A broken identity among values read by OCR may be a misreading as well as a misprint, and
    nothing tells which: each recognised term gets the value that would balance it, and is uncertain."""
    for eq in equations:
        terms = [cells.get(k) for k in eq.keys]
        if any(t is None or t.value is None or t.inferred_by for t in terms):
            continue  # an identity with an unknown term cannot break
        lhs = sum(cells[k].value or 0 for k in eq.lhs)
        rhs = sum(cells[k].value or 0 for k in eq.rhs)
        if lhs == rhs:
            continue
        for k in eq.keys:
            cell = cells[k]
            if cell.printed is None or cell.printed.where.confidence is None or cell.value is None:
                continue
            balancing = cell.value + (rhs - lhs if k in eq.lhs else lhs - rhs)
            if balancing >= 0 and balancing != cell.value and balancing not in cell.alternatives:
                cell.alternatives = sorted([*cell.alternatives, balancing], key=lambda v: (v is None, v))


def _mark_corrected(rows: list[RowChoice], picks: dict[int, int], cells: dict[str, Resolved]) -> None:
    """The cells where the primary combination took one of OCR's other readings and nothing else
    does as well (the cell is not uncertain): corrected, to be reported."""
    for n, row in enumerate(rows):
        if n not in picks or not row.readings:
            continue
        for column in row.readings[picks[n]].replaced:
            cell = cells.get(row.keys[column])
            if cell is not None and not cell.alternatives and not cell.inferred_by:
                cell.ocr_corrected = True


def resolve(rows: list[RowChoice], equations: list[Equation]) -> tuple[dict[str, Resolved], bool]:
    """:func:`solve` without witnesses: the cells and whether the search ran out of budget."""
    solution = solve(rows, equations)
    return solution.cells, solution.exhausted
