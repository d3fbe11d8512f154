"""The 填报 API: drafts (create, read, save as a new version, list), the live check, pre-filling
from last year's report, rendering and submitting. Drafts travel as the JSON of
:class:`ogi.fill.Draft` with exact numbers; a draft that is not valid is refused with 422 and
``{"detail": {"key", "message"}}`` naming the key."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, Field

from ogi.fill import Draft
from ogi.fill.prefill import template_for
from ogi.store.drafts import list_drafts
from ogi.web import drafting
from ogi.web.jsonio import ExactJSONResponse
from ogi.web.security import require_write
from ogi.web.uploads import read_uploads
from ogi.web.views.common import services

router = APIRouter(prefix="/api", tags=["填报"], default_response_class=ExactJSONResponse)
Format = Literal["docx", "pdf", "html", "xlsx", "md", "txt"]
# Drafts are read from the raw body with exact amounts (ogi.web.drafting.json_body) and validated
# as drafts (DraftError names the key); the schema is here for the OpenAPI document.
DRAFT_SCHEMA = Draft.model_json_schema()
DRAFT_BODY = {"requestBody": {"required": True, "content": {"application/json": {"schema": DRAFT_SCHEMA}}}}


class DraftCreate(BaseModel):
    """A new draft: ``draft`` as given, or (without it) pre-filled for ``agency`` and ``year`` from
    the unit's report of the year before in the store."""

    who: str = Field(max_length=100, description="Who saves it.")
    draft: dict[str, Any] | None = Field(None, json_schema_extra=DRAFT_SCHEMA)
    agency: str | None = Field(None, max_length=200)
    year: int | None = None
    template: Literal["2019", "2021"] | None = Field(None, description="Default: from the year (2019 for 2019–2020).")


class DraftSave(BaseModel):
    who: str = Field(max_length=100)
    draft: dict[str, Any] = Field(json_schema_extra=DRAFT_SCHEMA)
    base: int | None = Field(None, description="The version this edit started from: a save on top of a later "
                                               "version is refused with 409 instead of overwriting it.")  # fmt: skip


class DraftSubmit(BaseModel):
    who: str = Field(max_length=100)
    base: int | None = Field(None, description="The version being submitted; 409 when a later one was saved.")


async def _exact(request: Request, field: str | None = None) -> Draft:
    """The body's draft (or its ``field``), amounts exact, validated as a draft."""
    body = await drafting.json_body(request)
    return drafting.draft_of(body.get(field) if field and isinstance(body, dict) else body)


@router.get("/drafts")
def get_drafts(
    request: Request,
    agency: str = Query("", description="Any part of the publisher's name."),
    year: int | None = Query(None),
    page: int = Query(1, ge=1),
    per_page: int = Query(50, ge=1, le=500),
) -> ExactJSONResponse:
    """Drafts, most recently saved first: each one's latest version, how many versions it has, and
    the report it was last submitted as."""
    total, rows = list_drafts(services(request).reader(), agency=agency, year=year, limit=per_page,
                              offset=(page - 1) * per_page)  # fmt: skip
    return ExactJSONResponse({"total": total, "page": page, "per_page": per_page, "drafts": rows})


@router.post("/drafts", dependencies=[Depends(require_write)])
async def create_draft(request: Request, body: DraftCreate) -> ExactJSONResponse:
    """Create a draft (version 1). Without ``draft``, it is pre-filled as ``GET /api/fill/prefill``."""
    svc = services(request)
    if body.draft is not None:
        v = await drafting.save(svc, await _exact(request, "draft"), body.who, origin={"how": "api"})
    elif body.agency and body.year:
        v = await drafting.start(svc, agency=body.agency, year=body.year, template=body.template, who=body.who)
    else:
        raise HTTPException(422, "give a draft, or agency and year to pre-fill one")
    return ExactJSONResponse(drafting.version_json(v), 201)


@router.post("/drafts/import", dependencies=[Depends(require_write)])
async def import_draft(request: Request, file: Annotated[UploadFile, File()],
                       who: Annotated[str, Form(max_length=100)]) -> ExactJSONResponse:  # fmt: skip
    """Start a draft from a report file in any format ogi reads (parsed in the parsing processes).
    ``origin.flagged`` lists the cells the file did not print plainly (inferred, uncertain)."""
    svc = services(request)
    upload = (await read_uploads([file], svc.settings))[0]
    return ExactJSONResponse(drafting.version_json(await drafting.import_file(svc, upload, who)), 201)


