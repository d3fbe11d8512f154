"""The HTTP API (JSON; OpenAPI at ``/openapi.json``, read at ``/docs``): the model of ``ogi parse
--json``, every number exact (a Decimal is written as its digits, never through a float)."""

from __future__ import annotations

import asyncio
import tempfile
from dataclasses import asdict
from pathlib import Path, PurePosixPath
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, HTTPException, Query, Request, UploadFile
from fastapi.responses import FileResponse, Response
from starlette.background import BackgroundTask

from ogi import __version__
from ogi.batch.pool import JobFailed
from ogi.model import Report
from ogi.store.queries import export
from ogi.web import labels
from ogi.web.jobs import parse_reports
from ogi.web.jsonio import ExactJSONResponse
from ogi.web.queries import (
    MAX_PER_PAGE,
    PER_PAGE,
    Filters,
    FindingRow,
    ReportData,
    list_findings,
    list_reports,
    load_report,
    report_part,
)
from ogi.web.queries import matching_ids as report_ids
from ogi.web.security import require_write
from ogi.web.uploads import Upload, ingest_upload, read_uploads
from ogi.web.views.common import services

router = APIRouter(prefix="/api", default_response_class=ExactJSONResponse)

MEDIA = {"pdf": "application/pdf", "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
EXPORT_MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "parquet": "application/vnd.apache.parquet",
}


def api_filters(
    agency: str = Query("", description="Any part of the publisher's name (屠园 finds 屠园镇人民政府)."),
    region: str = Query("", description="Division code prefix (32, 3208, 320813) or any part of its name (淮安)."),
    year: int | None = Query(None),
    template: Literal["", "2019", "2021"] = Query(""),
    level: str = Query("", description="部委, 省, 市, 县区, 乡镇街道 or 部门."),
    rule: str = Query("", description="Only reports with a finding of this rule (e.g. I3)."),
) -> Filters:
    return Filters(agency=agency, region=region, year=year, template=template, level=level, rule=rule)


def _page(page: int = Query(1, ge=1), per_page: int = Query(PER_PAGE, ge=1, le=MAX_PER_PAGE)) -> tuple[int, int]:
    return page, per_page


@router.get("/health")
def health(request: Request) -> ExactJSONResponse:
    svc = services(request)
    reports, schema = svc.reader().execute(
        "SELECT (SELECT count(*) FROM reports WHERE current), (SELECT max(version) FROM schema_version)"
    ).fetchone() or (0, 0)
    return ExactJSONResponse({"status": "ok", "version": __version__, "reports": reports, "schema_version": schema,
                              "workers": svc.pool.workers})  # fmt: skip


def exact_summary(report: Report) -> dict[str, Any]:
    """``Report.summary()`` with the numbers as they are (int or Decimal), not floats."""
    out = report.summary()
    out["cells"] = {k: c.value for k, c in report.cells.items()}
    out["alternatives"] = {k: list(c.alternatives) for k, c in report.cells.items() if c.alternatives}
    return out


@router.post("/parse", dependencies=[Depends(require_write)])
async def parse(request: Request, files: Annotated[list[UploadFile], File()]) -> ExactJSONResponse:
    """Parse and check the files (a ZIP counts as its files); store nothing. One item per file: the
    ``ogi parse --json`` object of its report, or a list of them, one per report, for a file that
    holds several (a compiled volume; each with its ``part``); a file that cannot be read as
    ``{"file", "error"}``."""
    svc = services(request)
    uploads = await read_uploads(files, svc.settings)

    async def one(u: Upload) -> dict[str, Any] | list[dict[str, Any]]:
        if u.data is None:
            return {"file": u.name, "error": u.error}
        try:
            outcome = await svc.pool.run(parse_reports, u.data, u.name, svc.settings.parse_options)
        except JobFailed as e:
            return {"file": u.name, "error": str(e)}
        if isinstance(outcome, str):
            return {"file": u.name, "error": outcome}
        summaries = [exact_summary(r) for r in outcome]
        return summaries[0] if len(summaries) == 1 else summaries

    return ExactJSONResponse(list(await asyncio.gather(*(one(u) for u in uploads))))


@router.post("/reports", dependencies=[Depends(require_write)])
async def upload_reports(request: Request, files: Annotated[list[UploadFile], File()]) -> ExactJSONResponse:
    """Ingest the files (a ZIP counts as its files) into the store. One entry per report: ``ok``
    (parsed and stored), ``unchanged`` (these bytes are stored already) or ``failed`` with the
    reason. A file holding several reports (a compiled volume) gives an entry for each, with its
    ``part`` (index, count, span); a file that fails gives one."""
    svc = services(request)
    uploads = await read_uploads(files, svc.settings)
    results = await asyncio.gather(*(ingest_upload(svc, u) for u in uploads))
    return ExactJSONResponse({"reports": [r.as_json() for per_file in results for r in per_file]})


@router.get("/reports")
def get_reports(
    request: Request,
    filters: Annotated[Filters, Depends(api_filters)],
    paging: Annotated[tuple[int, int], Depends(_page)],
) -> ExactJSONResponse:
    """The current reports that pass the filters, newest first, with finding counts and review state."""
    page, per_page = paging
    total, rows = list_reports(services(request).reader(), filters, page, per_page)
    return ExactJSONResponse({"total": total, "page": page, "per_page": per_page,
                              "reports": [r.as_json() for r in rows]})  # fmt: skip


