"""The dashboard: a corpus (or a region, a year, a tier, a template, a rule) at a glance.

Everything counts unit-years (``unit_reports``: several copies of one report count once) and sums
their effective cells (``unit_cells``: reconciled across sources, reviewed values first). Every
figure says how many of its cells were derived by the identities (``inferred``) or uncertain
readings, so a total built on guesses is visibly one. Sums run in DuckDB over the filtered units;
nothing is fetched cell by cell.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ogi.model.template import get_template
from ogi.overview.charts import Chart
from ogi.store.db import Store
from ogi.store.rollup import region_prefix
from ogi.units import children, division_name

DENIED = (
    "state_secret",
    "law_prohibited",
    "safety_stability",
    "third_party",
    "internal_affairs",
    "process_info",
    "enforcement_file",
    "admin_query",
)
OUTCOMES: dict[str, tuple[str, ...]] = {
    "予以公开": ("requests.granted.total",),
    "部分公开": ("requests.partial.total",),
    "不予公开": tuple(f"requests.denied.{r}.total" for r in DENIED),
    "无法提供": tuple(f"requests.unable.{r}.total" for r in ("not_held", "needs_creation", "unclear")),
    "不予处理": tuple(
        f"requests.rejected.{r}.total" for r in ("petition", "duplicate", "publication", "excessive", "confirmation")
    ),
    "其他处理": (
        "requests.other.total",
        "requests.other.no_correction.total",
        "requests.other.no_fee.total",
        "requests.other.other.total",
    ),
}
APPLICATIONS = "requests.new.total"
TOTAL = "requests.total.total"
APPEALS = {"行政复议": ("appeals.review",), "行政诉讼": ("appeals.suit_direct", "appeals.suit_after_review")}
# Deadline by tier (条例第四十九条): departments 1月31日, governments 3月31日 of the next year.
LATE_DAYS = "(u.published - make_date(u.year + 1, CASE WHEN u.level = '部门' THEN 1 ELSE 3 END, 31))"


@dataclass(frozen=True, slots=True)
class Filters:
    region: str | None = None
    year: int | None = None
    level: str | None = None
    template: str | None = None
    rule: str | None = None

    def scope(self, *, all_years: bool = False) -> tuple[str, list[Any]]:
        """The SQL selecting the filtered unit reports (``u``) and its parameters."""
        where, params = ["true"], []
        if self.region:
            where.append("starts_with(u.region_code, ?)")
            params.append(region_prefix(self.region))
        if self.year is not None and not all_years:
            where.append("u.year = ?")
            params.append(self.year)
        for column in ("level", "template"):
            if getattr(self, column):
                where.append(f"u.{column} = ?")
                params.append(getattr(self, column))
        if self.rule:
            where.append(
                "(u.id IN (SELECT report_id FROM findings WHERE rule = ?) OR u.id IN (SELECT report_id FROM "
                "cross_findings WHERE rule = ?) OR u.id IN (SELECT unit_id FROM source_findings WHERE rule = ?))"
            )
            params += [self.rule] * 3
        return f"SELECT * FROM unit_reports u WHERE {' AND '.join(where)}", params


@dataclass(frozen=True, slots=True)
class Figure:
    """A sum over the units, with how many units gave a value and how many of those cells were
    derived (inferred) or uncertain."""

    value: Decimal | None
    units: int
    derived: int
    uncertain: int

    def json(self) -> dict[str, Any]:
        return {"value": _plain(self.value), "units": self.units, "derived": self.derived, "uncertain": self.uncertain}


def _plain(v: Any) -> Any:
    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral_value() else float(v)
    return v


def _add(figures: list[Figure]) -> Figure:
    values = [f.value for f in figures if f.value is not None]
    return Figure(
        sum(values, Decimal(0)) if values else None,
        max((f.units for f in figures), default=0),
        sum(f.derived for f in figures),
        sum(f.uncertain for f in figures),
    )


def _share(part: Figure, whole: Figure) -> float | None:
    return float(part.value / whole.value) if part.value is not None and whole.value else None


def _keys() -> list[str]:
    keys = [APPLICATIONS, TOTAL, *(k for ks in OUTCOMES.values() for k in ks), "requests.other.subtotal.total"]
    keys += [f"{g}.{c}" for gs in APPEALS.values() for g in gs for c in ("total", "corrected")]
    return keys


def dashboard(store: Store, filters: Filters = Filters(), *, top: int = 20) -> dict[str, Any]:
    """The dashboard's figures, tables and charts for the filtered units, as plain JSON-able data."""
    con = store.con.cursor()
    scope, params = filters.scope()
    counts = con.execute(
        f"WITH u AS ({scope}) SELECT count(*), count(DISTINCT agency_id), "
        "(SELECT count(*) FROM reports r WHERE r.current AND r.id IN (SELECT unnest(s.sources) FROM unit_sources s "
        "WHERE s.unit_id IN (SELECT id FROM u))) FROM u",
        params,
    ).fetchone()
    units, publishers, linked = counts if counts else (0, 0, 0)
    sums: dict[str, Figure] = {}
    for key, total, n, derived, uncertain in con.execute(
        f"WITH u AS ({scope}) SELECT c.key, sum(c.value), count(c.value), count(*) FILTER (WHERE c.flag = 'inferred'), "
        "count(*) FILTER (WHERE c.flag = 'uncertain') FROM unit_cells c WHERE c.unit_id IN (SELECT id FROM u) "
        "AND c.key IN (SELECT unnest(?)) GROUP BY c.key",
        [*params, _keys()],
    ).fetchall():
        sums[key] = Figure(total, n, derived, uncertain)
    # A 2021 report printing the 2019 single （六）其他处理 row keeps it as other.subtotal (cell-keys.md).
    row = con.execute(
        f"WITH u AS ({scope}) SELECT sum(c.value), count(c.value) FROM unit_cells c "
        "WHERE c.unit_id IN (SELECT id FROM u) "
        "AND c.key = 'requests.other.subtotal.total' AND c.unit_id NOT IN (SELECT unit_id FROM unit_cells WHERE "
        "key IN ('requests.other.no_correction.total', 'requests.other.no_fee.total', 'requests.other.other.total') "
        "AND value IS NOT NULL)",
        params,
    ).fetchone()
    empty = Figure(None, 0, 0, 0)
    outcome = {name: _add([sums.get(k, empty) for k in ks]) for name, ks in OUTCOMES.items()}
    if row and row[0] is not None:
        outcome["其他处理"] = _add([outcome["其他处理"], Figure(row[0], row[1], 0, 0)])
    applications, total = sums.get(APPLICATIONS, empty), sums.get(TOTAL, empty)
    labels = {k: get_template("2021").label_of(f"requests.denied.{k}.total").split("·")[0] for k in DENIED}
    refusals = [(labels[r], sums.get(f"requests.denied.{r}.total", empty)) for r in DENIED]
    appeals = {}
    for name, groups in APPEALS.items():
        t = _add([sums.get(f"{g}.total", empty) for g in groups])
        c = _add([sums.get(f"{g}.corrected", empty) for g in groups])
        appeals[name] = {"total": t.json(), "corrected": c.json(), "corrected_share": _share(c, t)}
    findings = con.execute(
        f"WITH u AS ({scope}) SELECT rule, severity, count(*) AS n, count(DISTINCT id) AS units FROM ("
        "SELECT f.report_id AS id, f.rule, f.severity FROM findings f WHERE f.report_id IN (SELECT id FROM u) "
        "UNION ALL SELECT x.report_id, x.rule, x.severity FROM cross_findings x "
        "WHERE x.report_id IN (SELECT id FROM u) "
        "UNION ALL SELECT s.unit_id, s.rule, s.severity FROM source_findings s WHERE s.unit_id IN (SELECT id FROM u)"
        ") GROUP BY ALL ORDER BY n DESC, rule",
        params,
    ).fetchall()
    ranked_errors = con.execute(
        f"WITH u AS ({scope}) SELECT id, agency, year, errors, warnings FROM u WHERE errors > 0 "
        "ORDER BY errors DESC, warnings DESC, agency LIMIT ?",
        [*params, top],
    ).fetchall()
    ranked_late = con.execute(
        f"WITH u AS ({scope}) SELECT id, agency, year, published, {LATE_DAYS} AS days FROM u "
        f"WHERE {LATE_DAYS} > 0 ORDER BY days DESC, agency LIMIT ?",
        [*params, top],
    ).fetchall()
    all_years, year_params = filters.scope(all_years=True)
    by_year = con.execute(
        f"WITH u AS ({all_years}) SELECT u.year, count(DISTINCT u.id), sum(c.value), count(c.value) FROM u "
        f"LEFT JOIN unit_cells c ON c.unit_id = u.id AND c.key = '{APPLICATIONS}' GROUP BY u.year ORDER BY u.year",
        year_params,
    ).fetchall()
    regions = _by_region(con, filters, scope, params)
    charts = _charts(by_year, outcome, refusals, findings, regions)
    return {
        "filters": {k: getattr(filters, k) for k in ("region", "year", "level", "template", "rule")},
        "region_name": division_name(filters.region) if filters.region else "全国",
        "units": units,
        "publishers": publishers,
        "linked_reports": linked,
        "applications": applications.json(),
        "handled": total.json(),
        "granted_share": _share(outcome["予以公开"], total),
        "outcomes": [{"outcome": name, **f.json()} for name, f in outcome.items()],
        "refusals": [{"reason": name, **f.json()} for name, f in refusals],
        "appeals": appeals,
        "findings": [{"rule": r, "severity": s, "n": n, "units": k} for r, s, n, k in findings],
        "ranked_errors": [
            {"id": i, "agency": a, "year": y, "errors": e, "warnings": w} for i, a, y, e, w in ranked_errors
        ],
        "ranked_late": [
            {"id": i, "agency": a, "year": y, "published": p.isoformat() if p else None, "days_late": d}
            for i, a, y, p, d in ranked_late
        ],
        "by_year": [{"year": y, "units": n, "applications": _plain(s), "reporting": k} for y, n, s, k in by_year],
        "by_region": [{"code": c, "name": n, "units": k, "applications": _plain(s)} for c, n, k, s in regions],
        "charts": {c.name: c.table() for c in charts},
    }


