"""Locate the four tables' rows in the stream and read each row's printed values.

Row labels are found in template order inside each table's region (from its section heading to
the next); a row's values are what follows its label up to the next label. In a grid, only cells
of the label's own grid row count; in running text, everything up to the first word that is not
a value.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal

from ogi.extract.locate import Hit, find_label, find_sequence
from ogi.extract.normalize import fold
from ogi.extract.readings import Reading, RowValues, row_values
from ogi.extract.segment import Sum
from ogi.extract.stream import Piece, Stream
from ogi.extract.values import YUAN_PER_WAN, Printed, parse_cell
from ogi.model import Table, Where
from ogi.model.template import Kind, RowSpec, Template

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


@dataclass(slots=True)
class TablesRead:
    rows: list[RowRead] = field(default_factory=list)
    extras: dict[str, tuple[Printed, str]] = field(default_factory=dict)
    found: dict[str, bool] = field(default_factory=dict)
    layout: dict[str, str] = field(default_factory=dict)
    amount_units: dict[str, str] = field(default_factory=dict)
    """Amount cell → the unit its column header prints ('' when none)."""
    junk: list[Piece] = field(default_factory=list)


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
            values.readings.extend(Reading(r.values, r.score - 10) for r in extra)
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


def _labelled_rows(
    stream: Stream,
    specs: list[tuple[RowSpec | None, str, list[str], str]],
    region: TableRegion,
) -> list[tuple[RowSpec | None, str, Hit | None]]:
    """Hits for labels in order; a label that is not printed exactly is looked for fuzzily
    between its neighbours."""
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
    return [(s[0], s[1], h) for s, h in zip(specs, hits, strict=True)]


def _stops(hits: list[Hit | None], region: TableRegion) -> list[int]:
    stops = []
    for i in range(len(hits)):
        stops.append(next((h.start for h in hits[i + 1 :] if h), region.hi))
    return stops


def _read_active(stream: Stream, template: Template, region: TableRegion, out: TablesRead) -> None:
    specs = [(r, r.key, [r.label, *r.aliases], "") for r in template.rows_of("active")]
    located = _labelled_rows(stream, specs, region)
    hits = [h for _, _, h in located]
    stops = _stops(hits, region)
    out.found["active"] = any(hits)
    for (spec, _, hit), stop in zip(located, stops, strict=True):
        assert spec is not None
        rr = RowRead("active", spec.key, spec.cell_keys, spec.label, hit)
        if hit:
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
        out.rows.append(rr)
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
        sub_hits = [find_label(stream, [r.label], region.lo, region.hi) for r in rows if r.key.startswith("other.")]
        if not any(sub_hits[:2]):
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
    for (spec, key, hit), stop in zip(located, stops, strict=True):
        keys = tuple(f"requests.{key}.{c}" for c in columns)
        official = spec.official_label if spec else key
        rr = RowRead("requests", key, keys, official, hit)
        if hit:
            seg = stream.segment_at(stream.to_text(hit.end - 1))
            cols = header_cols if seg.table is first_table else None
            rr.values = _read_row(
                stream, hit, stop, lambda pieces, c=cols: row_values(pieces, kinds, sums, header_cols=c)
            )
            rr.where = stream.where_at(stream.to_text(hit.start))
            out.junk.extend(p for p in rr.values.junk if not p.is_cell)
            if spec is None and not any(v for r in rr.values.readings for v in r.values if v and v.value is not None):
                continue
        elif spec is None:
            continue
        out.rows.append(rr)


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
        # The header row's own trailing cells are not values.
        pieces = [p for p in pieces if not (p.segment.table is header_seg.table and p.segment.row == header_seg.row)]
    width = len(specs[0].columns)
    sums = [Sum(g * width + width - 1, tuple(range(g * width, g * width + width - 1))) for g in range(len(specs))]
    rr.values = row_values(pieces, ["count"] * len(keys), sums)
    rr.where = stream.where_at(stream.after(last.end))
    out.rows.append(rr)
