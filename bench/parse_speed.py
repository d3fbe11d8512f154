"""Median parse+check time per text report, on one core.

Runs the corpus .txt reports, the seeds and synthetic reports in every text shape; prints the
median and p90 per group. Target: median ≤ 5 ms per text report.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

import ogi
from ogi.render.synth import synth_report
from ogi.render.text import SHAPES, render_text

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def _time(data: bytes, name: str, repeat: int) -> float:
    best = []
    for _ in range(repeat):
        t = time.perf_counter()
        ogi.parse_bytes(data, name)
        best.append(time.perf_counter() - t)
    return statistics.median(best)


def main() -> None:
    repeat = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    groups: dict[str, list[float]] = {}
    files = sorted((SHARED / "seeds").glob("*.txt")) + sorted((SHARED / "corpus").glob("*.txt"))
    for f in files:
        groups.setdefault("real (seeds + corpus .txt)", []).append(_time(f.read_bytes(), f.name, repeat))
    for seed in range(10):
        for template in ("2019", "2021"):
            rep = synth_report(template, random.Random(seed))
            for shape in SHAPES:
                data = render_text(rep, shape).encode()
                groups.setdefault(f"synthetic {shape}", []).append(_time(data, f"{shape}.txt", repeat))
    everything = [t for ts in groups.values() for t in ts]
    print(f"{'group':34} {'n':>4} {'median ms':>10} {'p90 ms':>8}")
    for name, ts in [*groups.items(), ("all text reports", everything)]:
        q = statistics.quantiles(ts, n=10)[-1] if len(ts) > 1 else ts[0]
        print(f"{name:34} {len(ts):4d} {statistics.median(ts) * 1000:10.2f} {q * 1000:8.2f}")


if __name__ == "__main__":
    main()
