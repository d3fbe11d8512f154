"""Inputs built to break one assumption each (see data/adversarial/README.md): never a wrong
number without a flag."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

import ogi
from tests.truth import forced_values

DATA = Path(__file__).parent / "data" / "adversarial"
CASES = sorted(p for p in DATA.iterdir() if p.suffix in (".txt", ".html"))


# What each case gives besides exact cells: inferred cells (the truth null where the edit removed a
# cell, or the printed text not a number) with their values, and how many cells are uncertain.
INFERRED = {
    "cpl_six": {"requests.granted.natural": 0},
    "crawl_six": {"requests.granted.natural": 0},
    "footnote": {"requests.granted.commercial": 33},
    "footnote2": {"requests.granted.commercial": 33},
    "six_granted": {"requests.granted.natural": 0},
    "tsv_six": {"requests.granted.natural": 0},
}
UNCERTAIN = {"budget": 44}  # 本年制发 is settled by the narrative's 62件 (NARRATIVE_DECIDED), not the solver


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_exact_or_flagged(path: Path) -> None:
    """Every cell exact, or uncertain with the truth among its readings, or inferred with the value
    the truth's printed cells force (tests/truth.py's rule)."""
    truth = json.loads((DATA / f"{path.stem}.truth.json").read_text(encoding="utf-8"))
    forced = forced_values({k: None if v is None else Decimal(v) for k, v in truth.items()})
    report = ogi.parse(path)
    wrong, inferred, uncertain = [], {}, 0
    for key, text in truth.items():
        expected = None if text is None else Decimal(text)
        cell = report.cells[key]
        if cell.flag == "inferred":
            inferred[key] = cell.value
            if cell.value != (expected if expected is not None else forced.get(key)):
                wrong.append(f"{key}: truth {expected}, inferred {cell.value}")
        elif cell.flag == "uncertain":
            uncertain += 1
            if expected not in [cell.value, *cell.alternatives]:
                wrong.append(f"{key}: truth {expected}, readings {[cell.value, *cell.alternatives]}")
        elif cell.value != expected:
            wrong.append(f"{key}: truth {expected}, read {cell.value} ({cell.flag})")
    assert wrong == []
    assert inferred == INFERRED.get(path.stem, {})
    assert uncertain == UNCERTAIN.get(path.stem, 0)
