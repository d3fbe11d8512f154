"""PDF→text conversions: cells exact / flagged / silently wrong per damage shape.

Generated reports of both templates are printed in every shape of :mod:`ogi.render.conversion`
(rows without labels, tables in fragments, cells moved out, generic headers, flattened table 四,
old labels, titles over lines) and parsed; the real conversions (shared/corpus/019 and
shared/seeds/002) are scored against their truth. Agency, year and date are scored too: right,
flagged (a finding says the choice was made or failed), or silently wrong.
"0 silently wrong" is the bar. Usage: python bench/conversions.py [reports per template]
"""

from __future__ import annotations

import json
import random
import sys
from collections import defaultdict
from datetime import date
from pathlib import Path

import ogi
from ogi.render.conversion import SHAPES, render_conversion
from ogi.render.synth import synth_report

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
META_FLAGS = {"AGENCY_CORRECTED", "AGENCY_UNCERTAIN", "MISSING_AGENCY", "MISSING_YEAR", "PUBLISHED_CHOICE"}
COLUMNS = ("exact", "flagged", "missing", "wrong", "meta ok", "meta flagged", "meta wrong")


def tally(report: ogi.Report, cells: dict[str, object], meta: tuple[object, object, object]) -> list[int]:
    """exact, flagged (uncertain with the truth among its readings, or inferred where the truth is
    blank), missing (null, flagged missing), silently wrong; then agency/year/date as a whole."""
    out = [0] * len(COLUMNS)
    for key, expected in cells.items():
        cell = report.cells.get(key)
        if cell is not None and cell.value == expected and cell.flag != "uncertain":
            out[0] += 1
        elif cell is not None and (
            (cell.flag == "uncertain" and expected in [cell.value, *cell.alternatives])
            or (expected is None and cell.flag == "inferred")
        ):
            out[1] += 1
        elif cell is not None and cell.value is None and cell.flag == "missing":
            out[2] += 1
        else:
            out[3] += 1
    if (report.agency, report.year, report.published) == meta:
        out[4] += 1
    elif {f.rule for f in report.findings} & META_FLAGS:
        out[5] += 1
    else:
        out[6] += 1
    return out


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    rows: dict[str, list[int]] = defaultdict(lambda: [0] * (len(COLUMNS) + 1))

    def add(group: str, counts: list[int]) -> None:
        row = rows[group]
        row[0] += 1
        for i, c in enumerate(counts):
            row[i + 1] += c

    for seed in range(n):
        for template in ("2019", "2021"):
            rep = synth_report(template, random.Random(seed))
            meta = (rep.agency, rep.year, rep.published)
            for shape in SHAPES:
                text = render_conversion(rep, shape, seed=seed)
                add(f"shape {shape}", tally(ogi.parse_bytes(text.encode(), f"{shape}.md"), dict(rep.cells), meta))
    truth_file = SHARED / "corpus" / "truth" / "019_shanghai_szfbgt_2025.json"
    if truth_file.exists():
        truth = json.loads(truth_file.read_text(encoding="utf-8"))
        report = ogi.parse(SHARED / "corpus" / truth["file"])
        published = date.fromisoformat(truth["published"]) if truth["published"] else None
        add("real 019 (corpus)", tally(report, truth["cells"], (truth["agency"], truth["year"], published)))
    print(f"{'group':24} {'reports':>7} " + " ".join(f"{c:>12}" for c in COLUMNS))
    for group, (reports, *counts) in sorted(rows.items()):
        print(f"{group:24} {reports:7d} " + " ".join(f"{c:12d}" for c in counts))
    if not truth_file.exists():
        print(f"({truth_file} is absent: the real conversion is not scored)")


if __name__ == "__main__":
    main()
