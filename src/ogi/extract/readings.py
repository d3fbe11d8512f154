"""A row's printed values → its possible readings.

A grid row whose cells line up with the template has one reading. A row of run-together
digits, a row with more cells than columns (a converter split a merged cell, or a stray
number), or a row whose columns a converter shifted has several; each reading keeps every
value as printed, and the solver picks among them with the identities. Nothing here guesses a
value that was not printed.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import TypeVar

from ogi.extract.segment import BudgetExceeded, Sum, Token, splits
from ogi.extract.stream import Piece
from ogi.extract.values import WIDTH, Printed, is_value_text, parse_cell, parse_piece
from ogi.model import Where
from ogi.model.report import Number
from ogi.model.template import Kind

ITEM_NUMBER = re.compile(r"(?:^|[\s\u3000\xa0])(\d{1,2}[.．、])(?=[\u4e00-\u9fff])")
"""A label's item number, written against its text (``5.要求行政机关…``, ``2、重复申请``)."""
VALUE_RUN = re.compile(
    r"^[\s\u3000\xa0]*((?:[+\-−]?\d[\d.,]*(?:万元|元)?|[/／]|[—－]+|无(?![\u4e00-\u9fff]))"
    r"(?:[\s\u3000\xa0]*(?:[+\-−]?\d[\d.,]*(?:万元|元)?|[/／]|[—－]+|无(?![\u4e00-\u9fff])))*)"
)
MAX_ALTERNATIVES = 50
T = TypeVar("T")


@dataclass(slots=True)
class Reading:
    values: tuple[Printed | None, ...]
    """One per column; None where the row printed nothing for that column."""
    score: float = 0.0
    replaced: tuple[int, ...] = ()
    """The columns whose value is another text the reader gave as possible for the cell
    (:attr:`~ogi.model.GridCell.alternatives`: OCR unsure of a digit); their ``raw`` stays the
    text as recognised."""


@dataclass(slots=True)
class RowValues:
    readings: list[Reading]
    issues: list[tuple[str, str]] = field(default_factory=list)
    """(rule, detail) pairs for the checks: extra values, row cut short, unsplittable blob."""
    junk: list[Piece] = field(default_factory=list)
    blob: str | None = None
    pieces: list[Piece] = field(default_factory=list)
    """The value pieces the readings were made from."""


def split_value_text(pieces: list[Piece]) -> tuple[list[Piece], list[Piece]]:
    """The value pieces of a row, and the trailing text that is not a value (headers, notes).

    A grid cell that is not a value but stands before a value keeps its place (it is an unreadable
    cell, not junk), so the values after it do not shift left; a cell holding several numbers apart
    (``0 33 0``) is several cells."""
    cells: list[Piece] = []
    junk: list[Piece] = []
    for p in pieces:
        if junk and not p.is_cell:
            junk.append(p)
            continue
        if p.is_cell:
            tokens = p.text.split()
            if len(tokens) > 1 and all(is_value_text(t) for t in tokens):
                cells.extend(Piece(t, True, p.where, p.segment) for t in tokens)
            else:
                cells.append(p)
            continue
        m = VALUE_RUN.match(p.text)
        run = m.group(0) if m else ""
        if run and (item := ITEM_NUMBER.search(p.text, 0, len(run) + 2)):
            run = run[: item.start(1)]  # ``5.要求…``: the next label's item number, not a value
        if run.strip():
            cells.append(Piece(run, False, p.where, p.segment))
        tail = p.text[len(run) :]
        if tail.strip():
            junk.append(Piece(tail, False, _shift(p.where, len(run)), p.segment))
    is_value = [not p.is_cell or is_value_text(p.text) for p in cells]
    last = max((i for i, v in enumerate(is_value) if v), default=-1)
    return cells[: last + 1], cells[last + 1 :] + junk


def _shift(where: Where, by: int) -> Where:
    if where.char is None:
        return where
    return Where(page=where.page, line=where.line, char=where.char + by)


