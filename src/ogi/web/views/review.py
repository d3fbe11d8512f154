"""Review: correct a cell (choose one of its readings or type a value; or restore the parsed one),
and confirm or dismiss a finding with a note — from the report page's forms and as API calls.

A correction re-parses the document in the parsing processes with all of its corrections applied,
so the checks run again on the corrected cells, and the store records the result as the report's
next version (:mod:`ogi.store.review`). One document's corrections run one at a time. In a file of
several reports (a compiled volume), each report (``reports.part``) has corrections of its own.
"""

from __future__ import annotations

import functools
from decimal import Decimal
from typing import Literal

import duckdb
from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field

from ogi.batch.pool import JobFailed
from ogi.review import CorrectionError, parse_value, reparse
from ogi.store.db import Store
from ogi.store.review import active_corrections, corrections_of, record_correction, record_decision
from ogi.store.rows import ReportRows
from ogi.web.jsonio import ExactJSONResponse
from ogi.web.queries import current_report_of, load_report
from ogi.web.security import require_write
from ogi.web.services import Services
from ogi.web.views.common import is_htmx, services

router = APIRouter(dependencies=[Depends(require_write)])


def _required(text: str, what: str) -> str:
    text = text.strip()
    if not text:
        raise HTTPException(422, f"请填写{what}")
    return text[:500]


def _record_and_recheck(store: Store, report_id: int, key: str, value: Decimal | int | None, revert: bool,
                        who: str, why: str, rows: ReportRows) -> int:  # fmt: skip
    """In the writer thread: the new version, then the publisher's cross-year checks."""
    new_id = record_correction(store, report_id, key, value, revert=revert, who=who, why=why, rows=rows)
    agency = store.con.execute("SELECT agency_id FROM reports WHERE id = ?", [new_id]).fetchone()
    if agency and agency[0]:
        from ogi.store.crossyear import check_cross_year

        check_cross_year(store, agency_ids=[agency[0]])
    return new_id


def _report_and_cell(
    cur: duckdb.DuckDBPyConnection, report_id: int, key: str
) -> tuple[str, str, str, int, int, bool] | None:
    row = cur.execute("SELECT sha256, path, template, part, parts FROM reports WHERE id = ?", [report_id]).fetchone()
    if row is None:
        return None
    has_cell = cur.execute("SELECT 1 FROM cells WHERE report_id = ? AND key = ?", [report_id, key]).fetchone()
    return (*row, has_cell is not None)


async def correct(svc: Services, report_id: int, key: str, text: str | None, *, revert: bool, who: str,
                  why: str) -> int:  # fmt: skip
    """Correct one cell (``text`` None: the document prints nothing there); returns the new report id."""
    who, why = _required(who, "审核人"), _required(why, "更正原因")
    row = await svc.read(_report_and_cell, report_id, key)
    if row is None:
        raise HTTPException(404, f"没有编号为 {report_id} 的报告")
    sha, path, template, part, parts, has_cell = row
    if not has_cell:
        raise HTTPException(422, f"报告中没有这个单元格：{key}")
    try:
        value = None if revert or text is None else parse_value(template, key, text)
    except CorrectionError as e:
        raise HTTPException(422, str(e)) from e
    async with svc.document_lock(sha):
        current, history = await svc.read(
            lambda cur: (current_report_of(cur, sha, part), corrections_of(cur, sha, part))
        )
        if current != report_id:
            raise HTTPException(409, "这份报告已有更新的版本，请在最新版本上更正")
        active = active_corrections(history)
        if revert:
            if key not in active:
                raise HTTPException(422, "这个单元格没有更正，无需恢复")
            del active[key]
        else:
            active[key] = None if value is None else Decimal(value)
        try:
            # A file of several reports is cut again and the same part corrected.
            data, options = await svc.raw_bytes(sha), svc.settings.parse_options
            rows = await svc.pool.run(reparse, data, path, active, part, parts, options)
        except JobFailed as e:
            raise HTTPException(500, f"重新解析失败：{e}") from e
        if isinstance(rows, str):
            raise HTTPException(500, f"重新解析失败：{rows}")
        job = functools.partial(_record_and_recheck, report_id=report_id, key=key, value=value, revert=revert,
                                who=who, why=why, rows=rows)  # fmt: skip
        return await svc.writer.run(job)


