"""Writing 比对报告 to a folder: one unit, or every unit of a region in one run.

Each unit gets ``<agency id>_<year>_比对报告.docx`` and ``.pdf``; the PDFs of a whole run come from
one LibreOffice start (starting it is the slow part). A region also gets ``<code>_<year>_比对汇总.xlsx``:
one row per unit (the ones with no report this year too), and every finding on a second sheet.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ogi.compare.docx import change, number, render_docx
from ogi.compare.html import render_page
from ogi.compare.model import SEVERITY_WORDS, Comparison, comparison
from ogi.errors import StoreError
from ogi.overview.charts import ChartError
from ogi.store.db import Store
from ogi.store.rollup import region_prefix
from ogi.units import division_name

PDF = "pdf:writer_pdf_Export"
RENDER_POOL_MIN = 12  # fewer documents render faster than worker processes start
_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


@dataclass
class CompareResult:
    region_code: str | None
    year: int
    units: list[Comparison] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    """Units with a report last year but none this year."""
    warnings: list[str] = field(default_factory=list)


def _stem(c: Comparison) -> str:
    return f"{_UNSAFE.sub('_', c.agency_id)}_{c.year}_比对报告"


def _render(c: Comparison) -> tuple[bytes, str | None]:
    """One unit's DOCX (the chart drawn into it) and why the chart is missing, if it is. Runs in the
    render processes of a region run: drawing and building the document are pure Python."""
    try:
        png, warning = c.chart().png(dpi=120), None
    except ChartError as e:
        png, warning = None, str(e)
    return render_docx(c, png), warning


def _rendered(units: list[Comparison], workers: int) -> Iterator[tuple[bytes, str | None]]:
    if workers <= 1 or len(units) < RENDER_POOL_MIN:
        yield from map(_render, units)
        return
    # The parent holds a DuckDB connection (threads): start the workers from a clean process.
    context = multiprocessing.get_context("forkserver" if sys.platform == "linux" else "spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        yield from pool.map(_render, units, chunksize=4)


def _write(
    units: list[Comparison],
    out: Path,
    result: CompareResult,
    pdf: bool,
    html: bool,
    progress: Callable[[int], None] | None = None,
) -> None:
    out.mkdir(parents=True, exist_ok=True)
    docx_paths = []
    for c, (docx, warning) in zip(units, _rendered(units, os.cpu_count() or 1), strict=True):
        if warning and warning not in result.warnings:
            result.warnings.append(warning)
        path = out / f"{_stem(c)}.docx"
        path.write_bytes(docx)
        docx_paths.append(path)
        if html:
            page = out / f"{_stem(c)}.html"
            page.write_text(render_page(c), encoding="utf-8")
            result.files.append(page)
        if progress:
            progress(1)
    result.files += docx_paths
    if pdf and docx_paths:
        result.files += _pdfs(docx_paths, out, result)


def _pdfs(paths: list[Path], out: Path, result: CompareResult) -> list[Path]:
    from ogi.readers.doc import convert

    with tempfile.TemporaryDirectory(prefix="ogi-compare-") as tmp:
        try:
            convert(paths, PDF, Path(tmp), timeout=120 + 10 * len(paths))
        except (FileNotFoundError, TimeoutError) as e:
            result.warnings.append(f"no PDF written: {e}")
            return []
        made = []
        for path in paths:
            pdf = Path(tmp) / f"{path.stem}.pdf"
            if pdf.exists() and pdf.stat().st_size:
                made.append(Path(shutil.move(pdf, out / pdf.name)))
            else:
                result.warnings.append(f"LibreOffice wrote no PDF for {path.name}")
        return made


def compare_unit(
    store: Store, agency: str, year: int, out: Path, *, pdf: bool = True, html: bool = False
) -> CompareResult:
    """The 比对报告 of one unit (id or name) for ``year`` against ``year - 1``, as DOCX and PDF in ``out``."""
    c = comparison(store, agency, year)
    result = CompareResult(None, year, [c])
    _write([c], out, result, pdf, html)
    return result


def compare_region(
    store: Store,
    region_code: str,
    year: int,
    out: Path,
    *,
    pdf: bool = True,
    html: bool = False,
    progress: Callable[[int], None] | None = None,
) -> CompareResult:
    """The 比对报告 of every unit of a region for ``year``, and the region's summary sheet."""
    prefix = region_prefix(region_code)
    ids = [
        r[0]
        for r in store.con.execute(
            "SELECT agency_id FROM unit_reports WHERE year = ? AND starts_with(region_code, ?) "
            "AND agency_id IS NOT NULL "
            "ORDER BY region_code, agency_id",
            [year, prefix],
        ).fetchall()
    ]
    if not ids:
        raise StoreError(
            f"no {year} reports of {division_name(region_code) or region_code} ({region_code}) in the store"
        )
    result = CompareResult(region_code, year, [comparison(store, a, year) for a in ids])
    result.missing = [
        r[0]
        for r in store.con.execute(
            "SELECT DISTINCT agency_id FROM unit_reports WHERE year = ? AND starts_with(region_code, ?) "
            "AND agency_id NOT IN (SELECT unnest(?)) ORDER BY 1",
            [year - 1, prefix, ids],
        ).fetchall()
    ]
    _write(result.units, out, result, pdf, html, progress)
    summary = out / f"{region_code}_{year}_比对汇总.xlsx"
    write_summary(result, summary)
    result.files.append(summary)
    return result


