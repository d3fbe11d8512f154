"""Synthetic report PDFs for the benchmarks: both templates, printed by three producers.

LibreOffice Writer prints the DOCX rendition and the HTML rendition (rulings as stroked lines),
Chromium prints the HTML rendition (rulings as thin filled rectangles, one per cell side). The
PDFs are cached under the temp folder, keyed by the rendered HTML, so a second run costs nothing.
Producers that are not installed are skipped.
"""

from __future__ import annotations

import hashlib
import random
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ogi.render.docx import render_docx
from ogi.render.html import render_html
from ogi.render.synth import SynthReport, synth_report

CACHE = Path(tempfile.gettempdir()) / "ogi-bench-pdfs"
PRODUCERS = ("writer-docx", "writer-html", "chromium")


@dataclass(frozen=True)
class SynthPdf:
    name: str
    producer: str
    data: bytes
    report: SynthReport


def _chromium() -> str | None:
    return next((p for p in (shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")) if p), None)


def _sources(seeds: range) -> list[tuple[str, SynthReport, bytes, bytes]]:
    out = []
    for seed in seeds:
        for template in ("2019", "2021"):
            rep = synth_report(template, random.Random(seed))
            kw = {"agency": rep.agency, "year": rep.year, "published": rep.published, "sections": rep.sections}
            html = render_html(template, rep.cells, **kw).encode("utf-8")
            key = hashlib.sha256(html).hexdigest()[:12]
            out.append((f"{template}_s{seed}_{key}", rep, html, render_docx(template, rep.cells, **kw)))
    return out


def _writer(todo: list[tuple[str, bytes]], suffix: str, infilter: str | None, producer: str) -> None:
    from ogi.readers.doc import convert

    with tempfile.TemporaryDirectory(prefix="ogi-bench-") as tmp:
        paths = []
        for stem, data in todo:
            path = Path(tmp) / f"{stem}{suffix}"
            path.write_bytes(data)
            paths.append(path)
        convert(paths, "pdf:writer_pdf_Export", Path(tmp) / "out", infilter=infilter, timeout=60 + 20 * len(paths))
        for stem, _ in todo:
            produced = Path(tmp) / "out" / f"{stem}.pdf"
            if produced.exists():
                shutil.copyfile(produced, CACHE / f"{stem}_{producer}.pdf")


def _print_chromium(binary: str, stem: str, html: bytes) -> None:
    with tempfile.TemporaryDirectory(prefix="ogi-bench-") as tmp:
        src = Path(tmp) / "report.html"
        src.write_bytes(html)
        target = CACHE / f"{stem}_chromium.pdf"
        cmd = [binary, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer"]
        cmd += [f"--user-data-dir={tmp}/profile", f"--print-to-pdf={target}", src.as_uri()]
        subprocess.run(cmd, capture_output=True, timeout=120, check=False)


def synthetic_pdfs(seeds: range, producers: tuple[str, ...] = PRODUCERS) -> list[SynthPdf]:
    """PDFs of synthetic reports of both templates for every seed and producer available."""
    CACHE.mkdir(parents=True, exist_ok=True)
    sources = _sources(seeds)
    missing = {p: [s for s in sources if not (CACHE / f"{s[0]}_{p}.pdf").exists()] for p in producers}
    from ogi.readers.doc import soffice_path

    if soffice_path() is not None:
        if missing.get("writer-docx"):
            _writer([(s[0], s[3]) for s in missing["writer-docx"]], ".docx", None, "writer-docx")
        if missing.get("writer-html"):
            _writer([(s[0], s[2]) for s in missing["writer-html"]], ".html", "HTML (StarWriter)", "writer-html")
    chromium = _chromium()
    if chromium is not None:
        for stem, _, html, _ in missing.get("chromium", []):
            _print_chromium(chromium, stem, html)
    out = []
    for stem, rep, _, _ in sources:
        for producer in producers:
            path = CACHE / f"{stem}_{producer}.pdf"
            if path.exists() and path.stat().st_size:
                out.append(SynthPdf(stem.rsplit("_", 1)[0], producer, path.read_bytes(), rep))
    return out
