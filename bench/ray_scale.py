"""Figures for the scale model (docs/scale.md): per-file cost by format, Ray's overhead per task
at batch sizes 1, 16 and 64, and throughput with 1 and 2 workers on this machine.

Usage: python bench/ray_scale.py [files]    (needs the ray extra; starts local runtimes on loopback)

Per-file cost is the median of the whole per-file job a worker does (read, parse, check, flatten
into rows) in this process. Overhead per task is what a batch costs on Ray beyond its files'
parse: scheduling, argument and result transfer, and writing its Parquet part.
"""

from __future__ import annotations

import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")
os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")

import pypdfium2

from ogi.batch.limits import Limits, parse_limited
from ogi.render.synth import synth_report
from ogi.render.text import SHAPES, render_text

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"


def per_file_ms(data: bytes, name: str, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        parse_limited(data, name, Limits(), hard_stop=False)
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


def formats() -> None:
    print("per-file cost (read → rows, median ms):")
    samples: dict[str, list[Path]] = {"text": [], "html": [], "docx": [], "pdf": []}
    for folder in (ROOT / "examples", CORPUS):
        for path in sorted(folder.glob("*.*")) if folder.is_dir() else []:
            fmt = {".txt": "text", ".md": "text", ".html": "html", ".docx": "docx", ".pdf": "pdf"}.get(path.suffix)
            if fmt:
                samples[fmt].append(path)
    for fmt, paths in samples.items():
        costs = [per_file_ms(p.read_bytes(), p.name, 3 if fmt == "pdf" else 5) for p in paths]
        line = f"  {fmt:5s} {statistics.median(costs):8.1f} ms  (n={len(paths)}, max {max(costs):.1f})"
        if fmt == "pdf":
            pages = [len(pypdfium2.PdfDocument(p.read_bytes())) for p in paths]
            per_page = statistics.median(c / n for c, n in zip(costs, pages, strict=True))
            line += f"  {per_page:.1f} ms/page, pages {pages}"
        print(line)


def write_corpus(folder: Path, n: int) -> float:
    rng = random.Random(3)
    folder.mkdir(parents=True)
    texts = []
    for i in range(n):
        text = render_text(synth_report(rng.choice(("2019", "2021")), rng), SHAPES[i % len(SHAPES)], seed=i)
        (folder / f"r{i:04d}.txt").write_text(text, encoding="utf-8")
        texts.append(text)
    return statistics.median(per_file_ms(t.encode(), "r.txt", 1) for t in texts[:100])


def on_ray(folder: Path, cpus: int, batches: tuple[int, ...], n: int) -> dict[int, float]:
    """Wall seconds to write ``folder`` as a dataset, per batch size, on a local runtime of ``cpus``."""
    import ray

    from ogi.batch.ray_engine import ingest_to_dataset

    ray.init(num_cpus=cpus, object_store_memory=200 * 2**20, include_dashboard=False, log_to_driver=False,
             logging_level="warning")
    walls: dict[int, float] = {}
    try:
        ingest_to_dataset([folder], Path(tempfile.mkdtemp()) / "warm", batch=64, progress=False)  # workers up
        for batch in batches:
            out = Path(tempfile.mkdtemp()) / "ds"
            t = time.perf_counter()
            result = ingest_to_dataset([folder], out, batch=batch, progress=False)
            walls[batch] = time.perf_counter() - t
            print(f"  {cpus} worker(s), batch {batch:3d}: {walls[batch]:6.2f} s, {result.added / walls[batch]:6.1f} "
                  f"files/s, {-(-n // batch):4d} tasks, {walls[batch] / n * 1000:5.1f} ms/file")
            shutil.rmtree(out.parent, ignore_errors=True)
    finally:
        ray.shutdown()
    return walls


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 512
    formats()
    folder = Path(tempfile.mkdtemp()) / "in"
    parse_ms = write_corpus(folder, n)
    print(f"\nRay, {n} synthetic text reports (parse {parse_ms:.1f} ms/file in one process):")
    one = on_ray(folder, 1, (1, 16, 64), n)
    two = on_ray(folder, 2, (16, 64), n)
    # What one more task costs, whatever the files: the time saved by packing them 64 to a task.
    per_task = (one[1] - one[64]) / (n - -(-n // 64)) * 1000
    print(f"\nRay overhead per task (1 worker; scheduling, transfer, Parquet part): {per_task:.1f} ms")
    print(f"with a batch of 16: {per_task / 16:.2f} ms/file, of 64: {per_task / 64:.2f} ms/file")
    print(f"2 workers vs 1 (batch 16): {one[16] / two[16]:.2f}× the throughput; batch 64: {one[64] / two[64]:.2f}×")
    shutil.rmtree(folder.parent, ignore_errors=True)


if __name__ == "__main__":
    main()
