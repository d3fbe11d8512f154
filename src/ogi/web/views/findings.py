"""Every finding of the stored reports in one list, filtered like the reports, each saying in
Chinese which table, row and column and what was printed against what was expected."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ogi.web import labels
from ogi.web.pages import nav, render
from ogi.web.queries import choices, list_findings
from ogi.web.views.common import page_filters, services

router = APIRouter(include_in_schema=False)
nav("问题清单", "/findings", 30)


@router.get("/findings", response_class=HTMLResponse)
def findings_page(request: Request) -> HTMLResponse:
    filters, page, per_page = page_filters(request)
    cur = services(request).reader()
    total, rows, by_severity = list_findings(cur, filters, page, per_page)
    for f in rows:
        f["places"] = [labels.place(f["template"], k) for k in f["keys"]]
    return render(
        request,
        "findings.html",
        filters=filters,
        params=filters.query_string(),
        total=total,
        rows=rows,
        by_severity=by_severity,
        page=page,
        pages=max(1, -(-total // per_page)),
        choices=choices(cur),
        levels=labels.LEVELS,
        severity_filter=True,
    )