def row_values(
    pieces: list[Piece], kinds: list[Kind], sums: list[Sum], *, header_cols: dict[int, int] | None = None
) -> RowValues:
    """All readings of one row's value pieces for columns of ``kinds``."""
    values, junk = split_value_text(pieces)
    if all(p.is_cell for p in values):
        rv = _grid_readings(values, kinds, header_cols)
    else:
        rv = _stream_readings(values, kinds, sums)
    _add_alternatives(rv, values, kinds)
    rv.junk = junk
    rv.pieces = values
    return rv


def _cell_alternatives(p: Piece) -> tuple[str, ...]:
    seg = p.segment
    if not p.is_cell or seg.table is None:
        return ()
    cell = seg.table.rows[seg.row][seg.col]
    return cell.alternatives if cell.alternatives and p.text.strip() == cell.text.strip() else ()


def _add_alternatives(rv: RowValues, cells: list[Piece], kinds: list[Kind]) -> None:
    """The other texts a reader considers possible for a cell (OCR unsure of a digit) become more
    readings of the row, with one or two cells changed and a lower score than the reading as
    recognised, so that the identities choose among them as they choose among digit splits."""
    alternatives = {p.where: alts for p in cells if (alts := _cell_alternatives(p))}
    if not alternatives:
        return
    extra: list[Reading] = []
    for reading in rv.readings:
        changes = [
            (i, rank, replace(alt, raw=v.raw))  # the text as recognised stays the cell's raw text
            for i, v in enumerate(reading.values)
            if v is not None and v.where in alternatives
            for rank, text in enumerate(alternatives[v.where])
            if (alt := parse_cell(text, kinds[i], v.where)) is not None and alt.value not in (None, v.value)
        ]
        for n in (1, 2):
            for combo in itertools.combinations(changes, n):
                if len({i for i, _, _ in combo}) < n:
                    continue
                values = list(reading.values)
                for i, _, alt in combo:
                    values[i] = alt
                penalty = sum(1 + rank / 100 for _, rank, _ in combo)
                replaced = tuple(i for i, _, _ in combo)
                extra.append(replace(reading, values=tuple(values), score=reading.score - penalty, replaced=replaced))
    extra.sort(key=lambda r: -r.score)
    rv.readings = _dedupe(rv.readings + extra[:MAX_ALTERNATIVES])


def _typed(p: Piece, kind: Kind) -> Printed:
    printed = parse_cell(p.text, kind, p.where)
    return printed if printed is not None else Printed(None, "text", p.text, p.where)


def _grid_readings(cells: list[Piece], kinds: list[Kind], header_cols: dict[int, int] | None) -> RowValues:
    k, n = len(kinds), len(cells)
    if n == k:
        readings = [Reading(tuple(_typed(p, kinds[i]) for i, p in enumerate(cells)))]
        trailing = next((i for i, p in enumerate(reversed(cells)) if p.text.strip()), n)
        table = cells[0].segment.table
        if 0 < trailing < n and table is not None and not table.exact_columns:
            # A converter's trailing tab or pipe is weak evidence of a blank cell: the row may as
            # well be cut short with its gap elsewhere. The identities choose.
            for r in _short(cells[: n - trailing], kinds, _typed):
                readings.append(Reading(r.values, r.score - 1))
        return RowValues(_dedupe(readings))
    if n < k:
        return RowValues(_gaps_anywhere(_short(cells, kinds, _typed), cells, kinds), [("ROW_SHORT", f"{n}/{k}")])
    blank = [not p.text.strip() for p in cells]
    options: list[list[Piece]] = []
    if header_cols:
        placed = [p for p in cells if p.segment.col in header_cols]
        if len(placed) == k and all(blank[i] for i, p in enumerate(cells) if p.segment.col not in header_cols):
            options.append(sorted(placed, key=lambda p: header_cols[p.segment.col]))
    excess = n - k
    for lead in range(excess + 1):
        trail = excess - lead
        dropped = list(range(lead)) + list(range(n - trail, n))
        if all(blank[i] for i in dropped):
            cand = cells[lead : n - trail]
            if all(cand is not o and [c.where for c in cand] != [x.where for x in o] for o in options):
                options.append(cand)
    issues: list[tuple[str, str]] = []
    if not options:
        issues.append(("EXTRA_VALUES", f"{n}/{k}"))
        for drop in itertools.islice(_drops(blank, excess), MAX_ALTERNATIVES):
            options.append([c for i, c in enumerate(cells) if i not in drop])
    elif len(options) > 1:
        issues.append(("COLUMNS_SHIFTED", f"{n}/{k}"))
    readings = [Reading(tuple(_typed(p, kinds[i]) for i, p in enumerate(opt))) for opt in options]
    return RowValues(_gaps_anywhere(_dedupe(readings), cells, kinds), issues)


