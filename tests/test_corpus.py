"""Real published reports with hand-read truth (../shared/corpus): every truth file is run, every
cell equals the truth or is flagged in a way pinned here, and the real defects are found.

The cell rule is :mod:`tests.truth`'s. What each report gives beyond exact cells is pinned in
:data:`PINNED` (cells whose value the identities force, the place of the truth among an uncertain
cell's readings, how many cells are uncertain), so a changed value in a truth file, or a changed
reading, fails here. A known misread is pinned in :data:`KNOWN_MISREADS` with the issue that fixes
it, so that its fix, too, fails the pin until the entry is removed (there is none today: 019, a
PDF→Markdown conversion, reads exactly since issue 10).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache

import pytest

import ogi
from ogi.fill import Draft
from ogi.readers import read_document
from ogi.readers._util import is_page_number
from ogi.render.formats import blank, render
from tests.conftest import CORPUS, GOLDEN, TRUTH, need_shared
from tests.grids import check_grids, find_table
from tests.test_golden import assert_matches_golden
from tests.test_pdf import assert_every_printed_cell_has_its_box
from tests.test_render import FAST
from tests.truth import score

need_shared(CORPUS, TRUTH)

TRUTH_FILES = sorted(TRUTH.glob("*.json"))
NAMES = [p.stem for p in TRUTH_FILES]


@dataclass(frozen=True)
class Pinned:
    forced: int = 0
    """Truth-null cells that ogi infers, each with the value the truth's printed cells force."""
    ranked: dict[str, int] = field(default_factory=dict)
    """Uncertain cells whose first reading is not the truth: the truth's place among the readings."""
    uncertain: int = 0
    """Truth cells that ogi flags uncertain (whichever reading is first)."""


PINNED: dict[str, Pinned] = {
    # The merged 2019-style （六）其他处理 row prints 0: its three 2021 sub-rows are forced to 0.
    "002_hongze_qzf_2023": Pinned(forced=21),
    # Crawler text: table 二's digits run together; the identities settle tables 三 and 四.
    # 004's narrative (本年度制发行政规范性文件62件) settles 本年制发 itself (NARRATIVE_DECIDED).
    "004_pingtan_2024": Pinned(uncertain=2),
    "006_pingtan_2023": Pinned(uncertain=3),
    "008_pingtan_2021": Pinned(ranked={"active.normative.made": 2, "active.normative.repealed": 2}, uncertain=3),
    "009_pingtan_2019": Pinned(uncertain=19),
    "010_pingtan_2020": Pinned(
        ranked={
            "active.licensing.change": 14,
            "active.licensing.decisions": 4,
            "active.other_services.prev_count": 2,
            "active.other_services.change": 2,
            "active.other_services.decisions": 3,
        },
        uncertain=16,
    ),
    # 135 blank cells: the printed totals force 130 of them (the truth's notes say so).
    "011_shanghai_szfbgt_2019": Pinned(forced=130),
}
KNOWN_MISREADS: dict[str, dict[str, str]] = {}
"""name → {cell key or metadata field: "truth X, got Y (flag, readings)"}, each with its issue in a comment."""


def _truth(name: str) -> dict:
    return json.loads((TRUTH / f"{name}.json").read_text(encoding="utf-8"))


@cache
def _parsed(file: str) -> ogi.Report:
    path = CORPUS / file
    assert path.exists(), f"the truth file names {file}, which is not in {CORPUS}"
    return ogi.parse(path)


def misreads(report: ogi.Report, truth: dict) -> dict[str, str]:
    """Every cell and metadata field that is neither right nor flagged as the rule allows."""
    out = dict(score(report, truth).wrong)
    got = {"template": report.template, "year": report.year, "agency": report.agency}
    got["published"] = report.published.isoformat() if report.published else None
    for field_name, value in got.items():
        if value != truth[field_name]:
            out[field_name] = f"truth {truth[field_name]!r}, got {value!r}"
    return out


def test_the_corpus_has_truth_files() -> None:
    assert len(NAMES) >= 12, NAMES
    assert {"019_shanghai_szfbgt_2025", "024_blank_form_2021"} <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_report_matches_its_truth(name: str) -> None:
    """Every cell of the truth file: exact; or, where the truth is null, null or flagged inferred with
    exactly the value that the truth's own printed cells force through identities 1–4 (an inferred
    value that the identities do not force fails: a flag does not excuse a number); or uncertain with
    the truth at the pinned place among its readings. Anything else is a misread, and only those of
    KNOWN_MISREADS may occur. Template, year, agency and publication date must equal the truth's."""
    truth = _truth(name)
    report = _parsed(truth["file"])
    s = score(report, truth)
    assert misreads(report, truth) == KNOWN_MISREADS.get(name, {})
    uncertain = sum(1 for k in truth["cells"] if k in report.cells and report.cells[k].flag == "uncertain")
    assert Pinned(s.forced, s.ranked, uncertain) == PINNED.get(name, Pinned())
    # What the reader of the document could not settle, ogi must not show as settled.
    assert [k for k in truth["uncertain"] if report.cells[k].flag != "uncertain"] == []
    assert report.part is None  # one report per file: never cut into parts (readers/split.py)


