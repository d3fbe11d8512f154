"""Locate the four tables' rows in the stream and read each row's printed values.

Row labels are found in template order inside each table's region (from its section heading to
the next), then — for labels a converter moved — anywhere they open a line or a cell; a row's values
are what follows its label up to the next label printed. In a grid, only cells of the label's own
grid row count; in running text, everything up to the first word that is not a value. A label on a
line or in a grid row of its own reads no numbers: it is a loose label, its numbers placed with the
other leftovers by :mod:`ogi.extract.recover`.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal

from ogi.extract.align import Orphan, Placement
from ogi.extract.leftovers import LooseCell, leftovers
from ogi.extract.locate import ORDINAL_BEFORE, Hit, find_label, find_sequence
from ogi.extract.normalize import fold
from ogi.extract.readings import VALUE_RUN, RowValues, row_values
from ogi.extract.recover import claimed_segments, fill_short, recover_requests
from ogi.extract.segment import Sum
from ogi.extract.stream import Piece, Stream
from ogi.extract.values import YUAN_PER_WAN, Printed, parse_cell
from ogi.model import Table, Where
from ogi.model.template import Column, Kind, RowSpec, Template

DIGIT = re.compile(r"[0-9０-９]")
APPEALS_HEADER = [
    "行政复议",
    "行政诉讼",
    "结果维持",
    "结果纠正",
    "其他结果",
    "尚未审结",
    "总计",
    "未经复议直接起诉",
    "复议后起诉",
    "结果维持",
    "结果纠正",
    "其他结果",
    "尚未审结",
    "总计",
    "结果维持",
    "结果纠正",
    "其他结果",
    "尚未审结",
    "总计",
]
HEADER_UNIT = re.compile(r"[（(].*?[）)]")
UNIT_AFTER = re.compile(r"\((?:单位)?:?(万元|元)")
EXTRA_LINE = re.compile(r"^(?P<label>.{4,}?)[:：]\s*(?P<value>[+\-]?\d[\d,]*(?:\.\d+)?)\s*(?P<unit>[^\d\s]{0,3})$")


@dataclass(slots=True)
class RowRead:
    table: str
    row: str
    keys: tuple[str, ...]
    official: str
    hit: Hit | None = None
    values: RowValues | None = None
    where: Where | None = None
    columns: tuple[Column, ...] = ()
    costs: list[float] | None = None
    """Per reading, a cost for the solver (see :class:`ogi.extract.solve.RowChoice`)."""
    loose: bool = False
    """Its label is printed apart from any number (a loose line): its numbers, if any, are placed
    by :mod:`ogi.extract.align`."""
    filled: list[LooseCell] = field(default_factory=list)
    """Loose cells offered to fill this row printed short."""


@dataclass(slots=True)
class TablesRead:
    rows: list[RowRead] = field(default_factory=list)
    extras: dict[str, tuple[Printed, str]] = field(default_factory=dict)
    found: dict[str, bool] = field(default_factory=dict)
    layout: dict[str, str] = field(default_factory=dict)
    amount_units: dict[str, str] = field(default_factory=dict)
    """Amount cell → the unit its column header prints ('' when none)."""
    junk: list[Piece] = field(default_factory=list)
    placements: list[Placement] = field(default_factory=list)
    """Label-less rows and the open rows they may be (see :mod:`ogi.extract.align`)."""
    unplaced: list[Orphan] = field(default_factory=list)
    """Rows of numbers no template row could take."""
    loose_left: list[tuple[str, LooseCell]] = field(default_factory=list)
    """(table, cell): loose values that no short row took."""


@dataclass(frozen=True, slots=True)
class TableRegion:
    lo: int
    hi: int


def _row_pieces(stream: Stream, hit: Hit, stop: int) -> list[Piece]:
    start, end = stream.after(hit.end), stream.to_text(stop)
    if stream.segment_at(start - 1).is_cell:
        return stream.row_after(start, end)
    return stream.pieces(start, end)


def _read_row(stream: Stream, hit: Hit, stop: int, read: Callable[[list[Piece]], RowValues]) -> RowValues:
    """A row's values; a row printed twice before the next label gives the second copy's readings
    too, so that the identities choose between them (or both stay in doubt)."""
    values = read(_row_pieces(stream, hit, stop))
    again = stream.folded.find(hit.printed, hit.end, stop) if len(hit.printed) >= 4 else -1
    if again >= 0:
        second = Hit(again, again + len(hit.printed), hit.exact, hit.printed)
        copy = read(_row_pieces(stream, second, stop))
        first = {tuple(v.value if v else None for v in r.values) for r in values.readings}
        extra = [r for r in copy.readings if tuple(v.value if v else None for v in r.values) not in first]
        if extra:
            values.readings.extend(replace(r, score=r.score - 10) for r in extra)
            values.issues.append(("DUPLICATE_ROW", hit.printed))
    return values


def _header_cols(table: Table | None, labels: list[str]) -> dict[int, int] | None:
    """Grid column → value column, from the header cells of a converted table."""
    if table is None:
        return None
    wanted = {fold(label): i for i, label in enumerate(labels)}
    found: dict[int, int] = {}
    for row in table.rows[:6]:
        for c, cell in enumerate(row):
            i = wanted.get(fold(cell.text))
            if i is not None and c not in found and i not in found.values():
                found[c] = i
    return found if len(found) == len(labels) else None


def read_tables(stream: Stream, template: Template, regions: dict[str, TableRegion]) -> TablesRead:
    out = TablesRead()
    _read_active(stream, template, regions["active"], out)
    _read_requests(stream, template, regions["requests"], out)
    _read_appeals(stream, template, regions["appeals"], out)
    return out


Located = tuple[RowSpec | None, str, Hit | None]


def _labelled_rows(
    stream: Stream,
    specs: list[tuple[RowSpec | None, str, list[str], str]],
    region: TableRegion,
) -> list[Located]:
    """Hits for labels in order; a label that is not printed exactly is looked for fuzzily
    between its neighbours, then anywhere in the region where it opens a line or a cell (a
    converter moved it out of the table's order)."""
    hits: list[Hit | None] = []
    cursor = region.lo
    for _, _, texts, ordinal in specs:
        h = find_label(stream, texts, cursor, region.hi, ordinal=ordinal)
        hits.append(h)
        if h:
            cursor = h.end
    for i, h in enumerate(hits):
        if h is None:
            lo = next((x.end for x in reversed(hits[:i]) if x), region.lo)
            hi = next((x.start for x in hits[i + 1 :] if x), region.hi)
            hits[i] = find_label(stream, specs[i][2], lo, hi, ordinal=specs[i][3], fuzzy=True)
    for i, h in enumerate(hits):
        if h is None:
            hits[i] = _anywhere(stream, specs[i][2], specs[i][3], region, [x for x in hits if x])
    return [(s[0], s[1], h) for s, h in zip(specs, hits, strict=True)]


ANYWHERE_MIN = 4


def _anywhere(stream: Stream, texts: list[str], ordinal: str, region: TableRegion, taken: list[Hit]) -> Hit | None:
    folded = stream.folded
    for i, text in enumerate(texts):
        for t in (fold(ordinal + text), fold(text)) if ordinal else (fold(text),):
            if len(t) < ANYWHERE_MIN and not (t == fold(text) and len(t) >= 2 and not ordinal):
                continue
            p = folded.find(t, region.lo, region.hi)
            while p >= 0:
                end = p + len(t)
                if not any(h.start < end and p < h.end for h in taken) and _opens_segment(stream, p):
                    return Hit(p, end, i == 0, folded[p:end])
                p = folded.find(t, p + 1, region.hi)
    return None


def _opens_segment(stream: Stream, folded_at: int) -> bool:
    """Whether a folded position starts its line or cell (an ordinal may come first)."""
    seg = stream.segment_at(stream.to_text(folded_at))
    before = stream.folded[stream.to_folded(seg.start) : folded_at]
    return not before or bool(ORDINAL_BEFORE.fullmatch(before))


def _stops(hits: list[Hit | None], region: TableRegion) -> list[int]:
    """Where each row's values end: at the next label printed after it, whatever its row."""
    starts = sorted(h.start for h in hits if h)
    stops = []
    for h in hits:
        if h is None:
            stops.append(region.hi)
            continue
        k = bisect.bisect_right(starts, h.start)
        stops.append(starts[k] if k < len(starts) else region.hi)
    return stops


def _attached(stream: Stream, hit: Hit) -> bool:
    """Whether a label shares its grid row or its line with something to read: a label printed on a
    line of its own, or alone in its grid row, is a loose label, its numbers printed elsewhere."""
    start = stream.after(hit.end)
    i = stream.index_at(start - 1)
    seg = stream.segments[i]
    if seg.is_cell:
        if stream.text[start : seg.end].strip():
            return True
        nxt = stream.segments[i + 1] if i + 1 < len(stream.segments) else None
        return nxt is not None and nxt.table is seg.table and nxt.row == seg.row
    m = VALUE_RUN.match(stream.text[start : seg.end])
    return bool(m and m.group(0).strip())


def _read_active(stream: Stream, template: Template, region: TableRegion, out: TablesRead) -> None:
    specs = [(r, r.key, [r.label, *r.aliases], "") for r in template.rows_of("active")]
    located = _labelled_rows(stream, specs, region)
    hits = [h for _, _, h in located]
    stops = _stops(hits, region)
    out.found["active"] = any(hits)
    rows: list[RowRead] = []
    for (spec, _, hit), stop in zip(located, stops, strict=True):
        assert spec is not None
        rr = RowRead("active", spec.key, spec.cell_keys, spec.label, hit, columns=spec.columns)
        if hit and _attached(stream, hit):
            kinds: list[Kind] = [c.kind for c in spec.columns]
            rr.values = _read_row(stream, hit, stop, lambda pieces, k=kinds: row_values(pieces, k, []))
            rr.where = stream.where_at(stream.to_text(hit.start))
            _extras(rr.values.junk, template, out)
            for i, col in enumerate(spec.columns):
                if col.kind == "amount":
                    unit = _header_unit(stream, col.label, region)
                    out.amount_units[spec.cell_key(col.key)] = unit
                    if unit == "元":
                        _to_wan(rr.values, i)
        elif hit:
            rr.loose = True
        rows.append(rr)
    out.rows.extend(rows)
    if out.found["active"]:
        taken = claimed_segments(stream, rows)
        _, cells = leftovers(stream, stream.to_text(region.lo), stream.to_text(region.hi), taken)
        fill_short(rows, cells, "active", out, costs=False)
    last = next((h for h in reversed(hits) if h), None)
    if last is not None:
        _extras(_lines_below(stream, last, region), template, out)


def _lines_below(stream: Stream, hit: Hit, region: TableRegion) -> list[Piece]:
    """Extra lines (``label：value``) printed as rows of their own under a grid table's last row;
    in running text they follow the row's values and are its junk already."""
    i = stream.index_at(stream.after(hit.end) - 1)
    label = stream.segments[i]
    if not label.is_cell:
        return []
    j = i + 1
    while j < len(stream.segments) and stream.segments[j].table is label.table and stream.segments[j].row == label.row:
        j += 1
    if j == len(stream.segments):
        return []
    pieces = stream.pieces(stream.segments[j].start, stream.to_text(region.hi))
    return [p for p in pieces if EXTRA_LINE.match(p.text.strip())]


def _header_unit(stream: Stream, label: str, region: TableRegion) -> str:
    """The unit an amount column's header prints: 万元, 元, or '' when it prints none."""
    base = fold(HEADER_UNIT.sub("", label))
    p = stream.folded.find(base, region.lo, region.hi)
    if p < 0:
        return ""
    m = UNIT_AFTER.match(stream.folded, p + len(base))
    return m.group(1) if m else ""


def _to_wan(values: RowValues, i: int) -> None:
    """Amounts under a header in 元 that print no unit of their own: convert to 万元."""
    for reading in values.readings:
        p = reading.values[i]
        if p is not None and p.value is not None and p.unit is None:
            converted = replace(p, value=(Decimal(p.value) / YUAN_PER_WAN).normalize(), unit="元")
            reading.values = (*reading.values[:i], converted, *reading.values[i + 1 :])


def _extras(junk: list[Piece], template: Template, out: TablesRead) -> None:
    for p in junk:
        m = EXTRA_LINE.match(p.text.strip())
        if not m:
            out.junk.append(p)
            continue
        label = m["label"]
        slug = next((e["slug"] for e in template.extras if e["pattern"] in label), f"line_{len(out.extras) + 1}")
        printed = parse_cell(m["value"], "count", p.where)
        if printed is not None:
            out.extras[f"active.extra.{slug}"] = (printed, label)


def _read_requests(stream: Stream, template: Template, region: TableRegion, out: TablesRead) -> None:
    rows = template.rows_of("requests")
    groups = {g["key"]: g for g in template.requests_groups}
    columns = _printed_columns(template, _requests_header(stream, template, region))
    if len(columns) > len(template.requests_columns):
        out.layout["legal_subtotal"] = "yes"
    specs: list[tuple[RowSpec | None, str, list[str], str]] = []
    seen_groups: set[str] = set()
    for r in rows:
        if r.group and r.group not in seen_groups and r.group in groups:
            seen_groups.add(r.group)
            g = groups[r.group]
            specs.append((None, f"{r.group}.subtotal", [g["text"]], g["ordinal"]))
        specs.append((r, r.key, [r.label, *r.aliases], r.ordinal))
    if template.id == "2021":
        # A 2021 report on the old single-row （六）其他处理 layout: read the row as the group subtotal.
        subs = [r for r in rows if r.key.startswith("other.")][:2]
        if not any(_evidenced(stream, r, rows, region) for r in subs):
            specs = [s for s in specs if not (s[0] and s[0].key.startswith("other."))]
            out.layout["table3_layout"] = "2019"
        else:
            out.layout["table3_layout"] = "2021"
    else:
        out.layout["table3_layout"] = "2019"
    located = _labelled_rows(stream, specs, region)
    hits = [h for _, _, h in located]
    stops = _stops(hits, region)
    out.found["requests"] = sum(1 for h in hits if h) >= 3
    if "legal_subtotal" not in columns and (at := _subtotal_by_values(stream, hits, len(columns))) is not None:
        # No header says so, but the rows print one more number, the 小计 of the five
        # organisation columns: read them by position, as the row totals show them.
        columns.insert(at, "legal_subtotal")
        out.layout["legal_subtotal"] = "by values"
    kinds: list[Kind] = ["count"] * len(columns)
    total_at = columns.index("total")
    sums = [Sum(total_at, tuple(i for i, c in enumerate(columns) if c not in ("total", "legal_subtotal")))]
    if "legal_subtotal" in columns:
        sub_at = columns.index("legal_subtotal")
        if sub_at > columns.index("other_org"):
            sums.append(
                Sum(
                    sub_at,
                    tuple(columns.index(c) for c in ("commercial", "research", "nonprofit", "legal", "other_org")),
                )
            )
    first_table = next((stream.segment_at(stream.to_text(h.end - 1)).table for h in hits if h), None)
    header_cols = _header_cols(first_table, [c.label for c in template.requests_columns])
    by_key = {c.key: c for c in (*template.requests_columns, *template.extension_columns)}
    row_columns = tuple(by_key[c] for c in columns)
    read: list[tuple[int, RowRead]] = []
    for index, ((spec, key, hit), stop) in enumerate(zip(located, stops, strict=True)):
        keys = tuple(f"requests.{key}.{c}" for c in columns)
        official = spec.official_label if spec else f"{specs[index][3]}{specs[index][2][0]}小计"
        rr = RowRead("requests", key, keys, official, hit, columns=row_columns)
        if hit and _attached(stream, hit):
            seg = stream.segment_at(stream.to_text(hit.end - 1))
            cols = header_cols if seg.table is first_table else None
            rr.values = _read_row(
                stream, hit, stop, lambda pieces, c=cols: row_values(pieces, kinds, sums, header_cols=c)
            )
            rr.where = stream.where_at(stream.to_text(hit.start))
            out.junk.extend(p for p in rr.values.junk if not p.is_cell)
            if spec is None and not any(v for r in rr.values.readings for v in r.values if v and v.value is not None):
                continue
            if _numbers_below(stream, rr.values, stop):
                rr.values, rr.loose = None, True
        elif hit:
            if spec is None:
                continue  # a group label printed apart: nothing of its own to read
            rr.loose = True
        elif spec is None:
            continue
        read.append((index, rr))
    out.rows.extend(rr for _, rr in read)
    if not out.found["requests"]:
        return
    recover_requests(stream, read, hits, located, region, lambda pieces: row_values(pieces, kinds, sums), out)


def _is_values(text: str) -> bool:
    """Whether a text is nothing but printed values (numbers, ``/``, ``—``, ``无``)."""
    m = VALUE_RUN.match(text)
    return bool(m and m.group(0).strip() and m.end() == len(text.rstrip()))


def _numbers_below(stream: Stream, values: RowValues, stop: int) -> bool:
    """A converted table's row whose cells are all empty, with a row of numbers under it before the
    next label: a label cell that wrapped (``4.保护第三方合法权益`` over ``（三）不 | 6 0 | …``) made
    two rows of one, so the empty cells are not the document's blanks; the row is read as a label
    printed apart, and the numbers under it are placed as the rows that lost their labels are."""
    pieces = values.pieces
    if not pieces or any(p.text.strip() for p in pieces) or not all(p.is_cell for p in pieces):
        return False
    table = pieces[-1].segment.table
    if table is None or table.exact_columns:
        return False
    below = stream.pieces(pieces[-1].segment.end, stream.to_text(stop))
    return any(p.is_cell and p.segment.table is table and VALUE_RUN.match(p.text) and p.text.strip() for p in below)


NGRAM = 5
SUBTOTAL_EVIDENCE = 3


def _subtotal_by_values(stream: Stream, hits: list[Hit | None], width: int) -> int | None:
    """Where a 小计 column stands (after 其他, or before 商业企业) when no header names it: the
    grid rows print one more number than the columns, and in every row that tells, that number is
    the sum of the five organisation columns. The row totals decide the columns, not their headers.

    Rows of zeros tell nothing (both places read the same); a row that fits neither place rules the
    column out, and so do rows of the template's width unless far fewer (a page break cuts rows)."""
    votes = {width - 1: 0, 1: 0}
    wider = narrow = 0
    for h in hits:
        cells = _cells_after(stream, h) if h is not None else []
        if not all(c.isdigit() for c in cells):
            continue
        narrow += len(cells) == width
        if len(cells) != width + 1:
            continue
        wider += 1
        v = [int(c) for c in cells]
        after = v[6] == sum(v[1:6]) and v[7] == v[0] + v[6]
        before = v[1] == sum(v[2:7]) and v[7] == v[0] + v[1]
        if not (after or before):
            return None
        if after != before:
            votes[width - 1 if after else 1] += 1
    # Rows of the template's width are rows cut by a page break, or the column is not there.
    if wider < SUBTOTAL_EVIDENCE or wider <= 2 * narrow or (votes[width - 1] and votes[1]):
        return None
    return 1 if votes[1] else width - 1


def _cells_after(stream: Stream, hit: Hit) -> list[str]:
    """The non-blank cells after a label on its grid row, stripped ([] for a label in running text)."""
    i = stream.index_at(stream.to_text(hit.end - 1))
    seg = stream.segments[i]
    out: list[str] = []
    if not seg.is_cell:
        return out
    for nxt in stream.segments[i + 1 :]:
        if nxt.table is not seg.table or nxt.row != seg.row:
            break
        text = stream.text[nxt.start : nxt.end].strip()
        if text:
            out.append(text)
    return out


def _evidenced(stream: Stream, row: RowSpec, rows: tuple[RowSpec, ...], region: TableRegion) -> bool:
    """Whether a row's label, or a piece of it no other label has, is printed in the region (a
    wrapped label comes out of some conversions in pieces)."""
    if find_label(stream, [row.label], region.lo, region.hi):
        return True
    label = fold(row.label)
    others = "|".join(fold(r.label) for r in rows if r is not row)
    window = stream.folded[region.lo : region.hi]
    grams = {label[i : i + NGRAM] for i in range(len(label) - NGRAM + 1)}
    return any(g not in others and g in window for g in grams)


def _printed_columns(template: Template, header: str) -> list[str]:
    """Table 三's value columns as printed: the template's, plus a local extension column (the
    法人或其他组织 小计) where the header prints its label — before 商业企业 or after 其他."""
    columns = [c.key for c in template.requests_columns]
    for ext in template.extension_columns:
        label = fold(ext.label)
        if label in header:
            first_org = fold(template.requests_columns[1].label)
            before = header.find(label) < header.find(first_org)
            columns.insert(1 if before else columns.index("other_org") + 1, ext.key)
    return columns


def _requests_header(stream: Stream, template: Template, region: TableRegion) -> str:
    """The folded text of table 三's header: from 申请人情况 (or the note) to the first row label.
    Prose before the table is left out: a sentence saying "小计" must not add a column."""
    folded = stream.folded
    starts = [p for w in ("申请人情况", "本列数据的勾稽关系") if (p := folded.find(w, region.lo, region.hi)) >= 0]
    first_row = template.rows_of("requests")[0]
    end = folded.find(fold(first_row.label), region.lo, region.hi)
    if not starts or end < 0:
        return ""
    return folded[min(starts) : end]


def _read_appeals(stream: Stream, template: Template, region: TableRegion, out: TablesRead) -> None:
    header = find_sequence(stream, APPEALS_HEADER, region.lo, region.hi)
    out.found["appeals"] = len(header) >= 5
    specs = template.rows_of("appeals")
    keys = tuple(k for r in specs for k in r.cell_keys)
    rr = RowRead("appeals", "all", keys, "行政复议、行政诉讼")
    if not out.found["appeals"]:
        out.rows.append(rr)
        return
    last = header[-1]
    rr.hit = last
    pieces = stream.pieces(stream.after(last.end), stream.to_text(region.hi))
    header_seg = stream.segment_at(stream.to_text(last.end - 1))
    if header_seg.is_cell:
        # The header row's own trailing cells are not values; but where a table printed one cell per
        # line reads the numbers under the last header as that header's row, they are the values.
        pieces = [
            p
            for p in pieces
            if not (p.segment.table is header_seg.table and p.segment.row == header_seg.row) or _is_values(p.text)
        ]
    # A header printed over several lines (pdftotext -layout splits 结果/维持 in two) leaves its
    # last words after the last header found: words with no value in them are still the header.
    while pieces and not pieces[0].is_cell and not _is_values(pieces[0].text) and not DIGIT.search(pieces[0].text):
        pieces = pieces[1:]
    width = len(specs[0].columns)
    sums = [Sum(g * width + width - 1, tuple(range(g * width, g * width + width - 1))) for g in range(len(specs))]
    rr.values = row_values(pieces, ["count"] * len(keys), sums)
    rr.where = stream.where_at(stream.after(last.end))
    out.rows.append(rr)
