"""The five seed reports (../shared/seeds): their real defects found; every cell, flag and finding of
each pinned by its golden file (tests/golden/seeds, see test_golden.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

import ogi
from tests.conftest import GOLDEN, SEEDS, need_shared
from tests.test_golden import assert_matches_golden

need_shared(SEEDS)

SEED_FILES = sorted(SEEDS.glob("*.txt"))


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.stem)
def test_output_matches_golden(path: Path, regen: bool) -> None:
    assert_matches_golden(path, GOLDEN / "seeds" / f"{path.stem}.json", regen)


def test_every_seed_golden_has_its_seed() -> None:
    assert {p.stem for p in (GOLDEN / "seeds").glob("*.json")} == {p.stem for p in SEED_FILES}
    assert len(SEED_FILES) == 5


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.stem)
def test_a_seed_is_one_report(path: Path) -> None:
    """A file of one report is never cut into parts (readers/split.py)."""
    reports = ogi.parse_all(path)
    assert len(reports) == 1 and reports[0].part is None


def test_000_truncated_procurement_row() -> None:
    r = ogi.parse(SEEDS / "000_d5ad828fb1d0e8fb.txt")
    # One number for two columns: cut short at the end is the first reading, but nothing proves it.
    projects, amount = r.cells["active.procurement.projects"], r.cells["active.procurement.amount"]
    assert (projects.value, projects.flag, projects.alternatives) == (43, "uncertain", [None])
    assert (amount.value, amount.flag, amount.alternatives) == (None, "uncertain", [43])
    assert any(f.rule == "ROW_SHORT" and "active.procurement.amount" in f.keys for f in r.findings)
    assert r.sections["other"].text == "无。"  # the stray page number "4" is not section text


def test_001_missing_procurement_and_extra_line() -> None:
    r = ogi.parse(SEEDS / "001_1cb59e66f00bcffe.txt")
    assert r.cells["active.procurement.projects"].flag == "missing"
    assert r.cells["active.procurement.amount"].flag == "missing"
    assert r.cells["active.extra.published_total"].value == 4267
    assert r.cells["active.licensing.change"].value == 2
    assert r.cells["active.fees.change"].value == -5
    rules = {f.rule for f in r.findings}
    assert {"ROW_SHORT", "MISSING_CELL", "EXTRA_LINE"} <= rules
    # The extra line is kept outside the identities: no identity mentions it.
    assert not any("active.extra.published_total" in f.keys for f in r.findings if f.rule.startswith("I"))


def test_002_lost_columns_are_flagged_not_guessed() -> None:
    r = ogi.parse(SEEDS / "002_167c701a66cee456.txt")
    assert r.cells["requests.new.total"].value == 0
    assert r.cells["requests.new.total"].flag is None
    assert r.cells["requests.new.natural"].flag == "inferred"
    assert r.cells["appeals.review.total"].value is None
    assert any(f.rule == "COLUMNS_SHIFTED" for f in r.findings)
    assert any(f.rule == "NOT_ASSESSABLE" for f in r.findings)


def test_003_sixteenth_number_in_table_four() -> None:
    r = ogi.parse(SEEDS / "003_c61ea60888540bc5.txt")
    extra = [f for f in r.findings if f.rule == "EXTRA_VALUES"]
    assert extra and "16" in extra[0].message and "15" in extra[0].message
    assert all(r.cells[k].value == 0 for k in r.cells if k.startswith("appeals."))
    assert any(f.rule == "LABEL_ALTERED" and f.printed == "1.本机关不掌握相关信息" for f in r.findings)
