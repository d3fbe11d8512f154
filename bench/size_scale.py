"""Parse time against input size: a text of many reports one after another (a compiled volume,
a crawler's dump of a whole site) must cost in proportion to its size.

Synthetic reports of both templates in every text shape are concatenated up to each size and
parsed whole (:func:`ogi.parse_all_bytes`: cut into its reports, each parsed on its own; ``found``
is how many came back); the time per MB should stay flat. Times are CPU seconds of this process
(``process_time``) and wall-clock seconds. Usage: python bench/size_scale.py [MB ...]
(default 0.2 2 7 21).
"""

from __future__ import annotations

import random
import sys
import time

import ogi
from ogi.render.synth import synth_report
from ogi.render.text import SHAPES, render_text


def volume(megabytes: float) -> tuple[bytes, int]:
    """Distinct synthetic reports one after another up to the size, and how many."""
    target = int(megabytes * 1_000_000)
    parts: list[bytes] = []
    size, seed = 0, 0
    while size < target:
        template = ("2019", "2021")[seed % 2]
        shape = SHAPES[seed % len(SHAPES)]
        part = render_text(synth_report(template, random.Random(seed)), shape).encode("utf-8") + b"\n\n"
        parts.append(part)
        size += len(part)
        seed += 1
    return b"".join(parts), len(parts)


def main() -> None:
    sizes = [float(a) for a in sys.argv[1:]] or [0.2, 2, 7, 21]
    print(f"{'MB':>6} {'reports':>8} {'found':>6} {'cpu s':>8} {'wall s':>8} {'cpu s/MB':>9}")
    for mb in sizes:
        data, reports = volume(mb)
        cpu, wall = time.process_time(), time.perf_counter()
        found = len(ogi.parse_all_bytes(data, "volume.txt"))
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        print(f"{len(data) / 1e6:6.2f} {reports:8d} {found:6d} {cpu:8.2f} {wall:8.2f} {cpu / (len(data) / 1e6):9.2f}",
              flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