# --- real defects, one test per finding ---------------------------------------------------------


def test_crawler_tables_three_and_four_are_exact() -> None:
    """Tables 三 and 四 of a crawler dump are settled by the identities alone: nothing flagged."""
    for file in ("004_pingtan_2024.txt", "006_pingtan_2023.txt", "008_pingtan_2021.txt", "009_pingtan_2019.txt"):
        report = _parsed(file)
        flagged = [k for k, c in report.cells.items() if c.flag and not k.startswith("active.")]
        assert flagged == [], file


def test_2020_outcome_sum_breach_is_reported_with_printed_numbers() -> None:
    report = _parsed("010_pingtan_2020.txt")
    assert report.cells["requests.total.natural"].value == 20
    assert report.cells["requests.total.total"].value == 21
    i3 = {f.keys[0]: (f.expected, f.printed) for f in report.findings if f.rule == "I3"}
    assert i3 == {"requests.total.natural": ("26", "20"), "requests.total.total": ("27", "21")}
    assert not any(f.rule == "I1" for f in report.findings)


def test_table_two_splits_are_flagged_not_silent() -> None:
    report = _parsed("009_pingtan_2019.txt")
    cell = report.cells["active.normative.new_made"]
    assert (cell.value, cell.flag, cell.alternatives) == (89, "uncertain", [8, 898, 8989])
    amount = report.cells["active.procurement.amount"]
    assert amount.value == Decimal("7539.443252")
    assert amount.provenance is not None and amount.provenance.unit == "元"


def test_web_pages_and_pdfs_need_no_guessing() -> None:
    """Grids from HTML and PDF keep their cells apart: no cell of these is uncertain."""
    for file in ("001_huaian_szf_2024.pdf", "002_hongze_qzf_2023.pdf", "011_shanghai_szfbgt_2019.html",
                 "012_pingtan_2024.html", "014_pingtan_2023.html"):  # fmt: skip
        report = _parsed(file)
        assert [k for k, c in report.cells.items() if c.flag == "uncertain"] == [], file


def test_hongze_appeals_breach_is_reported_with_printed_numbers() -> None:
    report = _parsed("002_hongze_qzf_2023.pdf")
    assert [
        report.cells[f"appeals.review.{c}"].value for c in ("upheld", "corrected", "other", "pending", "total")
    ] == [10, 1, 0, 0, 0]
    i4 = {f.keys[0]: (f.expected, f.printed) for f in report.findings if f.rule == "I4"}
    assert i4 == {"appeals.review.total": ("11", "0"), "appeals.suit_after_review.total": ("5", "0")}
    assert report.meta["table3_layout"] == "2019"
    mixed = next(f for f in report.findings if f.rule == "TEMPLATE_MIXED")
    # The three 2021 sub-rows (null) and the printed row, stored as the subtotal: 4 rows × 7 columns.
    assert len(mixed.keys) == 28 and sum(".subtotal." in k for k in mixed.keys) == 7
    altered = [f for f in report.findings if f.rule == "LABEL_ALTERED"]
    assert [(f.printed, f.expected) for f in altered] == [("2.其他法律行政止公开", "2.其他法律行政法规禁止公开")]


def test_shanghai_blanks_stay_null_or_are_inferred() -> None:
    report = _parsed("011_shanghai_szfbgt_2019.html")
    # 821+35+?+?+2+1 = 859 forces the blank 科研机构 and 社会公益组织 cells to 0 …
    assert report.cells["requests.new.research"].flag == "inferred"
    # … and the column sums force every blank outcome cell of those columns, so the blank row total is 258+12+1+1.
    granted_total = report.cells["requests.granted.total"]
    assert (granted_total.value, granted_total.flag, granted_total.semantic) == (272, "inferred", "blank")
    assert granted_total.provenance is not None and granted_total.provenance.rule == "I2"
    assert report.cells["active.procurement.amount"].value == Decimal("25.1")
    assert report.published is not None and report.published.isoformat() == "2020-01-31"


def test_a_blank_form_invents_no_zero() -> None:
    report = _parsed("024_blank_form_2021.docx")
    assert {(c.value, c.flag) for c in report.cells.values()} == {(None, "blank")}
    rules = {f.rule: f for f in report.findings}
    assert set(rules) == {"BLANK_CELL", "MISSING_YEAR", "MISSING_AGENCY", "NOT_ASSESSABLE"}
    assert len(rules["BLANK_CELL"].keys) == 200


