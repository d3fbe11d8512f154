"""The dashboard: a corpus (or a region, a year, a tier, a template, a rule) at a glance.

Everything counts unit-years (several copies of one report count once) and sums their effective
cells (``unit_cells``: reconciled across sources, reviewed values first), kept per unit-year in
``unit_figures`` (:mod:`ogi.store.figures`) so a filter sums rows instead of scanning cells. Every
figure says how many of its cells were derived by the identities (``inferred``) or uncertain
readings, so a total built on guesses is visibly one. Nothing is drawn here: the charts come back
as their tables (:func:`dashboard_charts` makes them drawable).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ogi.errors import StoreError
from ogi.model.template import get_template
from ogi.overview.charts import Chart
from ogi.store.db import Store
from ogi.store.figures import DENIED, figures_stale, refresh_figures
from ogi.store.rollup import region_prefix
from ogi.store.schema import FIGURES
from ogi.units import children, division_name

OUTCOMES = {"予以公开": "granted", "部分公开": "partial", "不予公开": "denied", "无法提供": "unable",
            "不予处理": "rejected", "其他处理": "other"}  # fmt: skip
APPEALS = {"行政复议": ("review", "review_corrected"), "行政诉讼": ("suit", "suit_corrected")}
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
        """The SQL selecting the filtered unit-years' figures (``u``) and its parameters."""
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
                "u.unit_id IN (SELECT report_id FROM findings WHERE rule = ? "
                "UNION ALL SELECT report_id FROM cross_findings WHERE rule = ? "
                "UNION ALL SELECT unit_id FROM source_findings WHERE rule = ?)"
            )
            params += [self.rule] * 3
        return f"SELECT * FROM unit_figures u WHERE {' AND '.join(where)}", params


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


def _share(part: Figure, whole: Figure) -> float | None:
    return float(part.value / whole.value) if part.value is not None and whole.value else None


def _ensure_figures(store: Store) -> None:
    if figures_stale(store.con):
        if store.read_only:
            raise StoreError(
                f"{store.path}: the dashboard's figures are not built yet: run `ogi reconcile --db {store.path}`"
            )
        store.con.begin()
        refresh_figures(store.con)
        store.con.commit()


def dashboard(store: Store, filters: Filters = Filters(), *, top: int = 20) -> dict[str, Any]:
    """The dashboard's figures, tables and charts for the filtered unit-years, as plain JSON-able data."""
    _ensure_figures(store)
    con = store.con.cursor()
    scope, params = filters.scope()
    sums = ", ".join(f"sum({f}), count({f}), sum({f}_derived), sum({f}_uncertain)" for f in FIGURES)
    row = con.execute(
        f"WITH u AS ({scope}) SELECT count(*), count(DISTINCT agency_id), "
        "(SELECT count(*) FROM unit_sources s JOIN u ON u.unit_id = s.unit_id), "
        "(SELECT sum(len(s.sources)) FROM unit_sources s JOIN u ON u.unit_id = s.unit_id), "
        f"{sums} FROM u",
        params,
    ).fetchone()
    assert row is not None
    units, publishers, linked_units, linked_reports = row[:4]
    fig = {f: Figure(*row[4 + 4 * i : 8 + 4 * i]) for i, f in enumerate(FIGURES)}
    outcome = {name: fig[f] for name, f in OUTCOMES.items()}
    labels = {k: get_template("2021").label_of(f"requests.denied.{k}.total").split("·")[0] for k in DENIED}
    refusals = [(labels[r], fig[f"denied_{r}"]) for r in DENIED]
    appeals = {
        name: {"total": fig[t].json(), "corrected": fig[c].json(), "corrected_share": _share(fig[c], fig[t])}
        for name, (t, c) in APPEALS.items()
    }
    findings = con.execute(
        f"WITH u AS ({scope}), f AS (SELECT report_id AS id, rule, severity FROM findings "
        "UNION ALL SELECT report_id, rule, severity FROM cross_findings "
        "UNION ALL SELECT unit_id, rule, severity FROM source_findings), "
        "per_unit AS (SELECT f.rule, f.severity, f.id, count(*) AS n FROM f JOIN u ON u.unit_id = f.id GROUP BY ALL) "
        "SELECT rule, severity, sum(n) AS n, count(*) FROM per_unit GROUP BY ALL ORDER BY n DESC, rule",
        params,
    ).fetchall()
    ranked_errors = con.execute(
        f"WITH u AS ({scope}) SELECT unit_id, agency, year, errors, warnings FROM u WHERE errors > 0 "
        "ORDER BY errors DESC, warnings DESC, agency LIMIT ?",
        [*params, top],
    ).fetchall()
    ranked_late = con.execute(
        f"WITH u AS ({scope}) SELECT unit_id, agency, year, published, {LATE_DAYS} AS days FROM u "
        f"WHERE {LATE_DAYS} > 0 ORDER BY days DESC, agency LIMIT ?",
        [*params, top],
    ).fetchall()
    all_years, year_params = filters.scope(all_years=True)
    by_year = con.execute(
        f"WITH u AS ({all_years}) SELECT year, count(*), sum(applications), count(applications) FROM u "
        "GROUP BY year ORDER BY year",
        year_params,
    ).fetchall()
    regions = _by_region(con, filters, scope, params)
    applications, total = fig["applications"], fig["handled"]
    charts = _charts(by_year, outcome, refusals, findings, regions)
    return {
        "filters": {k: getattr(filters, k) for k in ("region", "year", "level", "template", "rule")},
        "region_name": division_name(filters.region) if filters.region else "全国",
        "units": units,
        "publishers": publishers,
        "linked_units": linked_units,
        "linked_reports": linked_reports or 0,
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
        f"WITH u AS ({scope}) SELECT left(region_code, {width}) AS part, count(*), sum(applications) FROM u "
        "GROUP BY part ORDER BY part",
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