def write_summary(result: CompareResult, path: Path) -> None:
    """One row per unit: the main figures of both years, the findings, the most reused section."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "比对汇总"
    header = [
        "机关",
        "机关标识",
        "行政区划",
        f"{result.year}年发布日期",
        f"{result.year - 1}年报告",
        "来源数",
        "本年新收申请（上年）",
        "本年新收申请（本年）",
        "增减",
        "予以公开（本年）",
        "办理总计（本年）",
        "问题数",
        "其中错误",
        "跨年度问题",
        "多来源分歧",
        "文字最相似部分",
        "相似度",
        "文件",
    ]
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for c in result.units:
        by_name = dict(c.headline())
        new, granted, total = by_name["本年新收申请"], by_name["予以公开"], by_name["办理总计"]
        similar = max(
            (s for s in c.sections if s.similarity is not None), key=lambda s: s.similarity or 0, default=None
        )
        ws.append(
            [
                c.agency,
                c.agency_id,
                c.region_name,
                c.published,
                "有" if c.prev_id is not None else "无",
                len(c.sources),
                number(new.prev) if new else "—",
                number(new.cur) if new else "—",
                change(new) if new else "",
                number(granted.cur) if granted else "—",
                number(total.cur) if total else "—",
                len(c.issues),
                sum(i.severity == "error" for i in c.issues),
                sum(i.scope == "跨年度" for i in c.issues),
                sum(i.scope == "多来源" for i in c.issues),
                similar.heading if similar else "",
                round(similar.similarity or 0, 3) if similar else None,
                f"{_stem(c)}.docx",
            ]
        )
    for agency_id in result.missing:
        ws.append([agency_id, agency_id, None, "未发布", "有", 0])
    sheet = wb.create_sheet("问题清单")
    sheet.append(["机关", "范围", "规则", "性质", "说明"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for c in result.units:
        for i in c.issues:
            sheet.append([c.agency, i.scope, i.rule, SEVERITY_WORDS.get(i.severity, i.severity), i.message])
    for column, width in zip(
        "ABCDEFGHIJKLMNOPQR", (28, 22, 22, 14, 10, 8, 12, 12, 12, 12, 12, 8, 8, 10, 10, 24, 8, 40), strict=True
    ):
        ws.column_dimensions[column].width = width
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["E"].width = 100
    wb.save(path)


__all__ = ["CompareResult", "compare_region", "compare_unit", "write_summary"]
