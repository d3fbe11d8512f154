"""Median parse+check time per report for each format, and pages per second for PDFs.

Targets (one core): text ≤ 5 ms, HTML ≤ 20 ms, DOCX ≤ 50 ms per report, text PDF ≤ 20 ms
per page (bench/pdf_speed.py compares PDFs with the text-only pass).
Usage: python bench/format_speed.py [repeats]
"""

from __future__ import annotations

import random
import shutil
import statistics
import sys
import time
from pathlib import Path

import pypdfium2

import ogi
from ogi.render.docx import render_docx
from ogi.render.html import render_html
from ogi.render.synth import synth_report
from ogi.render.text import render_text

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


def timed(data: bytes, name: str, repeat: int) -> tuple[float, float]:
    """Median wall-clock and CPU seconds (CPU time holds up when other jobs load the machine)."""
    wall, cpu = [], []
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        ogi.parse_bytes(data, name)
        wall.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return statistics.median(wall), statistics.median(cpu)


def main() -> None:
    repeat = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    samples: dict[str, list[bytes]] = {"text": [], "html": [], "docx": [], "pdf": []}
    for path in sorted(CORPUS.glob("*.*")):
        fmt = {".txt": "text", ".html": "html", ".pdf": "pdf"}.get(path.suffix)
        if fmt:
            samples[fmt].append(path.read_bytes())
    docx_for_pdf = []
    for seed in range(4):
        for template in ("2019", "2021"):
            rep = synth_report(template, random.Random(seed))
            kw = {"agency": rep.agency, "year": rep.year, "published": rep.published, "sections": rep.sections}
            samples["text"].append(render_text(rep, "cell_per_line").encode())
            samples["html"].append(render_html(template, rep.cells, **kw).encode())
            samples["docx"].append(render_docx(template, rep.cells, **kw))
            docx_for_pdf.append(samples["docx"][-1])
    if shutil.which("soffice"):
        from ogi.render.office import render_pdf

        samples["pdf"].extend(render_pdf(d) for d in docx_for_pdf[:2])
    print(f"{'format':8} {'reports':>7} {'median ms/report':>17} {'cpu':>6} {'pages':>6} {'ms/page':>8} {'pages/s':>8}")
    for fmt, datas in samples.items():
        pairs = [timed(d, f"x.{fmt if fmt != 'text' else 'txt'}", repeat) for d in datas]
        times, cpus = [w for w, _ in pairs], [c for _, c in pairs]
        line = f"{fmt:8} {len(datas):7d} {statistics.median(times) * 1000:17.1f} {statistics.median(cpus) * 1000:6.1f}"
        if fmt == "pdf":
            pages = sum(len(pypdfium2.PdfDocument(d)) for d in datas)
            line += f" {pages:6d} {sum(times) / pages * 1000:8.1f} {pages / sum(times):8.1f}"
        print(line)


if __name__ == "__main__":
    main()
