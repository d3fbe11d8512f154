"""The official layout in every output format: labels exactly as the templates print them, numbers as
the format prints them, empty cells empty (never 0), the page set up as the official form; blank
forms that parse back to all-null. The real blank form circulated to agencies and the real reports'
hand-read values written and read back are tested with the corpus (test_corpus.py)."""

from __future__ import annotations

import random
import re
import zipfile
from decimal import Decimal
from io import BytesIO

import docx
import pytest
from openpyxl import load_workbook

import ogi
from ogi.fill import Draft
from ogi.model import get_template
from ogi.model.template import TEMPLATE_IDS
from ogi.render.formats import FORMATS, RenderError, blank, blocks_of, format_of, render, render_many
from ogi.render.synth import synth_report

FAST = ("docx", "html", "xlsx", "md", "txt")


def _report(template: str = "2021", seed: int = 1, **cells: object) -> ogi.Report:
    rep = synth_report(template, random.Random(seed))
    values = {**rep.cells, **{k.replace("__", "."): v for k, v in cells.items()}}
    draft = Draft(template=template, year=rep.year, agency=rep.agency, published=rep.published,  # type: ignore[arg-type]
                  cells=values, sections=rep.sections)  # fmt: skip
    return draft.to_report()


def _texts(report: ogi.Report) -> dict[str, str]:
    """Every value cell's printed text, from the layout every format draws."""
    return {s.key: s.text for b in blocks_of(report) for row in b.table for s in row if s.key}


def _labels(report: ogi.Report) -> set[str]:
    return {s.text for b in blocks_of(report) for row in b.table for s in row if not s.key}


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_labels_exactly_as_the_template_prints_them(template_id: str) -> None:
    t = get_template(template_id)
    report = _report(template_id)
    blocks = blocks_of(report)
    assert blocks[0].text == f"{report.agency}{report.year}年政府信息公开工作年度报告"
    assert [b.text for b in blocks if b.kind == "heading"] == [s.ordinal + s.text for s in t.sections]
    d = report.published
    assert d is not None and [b.text for b in blocks[-2:]] == [report.agency, f"{d.year}年{d.month}月{d.day}日"]
    labels = _labels(report)
    raw = t.raw["tables"]
    expected = {r.label for r in t.rows_of("active")} | {g["heading"] for g in raw["active"]["groups"]}
    expected |= {c.label for r in t.rows_of("active") for c in r.columns} | {raw["active"]["header"]}
    expected |= {r.official_label for r in t.rows_of("requests")} | {c.label for c in t.requests_columns}
    expected |= {g["ordinal"] + g["text"] for g in t.requests_groups}
    expected |= {raw["requests"][k] for k in ("note", "column_group", "org_group", "outcome_label")}
    expected |= {r.label for r in t.rows_of("appeals")} | {c.label for c in t.appeals_columns} | {"行政诉讼"}
    assert expected <= labels, expected - labels
    assert set(_texts(report)) == set(t.keys)  # one value cell per key, nothing else


def test_numbers_print_as_the_format_prints_them() -> None:
    report = _report("2019", 3, active__fees__change=-5, active__licensing__change=2, active__penalty__change=0,
                     active__procurement__amount=Decimal("7730.2800000000"), requests__new__legal=0,
                     appeals__review__total=None)  # fmt: skip
    texts = _texts(report)
    assert texts["active.fees.change"] == "-5" and texts["active.licensing.change"] == "+2"
    assert texts["active.penalty.change"] == "0" and texts["requests.new.legal"] == "0"
    assert texts["active.procurement.amount"] == "7730.28"  # a stored DECIMAL's trailing zeros are not the value's
    assert texts["appeals.review.total"] == ""


@pytest.mark.parametrize("fmt", FAST)
def test_empty_cells_stay_empty_never_zero(fmt: str) -> None:
    empty = {"requests__granted__natural": None, "appeals__review__total": None, "active__fees__amount": None}
    report = _report("2021", 5, **empty)
    back = ogi.parse_bytes(render(report, fmt), f"r.{fmt}")
    for key in ("requests.granted.natural", "appeals.review.total", "active.fees.amount"):
        # Printed empty: read as blank, and a 0 only where the identities force it, flagged inferred.
        cell = back.cells[key]
        assert cell.semantic == "blank" and (cell.value, cell.flag) in ((None, "blank"), (0, "inferred")), key
    others = [k for k, c in report.cells.items() if c.value is not None]
    assert {k: back.cells[k].value for k in others} == {k: report.cells[k].value for k in others}


def test_docx_page_fonts_and_merged_cells() -> None:
    data = render(_report("2021", 2), "docx")
    d = docx.Document(BytesIO(data))
    section = d.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert (round(section.left_margin.cm, 1), round(section.top_margin.cm, 1)) == (2.8, 3.7)
    rfonts = d.styles["Normal"].element.rPr.rFonts
    assert rfonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "仿宋"
    assert d.styles["Heading 1"].font.name == "黑体" and d.styles["Title"].font.name == "黑体"
    xml = zipfile.ZipFile(BytesIO(data)).read("word/document.xml").decode()
    assert xml.count("<w:gridSpan") > 20 and xml.count('<w:vMerge w:val="restart"/>') > 5
    assert xml.count("<w:cantSplit/>") == sum(len(t.rows) for t in d.tables)
    assert [len(t.columns) for t in d.tables] == [4, 10, 15]


def test_html_is_an_a4_page_with_keyed_cells() -> None:
    report = _report("2019", 2)
    page = render(report, "html").decode()
    assert "@page { size: A4;" in page and "Noto Serif CJK SC" in page and "Noto Sans CJK SC" in page
    keys = re.findall(r'data-key="([^"]+)"', page)
    assert sorted(keys) == sorted(get_template("2019").keys)