def test_our_blank_form_reads_like_the_one_circulated_to_agencies() -> None:
    real = _parsed("024_blank_form_2021.docx")
    ours = ogi.parse_bytes(render(blank("2021"), "docx"), "blank.docx")
    assert {k: c.value for k, c in ours.cells.items()} == _truth("024_blank_form_2021")["cells"]
    read = {k: (c.value, c.flag) for k, c in real.cells.items()}
    assert {k: (c.value, c.flag) for k, c in ours.cells.items()} == read
    assert {k: (s.heading, s.text) for k, s in ours.sections.items()} == {
        k: (s.heading, s.text) for k, s in real.sections.items()
    }
    assert sorted({f.rule for f in ours.findings}) == sorted({f.rule for f in real.findings})


# --- 019: a PDF→Markdown conversion (issue 10) ------------------------------------------------------


def test_019_matches_golden(regen: bool) -> None:
    """Every flag, provenance and finding of the real conversion (its values: the truth test above)."""
    assert_matches_golden(CORPUS / "019_shanghai_szfbgt_2025.md", GOLDEN / "corpus" / "019_shanghai_szfbgt_2025.json",
                          regen)  # fmt: skip
    assert {p.name for p in (GOLDEN / "corpus").iterdir()} == {"019_shanghai_szfbgt_2025.json"}


def test_019_agency_from_a_garbled_title_and_its_region() -> None:
    report = _parsed("019_shanghai_szfbgt_2025.md")
    assert (report.agency, report.year, report.published) == ("上海市人民政府办公厅", 2025, None)
    assert report.region is not None and report.region.code == "310000"


def test_019_rows_without_labels_are_placed_and_reported() -> None:
    report = _parsed("019_shanghai_szfbgt_2025.md")
    placed = {f.keys[0].rsplit(".", 1)[0] for f in report.findings if f.rule == "ROW_PLACED"}
    assert placed == {
        "requests.partial",
        "requests.rejected.confirmation",
        "requests.other.no_correction",
        "requests.other.no_fee",
    }
    # The row printed under a label fragment: "行政机关不再处理其政府信息公 | 40 | 1 | 0 | 0 | 2 | 0 | 43".
    row = [report.cells[f"requests.other.no_correction.{c}"].value for c in ("natural", "legal", "total")]
    assert row == [40, 2, 43]
    assert report.meta["table3_layout"] == "2021"
    assert not [f for f in report.findings if f.rule in ("MISSING_ROW", "ROW_UNPLACED", "TEMPLATE_MIXED")]


def test_019_loose_cells_fill_their_rows_with_notes_kept() -> None:
    report = _parsed("019_shanghai_szfbgt_2025.md")
    made, repealed = report.cells["active.rules.made"], report.cells["active.normative.repealed"]
    assert (made.value, made.flag) == (22, None)
    assert made.provenance is not None and made.provenance.note == "其中修订16件"
    assert (repealed.value, repealed.flag) == (55, None)
    assert repealed.provenance is not None and repealed.provenance.note == "含自然失效29件"
    assert report.cells["active.normative.in_force"].value == 189
    assert sum(f.rule == "CELL_PLACED" for f in report.findings) == 2
    # Rows printed out of the template's order are found where they are: 行政许可 0 before 规章.
    assert report.cells["active.licensing.decisions"].value == 0


# --- the readers on real files -------------------------------------------------------------------


def _document(file: str) -> tuple[ogi.model.Document, dict]:
    path = CORPUS / file
    return read_document(path.read_bytes(), path.name), _truth(path.stem)


def test_shanghai_html_blank_cells() -> None:
    doc, truth = _document("011_shanghai_szfbgt_2019.html")
    assert doc.meta["published"] == "2020-01-31"
    table = find_table(doc, 10)
    row = next(r for r in table.rows if r[1].text == "（一）予以公开")
    assert [c.text for c in row[3:]] == ["258", "12", "", "", "1", "1", ""]
    assert row[2].origin == (row[1].where.row - 1, 1)  # colspan 2 copy
    assert all(all(c.where.table == table.where.table for c in r) for r in table.rows)
    check_grids(doc, "2019", truth["cells"], active=False)


@pytest.mark.parametrize("file", ["012_pingtan_2024.html", "014_pingtan_2023.html"])
def test_pingtan_html(file: str) -> None:
    doc, truth = _document(file)
    assert [len(t.rows[0]) for t in doc.tables] == [4, 10, 15]
    assert doc.meta["published"] == truth["published"]
    assert "年度报告" in doc.meta["title"]
    check_grids(doc, "2021", truth["cells"])


