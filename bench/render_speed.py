"""Render time per output format, and the time to parse each rendition back.

Synthetic reports of both templates with random local variants, rendered with
:func:`ogi.render.formats.render_many`; PDFs are converted in one LibreOffice run per batch, so the
PDF line gives the batch cost per report and, separately, the cost of one PDF on its own (one
LibreOffice start). Last, the 填报 form's per-keystroke call: :func:`ogi.fill.check_draft` on a
full draft, alone and against last year's report.

Usage: python bench/render_speed.py [reports per format] [pdf reports]
"""

from __future__ import annotations

import random
import statistics
import sys
import time

import ogi
from ogi.fill import Draft, check_draft
from ogi.model import Report
from ogi.render.formats import FORMATS, render, render_many
from ogi.render.office import available
from ogi.render.synth import synth_report
from ogi.render.variants import random_variants


def reports(n: int) -> list[Report]:
    out = []
    for seed in range(n):
        rng = random.Random(seed)
        rep = random_variants(synth_report(("2019", "2021")[seed % 2], rng), rng)
        out.append(rep.to_report())
    return out


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    n_pdf = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    sample = reports(n)
    print(f"{'format':6} {'reports':>7} {'render ms/report':>17} {'parse ms/report':>16} {'KiB/report':>11}")
    for fmt in FORMATS:
        batch = sample[:n_pdf] if fmt == "pdf" else sample
        if fmt == "pdf" and not available():
            print("pdf    (LibreOffice not installed)")
            continue
        if fmt == "pdf":
            start = time.perf_counter()
            datas = render_many(batch, fmt)
            render_ms = (time.perf_counter() - start) / len(batch) * 1000
        else:
            datas, times = [], []
            for r in batch:
                start = time.perf_counter()
                datas.append(render(r, fmt))
                times.append(time.perf_counter() - start)
            render_ms = statistics.median(times) * 1000
        parse = []
        for data in datas:
            start = time.perf_counter()
            ogi.parse_bytes(data, f"r.{fmt}")
            parse.append(time.perf_counter() - start)
        size = statistics.mean(len(d) for d in datas) / 1024
        print(f"{fmt:6} {len(batch):7d} {render_ms:17.1f} {statistics.median(parse) * 1000:16.1f} {size:11.1f}")
    if available():
        start = time.perf_counter()
        render(sample[0], "pdf")
        print(f"one PDF on its own (one LibreOffice start): {(time.perf_counter() - start) * 1000:.0f} ms")
    drafts = [Draft.from_report(r) for r in sample]
    for label, last in (("alone", None), ("against last year", drafts[-1])):
        times = []
        for d in drafts:
            start = time.perf_counter()
            check_draft(d, last=last.model_copy(update={"year": (d.year or 1) - 1}) if last else None)
            times.append(time.perf_counter() - start)
        print(f"check_draft {label}: {statistics.median(times) * 1000:.2f} ms median")


if __name__ == "__main__":
    main()
