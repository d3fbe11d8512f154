"""What a 比对报告 says: one unit's report of year Y against its report of Y−1, from the store.

Cells are the unit-years' effective cells (``unit_cells``); findings are the report's own checks
(the identities), the cross-year checks (``cross_findings``) and the sources' disagreements
(``source_findings``), all in the words they were stored with; texts are compared section by section
(:mod:`ogi.overview.reuse`). Pure data: :mod:`ogi.compare.docx` and :mod:`ogi.compare.html` draw it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from ogi.errors import StoreError
from ogi.overview.charts import Chart
from ogi.overview.reuse import SectionReuse, section_reuse
from ogi.store.db import Store
from ogi.store.keys import cell_labels, ordered
from ogi.store.reconcile import FORMAT_NAMES, source_name
from ogi.units import normalise_agency

FLAG_MARKS = {"inferred": "推", "uncertain": "疑", "reviewed": "审"}
SEVERITY_WORDS = {"error": "错误", "warning": "提示", "info": "参考"}
HEADLINE = {
    "本年新收申请": "requests.new.total",
    "上年结转": "requests.carried_over.total",
    "予以公开": "requests.granted.total",
    "部分公开": "requests.partial.total",
    "办理总计": "requests.total.total",
    "结转下年度": "requests.carried_forward.total",
    "行政复议": "appeals.review.total",
    "行政诉讼（直接起诉）": "appeals.suit_direct.total",
    "行政诉讼（复议后起诉）": "appeals.suit_after_review.total",
}
_TABLES = {"active": "二", "requests": "三", "appeals": "四"}


@dataclass(frozen=True, slots=True)
class Row:
    key: str
    label: str
    table: str
    prev: Decimal | None
    cur: Decimal | None
    prev_flag: str | None
    cur_flag: str | None
    source: str | None
    """Where the current year's value came from, when the unit-year has several sources."""

    @property
    def change(self) -> Decimal | None:
        return None if self.prev is None or self.cur is None else self.cur - self.prev

    @property
    def pct(self) -> float | None:
        change = self.change
        return float(change / self.prev) if change is not None and self.prev else None


@dataclass(frozen=True, slots=True)
class Issue:
    scope: str  # 本年报告 / 跨年度 / 多来源
    rule: str
    severity: str
    message: str


@dataclass
class Comparison:
    agency: str
    agency_id: str
    year: int
    region_code: str | None
    region_name: str | None
    cur_id: int
    prev_id: int | None
    published: date | None
    prev_published: date | None
    sources: list[str]
    prev_sources: list[str]
    rows: list[Row] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    sections: list[SectionReuse] = field(default_factory=list)

    @property
    def prev_year(self) -> int:
        return self.year - 1

    def headline(self) -> list[tuple[str, Row | None]]:
        by_key = {r.key: r for r in self.rows}
        return [(name, by_key.get(key)) for name, key in HEADLINE.items()]

    def changed(self) -> list[Row]:
        """The rows worth reading: either year gives a value, and not both zero."""
        return [r for r in self.rows if (r.prev is not None or r.cur is not None) and (r.prev or r.cur)]

    def chart(self) -> Chart:
        rows: list[tuple[Any, ...]] = []
        for name, row in self.headline():
            if row is not None:
                rows += [(name, f"{self.prev_year}年", row.prev or 0), (name, f"{self.year}年", row.cur or 0)]
        return Chart(
            "headline", f"主要数字：{self.prev_year}年与{self.year}年", "grouped", ["项目", "年度", "件数"], rows
        )


def resolve_agency(store: Store, agency: str) -> str:
    """A unit's agency id from an id or a name as printed (淮安市洪泽区人民政府 → 淮安市洪泽区)."""
    for candidate in (agency, normalise_agency(agency)):
        row = store.con.execute(
            "SELECT agency_id FROM unit_reports WHERE agency_id = ? LIMIT 1", [candidate]
        ).fetchone()
        if row:
            return str(row[0])
    row = store.con.execute("SELECT agency_id FROM unit_reports WHERE agency = ? LIMIT 1", [agency]).fetchone()
    if row and row[0]:
        return str(row[0])
    raise StoreError(
        f"no unit {agency!r} in the store: give its agency id or name as printed "
        '(`ogi query "SELECT DISTINCT agency_id, agency FROM unit_reports"` lists them)'
    )


