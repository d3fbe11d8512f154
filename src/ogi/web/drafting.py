"""填报 in the web app: what the form's pages (:mod:`ogi.web.views.fill`) and its API
(:mod:`ogi.web.views.fill_api`) share — last year's report, the live check as JSON, starting,
saving, importing, rendering and submitting drafts.

Drafts are saved in the store's writer thread (:mod:`ogi.store.drafts`); rendering and reading
files run in the parsing processes. A submitted draft is rendered as DOCX and goes through the
same path as an upload (:func:`ogi.web.uploads.ingest_upload`): its bytes are kept, parsed like any
report and recorded as the unit's report — but only when the DOCX reads back to exactly the
draft's cells, so what is stored is what the author typed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from fastapi import HTTPException, Request
from fastapi.responses import Response

from ogi.batch.pool import JobFailed
from ogi.fill import Draft, DraftError, LiveCheck, Prefill, check_draft, prefill
from ogi.fill.files import Imported, draft_from_file, render_draft
from ogi.fill.prefill import template_for
from ogi.model import Report
from ogi.model.report import Number
from ogi.store.drafts import DraftConflict, DraftVersion, draft_history, get_draft, save_draft
from ogi.store.load import load_report, unit_report_id
from ogi.store.rows import ReportRows
from ogi.web import labels
from ogi.web.services import Services
from ogi.web.uploads import Upload, ingest_upload

MAX_DRAFT_BYTES = 2 << 20
"""A draft's JSON: six sections of text and a few hundred numbers fit many times over."""
FORMATS: dict[str, str] = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "md": "text/markdown; charset=utf-8",
    "txt": "text/plain; charset=utf-8",
}
SUBMIT_PREFIX = "fill/"
"""Submitted drafts are recorded under this path: one series per unit and year, so submitting
again makes the next version of the same report."""


@dataclass(frozen=True, slots=True)
class LastYear:
    """The unit's report of the year before, and what the form takes from it."""

    report_id: int
    report: Report
    start: Prefill
    """:func:`ogi.fill.prefill` of it: the carried cells, last year's values and texts."""


async def last_year(svc: Services, draft: Draft) -> LastYear | None:
    """The publisher's unit report of ``year - 1`` in the store (loaded once per report id)."""
    agency, year = (draft.agency or "").strip(), draft.year
    if not agency or year is None:
        return None
    report_id = await svc.read(lambda cur: unit_report_id(svc.read_store(), agency, year - 1))
    if report_id is None:
        return None

    async def load() -> Report:
        return await svc.read(lambda cur: load_report(svc.read_store(), report_id))

    report = await svc.reports.get(report_id, load)
    return LastYear(report_id, report, prefill(report, agency=agency, year=year, template=draft.template))


def draft_json(draft: Draft) -> dict[str, Any]:
    """The draft as JSON with exact numbers (for :class:`~ogi.web.jsonio.ExactJSONResponse`)."""
    return {**draft.to_json(), "cells": dict(draft.cells)}


def version_json(v: DraftVersion) -> dict[str, Any]:
    return {**v.summary(), "origin": v.origin, "draft": draft_json(v.draft)}


def draft_of(obj: object, source: str = "draft") -> Draft:
    """A validated draft; a bad one is a 422 whose detail names the key."""
    try:
        return Draft.from_json(obj, source)
    except DraftError as e:
        raise HTTPException(422, {"key": e.key, "message": e.reason.removeprefix(f"{e.key}: ")}) from e


async def json_body(request: Request) -> Any:
    """The request's JSON, numbers exact (amounts as Decimal); 413 past :data:`MAX_DRAFT_BYTES`."""
    body = await request.body()
    if len(body) > MAX_DRAFT_BYTES:
        raise HTTPException(413, f"a draft is at most {MAX_DRAFT_BYTES >> 20} MB of JSON")
    try:
        return json.loads(body, parse_float=Decimal)
    except ValueError as e:
        raise HTTPException(422, f"not JSON: {e}") from e


def _text(value: Number | None) -> str:
    return labels.number(value)