@router.get("/drafts/{draft_id}")
async def get_draft(request: Request, draft_id: int, version: int | None = None) -> ExactJSONResponse:
    """A draft's latest version (or ``version``), its history and its live check."""
    svc = services(request)
    v = await drafting.load(svc, draft_id, version)
    live, last = await drafting.check(svc, v.draft)
    return ExactJSONResponse({**drafting.version_json(v), "versions": await drafting.history(svc, draft_id),
                              "check": drafting.live_json(v.draft, live, last)})  # fmt: skip


@router.put("/drafts/{draft_id}", dependencies=[Depends(require_write)])
async def save_draft(request: Request, draft_id: int, body: DraftSave) -> ExactJSONResponse:
    """Save the draft as its next version (every version is kept)."""
    svc = services(request)
    await drafting.load(svc, draft_id)
    v = await drafting.save(svc, await _exact(request, "draft"), body.who, draft_id=draft_id, base=body.base)
    return ExactJSONResponse(drafting.version_json(v))


@router.get("/drafts/{draft_id}/render", response_class=Response)
async def render_draft(request: Request, draft_id: int, format: Annotated[Format, Query()] = "docx",
                       version: int | None = None) -> Response:  # fmt: skip
    """A saved version in the official layout, as a download: DOCX, PDF (LibreOffice), HTML, XLSX,
    Markdown or text."""
    svc = services(request)
    v = await drafting.load(svc, draft_id, version)
    data = await drafting.rendition(svc, v, format)
    return drafting.download(data, format, drafting.file_name(v.draft, format),
                             f"draft-{draft_id}-v{v.version}.{format}")  # fmt: skip


@router.post("/drafts/{draft_id}/submit", dependencies=[Depends(require_write)])
async def submit_draft(request: Request, draft_id: int, body: DraftSubmit) -> ExactJSONResponse:
    """Ingest the draft as its unit's report: rendered as DOCX, kept as a document, parsed and
    recorded as an upload is — refused (409) while an identity is broken, a cell is empty or the
    publisher, year or date is missing. The submission is the draft's next version, with ``report_id``."""
    return ExactJSONResponse(await drafting.submit(services(request), draft_id, body.who, body.base))


@router.post("/fill/check", openapi_extra=DRAFT_BODY)
async def check(request: Request) -> ExactJSONResponse:
    """The live check of a draft (nothing is saved): each marked cell with the value it needs for the
    identities to hold, the other notices (with last year's report in the store: 上年结转, 现行有效件数,
    text copied from last year), the totals the identities already fix, the cells still empty."""
    exact = await _exact(request)
    live, last = await drafting.check(services(request), exact)
    return ExactJSONResponse(drafting.live_json(exact, live, last))


@router.get("/fill/prefill")
async def prefill(
    request: Request,
    agency: str = Query(..., max_length=200),
    year: int = Query(..., ge=2008, le=2100),
    template: Literal["2019", "2021"] | None = Query(None, description="Default: from the year."),
) -> ExactJSONResponse:
    """A new draft for ``agency`` and ``year`` (not saved): the cells carried over from last year's
    report in the store, last year's values and texts to show beside the form."""
    svc = services(request)
    blank = Draft(template=template or template_for(year), agency=agency, year=year)  # type: ignore[arg-type]
    last = await drafting.last_year(svc, blank)
    if last is None:
        return ExactJSONResponse({"draft": drafting.draft_json(blank), "carried": {}, "last_values": {},
                                  "last_sections": {}, "last_year": None, "last_report_id": None})  # fmt: skip
    start = last.start
    out: dict[str, Any] = {
        "draft": drafting.draft_json(start.draft),
        "carried": start.carried,
        "last_values": start.last_values,
        "last_sections": start.last_sections,
        "last_year": start.last_year,
        "last_report_id": last.report_id,
    }
    return ExactJSONResponse(out)


@router.post("/fill/render", response_class=Response, dependencies=[Depends(require_write)], openapi_extra=DRAFT_BODY)
async def render_unsaved(request: Request, format: Annotated[Format, Query()] = "docx") -> Response:
    """A draft given in the body (not saved) in the official layout, as a download."""
    exact = await _exact(request)
    data = await drafting.render(services(request), exact, format)
    return drafting.download(data, format, drafting.file_name(exact, format), f"draft.{format}")