def _back(request: Request, url: str) -> Response:
    """After a form: htmx follows ``HX-Redirect``, a plain form the 303."""
    if is_htmx(request):
        return Response(status_code=204, headers={"HX-Redirect": url})
    return RedirectResponse(url, 303)


@router.post("/reports/{report_id}/cells/{key}/correct", include_in_schema=False)
async def correct_form(
    request: Request,
    report_id: int,
    key: str,
    value: str = Form(""),
    choice: str = Form(""),
    not_printed: bool = Form(False),
    revert: bool = Form(False),
    who: str = Form(""),
    why: str = Form(""),
) -> Response:
    text = value.strip() or choice.strip()
    if not revert and not text and not not_printed:
        raise HTTPException(422, "请选择一个读数、填写数值，或勾选“原文未印此数”")
    new_id = await correct(services(request), report_id, key, None if not_printed else text, revert=revert,
                           who=who, why=why)  # fmt: skip
    return _back(request, f"/reports/{new_id}?cell={key}")


@router.post("/reports/{report_id}/findings/{index}/decide", include_in_schema=False)
async def decide_form(
    request: Request,
    report_id: int,
    index: int,
    decision: Literal["confirmed", "dismissed", "open"] = Form(...),
    note: str = Form(""),
    who: str = Form(""),
) -> Response:
    svc = services(request)
    data = await svc.read(load_report, report_id)
    if data is None or not 0 <= index < len(data.findings):
        raise HTTPException(404, "没有这条问题")
    f = data.findings[index]
    job = functools.partial(record_decision, sha256=data.report["sha256"], part=data.report["part"], rule=f.rule,
                            keys=f.keys, decision=decision, note=note.strip()[:500],
                            who=_required(who, "审核人"))  # fmt: skip
    await svc.writer.run(job)
    return _back(request, f"/reports/{report_id}#f-{index}")


class CorrectionIn(BaseModel):
    key: str = Field(description="The cell key (../shared/spec/cell-keys.md).")
    value: str | int | None = Field(None, description="The reviewed value as text or a number; null: not printed.")
    revert: bool = Field(False, description="Take back this cell's correction: the parsed value again.")
    who: str
    why: str


class CorrectionOut(BaseModel):
    id: int = Field(description="The new version's report id.")
    previous: int


class DecisionIn(BaseModel):
    rule: str
    keys: list[str]
    decision: Literal["confirmed", "dismissed", "open"]
    note: str = ""
    who: str


@router.post("/api/reports/{report_id}/corrections", response_model=CorrectionOut, tags=["review"])
async def api_correct(request: Request, report_id: int, body: CorrectionIn) -> CorrectionOut:
    """Correct one cell: a new version of the report, the checks re-run (its findings are in
    ``GET /api/reports/{id}`` of the new id)."""
    text = None if body.value is None else str(body.value)
    new_id = await correct(services(request), report_id, body.key, text, revert=body.revert, who=body.who,
                           why=body.why)  # fmt: skip
    return CorrectionOut(id=new_id, previous=report_id)


@router.post("/api/reports/{report_id}/reviews", tags=["review"])
async def api_decide(request: Request, report_id: int, body: DecisionIn) -> ExactJSONResponse:
    """Confirm or dismiss one of the report's findings (by rule and cells), with a note."""
    svc = services(request)
    data = await svc.read(load_report, report_id)
    if data is None:
        raise HTTPException(404, f"没有编号为 {report_id} 的报告")
    if not any(f.rule == body.rule and f.keys == body.keys for f in data.findings):
        raise HTTPException(422, "the report has no such finding (rule and keys as GET /api/reports/{id} gives them)")
    who = _required(body.who, "审核人")
    job = functools.partial(record_decision, sha256=data.report["sha256"], part=data.report["part"],
                            rule=body.rule, keys=body.keys, decision=body.decision, note=body.note.strip()[:500],
                            who=who)  # fmt: skip
    d = await svc.writer.run(job)
    return ExactJSONResponse({"rule": d.rule, "keys": list(d.keys), "decision": d.decision, "note": d.note,
                              "who": d.who, "at": d.made_at})  # fmt: skip