def live_json(draft: Draft, live: LiveCheck, last: LastYear | None) -> dict[str, Any]:
    """What the form shows: each marked cell with its expected value and why, the other notices,
    the totals the identities already fix, and how many cells are still empty."""
    t = draft.template
    marks: dict[str, dict[str, Any]] = {}
    for b in live.broken:
        place = str(labels.place(t, b.mark))
        mark = marks.setdefault(
            b.mark,
            {"expected": _text(b.expected), "value": _text(b.value), "place": place, "rules": [], "names": [],
             "messages": []},
        )  # fmt: skip
        mark["rules"].append(b.rule)
        mark["names"].append(labels.rule_name(b.rule).removeprefix("勾稽关系："))
        mark["messages"].append(b.message)
    return {
        "ok": live.ok,
        "marks": marks,
        "broken": [
            {
                "rule": b.rule,
                "name": labels.rule_name(b.rule),
                "mark": b.mark,
                "keys": list(b.keys),
                "expected": b.expected,
                "value": b.value,
                "message": b.message,
            }
            for b in live.broken
        ],
        "warnings": [
            {
                "rule": w.rule,
                "name": labels.rule_name(w.rule),
                "severity": w.severity,
                "keys": list(w.keys),
                "message": w.message,
                "expected": w.expected,
            }
            for w in live.warnings
        ],
        "suggestions": {k: _text(v) for k, v in live.suggestions.items()},
        "unfilled": live.unfilled,
        "not_ready": not_ready(draft, live),
        "last_report_id": last.report_id if last else None,
    }


async def check(svc: Services, draft: Draft) -> tuple[LiveCheck, LastYear | None]:
    last = await last_year(svc, draft)
    return check_draft(draft, last.report if last else None), last


async def save(svc: Services, draft: Draft, who: str, *, draft_id: int | None = None, base: int | None = None,
               origin: dict[str, Any] | None = None, report_id: int | None = None) -> DraftVersion:  # fmt: skip
    if not who.strip():
        raise HTTPException(422, "请填写保存人（who）")

    def job(store: Any) -> DraftVersion:
        return save_draft(store, draft, who=who, draft_id=draft_id, base=base, origin=origin, report_id=report_id)

    try:
        return await svc.writer.run(job)
    except DraftConflict as e:
        why = f"草稿已被保存为第{e.latest}版（你打开的是第{base}版）：请打开最新版，再填入你的修改"
        raise HTTPException(409, why) from e


async def start(svc: Services, *, agency: str, year: int, template: str | None, who: str) -> DraftVersion:
    """A new draft for ``agency``'s report on ``year``, pre-filled from its report of the year
    before when the store has it."""
    agency = agency.strip()
    if not agency:
        raise HTTPException(422, "请填写发布机关")
    if not 2008 <= year <= 2100:
        raise HTTPException(422, f"年度「{year}」不在 2008–2100 之间")
    template = template or template_for(year)
    last = await last_year(svc, Draft(template=template, agency=agency, year=year))  # type: ignore[arg-type]
    begun = last.start if last else prefill(None, agency=agency, year=year, template=template)
    origin = {"how": "last_year", "report_id": last.report_id, "year": year - 1} if last else {"how": "blank"}
    return await save(svc, begun.draft, who, origin=origin)


async def import_file(svc: Services, upload: Upload, who: str) -> DraftVersion:
    """A new draft from an uploaded report file, parsed in the parsing processes."""
    if upload.data is None:
        raise HTTPException(422, f"{upload.name}: {upload.error}")
    try:
        got: Imported | str = await svc.pool.run(draft_from_file, upload.data, upload.name)
    except JobFailed as e:
        raise HTTPException(422, f"{upload.name}: {e.reason}") from e
    if isinstance(got, str):
        raise HTTPException(422, f"{upload.name}: {got}")
    flagged = {k: [flag, value] for k, (flag, value) in got.flagged.items()}
    origin = {"how": "file", "file": upload.name, "flagged": flagged, "errors": got.findings}
    return await save(svc, got.draft, who, origin=origin)


async def load(svc: Services, draft_id: int, version: int | None = None) -> DraftVersion:
    found = await svc.read(get_draft, draft_id, version)
    if found is None:
        raise HTTPException(404, f"没有编号为 {draft_id} 的草稿" + (f"的第{version}版" if version else ""))
    return found


async def history(svc: Services, draft_id: int) -> list[dict[str, Any]]:
    return await svc.read(draft_history, draft_id)


# --- files --------------------------------------------------------------------------------------


def file_name(draft: Draft, fmt: str) -> str:
    """``淮安市洪泽区人民政府2024年政府信息公开工作年度报告.docx``: the title, nothing a path could use."""
    agency = re.sub(r'[\x00-\x1f\x7f/\\:*?"<>|]', "", draft.agency or "")[:80]
    return f"{agency}{f'{draft.year}年' if draft.year else ''}政府信息公开工作年度报告.{fmt}"


