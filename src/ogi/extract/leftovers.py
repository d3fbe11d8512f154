"""What a table's labels did not claim: rows of numbers without a label, and loose cells.

A PDF→text conversion that cannot keep a wrapped label in its table pulls it out as loose lines and
leaves the row's numbers behind, on a grid row or a line of their own, sometimes under a fragment of
the label (``行政机关不再处理其政府信息公 | 40 | 1 | …``). A cell whose own text wrapped
(``22（其中修订 16 件）``) lands outside the table as a line, and its row prints one cell short.
Both are collected here in the order printed, whatever reader produced the document; placing them is
:mod:`ogi.extract.align`'s and :mod:`ogi.extract.loose`'s job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ogi.extract.normalize import fold
from ogi.extract.stream import Piece, Segment, Stream
from ogi.extract.values import is_value_text
from ogi.model import Where

LOOSE_VALUE = re.compile(
    r"^[\s\u3000\xa0]*(?P<number>[+\-]?[\d０-９][\d０-９,，.．]*)[\s\u3000\xa0]*(?P<note>[（(][^（()）]*[)）])?[\s\u3000\xa0]*$"
)
NOTE_ONLY = re.compile(r"^[\s\u3000\xa0]*[（(](?P<note>[^（()）]*)[)）][\s\u3000\xa0]*$")


@dataclass(slots=True)
class NumberRow:
    """A row of numbers no label claimed."""

    start: int
    """Text position of its first segment."""
    fragments: tuple[str, ...]
    """Folded texts printed before the numbers on the same grid row or line: label fragments."""
    pieces: list[Piece]
    """The value pieces, in order."""
    where: Where

    @property
    def printed(self) -> str:
        return " ".join(p.text.strip() or "□" for p in self.pieces)


@dataclass(slots=True)
class LooseCell:
    """One value printed alone on a line (or alone in a grid row), with the note printed with it."""

    start: int
    text: str
    """The value with its note, as one cell's text (``22（其中修订16件）``)."""
    where: Where
    note: str | None


def _groups(stream: Stream, lo: int, hi: int) -> list[list[int]]:
    """Segment indexes between two text positions, one group per grid row or paragraph."""
    out: list[list[int]] = []
    i = stream.index_at(lo)
    if stream.segments and stream.segments[i].end <= lo:
        i += 1
    last: tuple[int, int] | None = None
    while i < len(stream.segments) and stream.segments[i].start < hi:
        seg = stream.segments[i]
        key = (id(seg.table), seg.row) if seg.is_cell else None
        if key is not None and key == last:
            out[-1].append(i)
        else:
            out.append([i])
        last = key
        i += 1
    return out


def _piece(stream: Stream, seg: Segment) -> Piece:
    return Piece(stream.text[seg.start : seg.end], seg.is_cell, seg.where, seg)


def _grid_row(stream: Stream, segs: list[Segment]) -> tuple[list[str], list[Piece]] | None:
    """Leading text cells and the value cells after them (text after the values, a note column,
    is not read)."""
    fragments: list[str] = []
    values: list[Piece] = []
    for seg in segs:
        text = stream.text[seg.start : seg.end]
        if is_value_text(text):
            values.append(_piece(stream, seg))
        elif values:
            break
        else:
            fragments.append(fold(text))
    while values and not values[-1].text.strip():
        values.pop()
    return fragments, values


def _line(stream: Stream, seg: Segment) -> tuple[list[str], list[Piece]] | None:
    """A paragraph as leading text and the run of values that ends it; None when it does not end
    in values."""
    text = stream.text[seg.start : seg.end]
    tokens = [(m.start(), m.group()) for m in re.finditer(r"\S+", text)]
    first = len(tokens)
    while first > 0 and is_value_text(tokens[first - 1][1]) and tokens[first - 1][1].strip():
        first -= 1
    if first == len(tokens):
        return None
    head = fold(text[: tokens[first][0]]) if first else ""
    values = [
        Piece(t, False, Where(page=seg.where.page, line=seg.where.line, char=at + 1), seg) for at, t in tokens[first:]
    ]
    return ([head] if head else []), values


def leftovers(
    stream: Stream, lo: int, hi: int, claimed: set[int], *, min_values: int = 2
) -> tuple[list[NumberRow], list[LooseCell]]:
    """The unclaimed number rows (at least ``min_values`` values) and loose cells between two text
    positions. ``claimed`` holds the segments (by ``id``) that a label or a labelled row's values took."""
    rows: list[NumberRow] = []
    cells: list[LooseCell] = []
    for group in _groups(stream, lo, hi):
        if any(id(stream.segments[i]) in claimed for i in group):
            continue
        segs = [stream.segments[i] for i in group]
        first = segs[0]
        if not first.is_cell:
            text = stream.text[first.start : first.end]
            if m := NOTE_ONLY.match(text):
                if cells and cells[-1].note is None and _next_to(stream, cells[-1], first):
                    last = cells[-1]
                    cells[-1] = LooseCell(last.start, f"{last.text}（{m['note']}）", last.where, m["note"])
                continue
            if m := LOOSE_VALUE.match(text):
                note = m["note"][1:-1] if m["note"] else None
                cells.append(LooseCell(first.start, text.strip(), first.where, note))
                continue
        read = _grid_row(stream, segs) if first.is_cell else _line(stream, first)
        if read is None:
            continue
        fragments, values = read
        numbers = [p for p in values if p.text.strip()]
        if len(numbers) >= min_values:
            rows.append(NumberRow(first.start, tuple(f for f in fragments if f), values, first.where))
        elif len(numbers) == 1 and len(values) == 1 and not fragments and first.is_cell:
            cells.append(LooseCell(first.start, numbers[0].text.strip(), first.where, None))
    return rows, cells


def _next_to(stream: Stream, cell: LooseCell, seg: Segment) -> bool:
    """Whether a note line directly follows a loose value (nothing printed between)."""
    return stream.index_at(seg.start) == stream.index_at(cell.start) + 1