def test_xlsx_is_an_a4_sheet_with_numbers() -> None:
    report = _report("2019", 6, active__procurement__amount=Decimal("12.3400"), active__fees__change=-3)
    wb = load_workbook(BytesIO(render(report, "xlsx")))
    ws = wb.active
    assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4 and len(ws.merged_cells.ranges) > 100
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [c.value for c in cells if isinstance(c.value, str) and re.fullmatch(r"[+-]?\d+(\.\d+)?", c.value)]
    amount = next(c for c in cells if c.value == pytest.approx(12.34))
    change = next(c for c in cells if c.value == -3 and c.number_format == "+0;-0;0")
    assert amount.number_format == "0.00" and change is not None


def test_formats_by_suffix_and_bad_requests() -> None:
    assert {format_of(f"r{s}") for s in (".docx", ".PDF", ".htm", ".xlsx", ".md", ".txt")} == set(FORMATS)
    with pytest.raises(RenderError, match=r"'\.odt'"):
        format_of("r.odt")
    with pytest.raises(RenderError, match="unknown format"):
        render(_report(), "rtf")
    nothing = ogi.Report(file="x.txt", format="text")
    with pytest.raises(RenderError, match="no template"):
        render(nothing, "html")


# --- blank forms --------------------------------------------------------------------------------------

BLANK_RULES = {"BLANK_CELL", "MISSING_AGENCY", "MISSING_YEAR", "NOT_ASSESSABLE"}


def _assert_blank(back: ogi.Report, template_id: str) -> None:
    t = get_template(template_id)
    assert back.template == template_id and set(back.cells) == set(t.keys)
    assert {c.value for c in back.cells.values()} == {None}  # never a 0
    if back.format != "text":
        assert {c.flag for c in back.cells.values()} == {"blank"}
        assert {f.rule for f in back.findings} == BLANK_RULES
        return
    # Text keeps no merges and no empty lines: a row of nothing but tabs (table 四's values) reads as
    # missing, and with no value in a row a label's span cannot be told from its blank cells.
    assert {c.flag for c in back.cells.values()} <= {"blank", "missing"}
    text_noise = {"COLUMNS_SHIFTED", "ROW_SHORT", "MISSING_CELL"}
    assert BLANK_RULES <= {f.rule for f in back.findings} <= BLANK_RULES | text_noise


@pytest.mark.parametrize("fmt", FAST)
@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_blank_forms_parse_back_all_null(template_id: str, fmt: str) -> None:
    _assert_blank(ogi.parse_bytes(render(blank(template_id), fmt), f"blank.{fmt}"), template_id)


def test_blank_form_with_agency_and_year() -> None:
    back = ogi.parse_bytes(render(blank("2019", agency="新乡市卫滨区人民政府", year=2020), "docx"), "b.docx")
    assert (back.agency, back.year) == ("新乡市卫滨区人民政府", 2020)
    assert {c.value for c in back.cells.values()} == {None}


# --- PDF ------------------------------------------------------------------------------------------------


@pytest.mark.libreoffice
def test_pdf_pages_fonts_and_batch_order() -> None:
    import pdfplumber

    reports = [_report(t, s) for t, s in (("2019", 1), ("2021", 2), ("2021", 3))]
    pdfs = render_many(reports, "pdf")
    for report, data in zip(reports, pdfs, strict=True):
        back = ogi.parse_bytes(data, "r.pdf")
        assert (back.agency, back.year) == (report.agency, report.year)
        assert {k: back.cells[k].value for k in report.cells} == report.values()
        with pdfplumber.open(BytesIO(data)) as pdf:
            assert {(round(p.width), round(p.height)) for p in pdf.pages} == {(595, 842)}  # A4
            fonts = {c["fontname"] for p in pdf.pages for c in p.chars}
        # 仿宋 text and 黑体 headings: the fonts themselves where installed, Noto Serif/Sans CJK otherwise.
        assert any("Serif" in f or "FangSong" in f for f in fonts) and any("Sans" in f or "Hei" in f for f in fonts)


@pytest.mark.libreoffice
def test_blank_pdf_parses_back_all_null() -> None:
    _assert_blank(ogi.parse_bytes(render(blank("2021"), "pdf"), "blank.pdf"), "2021")


@pytest.mark.parametrize("fmt", FAST)
def test_a_2021_report_on_the_old_single_other_row_is_written_as_it_was(fmt: str) -> None:
    """Mixed reports (format.md §5.4, HZ23) print the 2019 one-row （六）其他处理 in a 2021 table 三."""
    rep = synth_report("2021", random.Random(13))
    cols = [c.key for c in get_template("2021").requests_columns]
    cells: dict = {k: v for k, v in rep.cells.items() if not k.startswith("requests.other.")}
    for c in cols:
        cells[f"requests.other.subtotal.{c}"] = sum(
            rep.cells[f"requests.other.{p}.{c}"] for p in ("no_correction", "no_fee", "other")
        )
    report = Draft(template="2021", year=rep.year, agency=rep.agency, published=rep.published, cells=cells,
                   sections=rep.sections).to_report()  # fmt: skip
    assert not [f for f in report.findings if f.severity == "error"]
    back = ogi.parse_bytes(render(report, fmt), f"r.{fmt}")
    assert back.meta["table3_layout"] == "2019"
    assert {k: back.cells[k].value for k in cells} == cells
    assert {back.cells[f"requests.other.{p}.natural"].value for p in ("no_correction", "no_fee", "other")} == {None}
