"""Real published reports with hand-read truth (../shared/corpus): every truth file is run, every
cell equals the truth or is flagged in a way pinned here, and the real defects are found.

The cell rule is :mod:`tests.truth`'s. What each report gives beyond exact cells is pinned in
:data:`PINNED` (cells whose value the identities force, the place of the truth among an uncertain
cell's readings, how many cells are uncertain), so a changed value in a truth file, or a changed
reading, fails here. Known misreads are pinned in :data:`KNOWN_MISREADS` with the issue that fixes
them; the strict xfail below turns into a failure (XPASS) the day they are fixed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache

import pytest

import ogi
from ogi.readers import read_document
from ogi.readers._util import is_page_number
from tests.conftest import CORPUS, TRUTH, need_shared
from tests.grids import check_grids, find_table
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
    "004_pingtan_2024": Pinned(uncertain=3),
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
    "019_shanghai_szfbgt_2025": Pinned(
        ranked={"active.rules.repealed": 2, "active.rules.in_force": 2, "active.normative.in_force": 2}, uncertain=6
    ),
}
ISSUE_10 = (
    "issue 10: 019 is a PDF→Markdown conversion whose two-line cells were moved out of the tables as loose "
    "lines and whose table 三 rows carry two label cells; ogi does not read those back yet: 21 cells of "
    "tables 二 and 三 come out null or misread and the agency (in a garbled title) is not found"
)
_MISSING = "got None (missing, readings [None])"
KNOWN_MISREADS: dict[str, dict[str, str]] = {
    "019_shanghai_szfbgt_2025": {
        "agency": "truth '上海市人民政府办公厅', got None",
        "active.normative.repealed": "truth 55, got 189 (uncertain, readings [189, 34, None])",
        **{f"active.{r}.decisions": f"truth 0, {_MISSING}" for r in ("licensing", "penalty", "coercion")},
        "active.fees.amount": f"truth 0, {_MISSING}",
        **{
            f"requests.{row}.{col}": f"truth {value}, {_MISSING}"
            for row, values in {
                "rejected.confirmation": (0, 0, 0, 0),
                "other.no_correction": (40, 1, 2, 43),
                "other.no_fee": (0, 0, 0, 0),
                "other.other": (264, 12, 0, 276),
            }.items()
            for col, value in zip(("natural", "commercial", "legal", "total"), values, strict=True)
        },
    },
}


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


@pytest.mark.parametrize(
    "name", [pytest.param(n, marks=pytest.mark.xfail(strict=True, reason=ISSUE_10)) for n in KNOWN_MISREADS]
)
def test_known_misreads_are_fixed(name: str) -> None:
    """Fails (as expected) while KNOWN_MISREADS has entries; an XPASS means the fix landed: delete them."""
    truth = _truth(name)
    assert misreads(_parsed(truth["file"]), truth) == {}


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