async def render(svc: Services, draft: Draft, fmt: str) -> bytes:
    if fmt not in FORMATS:
        raise HTTPException(422, f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
    try:
        return await svc.pool.run(render_draft, draft, fmt)
    except JobFailed as e:
        raise HTTPException(500, f"rendering failed: {e.reason}") from e


async def rendition(svc: Services, v: DraftVersion, fmt: str) -> bytes:
    """A saved version as ``fmt``; a version never changes, so its files are cached."""

    async def make() -> bytes:
        return await render(svc, v.draft, fmt)

    return await svc.renditions.get((v.draft_id, v.version, fmt), make)


def download(data: bytes, fmt: str, name: str, fallback: str) -> Response:
    """A file to save, never shown by this site (an HTML rendition holds the author's text)."""
    return Response(
        data,
        media_type=FORMATS[fmt],
        headers={
            "Content-Disposition": f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}",
            "Content-Security-Policy": "sandbox",
        },
    )


# --- submitting -----------------------------------------------------------------------------------


def not_ready(draft: Draft, live: LiveCheck) -> str | None:
    """Why the draft cannot be submitted yet (in Chinese, for the form), or None."""
    missing = [name for name, v in (("发布机关", draft.agency), ("年度", draft.year), ("发布日期", draft.published))
               if not v]  # fmt: skip
    if missing:
        return f"请先填写{'、'.join(missing)}"
    t = draft.template
    if live.broken:
        marks = live.marks()
        first = "；".join(f"{labels.place(t, k)} 应为 {_text(v)}" for k, v in list(marks.items())[:3])
        return f"有 {len(live.broken)} 处勾稽关系不符，改正后才能提交：{first}"
    if live.unfilled:
        first = "；".join(str(labels.place(t, k)) for k in live.unfilled[:3])
        more = "等" if len(live.unfilled) > 3 else ""
        return f"还有 {len(live.unfilled)} 个单元格未填（没有发生的请填 0）：{first}{more}"
    return None


def reads_back(draft: Draft) -> Callable[[list[ReportRows]], str | None]:
    """A check of the parsed DOCX before it is recorded: the same publisher, year and template,
    every cell the draft's value with no flag. A difference would store a number the author did
    not type, so it refuses the submission instead."""
    want = draft.values()

    def accept(parsed: list[ReportRows]) -> str | None:
        if len(parsed) != 1:
            return f"the rendered DOCX reads as {len(parsed)} reports"
        r = parsed[0]
        facts = [(name, r.report[name], getattr(draft, name)) for name in ("agency", "year", "template")]
        wrong = [f"{name} {got!r} ≠ {typed!r}" for name, got, typed in facts if got != typed]
        got = {k: (v, f) for k, v, f in zip(r.cell_keys, r.cell_values, r.cell_flags, strict=True)}
        for key, typed in want.items():
            text, flag = got.get(key, (None, "missing"))
            value = None if text is None else Decimal(text)
            if value != (None if typed is None else Decimal(typed)) or (typed is not None and flag is not None):
                wrong.append(f"{labels.place(draft.template, key)} {text} ≠ {_text(typed)}")
        if wrong:
            return f"生成的 DOCX 读回与草稿不一致，未入库（请报告此问题）：{'；'.join(wrong[:5])}"
        return None

    return accept


async def submit(svc: Services, draft_id: int, who: str, base: int | None) -> dict[str, Any]:
    """Render the draft's latest version as DOCX and ingest it as the unit's report; record the
    submission as the draft's next version, pointing to the report."""
    if not who.strip():
        raise HTTPException(422, "请填写提交人（who）")
    async with svc.document_lock(f"draft-{draft_id}"):
        v = await load(svc, draft_id)
        if base is not None and base != v.version:
            raise HTTPException(409, f"草稿已保存为第{v.version}版（你打开的是第{base}版）：请重新打开后再提交")
        if v.report_id is not None:  # nothing changed since it was submitted
            return {"id": draft_id, "version": v.version, "report_id": v.report_id, "status": "unchanged",
                    "file": file_name(v.draft, "docx"), "findings": None}  # fmt: skip
        live, _ = await check(svc, v.draft)
        if (why := not_ready(v.draft, live)) is not None:
            raise HTTPException(409, why)
        data = await rendition(svc, v, "docx")
        name = file_name(v.draft, "docx")
        results = await ingest_upload(svc, Upload(name, data), path=SUBMIT_PREFIX + name, accept=reads_back(v.draft))
        result = results[0]
        if result.status == "failed" or result.id is None:
            raise HTTPException(422, f"未能入库：{result.error}")
        saved = await save(svc, v.draft, who, draft_id=draft_id, base=v.version, report_id=result.id)
    return {"id": draft_id, "version": saved.version, "report_id": result.id, "status": result.status,
            "file": name, "findings": result.findings}  # fmt: skip
