"""Files that could not be read as reports, listed apart from the reports, each with its reason."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ogi.web.pages import nav, render
from ogi.web.queries import failed_documents
from ogi.web.views.common import services

router = APIRouter(include_in_schema=False)
nav("未能读取的文件", "/failed", 40)


@router.get("/failed", response_class=HTMLResponse)
def failed_page(request: Request) -> HTMLResponse:
    return render(request, "failed.html", rows=failed_documents(services(request).reader()))