def _short_names(store: Store, ids: list[int]) -> dict[int, str]:
    """A source as a table column names it: 网页, 文本, PDF (numbered when two share a format)."""
    formats = dict(store.con.execute("SELECT id, format FROM reports WHERE id IN (SELECT unnest(?))", [ids]).fetchall())
    words = {i: FORMAT_NAMES.get(formats.get(i) or "", formats.get(i) or "") for i in ids}
    twice = {w for w in words.values() if list(words.values()).count(w) > 1}
    seen: dict[str, int] = {}
    for i in ids:
        if words[i] in twice:
            seen[words[i]] = seen.get(words[i], 0) + 1
            words[i] = f"{words[i]}{seen[words[i]]}"
    return words


def _names(store: Store, ids: list[int]) -> dict[int, str]:
    rows = store.con.execute(
        "SELECT r.id, r.path, r.format, src.url FROM reports r "
        "LEFT JOIN (SELECT sha256, arg_min(url, (fetched_at, url)) AS url "
        "FROM sources GROUP BY sha256) src ON src.sha256 = r.sha256 WHERE r.id IN (SELECT unnest(?))",
        [ids],
    ).fetchall()
    return {i: source_name(url or path, fmt) for i, path, fmt, url in rows}


def comparison(store: Store, agency: str, year: int) -> Comparison:
    """The 比对报告 of ``agency`` (an id or a name) for ``year`` against ``year - 1``."""
    agency_id = resolve_agency(store, agency)
    con = store.con.cursor()
    units = {
        y: r
        for y, *r in con.execute(
            "SELECT u.year, u.id, u.agency, u.region_code, u.region_name, u.published, coalesce(s.sources, [u.id]) "
            "FROM unit_reports u LEFT JOIN unit_sources s ON s.unit_id = u.id "
            "WHERE u.agency_id = ? AND u.year IN (?, ?)",
            [agency_id, year, year - 1],
        ).fetchall()
    }
    if year not in units:
        raise StoreError(f"{agency_id} has no {year} report in the store")
    cur_id, name, region_code, region_name, published, sources = units[year]
    prev = units.get(year - 1)
    prev_id = prev[0] if prev else None
    names = _names(store, [*sources, *(prev[5] if prev else [])])
    short = _short_names(store, sources)
    result = Comparison(
        name or agency_id,
        agency_id,
        year,
        region_code,
        region_name,
        cur_id,
        prev_id,
        published,
        prev[4] if prev else None,
        [names.get(i, str(i)) for i in sources],
        [names.get(i, str(i)) for i in prev[5]] if prev else [],
    )
    cells: dict[tuple[int, str], tuple[Any, str | None, int, str]] = {}
    for uid, key, value, flag, source_id, how in con.execute(
        "SELECT unit_id, key, value, flag, source_id, how FROM unit_cells WHERE unit_id IN (SELECT unnest(?))",
        [[i for i in (cur_id, prev_id) if i is not None]],
    ).fetchall():
        cells[(uid, key)] = (value, "reviewed" if how == "reviewed" else flag, source_id, how)
    keys = ordered({k for _, k in cells})
    labels = cell_labels(keys)
    for key in keys:
        now = cells.get((cur_id, key))
        then = cells.get((prev_id, key)) if prev_id is not None else None
        source = short.get(now[2]) if now and len(sources) > 1 else None
        result.rows.append(
            Row(
                key,
                labels[key],
                _TABLES.get(key.split(".")[0], ""),
                then[0] if then else None,
                now[0] if now else None,
                then[1] if then else None,
                now[1] if now else None,
                source,
            )
        )
    result.issues = [
        Issue("本年报告", *r)
        for r in con.execute(
            "SELECT rule, severity, message FROM findings WHERE report_id = ? AND severity <> 'info' ORDER BY rowid",
            [cur_id],
        ).fetchall()
    ]
    result.issues += [
        Issue("跨年度", *r)
        for r in con.execute(
            "SELECT rule, severity, message FROM cross_findings WHERE report_id = ? ORDER BY rowid", [cur_id]
        ).fetchall()
    ]
    result.issues += [
        Issue("多来源", *r)
        for r in con.execute(
            "SELECT rule, severity, message FROM source_findings WHERE unit_id = ? ORDER BY rowid", [cur_id]
        ).fetchall()
    ]
    texts: dict[int, dict[str, tuple[str, str]]] = {cur_id: {}, **({prev_id: {}} if prev_id is not None else {})}
    for rid, key, heading, text in con.execute(
        "SELECT report_id, key, heading, text FROM sections WHERE report_id IN (SELECT unnest(?)) ORDER BY rowid",
        [list(texts)],
    ).fetchall():
        texts[rid][key] = (heading, text)
    result.sections = section_reuse(texts[cur_id], texts.get(prev_id, {}) if prev_id is not None else {})
    return result


__all__ = ["FLAG_MARKS", "HEADLINE", "Comparison", "Issue", "Row", "comparison", "resolve_agency"]
