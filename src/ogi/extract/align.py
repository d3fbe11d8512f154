"""Rows that lost their labels: placed on the template rows left without numbers, by order and the
identities.

The row-level sibling of the digit-run splitter (:mod:`ogi.extract.segment`). Conversions keep a
table's rows in order but not its labels, so:

- **anchors** are the rows whose label is printed with their numbers (same grid row or line), taken
  in template order (the longest run of them that is in order);
- **open rows** are the template rows without numbers: label not found, or printed apart from any
  number (a loose line);
- **orphans** are the number rows no label claimed (:mod:`ogi.extract.leftovers`), with the label
  fragments printed before their numbers.

An orphan between two anchors can only be an open row between them in the template whose label
holds its fragments; a loose label printed between those anchors splits them further (numbers
printed before it belong to it or to a row above, numbers after it to it or a row below) where that
still leaves a way to place every orphan. Every order-preserving placement of an interval's orphans
is one reading of its open rows, and leaving them unplaced is one more reading that costs half a
broken identity: the solver (:mod:`ogi.extract.solve`) takes a placement where it breaks nothing,
and several such placements leave the cells where they differ uncertain. :func:`settle` then keeps
as exact only what an identity linking the row to the rest of the table confirms.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from ogi.extract.leftovers import NumberRow
from ogi.extract.readings import Reading, RowValues
from ogi.extract.solve import Resolved
from ogi.extract.values import Printed
from ogi.model.template import Equation

UNPLACED_COST = 0.5
MAX_PLACEMENTS = 64
MAX_READINGS = 256
FRAGMENT_MIN = 3
FRAGMENT_SCORE = 85.0


@dataclass(frozen=True, slots=True)
class Anchor:
    index: int
    """The row's place in template order."""
    start: int
    """Text position of its label."""


@dataclass(slots=True)
class OpenRow:
    index: int
    row: str
    keys: tuple[str, ...]
    label: str
    """Folded official label with its ordinal."""
    loose_at: int | None = None
    """Text position of its label when printed apart from any number."""
    cost: float = 0.0
    """Added to a placement that uses it: a group's printed subtotal (a local variant) is a less
    likely reading of a group-label row than the group's own first row."""
    reserved: Orphan | None = None
    """Only this orphan may take it (a group subtotal, for the row printed under the group label)."""


@dataclass(slots=True)
class Orphan:
    numbers: NumberRow
    values: RowValues
    group: str | None = None
    """Printed under a group label (``（三）不予公开 | 0 | …``): a row of that group, or its subtotal."""


@dataclass(slots=True)
class Placement:
    """The open rows between two anchors and the orphans printed there: one reading per way of
    placing the orphans, the last one leaving them unplaced."""

    rows: list[OpenRow]
    orphans: list[Orphan]
    readings: list[Reading]
    costs: list[float]
    maps: list[tuple[int, ...] | None]
    """Per reading, the open row (index into ``rows``) each orphan took; None for unplaced."""
    chosen: tuple[int, ...] | None = None
    placed_keys: set[str] = field(default_factory=set)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(k for r in self.rows for k in r.keys)


def backbone(anchors: Sequence[Anchor]) -> list[Anchor]:
    """The longest run of anchors whose template order matches their printed order."""
    ordered = sorted(anchors, key=lambda a: a.start)
    tails: list[int] = []
    tail_at: list[int] = []
    back: list[int] = [-1] * len(ordered)
    for i, a in enumerate(ordered):
        k = bisect.bisect_left(tails, a.index)
        if k == len(tails):
            tails.append(a.index)
            tail_at.append(i)
        else:
            tails[k], tail_at[k] = a.index, i
        back[i] = tail_at[k - 1] if k else -1
    out: list[Anchor] = []
    i = tail_at[-1] if tail_at else -1
    while i >= 0:
        out.append(ordered[i])
        i = back[i]
    return out[::-1]


def informative(fragment: str, labels: Sequence[str]) -> bool:
    """Whether a fragment is a piece of some row label (rather than a group label, header or debris)."""
    return len(fragment) >= FRAGMENT_MIN and any(_holds(label, fragment) for label in labels)


def _holds(label: str, fragment: str) -> bool:
    if fragment in label:
        return True
    return fuzz.partial_ratio(fragment, label) >= FRAGMENT_SCORE if len(fragment) <= len(label) else False


def place(
    anchors: Sequence[Anchor], open_rows: Sequence[OpenRow], orphans: Sequence[Orphan], labels: Sequence[str]
) -> tuple[list[Placement], list[Orphan]]:
    """The placements of ``orphans`` on ``open_rows`` interval by interval, and the orphans that
    cannot be placed at all. ``labels`` are every row label of the table (to tell a label fragment
    from debris)."""
    spine = backbone(anchors)
    starts = [a.start for a in spine]
    by_interval: dict[int, list[Orphan]] = {}
    for o in sorted(orphans, key=lambda o: o.numbers.start):
        by_interval.setdefault(bisect.bisect_left(starts, o.numbers.start), []).append(o)
    placements: list[Placement] = []
    unplaced: list[Orphan] = []
    for k, members in by_interval.items():
        lo = spine[k - 1].index if k > 0 else -1
        hi = spine[k].index if k < len(spine) else 10**9
        start_lo = spine[k - 1].start if k > 0 else -1
        start_hi = spine[k].start if k < len(spine) else 10**12
        rows = [r for r in open_rows if lo < r.index < hi]
        maps = _maps(rows, members, labels, start_lo, start_hi)
        if not maps or len(maps) > MAX_PLACEMENTS:
            unplaced.extend(members)
            continue
        placements.append(_readings(rows, members, maps))
    return placements, unplaced


