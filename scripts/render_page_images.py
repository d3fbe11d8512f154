"""Write the page images of the official layout kept in ``docs/``: the table 三 page of a synthetic
report of each template, rendered as PDF (LibreOffice) and rasterised by poppler's ``pdftoppm``.

Run: ``python scripts/render_page_images.py`` (needs soffice and pdftoppm; deterministic input).
"""

from __future__ import annotations

import random
import subprocess
import tempfile
from pathlib import Path

from ogi.render.formats import render_many
from ogi.render.synth import synth_report

DOCS = Path(__file__).resolve().parents[1] / "docs"
DPI = 60
PAGE = 2  # the page that holds table 三


def main() -> None:
    reps = [synth_report(t, random.Random(seed)) for t, seed in (("2019", 4), ("2021", 9))]
    reports = [r.to_report() for r in reps]
    with tempfile.TemporaryDirectory() as tmp:
        for rep, pdf in zip(reps, render_many(reports, "pdf"), strict=True):
            path = Path(tmp) / f"{rep.template}.pdf"
            path.write_bytes(pdf)
            target = DOCS / f"render_{rep.template}"
            cmd = ["pdftoppm", "-r", str(DPI), "-f", str(PAGE), "-l", str(PAGE), "-png", "-singlefile"]
            subprocess.run([*cmd, str(path), str(target)], check=True)
            print(f"{target}.png")


if __name__ == "__main__":
    main()
