"""填报 pages: ``/fill`` starts a report for a unit and year (pre-filled from last year's report in
the store, or read from an uploaded draft) and lists the drafts; ``/fill/{id}`` is the form — the
official tables with an input in every cell, last year's value beside each, the six sections as
text areas with last year's text to copy in, the checks as the author types (``/static/fill.js``
calls ``POST /api/fill/check``), saving as versions, downloads, and submitting as the unit's report.

The form posts as a plain HTML form, so it works without scripts too; a refused post (a value
that is not a number, a stale version) shows the form again with everything that was typed.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from ogi.errors import OgiError
from ogi.fill import Draft, DraftError
from ogi.model import get_template
from ogi.review import CorrectionError, parse_value
from ogi.store.drafts import DraftVersion, list_drafts
from ogi.web import drafting
from ogi.web.fill_form import cell_texts, form_tables
from ogi.web.pages import nav, render
from ogi.web.security import require_write
from ogi.web.uploads import read_uploads
from ogi.web.views.common import services

router = APIRouter(include_in_schema=False)
nav("填报", "/fill", 25)
MAX_CELL_TEXT = 40
MAX_SECTION_TEXT = 100_000


def _agencies(cur: Any) -> list[str]:
    sql = "SELECT agency FROM unit_reports WHERE agency IS NOT NULL GROUP BY agency ORDER BY count(*) DESC LIMIT 2000"
    return [r[0] for r in cur.execute(sql).fetchall()]


@router.get("/fill", response_class=HTMLResponse)
async def start_page(request: Request, agency: str = "", year: int | None = None, page: int = 1) -> HTMLResponse:
    svc = services(request)
    per_page = 50
    total, drafts = await svc.read(lambda cur: list_drafts(cur, agency=agency, year=year, limit=per_page,
                                                           offset=(max(page, 1) - 1) * per_page))  # fmt: skip
    return render(request, "fill.html", drafts=drafts, total=total, page=max(page, 1),
                  pages=max(1, -(-total // per_page)), params={"agency": agency, "year": year or ""},
                  agencies=await svc.read(_agencies), default_year=date.today().year - 1)  # fmt: skip


@router.post("/fill", dependencies=[Depends(require_write)])
async def start(request: Request, agency: str = Form(""), year: int = Form(...), template: str = Form(""),
                who: str = Form("")) -> Response:  # fmt: skip
    if template not in ("", "2019", "2021"):
        raise HTTPException(422, f"没有「{template}」格式")
    v = await drafting.start(services(request), agency=agency, year=year, template=template or None, who=who)
    return RedirectResponse(f"/fill/{v.draft_id}", 303)


@router.post("/fill/import", dependencies=[Depends(require_write)])
async def import_form(request: Request, file: Annotated[UploadFile, File()], who: str = Form("")) -> Response:
    svc = services(request)
    upload = (await read_uploads([file], svc.settings))[0]
    v = await drafting.import_file(svc, upload, who)
    return RedirectResponse(f"/fill/{v.draft_id}", 303)


def _origin_text(origin: dict[str, Any]) -> str:
    how = origin.get("how")
    if how == "last_year":
        return f"由{origin.get('year')}年报告（#{origin.get('report_id')}）结转开始"
    if how == "file":
        flagged = len(origin.get("flagged", {}))
        return f"由上传文件「{origin.get('file')}」读入" + (f"，其中 {flagged} 个数未能确读，已标出" if flagged else "")
    return "由接口创建" if how == "api" else "空白表开始"


async def _form_page(request: Request, v: DraftVersion, *, draft: Draft | None = None,
                     texts: dict[str, str] | None = None, errors: dict[str, str] | None = None,
                     message: str = "", status: int = 200, latest: int | None = None) -> HTMLResponse:  # fmt: skip
    """The form for version ``v`` — or, after a refused post, for what was typed (``draft``, ``texts``)."""
    svc = services(request)
    draft = draft or v.draft
    live, last = await drafting.check(svc, draft)
    t = get_template(draft.template)
    last_sections = last.start.last_sections if last else {}
    sections = [{"key": s.key, "heading": s.ordinal + s.text, "text": draft.sections.get(s.key, ""),
                 "last": last_sections.get(s.key, "")} for s in t.sections]  # fmt: skip
    return render(
        request,
        "fill_form.html",
        status,
        v=v,
        d=draft,
        tables=form_tables(draft, texts or cell_texts(draft), live, last, v.origin, errors),
        live=drafting.live_json(draft, live, last),
        last=last,
        sections=sections,
        history=await drafting.history(svc, v.draft_id),
        origin=_origin_text(v.origin),
        formats=list(drafting.FORMATS),
        errors=errors or {},
        message=message,
        latest=latest if latest is not None else v.version,
        not_ready=drafting.not_ready(draft, live),
        instrument=t.instrument,
    )


@router.get("/fill/{draft_id}", response_class=HTMLResponse)
async def form_page(request: Request, draft_id: int, version: int | None = None, saved: int | None = None,
                    unchanged: bool = False) -> Response:  # fmt: skip
    svc = services(request)
    newest = await drafting.load(svc, draft_id)
    v = newest if version is None else await drafting.load(svc, draft_id, version)
    message = f"已保存为第{saved}版" if saved and saved == newest.version else ""
    message = "没有修改，未产生新版本" if unchanged else message
    return await _form_page(request, v, message=message, latest=newest.version)


def _form_fields(current: Draft, form: FormData) -> tuple[dict[str, Any], dict[str, str], dict[str, str]]:
    """The draft fields a form post gives (the readable ones), the typed text of each cell, and
    what is wrong, by cell key (or ``year``, ``published``)."""
    t = current.template
    texts = {k: str(form.get(f"cell.{k}", ""))[:MAX_CELL_TEXT] for k in current.values()}
    errors: dict[str, str] = {}
    cells = {}
    for key, text in texts.items():
        try:
            cells[key] = parse_value(t, key, text)
        except CorrectionError as e:
            errors[key] = str(e)
    fields: dict[str, Any] = {"template": t, "agency": str(form.get("agency", "")).strip()[:200] or None,
                              "cells": cells, "labels": current.labels}  # fmt: skip
    year_text = str(form.get("year", "")).strip()
    try:
        fields["year"] = int(year_text) if year_text else None
    except ValueError:
        errors["year"] = f"年度「{year_text}」不是数字"
    published_text = str(form.get("published", "")).strip()
    try:
        fields["published"] = date.fromisoformat(published_text) if published_text else None
    except ValueError:
        errors["published"] = f"发布日期「{published_text}」不是日期"
    sections = {}
    for s in get_template(t).sections:
        text = str(form.get(f"section.{s.key}", "")).replace("\r\n", "\n")[:MAX_SECTION_TEXT]
        if text.strip():
            sections[s.key] = text
    fields["sections"] = sections
    return fields, texts, errors


@router.post("/fill/{draft_id}", dependencies=[Depends(require_write)])
async def form_post(request: Request, draft_id: int) -> Response:
    """Save (``action=save``) or submit (``action=submit``) what the form holds."""
    svc = services(request)
    form = await request.form()
    current = await drafting.load(svc, draft_id)
    fields, texts, errors = _form_fields(current.draft, form)
    draft: Draft | None = None
    if not errors:
        try:
            draft = Draft.from_json(fields)
        except DraftError as e:
            errors[e.key.removeprefix("cells.")] = e.reason
    base_text = str(form.get("base", ""))
    base = int(base_text) if base_text.isdigit() else None
    who = str(form.get("who", ""))

    async def again(message: str, status: int) -> HTMLResponse:
        # Everything typed comes back: the cells as text, the rest as far as it could be read.
        readable = {k: v for k, v in fields.items() if k not in errors}
        readable["cells"] = {k: fields["cells"].get(k) for k in texts}  # a bad cell keeps its place in the layout
        shown = draft or current.draft.model_copy(update=readable)
        return await _form_page(request, current, draft=shown, texts=texts, errors=errors, message=message,
                                status=status)  # fmt: skip

    if draft is None:
        return await again(f"有 {len(errors)} 处填写有误，已标出，未保存", 422)
    changed = draft != current.draft
    try:
        if changed:
            current = await drafting.save(svc, draft, who, draft_id=draft_id, base=base)
        if form.get("action") == "submit":
            done = await drafting.submit(svc, draft_id, who, current.version)
            return RedirectResponse(f"/reports/{done['report_id']}", 303)
    except HTTPException as e:
        return await again(str(e.detail), e.status_code)
    except OgiError as e:
        return await again(str(e), 409)
    done = f"saved={current.version}" if changed else "unchanged=1"
    return RedirectResponse(f"/fill/{draft_id}?{done}#fill-actions", 303)
