"""Generated PDF→text conversions of every damage shape: every cell exact or flagged, never silently
wrong. The real conversions (../shared/corpus/019 and seed 002) are pinned by test_corpus.py (019's
truth, its placed rows and loose cells, its golden) and test_seeds.py (seed 002's golden)."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ogi
from ogi.render.conversion import SHAPES, render_conversion
from ogi.render.synth import synth_report


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
