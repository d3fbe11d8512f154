"""OCR accuracy: scans and photos made from text reports, scored against their truth.

Each text PDF (the shared corpus's two, and synthetic reports printed by LibreOffice when it is
installed) is rendered to page images, given the defects of a condition (resolution, noise,
blur, JPEG, skew, a red seal over a table, uneven light), packed as an image-only PDF (a TIFF for
the photo condition) and parsed. A cell is

- exact: the truth;
- flagged: not the truth but visibly so (uncertain with the truth among its readings, or
  blank/missing/unreadable/inferred);
- silently wrong: anything else. The bar is 0.

Cells the text PDF itself does not read exactly (the report breaks its own format) are left out
of the percentages and counted apart. Usage:

    python bench/ocr_accuracy.py [--conditions clean200,noisy150] [--synthetic N] [--pages-per-doc N]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import time
import zlib
from collections import defaultdict
from pathlib import Path

import ogi
from ogi.render.scan import Defects, scanned, to_image, to_pdf

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
DOCS = ["001_huaian_szf_2024", "002_hongze_qzf_2023"]
CONDITIONS: dict[str, tuple[int, Defects, str]] = {
    "clean 300dpi": (300, Defects(), "pdf"),
    "clean 200dpi": (200, Defects(), "pdf"),
    "clean 150dpi": (150, Defects(), "pdf"),
    "noisy 150dpi": (150, Defects(noise=12, blur=0.7, jpeg=55), "pdf"),
    "skew 1-3° 200dpi": (200, Defects(skew=3.0, noise=4, jpeg=75), "pdf"),
    "red seal 200dpi": (200, Defects(seal=True, jpeg=75), "pdf"),
    "phone photo 200dpi": (200, Defects(noise=8, blur=1.0, jpeg=60, skew=2.5, light=0.45, seal=True), "tiff"),
}


def _same(a: object, b: object) -> bool:
    return a == b and type(a) is not bool


def _classify(summary: dict, key: str, expected: object) -> str:
    value, flag = summary["cells"].get(key, "absent"), summary["flags"].get(key)
    if _same(value, expected):
        return "exact"
    readings = [value, *summary["alternatives"].get(key, [])]
    if flag == "uncertain":
        return "flagged" if any(_same(r, expected) for r in readings) else "wrong"
    return "flagged" if flag else "wrong"


def _documents(synthetic: int) -> list[tuple[str, bytes, dict]]:
    docs = []
    for name in DOCS:
        pdf, truth = CORPUS / f"{name}.pdf", CORPUS / "truth" / f"{name}.json"
        if pdf.exists() and truth.exists():
            docs.append((name, pdf.read_bytes(), json.loads(truth.read_text(encoding="utf-8"))["cells"]))
    if synthetic and shutil.which("soffice"):
        from ogi.render.docx import render_docx
        from ogi.render.office import render_pdf
        from ogi.render.synth import synth_report

        for seed in range(synthetic):
            template = ("2019", "2021")[seed % 2]
            rep = synth_report(template, random.Random(100 + seed))
            kw = {"agency": rep.agency, "year": rep.year, "published": rep.published, "sections": rep.sections}
            truth = {k: int(v) if v == int(v) else float(v) for k, v in rep.cells.items()}
            docs.append((f"synthetic {template} #{seed}", render_pdf(render_docx(template, rep.cells, **kw)), truth))
    return docs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--conditions", default=",".join(CONDITIONS), help="comma-separated condition names")
    parser.add_argument("--synthetic", type=int, default=2, help="synthetic reports (needs LibreOffice)")
    parser.add_argument("--only-synthetic", action="store_true", help="leave the corpus reports out")
    args = parser.parse_args()
    wanted = [c.strip() for c in args.conditions.split(",") if c.strip()]
    docs = _documents(args.synthetic)
    if args.only_synthetic:
        docs = [d for d in docs if d[0].startswith("synthetic")]
    rows: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for name, pdf, truth in docs:
        base = ogi.parse_bytes(pdf, f"{name}.pdf").summary()
        readable = [k for k, v in truth.items() if _classify(base, k, v) == "exact"]
        for condition in wanted:
            dpi, defects, packing = CONDITIONS[condition]
            pages = scanned(pdf, dpi, defects, seed=zlib.crc32(name.encode()) % 1000)
            data = to_pdf(pages, dpi) if packing == "pdf" else to_image(pages, dpi, "TIFF")
            start = time.perf_counter()
            summary = ogi.parse_bytes(data, f"{name}.{packing}").summary()
            r = rows[condition]
            r["seconds"] += time.perf_counter() - start
            r["pages"] += len(pages)
            for key in readable:
                r[_classify(summary, key, truth[key])] += 1
            r["cells"] += len(readable)
            r["other cells wrong"] += sum(
                _classify(summary, k, v) == "wrong" for k, v in truth.items() if k not in readable
            )
            kinds = [_classify(summary, k, truth[k]) for k in readable]
            missed = [
                f"{k} {truth[k]}→{summary['cells'].get(k)} ({summary['flags'].get(k)})"
                for k, kind in zip(readable, kinds, strict=True)
                if kind != "exact"
            ]
            print(
                f"  {name} / {condition}: {kinds.count('exact')}/{len(readable)} exact, "
                f"{kinds.count('flagged')} flagged, {kinds.count('wrong')} silently wrong {missed[:12]}",
                flush=True,
            )
    print(f"\n{len(docs)} documents: {', '.join(d[0] for d in docs)}")
    print("| condition | pages | cells | exact | flagged | silently wrong | s/page |")
    print("|---|---|---|---|---|---|---|")
    for condition in wanted:
        r = rows[condition]
        cells = r["cells"] or 1
        print(
            f"| {condition} | {r['pages']:.0f} | {r['cells']:.0f} | {100 * r['exact'] / cells:.2f}% | "
            f"{r['flagged']:.0f} | {r['wrong'] + r['other cells wrong']:.0f} | {r['seconds'] / (r['pages'] or 1):.1f} |"
        )


if __name__ == "__main__":
    main()
