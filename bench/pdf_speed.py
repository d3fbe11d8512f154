"""PDF speed and memory per page, in one run: ogi parse+check against pypdfium2's text-only pass
(the floor: pdfium reading every page's text layer) and pdfplumber's ``extract_tables`` (the
library ogi used before).

Files: the shared corpus PDFs, ``examples/2021_print.pdf`` and synthetic reports of both templates
printed by LibreOffice (from DOCX and from HTML) and Chromium (see ``_pdfs.py``). Times are
medians over the repeats, in CPU milliseconds per page of this process (``process_time``: what
the work costs, robust to other load on the machine) and in wall-clock milliseconds. Memory is
the peak resident-set growth while one file is parsed, in a fresh process, per page (Linux).

Targets (quiet machine, one core): ogi ≤ 20 ms per page on the shared PDFs and ≤ 10× the
text-only pass. Run under ``taskset -c 1`` on a shared machine.
Usage: python bench/pdf_speed.py [--repeat N] [--seeds N] [--no-plumber] [--no-memory]
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium

import ogi

sys.path.insert(0, str(Path(__file__).parent))
from _pdfs import synthetic_pdfs

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"

_MEMORY = """
import re, sys
import pypdfium2, ogi
pypdfium2.PdfDocument(open({example!r}, "rb").read()).close()
ogi.parse_bytes(open({text!r}, "rb").read(), "warm.txt")
def status(field):
    return int(re.search(field + r":\\s+(\\d+)", open("/proc/self/status").read()).group(1))
with open("/proc/self/clear_refs", "w") as f:
    f.write("5")  # reset the peak (VmHWM) to the current resident size
before = status("VmRSS")
{work}
print(status("VmHWM") - before)
"""
_WORK = {
    "ogi": "ogi.parse_bytes(open(sys.argv[1], 'rb').read(), 'x.pdf')",
    "pdfplumber": (
        "import pdfplumber\nwith pdfplumber.open(sys.argv[1]) as pdf:\n    for page in pdf.pages: page.extract_tables()"
    ),
}


def text_only(data: bytes) -> None:
    pdf = pdfium.PdfDocument(data)
    for i in range(len(pdf)):
        page = pdf[i]
        textpage = page.get_textpage()
        textpage.get_text_range()
        textpage.close()
        page.close()
    pdf.close()


def plumber_tables(data: bytes) -> None:
    import io

    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            page.extract_tables()


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median (CPU, wall) seconds of ``repeat`` runs, after one warm-up run."""
    fn()
    cpu, wall = [], []
    for _ in range(repeat):
        c, w = time.process_time(), time.perf_counter()
        fn()
        cpu.append(time.process_time() - c)
        wall.append(time.perf_counter() - w)
    return statistics.median(cpu), statistics.median(wall)


def peak_kib(path: Path, work: str) -> int:
    """Peak RSS growth (KiB) of a fresh process doing ``work`` on one file."""
    examples = ROOT / "examples"
    code = _MEMORY.format(
        example=str(examples / "2021_print.pdf"), text=str(examples / "2021_tsv.txt"), work=_WORK[work]
    )
    cmd = [sys.executable, "-c", code, str(path)]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=600, check=True)
    return int(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--seeds", type=int, default=2, help="synthetic reports per template and producer")
    ap.add_argument("--no-plumber", action="store_true", help="skip pdfplumber (slow)")
    ap.add_argument("--no-memory", action="store_true")
    args = ap.parse_args()
    plumber = not args.no_plumber
    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # it warns about every odd font descriptor
    if plumber:
        try:
            import pdfplumber  # noqa: F401
        except ImportError:
            print("pdfplumber is not installed (pip install -e '.[bench]'): its column is skipped")
            plumber = False

    files: list[tuple[str, str, bytes]] = [("shared", p.name, p.read_bytes()) for p in sorted(CORPUS.glob("*.pdf"))]
    files.append(("example", "2021_print.pdf", (ROOT / "examples" / "2021_print.pdf").read_bytes()))
    synthetic = synthetic_pdfs(range(args.seeds))
    files += [(f"synthetic {s.producer}", f"{s.name}_{s.producer}.pdf", s.data) for s in synthetic]

    head = f"{'file':34} {'pages':>5} {'text-only':>9} {'ogi cpu':>8} {'ogi wall':>8} {'× text':>6}"
    head += f" {'plumber':>8}" if plumber else ""
    if not args.no_memory:
        head += f" {'ogi KiB':>8}" + (f" {'plumb KiB':>9}" if plumber else "")
    print("ms per page (CPU unless marked wall); KiB: peak RSS growth per page while one file is read")
    print(head)
    groups: dict[str, list[float]] = {}
    tmp = Path(tempfile.gettempdir()) / f"ogi-pdf-speed-{os.getpid()}.pdf"
    try:
        for group, name, data in files:
            pages = len(pdfium.PdfDocument(data))
            floor, _ = timed(lambda d=data: text_only(d), args.repeat)
            cpu, wall = timed(lambda d=data, n=name: ogi.parse_bytes(d, n), args.repeat)
            line = f"{name[:34]:34} {pages:5d} {floor / pages * 1e3:9.2f} {cpu / pages * 1e3:8.2f}"
            line += f" {wall / pages * 1e3:8.2f} {cpu / floor:6.1f}"
            g = groups.setdefault(group, [0, 0, 0, 0, 0])
            g[0] += pages
            g[1] += floor
            g[2] += cpu
            g[3] += wall
            if plumber:
                plumb, _ = timed(lambda d=data: plumber_tables(d), max(1, args.repeat // 2))
                line += f" {plumb / pages * 1e3:8.2f}"
                g[4] += plumb
            if not args.no_memory:
                tmp.write_bytes(data)
                line += f" {peak_kib(tmp, 'ogi') / pages:8.0f}"
                line += f" {peak_kib(tmp, 'pdfplumber') / pages:9.0f}" if plumber else ""
            print(line, flush=True)
    finally:
        tmp.unlink(missing_ok=True)
    print()
    print(head.split(" ogi KiB")[0].replace("file ", "group"))
    for group, (pages, floor, cpu, wall, plumb) in groups.items():
        line = f"{group:34} {pages:5d} {floor / pages * 1e3:9.2f} {cpu / pages * 1e3:8.2f}"
        line += f" {wall / pages * 1e3:8.2f} {cpu / floor:6.1f}"
        print(line + (f" {plumb / pages * 1e3:8.2f}" if plumber else ""))


if __name__ == "__main__":
    main()
