"""One report (``/reports/{id}``): its facts, the four tables in the official layout with every
cell marked, the findings linked both ways to their cells, the six sections' text, and beside
the tables the cell panel: where the selected cell was read, with the original (page image and
box, or the source text with the line marked), and the forms to settle it."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from ogi.model import get_template
from ogi.web import labels
from ogi.web.jobs import PAGE_PICTURES, PAGE_WIDTH_PX, render_page
from ogi.web.pages import render
from ogi.web.queries import ReportData, load_report
from ogi.web.source_view import excerpt, source_of
from ogi.web.tables import extension_cells, report_tables
from ogi.web.views.common import is_htmx, services

router = APIRouter(include_in_schema=False)


async def _load(request: Request, report_id: int) -> ReportData:
    data = await services(request).read(load_report, report_id)
    if data is None:
        raise HTTPException(404, f"没有编号为 {report_id} 的报告")
    return data


def _finding_view(data: ReportData) -> list[dict[str, Any]]:
    template = data.report["template"]
    return [
        {
            "f": f,
            "rule_name": labels.rule_name(f.rule),
            "places": [(k, labels.place(template, k)) for k in f.keys],
        }
        for f in data.findings
    ]


async def cell_panel(request: Request, data: ReportData, key: str | None, page: int | None = None) -> dict[str, Any]:
    """The panel's context: the selected cell's facts, findings and corrections, and the source excerpt."""
    svc = services(request)
    source = await source_of(svc, data.report)
    if key is None:
        return {"cell": None, "key": None, "source": excerpt(source, {}, page=page)}
    cell = data.cells.get(key)
    if cell is None:
        raise HTTPException(404, f"报告中没有这个单元格：{key}")
    parts = labels.where_parts(cell.provenance)
    printed = labels.printed_text(cell.provenance)
    template = data.report["template"]
    choices = [a for a in [cell.value, *cell.alternatives] if a is not None]
    return {
        "cell": cell,
        "key": key,
        "place": labels.place(template, key),
        "where": labels.where_chinese(cell.provenance),
        "printed": printed,
        "choices": list(dict.fromkeys(labels.number(c) for c in choices)),
        "kind": get_template(template or "2021").kind_of(key),
        "findings": [f for f in data.findings if key in f.keys],
        "corrections": [c for c in data.corrections if c.key == key],
        "source": excerpt(source, parts, page=page or cell.page, box=cell.box, printed=printed),
    }


@router.get("/reports/{report_id}", response_class=HTMLResponse)
async def report_page(request: Request, report_id: int, cell: str | None = None, page: int | None = None) -> Response:
    data = await _load(request, report_id)
    template = data.report["template"]
    panel = await cell_panel(request, data, cell if cell in data.cells else None, page)
    counts = {s: sum(1 for f in data.findings if f.severity == s) for s in labels.SEVERITIES}
    return render(
        request,
        "report.html",
        data=data,
        r=data.report,
        tables=report_tables(template, data.cells, data.findings) if template else [],
        extensions=extension_cells(template, data.cells) if template else [],
        findings=_finding_view(data),
        counts=counts,
        panel=panel,
        template_title=get_template(template).instrument if template else "未识别",
        newest=next((v for v in data.versions if v["current"]), None),
    )


@router.get("/reports/{report_id}/cells/{key}", response_class=HTMLResponse)
async def cell_fragment(request: Request, report_id: int, key: str) -> Response:
    if not is_htmx(request):
        return RedirectResponse(f"/reports/{report_id}?cell={key}", 303)
    data = await _load(request, report_id)
    panel = await cell_panel(request, data, key)
    return render(request, "_cell_panel.html", data=data, r=data.report, panel=panel)


@router.get("/reports/{report_id}/source", response_class=HTMLResponse)
async def source_fragment(request: Request, report_id: int, page: int | None = None) -> Response:
    """The panel without a cell: the original at ``page``."""
    if not is_htmx(request):
        return RedirectResponse(f"/reports/{report_id}?page={page or 1}", 303)
    data = await _load(request, report_id)
    panel = await cell_panel(request, data, None, page)
    return render(request, "_cell_panel.html", data=data, r=data.report, panel=panel)


@router.get("/reports/{report_id}/pages/{page}.png")
async def page_image(request: Request, report_id: int, page: int) -> Response:
    """A PDF report's page rendered by pypdfium2, or a page of an image report (read by OCR) as
    the image itself, scaled (cached; the picture is addressed by content)."""
    svc = services(request)
    sql = "SELECT sha256, format FROM reports WHERE id = ?"
    row = await svc.read(lambda cur: cur.execute(sql, [report_id]).fetchone())
    if row is None or row[1] not in PAGE_PICTURES:
        raise HTTPException(404, "no page picture here")
    sha, fmt = row

    async def make() -> bytes:
        return await svc.pool.run(render_page, await svc.raw_bytes(sha), page, PAGE_WIDTH_PX, fmt)

    try:
        png = await svc.pages.get((sha, page), make)
    except ValueError as e:
        raise HTTPException(404, str(e)) from e
    return Response(png, media_type="image/png", headers={"Cache-Control": "private, max-age=86400"})
