"""The list of reports (``/``): filters by name, region, year, level, template and rule; finding
counts by severity; review state."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ogi.web import labels
from ogi.web.pages import nav, render
from ogi.web.queries import choices, count_failed, list_reports
from ogi.web.views.common import page_filters, services

router = APIRouter(include_in_schema=False)
nav("报告列表", "/", 10)


@router.get("/", response_class=HTMLResponse)
def reports_page(request: Request) -> HTMLResponse:
    filters, page, per_page = page_filters(request)
    cur = services(request).reader()
    total, rows = list_reports(cur, filters, page, per_page)
    return render(
        request,
        "reports.html",
        filters=filters,
        params=filters.query_string(),
        total=total,
        rows=rows,
        page=page,
        pages=max(1, -(-total // per_page)),
        choices=choices(cur),
        levels=labels.LEVELS,
        failed=count_failed(cur),
    )
