"""Uploaded files: size limits, ZIPs opened into their files, then parse and record each one.

The format of every file is sniffed from its bytes (a ``.zip`` is an archive because it is one,
not because of its name); an archive's members pass the ZIP limits before any is inflated, and
members with absolute paths or ``..`` are refused. Parsing runs in the parsing processes and the
write in the store's writer thread, so a request thread never parses and never writes.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

import duckdb
from fastapi import HTTPException, UploadFile

from ogi.batch.pool import JobFailed
from ogi.errors import InputError
from ogi.readers.sniff import sniff
from ogi.readers.zipguard import ZipLimits, read_members
from ogi.store.db import Entry, Store, sha256_of
from ogi.store.rows import ReportRows, parse_file
from ogi.web.queries import current_reports_of, report_part
from ogi.web.services import Services
from ogi.web.settings import Settings

UPLOAD_PREFIX = "upload/"
"""Uploaded files are recorded under this path, their own name after it."""


@dataclass(frozen=True, slots=True)
class Upload:
    name: str
    data: bytes | None
    error: str | None = None


@dataclass
class UploadResult:
    file: str
    status: str
    """ok (parsed and stored), unchanged (these bytes were stored already), failed."""
    id: int | None = None
    error: str | None = None
    agency: str | None = None
    year: int | None = None
    findings: dict[str, int] = field(default_factory=dict)
    """How many findings of each severity."""
    part: dict[str, Any] | None = None
    """For a file that holds several reports (a compiled volume): which one this is,
    ``{"index", "count", "span"}``; None for a file of one report."""

    def as_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _name(filename: str | None) -> str:
    """A display name: the last part of what the browser sent (never used as a path on disk)."""
    base = PurePosixPath((filename or "").replace("\\", "/")).name.strip()
    return base or "unnamed"


def _too_large(name: str, limit_mb: int) -> HTTPException:
    return HTTPException(413, f"{name}: larger than {limit_mb} MB (--max-upload-mb)")


def _unzip(name: str, data: bytes, settings: Settings) -> list[Upload]:
    limits = ZipLimits(
        max_members=settings.max_files,
        max_member=min(settings.zip_limits.max_member, settings.max_upload),
        max_total=settings.zip_limits.max_total,
        max_ratio=settings.zip_limits.max_ratio,
        ratio_from=settings.zip_limits.ratio_from,
    )
    try:
        return [Upload(f"{name}/{member}", body, why) for member, body, why in read_members(data, name, limits)]
    except InputError as e:
        return [Upload(name, None, e.reason)]


async def read_uploads(files: list[UploadFile], settings: Settings) -> list[Upload]:
    """The request's files, archives opened; 413 when a file or their number is over the limits."""
    if len(files) > settings.max_files:
        raise HTTPException(413, f"{len(files)} files in one request (at most {settings.max_files})")
    out: list[Upload] = []
    for f in files:
        name = _name(f.filename)
        data = await f.read(settings.max_upload + 1)
        if len(data) > settings.max_upload:
            raise _too_large(name, settings.max_upload_mb)
        if data[:4] == b"PK\x03\x04" and sniff(data, name) == "zip":
            out += await asyncio.to_thread(_unzip, name, data, settings)
        else:
            out.append(Upload(name, data))
        if len(out) > settings.max_files:
            raise HTTPException(413, f"more than {settings.max_files} files in one request, archives counted by member")
    return out


def _record(store: Store, entry: Entry) -> tuple[str, tuple[int, ...]]:
    """In the writer thread: record the file, recheck its publishers across years; the status and
    the id of each report recorded."""
    added = store.add_many([entry])[0]
    agencies = {r.report["agency_id"] for r in entry.rows or [] if r.report["agency_id"]}
    if added.status == "added" and agencies:
        from ogi.store.crossyear import check_cross_year

        check_cross_year(store, agency_ids=sorted(agencies))
    return added.status, added.report_ids



def _counts(findings: list[tuple[Any, ...]]) -> dict[str, int]:
    counts = {"error": 0, "warning": 0, "info": 0}
    for f in findings:
        counts[f[1]] = counts.get(f[1], 0) + 1
    return counts


async def ingest_upload(
    services: Services,
    upload: Upload,
    *,
    path: str | None = None,
    accept: Callable[[list[ReportRows]], str | None] | None = None,
) -> list[UploadResult]:
    """Parse and record one uploaded file: a result per report it holds (one for most files, one
    per part for a compiled volume), or one saying why it failed; never raises for a bad file.
    ``path`` is what the file is recorded as (default ``upload/NAME``); ``accept``, when given,
    sees the parsed reports first and may refuse them with a reason (nothing is recorded then)."""
    if upload.data is None:
        return [UploadResult(upload.name, "failed", error=upload.error)]
    sha = sha256_of(upload.data)
    stored = await services.read(lambda cur: cur.execute(
        "SELECT status, error FROM documents WHERE sha256 = ?", [sha]).fetchone())  # fmt: skip
    if stored is not None:
        return await services.read(_unchanged, upload.name, sha, stored[1] if stored[0] == "failed" else None)
    path = path or UPLOAD_PREFIX + upload.name
    try:
        options = services.settings.parse_options
        outcome: list[ReportRows] | str = await services.pool.run(parse_file, upload.data, path, options)
    except JobFailed as e:
        if not e.cut_off:  # a dying process may be the machine, not the file: not recorded, as in ingest
            return [UploadResult(upload.name, "failed", error=e.reason)]
        outcome = e.reason
    if accept is not None and isinstance(outcome, list) and (refused := accept(outcome)) is not None:
        return [UploadResult(upload.name, "failed", error=refused)]
    rows = outcome if isinstance(outcome, list) else None
    error = outcome if isinstance(outcome, str) else None
    status, report_ids = await services.writer.run(_record, Entry(path, sha, upload.data, rows, error))
    if status == "unchanged":  # the same bytes arrived in another request meanwhile
        return await services.read(_unchanged, upload.name, sha, error)
    if rows is None:
        return [UploadResult(upload.name, "failed", error=error)]
    return [
        UploadResult(upload.name, "ok", rid, None, r.report["agency"], r.report["year"], _counts(r.findings),
                     report_part(r.report))
        for rid, r in zip(report_ids, rows, strict=True)
    ]  # fmt: skip


def _unchanged(cur: duckdb.DuckDBPyConnection, name: str, sha: str, failure: str | None) -> list[UploadResult]:
    if failure is not None:
        return [UploadResult(name, "failed", error=failure)]
    results = []
    for report_id in current_reports_of(cur, sha):
        res = cur.execute("SELECT agency, year, part, parts, source_range FROM reports WHERE id = ?", [report_id])
        row = res.fetchone()
        report = dict(zip([d[0] for d in res.description], row, strict=True)) if row else {}
        findings = cur.execute("SELECT rule, severity FROM findings WHERE report_id = ?", [report_id]).fetchall()
        results.append(UploadResult(name, "unchanged", report_id, None, report.get("agency"), report.get("year"),
                                    _counts(findings), report_part(report)))  # fmt: skip
    return results