@pytest.mark.parametrize("file", ["001_huaian_szf_2024.pdf", "002_hongze_qzf_2023.pdf"])
def test_corpus_pdf(file: str) -> None:
    doc, truth = _document(file)
    assert [len(t.rows[0]) for t in doc.tables] == [4, 10, 15]  # stitched across pages
    assert all(t.exact_columns for t in doc.tables)
    check_grids(doc, "2021", truth["cells"])
    text = doc.plain_text()
    assert "一、总体情况" in text and "六、其他需要报告的事项" in text
    assert not any(is_page_number(b.text) for b in doc.blocks if not isinstance(b, ogi.model.Table))
    assert any("page numbers" in n for n in doc.notes)


def test_hongze_pdf_appeals_row() -> None:
    doc, _ = _document("002_hongze_qzf_2023.pdf")
    assert [c.text for c in find_table(doc, 15).rows[-1]] == ["10", "1"] + ["0"] * 8 + ["5"] + ["0"] * 4


def test_huaian_pdf_label_split_by_page_break() -> None:
    doc, _ = _document("001_huaian_szf_2024.pdf")
    table = find_table(doc, 10)
    unable = [r for r in table.rows if r[2].text.startswith(("1.本机关", "2.没有", "3.补正"))]
    assert [r[1].text for r in unable] == ["（四）无\n法提供"] * 3
    assert unable[0][1].origin is None and unable[2][1].origin == (unable[0][1].where.row - 1, 1)
    assert {r[0].where.page for r in unable} == {4, 5}


@pytest.mark.parametrize("file", ["001_huaian_szf_2024.pdf", "002_hongze_qzf_2023.pdf"])
def test_corpus_pdf_cells_have_their_boxes(file: str) -> None:
    assert_every_printed_cell_has_its_box(CORPUS / file)


# --- real reports written again by ogi render -----------------------------------------------------


@pytest.mark.parametrize("name", [n for n in NAMES if "blank" not in n])
def test_real_reports_values_written_and_read_back(name: str) -> None:
    truth = json.loads((TRUTH / f"{name}.json").read_text(encoding="utf-8"), parse_float=Decimal)
    draft = Draft.from_json({k: truth[k] for k in ("template", "year", "agency", "published", "cells")}, name)
    report = draft.to_report()
    for fmt in FAST:
        back = ogi.parse_bytes(render(report, fmt), f"r.{fmt}")
        given = {k: v for k, v in truth["cells"].items() if v is not None}
        assert {k: back.cells[k].value for k in given} == given, (name, fmt)
        # Text keeps no column positions: in a row with empty cells the parser may doubt where the
        # numbers stand, and says so; the other formats keep the grid and need no doubt.
        doubt = {"uncertain"} if fmt in ("md", "txt") else set()
        assert {back.cells[k].flag for k in given} <= {None} | doubt, (name, fmt)
        # A value the report does not give prints empty: read back empty, or inferred (and flagged so)
        # where the identities leave one value only.
        nulls = [k for k, v in truth["cells"].items() if v is None]
        assert {back.cells[k].flag for k in nulls} <= {"blank", "inferred"} | doubt, (name, fmt)
        # A real report that breaks its identities is written as it is, and the same checks say so.
        identities = ("I1", "I2", "I3", "I4", "I7", "I8")
        assert sorted(f.rule for f in back.findings if f.rule in identities) == sorted(
            f.rule for f in report.findings if f.rule in identities
        )


# --- a real report scanned (OCR) -------------------------------------------------------------------


def test_huaian_scanned_reads_the_same_cells_as_its_text_pdf() -> None:
    """Pages 3–5 of the Huai'an report (its four tables, 三 across a page break) scanned at 200 dpi:
    OCR gives every cell the text PDF gives, and none of them silently wrong against the truth."""
    pytest.importorskip("rapidocr", reason="the ocr extra is not installed (pip install '.[ocr]')")
    from ogi.render.scan import scanned, to_pdf
    from tests.test_ocr import _silently_wrong, _subset, _table_cells

    pages = _subset((CORPUS / "001_huaian_szf_2024.pdf").read_bytes(), [2, 3, 4])
    as_text = ogi.parse_bytes(pages, "tables.pdf")
    as_scan = ogi.parse_bytes(to_pdf(scanned(pages, 200), 200), "scan.pdf")
    assert as_scan.meta["ocr_pages"] == "1,2,3"
    assert _table_cells(as_scan) == _table_cells(as_text)
    truth = _truth("001_huaian_szf_2024")["cells"]
    printed = [k for k, c in as_text.cells.items() if c.value is not None and not c.flag and k in truth]
    assert len(printed) > 150
    assert _silently_wrong(as_scan, truth, printed) == []