def _finding_json(f: FindingRow, template: str | None) -> dict[str, Any]:
    d = f.decision
    return {
        "rule": f.rule,
        "severity": f.severity,
        "keys": f.keys,
        "places": [str(labels.place(template, k)) for k in f.keys],
        "message": f.message,
        "expected": f.expected,
        "printed": f.printed,
        "cross_year": f.cross,
        "decision": None if d is None else {"decision": d.decision, "note": d.note, "who": d.who, "at": d.made_at},
    }


def report_json(data: ReportData) -> dict[str, Any]:
    """A stored report in the shape of ``ogi parse --json``, plus its id, versions and review."""
    r, cells = data.report, data.cells
    return {
        "id": r["id"],
        "file": r["path"],
        "format": r["format"],
        "sha256": r["sha256"],
        "template": r["template"],
        "year": r["year"],
        "agency": r["agency"],
        "agency_level": r["level"],
        "region": {
            "code": r["region_code"],
            "name": r["region_name"],
            "level": r["region_level"],
            "ambiguous": r["region_ambiguous"],
            "candidates": r["region_candidates"],
            "reason": r["region_reason"],
        },
        "published": r["published"],
        "part": report_part(r),
        "cells": {k: c.value for k, c in cells.items()},
        "flags": {k: c.flag for k, c in cells.items() if c.flag},
        "alternatives": {k: c.alternatives for k, c in cells.items() if c.alternatives},
        "provenance": {k: c.provenance for k, c in cells.items() if c.provenance},
        "boxes": {k: _box(c) for k, c in cells.items() if c.box},
        "findings": [_finding_json(f, r["template"]) for f in data.findings],
        "sections": {key: {"heading": heading, "text": text} for key, heading, text in data.sections},
        "meta": data.meta,
        "version": r["version"],
        "current": r["current"],
        "versions": data.versions,
        "review": {
            "state": data.review,
            "reviewed_cells": {
                k: {"value": c.value, "parsed_value": c.parsed_value, "parsed_flag": c.parsed_flag}
                for k, c in cells.items()
                if c.reviewed
            },
            "corrections": [asdict(c) for c in data.corrections],
        },
    }


@router.get("/reports/{report_id}")
def get_report(request: Request, report_id: int) -> ExactJSONResponse:
    """One stored report: the ``ogi parse --json`` object plus ``id``, ``versions`` and ``review``."""
    data = load_report(services(request).reader(), report_id)
    if data is None:
        raise HTTPException(404, f"no report {report_id}")
    return ExactJSONResponse(report_json(data))


@router.get("/reports/{report_id}/file", response_class=Response)
def report_file(request: Request, report_id: int) -> Response:
    """The original file's bytes, by report id only (from the content-addressed store). Always a
    download: a stored web page is never rendered by this site."""
    svc = services(request)
    row = svc.reader().execute("SELECT sha256, format, path FROM reports WHERE id = ?", [report_id]).fetchone()
    if row is None:
        raise HTTPException(404, f"no report {report_id}")
    sha, fmt, path = row
    data = svc.read_store().raw_path(sha).read_bytes()
    name = PurePosixPath(path.replace("\\", "/")).name or f"report-{report_id}"
    return Response(
        data,
        media_type=MEDIA.get(fmt, "application/octet-stream"),
        headers={
            "Content-Disposition": f"attachment; filename=\"report-{report_id}{PurePosixPath(name).suffix[:9]}\"; "
            f"filename*=UTF-8''{_quote(name)}",
            "Content-Security-Policy": "sandbox",
        },
    )


def _box(cell: Any) -> dict[str, Any]:
    """Where a cell was printed, as ``ogi parse --json`` gives it (with OCR's confidence)."""
    box = {"page": cell.page, "box": cell.box}
    return box if cell.confidence is None else {**box, "confidence": cell.confidence}


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name, safe="")


@router.get("/findings")
def get_findings(
    request: Request,
    filters: Annotated[Filters, Depends(api_filters)],
    paging: Annotated[tuple[int, int], Depends(_page)],
    severity: Literal["", "error", "warning", "info"] = Query(""),
) -> ExactJSONResponse:
    """Findings of the current reports that pass the filters, with their places in Chinese."""
    page, per_page = paging
    filters.severity = severity
    total, rows, by_severity = list_findings(services(request).reader(), filters, page, per_page)
    for f in rows:
        f["places"] = [str(labels.place(f["template"], k)) for k in f["keys"]]
    return ExactJSONResponse({"total": total, "by_severity": dict(by_severity), "page": page, "per_page": per_page,
                              "findings": rows})  # fmt: skip


@router.get("/export", response_class=FileResponse)
def get_export(
    request: Request,
    filters: Annotated[Filters, Depends(api_filters)],
    format: Literal["csv", "xlsx", "parquet"] = Query("csv"),
    shape: Literal["wide", "long"] = Query("wide"),
    chinese_headers: bool = Query(False),
) -> FileResponse:
    """The current reports that pass the filters, as ``ogi export`` writes them: reviewed values as
    the reviewer set them, and marked (wide: ``reviewed_keys``; long: ``reviewed``, ``parsed_value``)."""
    svc = services(request)
    ids = report_ids(svc.reader(), filters)
    folder = Path(tempfile.mkdtemp(prefix="ogi-export-"))
    out = folder / f"ogi-{shape}.{format}"
    export(svc.read_store(), format, shape, out, chinese_headers=chinese_headers, ids=ids)
    return FileResponse(out, media_type=EXPORT_MEDIA[format], filename=out.name,
                        background=BackgroundTask(_remove, folder))  # fmt: skip


def _remove(folder: Path) -> None:
    import shutil

    shutil.rmtree(folder, ignore_errors=True)
