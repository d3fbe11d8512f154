"""Real PDF→text conversions (shared/corpus/019, shared/seeds/002) and generated ones of every
damage shape: every cell exact or flagged, never silently wrong; golden files pin the real ones."""

from __future__ import annotations

import json
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ogi
from ogi.render.conversion import SHAPES, render_conversion
from ogi.render.synth import synth_report
from tests.conftest import CORPUS, GOLDEN, SEEDS, need
from tests.truth import score

CONVERSIONS = {
    "019_shanghai_szfbgt_2025": CORPUS / "019_shanghai_szfbgt_2025.md",
    "002_167c701a66cee456": SEEDS / "002_167c701a66cee456.txt",
}


def _golden_view(report: ogi.Report) -> dict:
    s = report.summary()
    return {
        "template": s["template"],
        "year": s["year"],
        "agency": s["agency"],
        "published": s["published"],
        "cells": s["cells"],
        "flags": s["flags"],
        "alternatives": s["alternatives"],
        "rules": sorted({f.rule for f in report.findings}),
    }


@pytest.mark.parametrize("name", sorted(CONVERSIONS))
def test_conversion_matches_golden(name: str, regen: bool) -> None:
    report = ogi.parse(need(CONVERSIONS[name]))
    got = _golden_view(report)
    path = GOLDEN / "conversions" / f"{name}.json"
    if regen:
        path.parent.mkdir(exist_ok=True)
        path.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    expected = json.loads(path.read_text(encoding="utf-8"))
    assert got["cells"] == expected["cells"]
    assert got["flags"] == expected["flags"]
    assert got == expected


def test_019_every_cell_exact_with_its_agency() -> None:
    truth = json.loads(need(CORPUS / "truth" / "019_shanghai_szfbgt_2025.json").read_text(encoding="utf-8"))
    report = ogi.parse(CONVERSIONS["019_shanghai_szfbgt_2025"])
    s = score(report, truth)
    assert s.wrong == []
    assert s.exact / len(truth["cells"]) >= 0.995
    assert (report.agency, report.year, report.published) == ("上海市人民政府办公厅", 2025, None)
    assert report.region is not None and report.region.code == "310000"


def test_019_rows_without_labels_are_placed_and_reported() -> None:
    report = ogi.parse(need(CONVERSIONS["019_shanghai_szfbgt_2025"]))
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
    report = ogi.parse(need(CONVERSIONS["019_shanghai_szfbgt_2025"]))
    made, repealed = report.cells["active.rules.made"], report.cells["active.normative.repealed"]
    assert (made.value, made.flag) == (22, None)
    assert made.provenance is not None and made.provenance.note == "其中修订16件"
    assert (repealed.value, repealed.flag) == (55, None)
    assert repealed.provenance is not None and repealed.provenance.note == "含自然失效29件"
    assert report.cells["active.normative.in_force"].value == 189
    assert sum(f.rule == "CELL_PLACED" for f in report.findings) == 2
    # Rows printed out of the template's order are found where they are: 行政许可 0 before 规章.
    assert report.cells["active.licensing.decisions"].value == 0


def _silently_wrong(template: str, seed: int, shape: str) -> list[str]:
    rep = synth_report(template, random.Random(seed))
    report = ogi.parse_bytes(render_conversion(rep, shape, seed=seed).encode(), f"{shape}.md")
    wrong = []
    for key, value in rep.cells.items():
        cell = report.cells[key]
        if cell.value == value and cell.flag != "uncertain":
            continue
        if cell.flag == "uncertain" and (value in cell.alternatives or cell.value == value):
            continue
        if cell.value is None and cell.flag == "missing":
            continue
        wrong.append(f"{key}: {value} read as {cell.value} ({cell.flag}, alternatives {cell.alternatives})")
    flagged = any(f.rule in ("AGENCY_CORRECTED", "AGENCY_UNCERTAIN", "MISSING_AGENCY") for f in report.findings)
    if report.agency != rep.agency and not flagged:
        wrong.append(f"agency {rep.agency} read as {report.agency}")
    if (report.year, report.published) != (rep.year, rep.published):
        wrong.append(f"year/date {rep.year}/{rep.published} read as {report.year}/{report.published}")
    return wrong


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(template=st.sampled_from(["2019", "2021"]), seed=st.integers(0, 10**6), shape=st.sampled_from(SHAPES))
def test_every_conversion_shape_is_exact_or_flagged(template: str, seed: int, shape: str) -> None:
    assert _silently_wrong(template, seed, shape) == []


@pytest.mark.parametrize("shape", SHAPES)
def test_shapes_with_identities_or_labels_to_go_by_are_exact(shape: str) -> None:
    """Only a table 二 cell moved out of its row with nothing to tell its column (no note, no
    narrative) may stay uncertain; everything else reads exactly."""
    for seed in range(4):
        for template in ("2019", "2021"):
            rep = synth_report(template, random.Random(seed))
            report = ogi.parse_bytes(render_conversion(rep, shape, seed=seed).encode(), "x.md")
            loose = shape in ("loose_cells", "all")
            off = [
                k
                for k, v in rep.cells.items()
                if report.cells[k].value != v and not (loose and report.cells[k].flag == "uncertain")
            ]
            unsure = [k for k in rep.cells if report.cells[k].flag == "uncertain" and not k.startswith("active.")]
            assert (off, unsure) == ([], []), (shape, seed, template)
            assert report.agency == rep.agency
