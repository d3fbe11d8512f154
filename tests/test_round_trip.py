"""Render → parse: synthetic reports of both templates, local variants included (the 法人或其他组织小计
column, group subtotal rows, extra lines under table 二), written in every output format and read
back with every cell identical, no flag, the agency, year and date as written, and no error.

1,000 reports per format is the requirement. The default suite runs 1,000 for the formats that take
milliseconds (HTML, Markdown, text), 250 for DOCX and XLSX (~0.1 s each to write and read) and 40
for PDF (LibreOffice's export plus the PDF reader, ~0.5 s each): together about two minutes of CI.
``OGI_SLOW=1`` runs the full 1,000 in every format (about 15 minutes more, most of it PDF).
"""

from __future__ import annotations

import os
import random
from functools import cache

import pytest

import ogi
from ogi.model import Report
from ogi.render.formats import render_many
from ogi.render.synth import SynthReport, synth_report
from ogi.render.variants import random_variants

FULL = 1000
DEFAULT = {"html": 1000, "md": 1000, "txt": 1000, "docx": 250, "xlsx": 250, "pdf": 40}
PDF_BATCH = 100  # reports per LibreOffice run
SLOW = bool(os.environ.get("OGI_SLOW"))


@cache
def sample(n: int) -> tuple[SynthReport, ...]:
    out = []
    for seed in range(n):
        rng = random.Random(f"round trip {seed}")
        out.append(random_variants(synth_report(("2019", "2021")[seed % 2], rng), rng))
    return tuple(out)


def differences(rep: SynthReport, back: Report) -> list[str]:
    out = [
        f"{key}: wrote {value}, read {back.cells[key].value if key in back.cells else 'nothing'}"
        + (f" ({back.cells[key].flag})" if key in back.cells and back.cells[key].flag else "")
        for key, value in rep.cells.items()
        if key not in back.cells or back.cells[key].value != value or back.cells[key].flag
    ]
    out += [f"{k}: read {c.value}, not written" for k, c in back.cells.items() if k not in rep.cells and c.value]
    wrote = (rep.template, rep.agency, rep.year, rep.published)
    read = (back.template, back.agency, back.year, back.published)
    out += [f"metadata: wrote {wrote}, read {read}"] if wrote != read else []
    out += [f"{f.rule}: {f.message}" for f in back.findings if f.severity == "error"]
    return out


def round_trip(fmt: str, n: int) -> None:
    reps = sample(n)
    batch = PDF_BATCH if fmt == "pdf" else n
    failed: list[str] = []
    for start in range(0, n, batch):
        chunk = reps[start : start + batch]
        for i, (rep, data) in enumerate(zip(chunk, render_many([r.to_report() for r in chunk], fmt), strict=True)):
            if wrong := differences(rep, ogi.parse_bytes(data, f"r.{fmt}")):
                failed.append(f"report {start + i} ({rep.template}): " + "; ".join(wrong[:4]))
    assert not failed, f"{len(failed)} of {n} reports did not round-trip through {fmt}:\n" + "\n".join(failed[:10])


def test_the_sample_has_every_variant() -> None:
    reps = sample(DEFAULT["pdf"])  # the smallest sample, the one PDF runs, has them all too
    for template in ("2019", "2021"):
        keys = [set(r.cells) for r in reps if r.template == template]
        assert any(any(k.endswith(".legal_subtotal") for k in ks) for ks in keys), template
        assert any(any(".subtotal." in k for k in ks) for ks in keys), template
        assert any(any(k.startswith("active.extra.") for k in ks) for ks in keys), template
        assert any(all(".subtotal" not in k and "extra" not in k for k in ks) for ks in keys), template


@pytest.mark.parametrize("fmt", ["html", "md", "txt", "docx", "xlsx"])
def test_round_trip(fmt: str) -> None:
    round_trip(fmt, DEFAULT[fmt])


@pytest.mark.libreoffice
def test_round_trip_pdf() -> None:
    round_trip("pdf", DEFAULT["pdf"])


@pytest.mark.slow
@pytest.mark.libreoffice
@pytest.mark.skipif(not SLOW, reason="the full 1,000 in DOCX, XLSX and PDF runs with OGI_SLOW=1")
def test_round_trip_full() -> None:
    """One test for the three formats the default run samples (one skip, not three, in a default run)."""
    failed = []
    for fmt in (f for f, n in DEFAULT.items() if n < FULL):
        try:
            round_trip(fmt, FULL)
        except AssertionError as e:
            failed.append(str(e))
    assert not failed, "\n".join(failed)
