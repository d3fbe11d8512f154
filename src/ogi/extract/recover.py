"""What a PDF→text conversion broke in a table, put back before solving.

:mod:`ogi.extract.tables` reads the rows whose labels it finds with their numbers. A conversion
leaves more behind (see :mod:`ogi.extract.leftovers`): rows of numbers whose labels it pulled out of
the table, a row cut by a page break, a cell moved out of its row. Here they are offered back as
readings for the solver — never as certainties: label-less rows go to :mod:`ogi.extract.align`, loose
cells to :mod:`ogi.extract.loose`, and a cut row gets its continuation as one more reading, its own
readings costing half an identity.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ogi.extract.align import Anchor, OpenRow, Orphan, place
from ogi.extract.leftovers import LooseCell, NumberRow, leftovers
from ogi.extract.locate import Hit
from ogi.extract.loose import ShortRow, fill, short_count
from ogi.extract.normalize import fold
from ogi.extract.readings import RowValues
from ogi.extract.stream import Piece, Stream
from ogi.model import Where
from ogi.model.template import RowSpec

if TYPE_CHECKING:
    from ogi.extract.tables import RowRead, TableRegion, TablesRead

MIN_ROW_VALUES = 3
SUBTOTAL_COST = 0.25
CUT_COST = 0.5


def recover_requests(
    stream: Stream,
    read: list[tuple[int, RowRead]],
    hits: list[Hit | None],
    located: list[tuple[RowSpec | None, str, Hit | None]],
    region: TableRegion,
    values: Callable[[list[Piece]], RowValues],
    out: TablesRead,
) -> None:
    """Table 三's leftovers: loose cells into short rows, cut rows joined, and the rows without a
    label placed (``read`` holds the rows read, each with its place in template order)."""
    table_rows = [rr for _, rr in read]
    claimed = claimed_segments(stream, table_rows)
    lo = _table_start(stream, region, [h.start for h in hits if h])
    numbers, cells = leftovers(stream, stream.to_text(lo), stream.to_text(region.hi), claimed, min_values=1)
    fill_short(table_rows, cells, "requests", out, costs=True)
    starts = sorted(stream.to_text(h.start) for h in hits if h)
    numbers = _continued(stream, table_rows, numbers, starts, values)
    # A row of one or two numbers that continues no row is too little to place as a row.
    orphans = [Orphan(n, values(n.pieces)) for n in numbers if len(n.pieces) >= MIN_ROW_VALUES]
    out.unplaced.extend(Orphan(n, RowValues([])) for n in numbers if len(n.pieces) < MIN_ROW_VALUES)
    reserved = _group_rows(stream, read, orphans)
    anchors = [Anchor(i, stream.to_text(rr.hit.start)) for i, rr in read if rr.values is not None and rr.hit]
    open_rows = [
        OpenRow(i, rr.row, rr.keys, fold(rr.official), stream.to_text(rr.hit.start) if rr.hit else None)
        for i, rr in read
        if rr.values is None and not rr.row.endswith("subtotal")
    ]
    open_rows += reserved
    labels = [fold(spec.official_label) for spec, _, _ in located if spec is not None]
    placements, unplaced = place(anchors, open_rows, orphans, labels)
    out.placements.extend(placements)
    out.unplaced.extend(unplaced)


def claimed_segments(stream: Stream, rows: list[RowRead]) -> set[int]:
    """The segments (by identity) a label or a labelled row's values took."""
    out: set[int] = set()
    for rr in rows:
        if rr.hit is not None:
            first = stream.index_at(stream.to_text(rr.hit.start))
            last = stream.index_at(stream.to_text(rr.hit.end - 1))
            out.update(id(seg) for seg in stream.segments[first : last + 1])
        if rr.values is not None:
            out.update(id(p.segment) for p in rr.values.pieces)
    return out


