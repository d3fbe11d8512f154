"""Inputs built to break one assumption each (see data/adversarial/README.md): never a wrong
number without a flag."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

import ogi

DATA = Path(__file__).parent / "data" / "adversarial"
CASES = sorted(p for p in DATA.iterdir() if p.suffix in (".txt", ".html"))


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_exact_or_flagged(path: Path) -> None:
    truth = json.loads((DATA / f"{path.stem}.truth.json").read_text(encoding="utf-8"))
    report = ogi.parse(path)
    wrong = []
    for key, text in truth.items():
        expected = None if text is None else Decimal(text)
        cell = report.cells[key]
        if cell.value == expected:
            continue
        if cell.flag == "uncertain" and expected in cell.alternatives:
            continue
        if expected is None and cell.flag == "inferred":
            continue
        wrong.append(f"{key}: truth {expected}, read {cell.value} ({cell.flag})")
    assert wrong == []


def test_budget_exhaustion_is_reported() -> None:
    report = ogi.parse(DATA / "budget.txt")
    assert any(f.rule == "SOLVER_LIMIT" for f in report.findings)


def test_a_footnote_mark_is_not_a_digit() -> None:
    report = ogi.parse(DATA / "footnote2.html")
    assert any(f.rule == "UNREADABLE_CELL" for f in report.findings)


def test_a_row_printed_twice_is_reported() -> None:
    report = ogi.parse(DATA / "md_dup.txt")
    assert any(f.rule == "DUPLICATE_ROW" for f in report.findings)