def _by_region(con: Any, filters: Filters, scope: str, params: list[Any]) -> list[tuple[str, str, int, Any]]:
    """Applications per division directly under the region (the provinces for the whole country)."""
    below = children(filters.region)
    if not below:
        return []
    width = {"province": 2, "city": 4, "county": 6, "town": 9}[_level(below[0][0])]
    names = {code[:width]: name for code, name, _ in below}
    rows = con.execute(
        f"WITH u AS ({scope}) SELECT left(u.region_code, {width}) AS part, count(DISTINCT u.id), sum(c.value) FROM u "
        f"LEFT JOIN unit_cells c ON c.unit_id = u.id AND c.key = '{APPLICATIONS}' GROUP BY part ORDER BY part",
        params,
    ).fetchall()
    full = {code[:width]: code for code, _, _ in below}
    return [(full[p], names[p], n, s) for p, n, s in rows if p in names]


def _level(code: str) -> str:
    from ogi.units import division_level

    return division_level(code) or "province"


def _charts(
    by_year: list[Any],
    outcome: dict[str, Figure],
    refusals: list[tuple[str, Figure]],
    findings: list[Any],
    regions: list[Any],
) -> list[Chart]:
    return [
        Chart(
            "applications_by_year", "各年度新收申请数", "line", ["年度", "新收申请"], [(y, s) for y, _, s, _ in by_year]
        ),
        Chart(
            "outcomes",
            "办理结果构成",
            "bar",
            ["办理结果", "件数"],
            [(n, f.value or 0) for n, f in outcome.items()],
            _note(list(outcome.values())),
        ),
        Chart(
            "refusals",
            "不予公开的理由",
            "bar",
            ["理由", "件数"],
            [(n, f.value or 0) for n, f in refusals],
            _note([f for _, f in refusals]),
        ),
        Chart(
            "findings",
            "发现的问题（按规则）",
            "bar",
            ["规则", "条数"],
            [(f"{r}（{s}）", n) for r, s, n, _ in findings[:15]],
        ),
        Chart("regions", "各地区新收申请数", "treemap", ["地区", "新收申请"], [(n, s) for _, n, _, s in regions]),
    ]


def _note(figures: list[Figure]) -> str:
    derived, uncertain = sum(f.derived for f in figures), sum(f.uncertain for f in figures)
    if not derived and not uncertain:
        return "所有数字均为原文印出"
    return f"其中{derived}格为按勾稽关系推算、{uncertain}格为不确定读数"


def dashboard_charts(data: dict[str, Any]) -> dict[str, Chart]:
    """The charts of a :func:`dashboard` result, ready to draw."""
    kinds = {
        "applications_by_year": "line",
        "outcomes": "bar",
        "refusals": "bar",
        "findings": "bar",
        "regions": "treemap",
    }
    out = {}
    for name, t in data["charts"].items():
        out[name] = Chart(name, t["title"], kinds[name], t["columns"], [tuple(r) for r in t["rows"]], t["note"])  # type: ignore[arg-type]
    return out


__all__ = ["Figure", "Filters", "dashboard", "dashboard_charts"]