def fill_short(rows: list[RowRead], cells: list[LooseCell], table: str, out: TablesRead, *, costs: bool) -> None:
    """Loose cells of a table into its rows printed short, in order (see :mod:`ogi.extract.loose`)."""
    short: list[tuple[RowRead, ShortRow]] = []
    for rr in rows:
        if rr.values is None or not rr.columns:
            continue
        n = short_count(rr.values, len(rr.columns))
        if n is not None:
            short.append((rr, ShortRow(rr.columns, rr.values, n)))
    filled = fill([s for _, s in short], cells, keep_unfilled=costs) if cells else None
    if filled is None:
        out.loose_left.extend((table, c) for c in cells)
        return
    for (rr, _), f in zip(short, filled, strict=True):
        assert rr.values is not None
        rr.values.readings = f.readings
        rr.costs = f.costs if costs else None
        rr.filled = f.cells
        placed = "、".join(f"“{c.text}”（{c.where}）" for c in f.cells)
        rr.values.issues = [i for i in rr.values.issues if i[0] != "ROW_SHORT"] + [("CELL_PLACED", placed)]


def _continued(
    stream: Stream,
    rows: list[RowRead],
    numbers: list[NumberRow],
    starts: list[int],
    read: Callable[[list[Piece]], RowValues],
) -> list[NumberRow]:
    """A row cut by a page break: its label and first values on one grid row, the rest on the next
    row of numbers, before any other label. The whole row is one more reading of the short row (its
    own readings, gaps and all, cost half an identity), and the numbers are no orphan."""
    left = list(numbers)
    for rr in rows:
        if rr.values is None or rr.hit is None or rr.filled:
            continue
        n = short_count(rr.values, len(rr.columns))
        if n is None:
            continue
        at = stream.to_text(rr.hit.start)
        nxt = next((s for s in starts if s > at), len(stream.text))
        rest = next((r for r in left if at < r.start < nxt), None)
        if rest is None or rest.fragments or len(rest.pieces) != len(rr.columns) - n:
            continue
        whole = read(rr.values.pieces + rest.pieces)
        if not whole.readings:
            continue
        own = rr.values.readings
        rr.values.readings = whole.readings + own
        rr.costs = [0.0] * len(whole.readings) + [CUT_COST] * len(own)
        joined = f"“{rest.printed}”（{rest.where}）"
        rr.values.issues = [i for i in rr.values.issues if i[0] != "ROW_SHORT"] + [("ROW_CONTINUED", joined)]
        left.remove(rest)
    return left


def _group_rows(stream: Stream, read: list[tuple[int, RowRead]], orphans: list[Orphan]) -> list[OpenRow]:
    """A row printed under its group label only (``（三）不予公开 | 0 | 0 | …``) is the group's
    subtotal (a local variant) — or, where a row of the group has no numbers, that row, its own
    label lost. Such a row becomes an orphan of the group, with the subtotal as a costlier slot."""
    empty = {rr.row.split(".")[0] for _, rr in read if rr.values is None and "." in rr.row}
    out: list[OpenRow] = []
    for i, rr in read:
        group = rr.row.removesuffix(".subtotal")
        if not rr.row.endswith(".subtotal") or rr.values is None or rr.hit is None or group not in empty:
            continue
        numbers = NumberRow(stream.to_text(rr.hit.start), (rr.hit.printed,), rr.values.pieces, rr.where or Where())
        orphan = Orphan(numbers, rr.values, group)
        orphans.append(orphan)
        out.append(OpenRow(i, rr.row, rr.keys, fold(rr.official), cost=SUBTOTAL_COST, reserved=orphan))
        rr.values = None
    return out


def _table_start(stream: Stream, region: TableRegion, starts: list[int]) -> int:
    """Where table 三 begins: its header, its first grid cell or its first row label, whichever
    comes first; the prose before it is not searched for rows of numbers."""
    found = [p for w in ("申请人情况", "本列数据的勾稽关系") if (p := stream.folded.find(w, region.lo, region.hi)) >= 0]
    i = stream.index_at(stream.to_text(region.lo))
    while i < len(stream.segments) and stream.to_folded(stream.segments[i].start) < region.hi:
        if stream.segments[i].is_cell:
            found.append(stream.to_folded(stream.segments[i].start))
            break
        i += 1
    return min([*starts, *found], default=region.lo)
