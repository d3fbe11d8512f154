"""PDF→text conversions: cells exact / flagged / silently wrong per damage shape.

Generated reports of both templates are printed in every shape of :mod:`ogi.render.conversion`
(rows without labels, tables in fragments, cells moved out, generic headers, flattened table 四,
old labels, titles over lines) and parsed; the real conversions (shared/corpus/019 and
shared/seeds/002) are scored against their truth. Agency, year and date are scored too: right,
flagged (a finding says the choice was made or failed), or silently wrong.
"0 silently wrong" is the bar. Usage: python bench/conversions.py [reports per template]

``python bench/conversions.py --real DIR`` scores a folder of real converters' outputs instead, one
file per document and tool named ``<document stem>__<tool>.<ext>`` (say
``001_huaian_szf_2024__pdftotext-layout.txt``): the truth is ../shared/corpus/truth/<stem>.json or,
for an example of examples/, the report its generator printed. One row per file, agency, year and
date each scored on its own (ok, flagged or wrong).
"""

from __future__ import annotations

import json
import random
import sys
from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path

import ogi
from ogi.render.conversion import SHAPES, render_conversion
from ogi.render.synth import synth_report

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
META_FLAGS = {"AGENCY_CORRECTED", "AGENCY_UNCERTAIN", "MISSING_AGENCY", "MISSING_YEAR", "PUBLISHED_CHOICE"}
COLUMNS = ("exact", "flagged", "missing", "flag wrong", "silent", "meta ok", "meta flagged", "meta wrong")


def same(a: object, b: object) -> bool:
    """Equal values; an amount read as a Decimal equals the truth's float of the same decimal text."""
    if isinstance(a, Decimal | float) or isinstance(b, Decimal | float):
        return a is not None and b is not None and Decimal(str(a)) == Decimal(str(b))
    return a == b


def tally(report: ogi.Report, cells: dict[str, object], meta: tuple[object, object, object]) -> list[int]:
    """exact, flagged (uncertain with the truth among its readings, or inferred where the truth is
    blank), missing (null, flagged missing), flagged but wrong (no reading is the truth), silently
    wrong (shown as printed, blank or n/a, and not the truth); then agency/year/date as a whole."""
    out = [0] * len(COLUMNS)
    for key, expected in cells.items():
        cell = report.cells.get(key)
        if cell is not None and same(cell.value, expected) and cell.flag != "uncertain":
            out[0] += 1
        elif cell is not None and (
            (cell.flag == "uncertain" and any(same(r, expected) for r in [cell.value, *cell.alternatives]))
            or (expected is None and cell.flag == "inferred")
        ):
            out[1] += 1
        elif cell is not None and cell.value is None and cell.flag == "missing":
            out[2] += 1
        elif cell is not None and cell.flag in ("uncertain", "inferred", "missing", "unreadable"):
            out[3] += 1
        else:
            out[4] += 1
    if (report.agency, report.year, report.published) == meta:
        out[5] += 1
    elif {f.rule for f in report.findings} & META_FLAGS:
        out[6] += 1
    else:
        out[7] += 1
    return out


def meta_marks(report: ogi.Report, meta: tuple[object, object, object]) -> str:
    """One letter per agency, year, date: ``.`` right, ``f`` flagged, ``m`` not found (null), ``W`` a
    wrong value shown unflagged."""
    rules = {f.rule for f in report.findings}
    flags = (
        {"AGENCY_CORRECTED", "AGENCY_UNCERTAIN", "MISSING_AGENCY"},
        {"MISSING_YEAR"},
        {"PUBLISHED_CHOICE", "PUBLISHED_STAMP"},
    )
    got = (report.agency, report.year, report.published)
    marks = (
        "." if g == m else "f" if rules & f else "m" if g is None else "W"
        for g, m, f in zip(got, meta, flags, strict=True)
    )
    return "".join(marks)


def real_truths() -> dict[str, tuple[dict[str, object], tuple[object, object, object]]]:
    """Cells and (agency, year, published) per document stem: the corpus's truth files and the
    examples' generated reports."""
    out: dict[str, tuple[dict[str, object], tuple[object, object, object]]] = {}
    for path in sorted((SHARED / "corpus" / "truth").glob("*.json")):
        truth = json.loads(path.read_text(encoding="utf-8"))
        published = date.fromisoformat(truth["published"]) if truth["published"] else None
        out[path.stem] = (truth["cells"], (truth["agency"], truth["year"], published))
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
    import make_examples

    for ex in make_examples.examples():
        rep = ex.report
        out[Path(ex.name).stem] = (dict(rep.cells), (rep.agency, rep.year, rep.published))
    return out


def score_folder(folder: Path) -> None:
    truths = real_truths()
    print(f"{'file':52} {'exact':>6} {'flagged':>7} {'missing':>7} {'flag wrong':>10} {'silent':>6}  agency/year/date")
    for path in sorted(folder.iterdir()):
        stem = path.stem.split("__")[0]
        if stem not in truths:
            continue
        cells, meta = truths[stem]
        try:
            report = ogi.parse(path)
        except ogi.errors.InputError as err:
            print(f"{path.name:52} not parsed: {err}")
            continue
        counts = tally(report, cells, meta)
        figures = f"{counts[0]:6d} {counts[1]:7d} {counts[2]:7d} {counts[3]:10d} {counts[4]:6d}"
        print(f"{path.name:52} {figures}  {meta_marks(report, meta)}")


def main() -> None:
    if sys.argv[1:2] == ["--real"]:
        score_folder(Path(sys.argv[2]))
        return
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
