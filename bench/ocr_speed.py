"""OCR speed: seconds per page at 200 dpi, split into detection (text lines, orientation),
recognition, and table structure (rulings, cells, layout).

Scans are made from the shared corpus's text PDFs. Run it on one core to compare machines, e.g.
``taskset -c 1 python bench/ocr_speed.py``; ``--threads 2`` lets onnxruntime use two.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from ogi.readers import ParseOptions, read_document
from ogi.readers.ocr.engine import session
from ogi.render.scan import Defects, scanned, to_pdf

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
DOCS = ["001_huaian_szf_2024.pdf", "002_hongze_qzf_2023.pdf"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", type=int, default=1, help="onnxruntime threads per session")
    parser.add_argument("--dpi", type=int, default=200)
    args = parser.parse_args()
    options = ParseOptions(ocr_threads=args.threads, ocr_dpi=args.dpi)
    start = time.perf_counter()
    engine = session(args.threads)
    load = time.perf_counter() - start
    t = engine.timings
    total = 0.0
    for name in DOCS:
        path = CORPUS / name
        if not path.exists():
            print(f"{path} is absent: skipped")
            continue
        scan = to_pdf(scanned(path.read_bytes(), args.dpi, Defects(noise=4, jpeg=80)), args.dpi)
        before = t.pages
        start = time.perf_counter()
        read_document(scan, name, options)
        took = time.perf_counter() - start
        total += took
        print(f"{name}: {t.pages - before} pages, {took / (t.pages - before):.2f} s/page")
    pages = t.pages or 1
    other = total - t.detection - t.recognition - t.structure
    print(f"\nmodel load {load:.2f} s (once per process); {t.pages} pages at {args.dpi} dpi, {args.threads} thread(s)")
    print("| s/page | detection | recognition | table structure | rest (render, light, crops) |")
    print("|---|---|---|---|---|")
    print(
        f"| {total / pages:.2f} | {t.detection / pages:.2f} | {t.recognition / pages:.2f} | "
        f"{t.structure / pages:.2f} | {other / pages:.2f} |"
    )


if __name__ == "__main__":
    main()
