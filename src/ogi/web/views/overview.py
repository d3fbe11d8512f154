"""The corpus at a glance: the dashboard, coverage, a unit's history and its 比对报告, each a page
with its JSON route; every chart is drawn on the server (SVG) and its table served as CSV."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from ogi.compare.html import render_fragment
from ogi.compare.model import comparison
from ogi.overview.charts import Chart, ChartError
from ogi.overview.coverage import coverage
from ogi.overview.dashboard import Filters, dashboard, dashboard_charts
from ogi.overview.history import history
from ogi.web.jsonio import ExactJSONResponse
from ogi.web.pages import nav, render
from ogi.web.views.common import services

router = APIRouter()
nav("数据总览", "/dashboard", 5)
nav("发布情况", "/coverage", 6)


def _filters(request: Request) -> Filters:
    q = request.query_params
    year = q.get("year") or None
    if year is not None and not year.isdigit():
        raise HTTPException(422, f"年度「{year}」不是数字")
    return Filters(q.get("region") or None, int(year) if year else None, q.get("level") or None,
                   q.get("template") or None, q.get("rule") or None)  # fmt: skip


def _dashboard(request: Request) -> dict[str, Any]:
    return dashboard(services(request).read_store(), _filters(request))


def _chart(data: dict[str, Any], name: str) -> Chart:
    charts = dashboard_charts(data)
    if name not in charts:
        raise HTTPException(404, f"没有图表「{name}」")
    return charts[name]


@router.get("/api/dashboard")
def api_dashboard(request: Request) -> ExactJSONResponse:
    return ExactJSONResponse(_dashboard(request))


@router.get("/dashboard/charts/{name}.svg", include_in_schema=False)
def dashboard_chart(request: Request, name: str) -> Response:
    try:
        svg = _chart(_dashboard(request), name).svg()
    except ChartError as e:
        raise HTTPException(503, str(e)) from e
    return Response(svg, media_type="image/svg+xml")


@router.get("/dashboard/charts/{name}.csv", include_in_schema=False)
def dashboard_chart_csv(request: Request, name: str) -> Response:
    chart = _chart(_dashboard(request), name)
    return Response("\ufeff" + chart.csv(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})  # fmt: skip


@router.get("/dashboard", response_class=HTMLResponse, include_in_schema=False)
def dashboard_page(request: Request) -> HTMLResponse:
    data = _dashboard(request)
    query = request.url.query
    return render(request, "dashboard.html", d=data, query=query, filters=data["filters"])


def _coverage(request: Request) -> dict[str, Any]:
    region, year = request.query_params.get("region"), request.query_params.get("year")
    if not region or not year or not year.isdigit():
        raise HTTPException(422, "请给出行政区划代码（region）和年度（year）")
    c = coverage(services(request).read_store(), region, int(year))
    members = [{"name": m.name, "kind": m.kind, "code": m.code, "status": m.status, "agency_id": m.agency_id,
                "report_id": m.report_id, "published": m.published.isoformat() if m.published else None,
                "deadline": m.deadline.isoformat() if m.deadline else None, "days_late": m.days_late,
                "errors": m.errors, "sources": m.sources} for m in c.members]  # fmt: skip
    return {"region": c.region_code, "name": c.region_name, "year": c.year, "expected": c.expected,
            "published": c.count("published"), "late": c.count("late"), "missing": c.count("missing"),
            "share": c.share, "members": members}  # fmt: skip


@router.get("/api/coverage")
def api_coverage(request: Request) -> ExactJSONResponse:
    return ExactJSONResponse(_coverage(request))


@router.get("/coverage", response_class=HTMLResponse, include_in_schema=False)
def coverage_page(request: Request) -> HTMLResponse:
    q = request.query_params
    data = _coverage(request) if q.get("region") and q.get("year") else None
    return render(request, "coverage.html", c=data, region=q.get("region", ""), year=q.get("year", ""))


@router.get("/api/units/{agency_id}")
def api_unit(request: Request, agency_id: str, year: int | None = None) -> ExactJSONResponse:
    return ExactJSONResponse(history(services(request).read_store(), agency_id, text_year=year))


@router.get("/units/{agency_id}", response_class=HTMLResponse, include_in_schema=False)
def unit_page(request: Request, agency_id: str, year: int | None = None) -> HTMLResponse:
    h = history(services(request).read_store(), agency_id, text_year=year)
    charts = {}
    for name, t in h["charts"].items():
        chart = Chart(name, t["title"], "multiples" if name == "cells" else "line", t["columns"],
                      [tuple(r) for r in t["rows"]], t["note"])  # fmt: skip
        try:
            charts[name] = Markup(chart.svg())  # drawn by our own matplotlib code, not user markup
        except ChartError as e:
            charts[name] = str(e)
    return render(request, "unit.html", h=h, charts=charts)


@router.get("/units/{agency_id}/compare/{year}", response_class=HTMLResponse, include_in_schema=False)
def compare_page(request: Request, agency_id: str, year: int) -> HTMLResponse:
    c = comparison(services(request).read_store(), agency_id, year)
    return render(request, "compare.html", c=c, body=Markup(render_fragment(c)))  # escaped inside