def _maps(
    rows: list[OpenRow], orphans: list[Orphan], labels: Sequence[str], start_lo: int, start_hi: int
) -> list[tuple[int, ...]]:
    allowed = [_allowed(rows, o, labels) for o in orphans]
    # Loose labels printed between the anchors, in place: numbers before one belong to it or above.
    loose = [(r.loose_at, i) for i, r in enumerate(rows) if r.loose_at is not None and start_lo < r.loose_at < start_hi]
    if loose:
        narrowed = [
            {j for j in a if all((j <= i) if o.numbers.start < at else (j >= i) for at, i in loose)}
            for a, o in zip(allowed, orphans, strict=True)
        ]
        maps = _injections(narrowed, len(rows))
        if maps:
            return maps
    return _injections(allowed, len(rows))


def _allowed(rows: list[OpenRow], orphan: Orphan, labels: Sequence[str]) -> set[int]:
    pieces = [f for f in orphan.numbers.fragments if informative(f, labels)]
    out = set()
    for i, r in enumerate(rows):
        if r.reserved is not None:
            if r.reserved is orphan:
                out.add(i)
        elif (orphan.group is None or r.row.startswith(orphan.group + ".")) and all(_holds(r.label, f) for f in pieces):
            out.add(i)
    return out


def _injections(allowed: list[set[int]], n: int) -> list[tuple[int, ...]]:
    """Every strictly increasing choice of one allowed row per orphan (up to one past the limit)."""
    out: list[tuple[int, ...]] = []
    chosen: list[int] = []

    def dfs(i: int, after: int) -> None:
        if len(out) > MAX_PLACEMENTS:
            return
        if i == len(allowed):
            out.append(tuple(chosen))
            return
        for j in sorted(allowed[i]):
            if j > after and n - j >= len(allowed) - i:
                chosen.append(j)
                dfs(i + 1, j)
                chosen.pop()

    dfs(0, -1)
    return out


def _readings(rows: list[OpenRow], orphans: list[Orphan], maps: list[tuple[int, ...]]) -> Placement:
    widths = [len(r.keys) for r in rows]
    offsets = [sum(widths[:i]) for i in range(len(rows))]
    total = sum(widths)
    readings: list[Reading] = []
    kept_maps: list[tuple[int, ...] | None] = []
    options = [o.values.readings or [Reading((None,) * widths[0])] for o in orphans]
    for m in maps:
        for combo in itertools.islice(itertools.product(*options), MAX_READINGS // max(len(maps), 1) or 1):
            values: list[Printed | None] = [None] * total
            ok = True
            for orphan_reading, j in zip(combo, m, strict=True):
                if len(orphan_reading.values) != widths[j]:
                    ok = False
                    break
                values[offsets[j] : offsets[j] + widths[j]] = orphan_reading.values
            if ok:
                replaced = tuple(offsets[j] + c for r, j in zip(combo, m, strict=True) for c in r.replaced)
                readings.append(Reading(tuple(values), sum(r.score for r in combo), replaced))
                kept_maps.append(m)
    costs = [sum(rows[j].cost for j in m) for m in kept_maps if m is not None]
    readings.append(Reading((None,) * total, -1000.0))
    costs.append(UNPLACED_COST)
    kept_maps.append(None)
    return Placement(list(rows), list(orphans), readings, costs, kept_maps)


def settle(placement: Placement, picks: list[int], cells: dict[str, Resolved], equations: Sequence[Equation]) -> None:
    """After solving: record what was placed, and flag what no identity confirms.

    ``picks`` is the reading the solver took in each kept combination, the primary first. A placement
    is exact only where an identity that ties its row to other rows holds with every term printed;
    a placement the identities reject entirely but the order alone fixes is kept, flagged uncertain,
    so that no printed number is lost and none is shown as sure."""
    chosen = placement.maps[picks[0]]
    if chosen is None:
        only = {m for m in placement.maps if m is not None}
        if len(only) != 1:
            return
        chosen = only.pop()
        reading = placement.readings[placement.maps.index(chosen)]
        for key, printed in zip(placement.keys, reading.values, strict=True):
            if printed is not None:
                was = cells[key].value
                cells[key] = Resolved(printed, printed.value, alternatives=[was if was != printed.value else None])
        placement.chosen = chosen
        placement.placed_keys = {k for j in chosen for k in placement.rows[j].keys}
        return
    placement.chosen = chosen
    placement.placed_keys = {k for j in chosen for k in placement.rows[j].keys}
    for j in chosen:
        row_keys = set(placement.rows[j].keys)
        if not _confirmed(row_keys, cells, equations):
            for key in row_keys:
                cell = cells[key]
                if cell.printed is not None and not cell.alternatives:
                    cell.alternatives = [None]


def _confirmed(row_keys: set[str], cells: dict[str, Resolved], equations: Sequence[Equation]) -> bool:
    for eq in equations:
        keys = set(eq.keys)
        if not keys & row_keys or keys <= row_keys:
            continue
        terms = [cells.get(k) for k in eq.keys]
        if any(t is None or t.value is None or t.inferred_by or t.alternatives for t in terms):
            continue
        lhs = sum(cells[k].value or 0 for k in eq.lhs)
        rhs = sum(cells[k].value or 0 for k in eq.rhs)
        if lhs == rhs:
            return True
    return False