def _gaps_anywhere(readings: list[Reading], cells: list[Piece], kinds: list[Kind]) -> list[Reading]:
    """A row of a converted table (columns guessed, not drawn) whose cells do not line up with the
    columns and that prints fewer values than it has columns: its blank cells are as likely a
    converter's padding (a label's span, a stray tab) as the places of its missing values, so every
    place of the gaps among the printed values is a reading too, below the row as laid out. The
    identities choose; where they cannot, the cells that differ stay uncertain — such a row is
    never placed on its blanks' word."""
    table = cells[0].segment.table if cells else None
    printed = [p for p in cells if p.text.strip()]
    if table is None or table.exact_columns or not printed or len(printed) >= len(kinds):
        return readings
    below = min((r.score for r in readings), default=0.0) - 1
    return _dedupe(readings + [Reading(r.values, below + r.score) for r in _short(printed, kinds, _typed)])


def _drops(blank: list[bool], excess: int) -> Iterator[tuple[int, ...]]:
    """Which cells to leave out of a row printing too many, blank cells first: a converter's
    padding is likelier surplus than a printed number, and the cap on readings must not cut off
    the reading that drops only padding."""
    empty = [i for i, b in enumerate(blank) if b]
    full = [i for i, b in enumerate(blank) if not b]
    for numbers in range(excess + 1):
        for a in itertools.combinations(empty, excess - numbers) if excess - numbers <= len(empty) else ():
            for b in itertools.combinations(full, numbers):
                yield tuple(sorted(a + b))


def _short(
    values: Sequence[T], kinds: list[Kind], typed: Callable[[T, Kind], Printed | None], sums: Sequence[Sum] = ()
) -> list[Reading]:
    """A row with fewer values than columns: the values in order, the gaps anywhere the row's own
    sums can still hold, those whose printed totals add up first; then cut short at the end first.
    The identities (or, failing them, an uncertain flag) decide.

    Past :data:`MAX_ALTERNATIVES` placements (a table 四 row of 15 cells printing 6), the ones kept
    still put every value in every place some placement puts it: the first fifty alone all start
    alike, and the cells they agree on would pass as settled when the text does not settle them."""
    k, n = len(kinds), len(values)
    cache: dict[tuple[int, int], Printed | None] = {}
    placed: list[tuple[int, tuple[int, ...], list[Printed | None]]] = []
    for slots in itertools.combinations(range(k), n):
        vals: list[Printed | None] = [None] * k
        for i, slot in enumerate(slots):
            if (i, slot) not in cache:
                cache[i, slot] = typed(values[i], kinds[slot])
            vals[slot] = cache[i, slot]
        numbers = [v.value if v is not None else None for v in vals]
        if sums and not all(_can_hold(s, numbers) for s in sums):
            continue
        placed.append((-sum(_adds_up(s, numbers) for s in sums), slots, vals))
    placed.sort(key=lambda p: p[0])
    readings: list[Reading] = []
    covered: set[tuple[int, int]] = set()
    for _, slots, vals in placed:
        places = set(enumerate(slots))
        if len(readings) < MAX_ALTERNATIVES or not places <= covered:
            covered |= places
            readings.append(Reading(tuple(vals), score=-len(readings)))
    return readings


