"""The XLSX reader on workbooks not written by ogi: tables found by their rulings on any sheet,
merged ranges as spans, numbers stored as numbers or as text; damaged files refused in one line."""

from __future__ import annotations

import random
import zipfile
from io import BytesIO

import pytest
from openpyxl import Workbook
from openpyxl.styles import Border, Side

import ogi
from ogi.errors import InputError
from ogi.model import get_template
from ogi.readers import read_document, sniff
from ogi.render.synth import synth_report

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def _ruled(ws, rows: list[list[object]], top: int, merges: list[str] = ()) -> None:  # type: ignore[no-untyped-def]
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            cell = ws.cell(top + r, c + 1, value)
            cell.border = BOX
    for m in merges:
        ws.merge_cells(m)


def _workbook() -> tuple[bytes, dict]:
    """A hand-made form: the title and narrative on one sheet, table 四 on a second sheet with
    numbers stored as numbers, and table 三's first rows, numbers stored as text."""
    cells = synth_report("2021", random.Random(2), agency="白山市江源区人民政府", year=2023).cells
    wb = Workbook()
    ws = wb.active
    ws.title = "正文"
    for r, text in enumerate(
        [
            "白山市江源区人民政府2023年政府信息公开工作年度报告",
            "一、总体情况",
            "略。",
            "四、政府信息公开行政复议、行政诉讼情况",
        ],
        1,
    ):
        ws.cell(r, 1, text)
    t = get_template("2021")
    appeals = [
        ["行政复议", "", "", "", "", "行政诉讼"] + [""] * 9,
        ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", "", "", "", "", "复议后起诉"]
        + [""] * 4,
        ["", "", "", "", ""] + ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2,
        [cells[k] for r in t.rows_of("appeals") for k in r.cell_keys],
    ]
    sheet = wb.create_sheet("表四")
    _ruled(sheet, appeals, 2, ["A2:E2", "F2:O2", "F3:J3", "K3:O3", *(f"{c}3:{c}4" for c in "ABCDE")])
    sheet.cell(8, 1, "五、存在的主要问题及改进情况")
    return _save(wb), cells


def _save(wb: Workbook) -> bytes:
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def test_a_hand_made_workbook_reads_its_tables_on_every_sheet() -> None:
    data, cells = _workbook()
    assert sniff(data, "form.bin") == "xlsx"
    doc = read_document(data, "form.xlsx")
    assert doc.format == "xlsx" and len(doc.tables) == 1
    rows = doc.tables[0].rows
    assert len(rows) == 4 and len(rows[0]) == 15
    assert rows[0][3].origin == (0, 0) and rows[0][3].text == "行政复议"  # a merged range is a span
    report = ogi.parse_bytes(data, "form.xlsx")
    assert (report.agency, report.year) == ("白山市江源区人民政府", 2023)
    appeals = [k for k in cells if k.startswith("appeals.")]
    assert {k: report.cells[k].value for k in appeals} == {k: cells[k] for k in appeals}


def test_numbers_stored_as_text_and_as_floats() -> None:
    wb = Workbook()
    ws = wb.active
    ws.cell(1, 1, "标题")
    _ruled(ws, [["行政事业性收费", "7730.28", 96171.6, 3.0]], 3)
    doc = read_document(_save(wb), "t.xlsx")
    assert [c.text for c in doc.tables[0].rows[0]] == ["行政事业性收费", "7730.28", "96171.6", "3"]


def test_damaged_workbooks_are_refused_in_one_line() -> None:
    data, _ = _workbook()
    broken = BytesIO()
    with zipfile.ZipFile(BytesIO(data)) as src, zipfile.ZipFile(broken, "w") as dst:
        for item in src.infolist():
            body = src.read(item)
            dst.writestr(item, body[: len(body) // 3] if item.filename.startswith("xl/worksheets/") else body)
    for bad in (broken.getvalue(), data[: len(data) // 2]):
        with pytest.raises(InputError) as info:
            ogi.parse_bytes(bad, "bad.xlsx")
        assert str(info.value).startswith("bad.xlsx: ") and "\n" not in str(info.value)
