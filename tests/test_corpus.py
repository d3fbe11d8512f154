"""Real published reports with hand-read truth: every cell equals the truth or is flagged."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

import ogi
from tests.conftest import CORPUS, need
from tests.truth import score

TEXT_REPORTS = ["004_pingtan_2024", "006_pingtan_2023", "008_pingtan_2021", "009_pingtan_2019", "010_pingtan_2020"]
GRID_REPORTS = [
    "001_huaian_szf_2024",
    "002_hongze_qzf_2023",
    "011_shanghai_szfbgt_2019",
    "012_pingtan_2024",
    "014_pingtan_2023",
]


def _truth(name: str) -> dict:
    return json.loads((need(CORPUS / "truth" / f"{name}.json")).read_text(encoding="utf-8"))


def _file(name: str) -> Path:
    matches = sorted(need(CORPUS).glob(f"{name}.*"))
    if not matches:
        pytest.skip(f"{name} is absent from {CORPUS}")
    return matches[0]


@pytest.mark.parametrize("name", TEXT_REPORTS + GRID_REPORTS)
def test_report_cells_equal_truth_or_are_flagged(name: str) -> None:
    truth = _truth(name)
    report = ogi.parse(_file(name))
    s = score(report, truth)
    assert s.wrong == []
    assert s.exact + s.flagged == len(truth["cells"])
    assert report.template == truth["template"]
    assert report.year == truth["year"]
    assert report.agency == truth["agency"]
    assert str(report.published) == str(truth["published"])


def test_crawler_tables_three_and_four_are_exact() -> None:
    """Tables 三 and 四 of a crawler dump are settled by the identities alone: nothing flagged."""
    for name in ("004_pingtan_2024", "006_pingtan_2023", "008_pingtan_2021", "009_pingtan_2019"):
        report = ogi.parse(_file(name))
        flagged = [k for k, c in report.cells.items() if c.flag and not k.startswith("active.")]
        assert flagged == [], name


def test_2020_outcome_sum_breach_is_reported_with_printed_numbers() -> None:
    report = ogi.parse(_file("010_pingtan_2020"))
    assert report.cells["requests.total.natural"].value == 20
    assert report.cells["requests.total.total"].value == 21
    i3 = {tuple(f.keys[:1]): f for f in report.findings if f.rule == "I3"}
    assert ("requests.total.natural",) in i3 and i3[("requests.total.natural",)].expected == "26"
    assert ("requests.total.total",) in i3 and i3[("requests.total.total",)].printed == "21"
    assert not any(f.rule == "I1" for f in report.findings)


def test_table_two_splits_are_flagged_not_silent() -> None:
    report = ogi.parse(_file("009_pingtan_2019"))
    cell = report.cells["active.normative.new_made"]
    assert cell.value == 89 and cell.flag == "uncertain" and cell.alternatives
    amount = report.cells["active.procurement.amount"]
    assert amount.provenance is not None and amount.provenance.unit == "元"


def test_web_pages_and_pdfs_need_no_guessing() -> None:
    """Grids from HTML and PDF keep their cells apart: no cell of these is uncertain."""
    for name in GRID_REPORTS:
        report = ogi.parse(_file(name))
        assert not [k for k, c in report.cells.items() if c.flag == "uncertain"], name


def test_hongze_appeals_breach_is_reported_with_printed_numbers() -> None:
    report = ogi.parse(_file("002_hongze_qzf_2023"))
    assert [
        report.cells[f"appeals.review.{c}"].value for c in ("upheld", "corrected", "other", "pending", "total")
    ] == [10, 1, 0, 0, 0]
    i4 = [f for f in report.findings if f.rule == "I4"]
    assert {f.keys[0] for f in i4} == {"appeals.review.total", "appeals.suit_after_review.total"}
    assert report.meta["table3_layout"] == "2019"
    assert any(f.rule == "TEMPLATE_MIXED" for f in report.findings)
    assert any(f.rule == "LABEL_ALTERED" for f in report.findings)  # 2.其他法律行政止公开


def test_shanghai_blanks_stay_null_or_are_inferred() -> None:
    report = ogi.parse(_file("011_shanghai_szfbgt_2019"))
    # 821+35+?+?+2+1 = 859 forces the blank 科研机构 and 社会公益组织 cells to 0 …
    assert report.cells["requests.new.research"].flag == "inferred"
    # … and the column sums force every blank outcome cell of those columns, so the blank row total is 258+12+1+1.
    granted_total = report.cells["requests.granted.total"]
    assert (granted_total.value, granted_total.flag, granted_total.semantic) == (272, "inferred", "blank")
    assert granted_total.provenance is not None and granted_total.provenance.rule == "I2"
    assert report.cells["active.procurement.amount"].value == Decimal("25.1")
    assert report.published.isoformat() == "2020-01-31"
