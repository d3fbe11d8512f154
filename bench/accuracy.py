"""Accuracy per format: cells exact / flagged / silently wrong.

Runs every report of ../shared/corpus against its hand-read truth, plus renditions of
generated reports (text shapes, HTML, DOCX, DOC when LibreOffice is installed, and PDFs printed
by LibreOffice and Chromium where installed, see _pdfs.py).
"0 silently wrong" is the bar. Usage: python bench/accuracy.py [renditions per template]
"""

from __future__ import annotations

import json
import random
import shutil
import sys
from collections import defaultdict
from pathlib import Path

import ogi
from ogi.render.docx import render_docx
from ogi.render.html import render_html
from ogi.render.synth import synth_report
from ogi.render.text import SHAPES, render_text

sys.path.insert(0, str(Path(__file__).parent))
from _pdfs import synthetic_pdfs

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


def _same(value: object, expected: float | None) -> bool:
    if value is None or expected is None:
        return value is expected
    return float(value) == expected  # type: ignore[arg-type]


def tally(report: ogi.Report, truth: dict) -> tuple[int, int, int]:
    exact = flagged = wrong = 0
    for key, expected in truth.items():
        cell = report.cells.get(key)
        value = None if cell is None else cell.value
        readings = [value, *(cell.alternatives if cell is not None else [])]
        if _same(value, expected):
            exact += 1
        elif cell is not None and (
            (cell.flag == "uncertain" and any(_same(r, expected) for r in readings))
            or (expected is None and cell.flag == "inferred")
        ):
            flagged += 1
        else:
            wrong += 1
    return exact, flagged, wrong


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    rows: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])

    def add(group: str, counts: tuple[int, int, int]) -> None:
        r = rows[group]
        r[0] += 1
        for i, c in enumerate(counts):
            r[i + 1] += c

    for truth_file in sorted((CORPUS / "truth").glob("*.json")):
        truth = json.loads(truth_file.read_text(encoding="utf-8"))
        path = CORPUS / truth["file"]
        add(f"corpus {path.suffix.lstrip('.')}", tally(ogi.parse(path), truth["cells"]))
    office = shutil.which("soffice") is not None
    for seed in range(n):
        for template in ("2019", "2021"):
            rep = synth_report(template, random.Random(seed))
            kw = {"agency": rep.agency, "year": rep.year, "published": rep.published, "sections": rep.sections}
            truth = {k: float(v) for k, v in rep.cells.items()}
            for shape in SHAPES:
                add(f"rendition text/{shape}", tally(ogi.parse_bytes(render_text(rep, shape).encode(), "r.txt"), truth))
            add(
                "rendition html",
                tally(ogi.parse_bytes(render_html(template, rep.cells, **kw).encode(), "r.html"), truth),
            )
            docx_bytes = render_docx(template, rep.cells, **kw)
            add("rendition docx", tally(ogi.parse_bytes(docx_bytes, "r.docx"), truth))
            if office and seed < 2:
                from ogi.render.office import render_doc

                add("rendition doc", tally(ogi.parse_bytes(render_doc(docx_bytes), "r.doc"), truth))
    # PDFs of the same reports printed by LibreOffice (from DOCX and from HTML) and Chromium.
    for pdf in synthetic_pdfs(range(min(n, 2))):
        truth = {k: float(v) for k, v in pdf.report.cells.items()}
        add(f"rendition pdf/{pdf.producer}", tally(ogi.parse_bytes(pdf.data, "r.pdf"), truth))
    print(f"{'group':28} {'reports':>7} {'cells':>7} {'exact':>7} {'flagged':>7} {'silently wrong':>15}")
    for group, (reports, exact, flagged, wrong) in sorted(rows.items()):
        print(f"{group:28} {reports:7d} {exact + flagged + wrong:7d} {exact:7d} {flagged:7d} {wrong:15d}")
    if not office:
        print("(LibreOffice not installed: its PDF and DOC renditions skipped)")


if __name__ == "__main__":
    main()
