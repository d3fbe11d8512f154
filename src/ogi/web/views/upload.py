"""Uploading reports: drop many files or a ZIP; each file shows its progress, then its publisher,
year and findings, or why it could not be read. The page's script sends one file per request to
``POST /api/reports``; without scripts the form posts here and the results come back as a page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Request, UploadFile
from fastapi.responses import HTMLResponse

from ogi.web.pages import nav, render
from ogi.web.security import require_write
from ogi.web.uploads import ingest_upload, read_uploads
from ogi.web.views.common import services

router = APIRouter(include_in_schema=False)
nav("上传", "/upload", 20)


@router.get("/upload", response_class=HTMLResponse)
def upload_page(request: Request) -> HTMLResponse:
    return render(request, "upload.html", results=[])


@router.post("/upload", response_class=HTMLResponse, dependencies=[Depends(require_write)])
async def upload_form(request: Request, files: Annotated[list[UploadFile], File()]) -> HTMLResponse:
    svc = services(request)
    uploads = await read_uploads(files, svc.settings)
    results = [r for u in uploads for r in await ingest_upload(svc, u)]
    return render(request, "upload.html", results=results)