def _stream_readings(pieces: list[Piece], kinds: list[Kind], sums: list[Sum]) -> RowValues:
    k = len(kinds)
    spaced = _tokens(pieces, keep_spaces=True)
    joined = _tokens(pieces, keep_spaces=False)
    blob = " ".join(t.text for t in spaced)
    where = _where(pieces)
    found: list[list[str]] = []
    try:
        for tokens in (spaced, joined):
            found = list(splits(tokens, kinds, sums, limit=MAX_ALTERNATIVES * 20))
            if found:
                return RowValues(_dedupe([_reading(c, kinds, where) for c in found]), blob=blob)
        if sums and len(set(kinds)) == 1 and (short := _short_splits(spaced, kinds, sums, where)):
            # No split into every column adds up, but one into fewer columns with a gap does:
            # a row printed short (a cell lost in the dump) rather than a row whose total is wrong.
            # Numbers printed apart may as well be whole, more cells missing (a converter dropped
            # the blank cells between them): those readings too, or splitting 252 12 1 into six
            # digits would pass as the only reading.
            whole = [t.text for t in spaced]
            if len(whole) < k - 1 and all(parse_piece(c, kinds[0], where) for c in whole):
                below = min(r.score for r in short) - 1
                kept = _short(whole, kinds, lambda c, kind: parse_piece(c, kind, where), sums)
                short = _dedupe(short + [Reading(r.values, below + r.score) for r in kept])
            return RowValues(short, [("ROW_SHORT", f"{k - 1}/{k}")], blob=blob)
        for tokens in (spaced, joined):
            found = list(splits(tokens, kinds, [], limit=MAX_ALTERNATIVES * 20))
            if found:
                issues = [("ROW_SUM_BROKEN", blob)] if sums else []
                return RowValues(_dedupe([_reading(c, kinds, where) for c in found]), issues, blob=blob)
    except BudgetExceeded:
        return RowValues([], [("SPLIT_TOO_LONG", blob)], blob=blob)
    cells = [t.text for t in spaced]
    if len(cells) < k and all(parse_piece(c, "amount", where) for c in cells):
        readings = _short(cells, kinds, lambda c, kind, w=where: parse_piece(c, kind, w), sums)
        return RowValues(readings, [("ROW_SHORT", f"{len(cells)}/{k}")], blob=blob)
    return RowValues([], [("UNSPLITTABLE", blob)], blob=blob)


def _reading(cells: list[str], kinds: list[Kind], where: Where) -> Reading:
    return Reading(tuple(parse_piece(c, kinds[i], where) for i, c in enumerate(cells)))


def _short_splits(tokens: list[Token], kinds: list[Kind], sums: list[Sum], where: Where) -> list[Reading]:
    """Readings of a run-together row one cell short: every split into k-1 cells, every place of
    the gap, kept where the row's sums can still hold (the gap taking the difference)."""
    k = len(kinds)
    out: list[Reading] = []
    for cells in itertools.islice(splits(tokens, kinds[: k - 1], [], limit=MAX_ALTERNATIVES), MAX_ALTERNATIVES):
        for reading in _short(cells, kinds, lambda c, kind: parse_piece(c, kind, where)):
            values = [v.value if v is not None else None for v in reading.values]
            if all(_can_hold(s, values) for s in sums):
                out.append(Reading(reading.values, reading.score - len(out)))
    return _dedupe(out)


def _can_hold(s: Sum, values: list[Number | None]) -> bool:
    result, parts = values[s.result], [values[i] for i in s.parts]
    if result is None:
        return True
    known = sum(v for v in parts if v is not None)
    return known == result if all(v is not None for v in parts) else known <= result


def _adds_up(s: Sum, values: list[Number | None]) -> bool:
    """The row prints this total and parts that sum to it (its blanks taken as nothing)."""
    result, parts = values[s.result], [v for v in (values[i] for i in s.parts) if v is not None]
    return result is not None and bool(parts) and sum(parts) == result


def _where(pieces: list[Piece]) -> Where:
    return pieces[0].where if pieces else Where()


def _tokens(pieces: list[Piece], *, keep_spaces: bool) -> list[Token]:
    tokens: list[Token] = []
    for p in pieces:
        if p.is_cell:
            tokens.append(Token(p.text.strip(), True))
            continue
        text = p.text.replace("\u3000", " ").replace("\xa0", " ")
        parts = text.split() if keep_spaces else ["".join(text.split())]
        tokens.extend(Token(_ascii(t), False) for t in parts if t)
    return tokens


def _ascii(text: str) -> str:
    return text.translate(WIDTH).replace("−", "-").replace(",", "")


def _dedupe(readings: list[Reading]) -> list[Reading]:
    seen: set[tuple[object, ...]] = set()
    out = []
    for r in readings:
        key = tuple(v.value if v else None for v in r.values) + tuple(v.semantic if v else None for v in r.values)
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out
