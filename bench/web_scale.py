"""The web app at scale: server time of its reads over 100,000 reports, then a bounded load test.

Part 1 builds a store of N synthetic reports with ``bench/store_scale.py``'s builder and times,
in-process (no network), the report page, ``GET /api/reports`` with filters and ``GET /api/findings``
(target: p95 ≤ 100 ms each). Part 2 starts ``ogi serve`` on that store on loopback and runs C
clients for S seconds reading pages and the API while one more client uploads synthetic text
reports; it prints p50/p95 per kind of request and the errors (target 0), then checks that every
uploaded file is stored exactly once. Prints figures only.

    .venv/bin/python bench/web_scale.py [N_REPORTS] [CLIENTS] [SECONDS]
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from store_scale import build  # noqa: E402
from tests.browser import server  # noqa: E402

from ogi.render.synth import synth_report  # noqa: E402
from ogi.render.text import SHAPES, render_text  # noqa: E402
from ogi.store.db import Store, sha256_of  # noqa: E402

REPEAT = 60


def _pct(times: list[float], p: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] * 1000


def _row(label: str, times: list[float], errors: int = 0) -> None:
    print(f"  {label:46} {len(times):6d} {statistics.median(times) * 1000:8.1f} {_pct(times, 95):8.1f} {errors:7d}",
          flush=True)  # fmt: skip


def _samples(db: Path, rng: random.Random) -> tuple[list[int], list[str], list[str]]:
    with Store.open(db, read_only=True) as store:
        ids = [r[0] for r in store.con.execute("SELECT id FROM reports USING SAMPLE 200").fetchall()]
        names = [r[0] for r in store.con.execute("SELECT agency FROM reports USING SAMPLE 50").fetchall()]
        codes = [r[0] for r in store.con.execute("SELECT region_code FROM reports USING SAMPLE 50").fetchall()]
    return ids, [n[2:5] for n in names], [c[:4] for c in codes]


def _requests(ids: list[int], names: list[str], codes: list[str], rng: random.Random) -> dict[str, Callable[[], str]]:
    rules = ("I1", "I3", "UNCERTAIN_VALUE", "PUBLISHED_LATE")

    def year() -> int:
        return rng.randint(2019, 2023)

    def rule() -> str:
        return rng.choice(rules)

    return {
        "report page /reports/{id}": lambda: f"/reports/{rng.choice(ids)}",
        "GET /api/reports (region, year)": lambda: f"/api/reports?region={rng.choice(codes)}&year={year()}",
        "GET /api/reports (name part, level)": lambda: f"/api/reports?agency={rng.choice(names)}&level=部门",
        "GET /api/reports (rule, template, page 3)": lambda: f"/api/reports?rule={rule()}&template=2021&page=3",
        "GET /api/findings (rule, region)": lambda: f"/api/findings?rule={rule()}&region={rng.choice(codes)}",
        "GET /api/findings (severity, year)": lambda: f"/api/findings?severity=error&year={year()}",
    }


def server_times(db: Path, rng: random.Random) -> None:
    from fastapi.testclient import TestClient

    from ogi.web import Settings, create_app

    ids, names, codes = _samples(db, rng)
    print(f"\n  {'request (in-process, server time)':46} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7}")
    with TestClient(create_app(Settings(db=db, workers=1))) as client:
        for label, url in _requests(ids, names, codes, rng).items():
            for _ in range(5):
                client.get(url())  # warm: first queries, templates, the division table
            times, errors = [], 0
            for _ in range(REPEAT):
                u = url()
                t = time.perf_counter()
                r = client.get(u)
                times.append(time.perf_counter() - t)
                errors += r.status_code != 200
            _row(label, times, errors)


def load_test(db: Path, clients: int, seconds: float, rng: random.Random) -> None:
    ids, names, codes = _samples(db, rng)
    kinds = _requests(ids, names, codes, rng)
    times: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    uploaded: list[bytes] = []
    lock = threading.Lock()
    with server(db) as url:
        stop = time.monotonic() + seconds

        def reader(seed: int) -> None:
            local = random.Random(seed)
            with httpx.Client(base_url=url, timeout=60) as c:
                while time.monotonic() < stop:
                    label = local.choice(list(kinds))
                    t = time.perf_counter()
                    try:
                        ok = c.get(kinds[label]()).status_code == 200
                    except httpx.HTTPError:
                        ok = False
                    with lock:
                        times[label].append(time.perf_counter() - t)
                        errors[label] += not ok

        def uploader() -> None:
            local = random.Random(99)
            with httpx.Client(base_url=url, timeout=120) as c:
                n = 0
                while time.monotonic() < stop:
                    data = render_text(synth_report(local.choice(("2019", "2021")), local), SHAPES[n % len(SHAPES)],
                                       seed=n).encode()  # fmt: skip
                    t = time.perf_counter()
                    try:
                        r = c.post("/api/reports", files=[("files", (f"load_{n:04d}.txt", data))])
                        ok = r.status_code == 200 and r.json()["reports"][0]["status"] == "ok"
                    except httpx.HTTPError:
                        ok = False
                    with lock:
                        times["POST /api/reports (one file)"].append(time.perf_counter() - t)
                        errors["POST /api/reports (one file)"] += not ok
                        uploaded.append(data)
                    n += 1

        threads = [threading.Thread(target=reader, args=(i,)) for i in range(clients)]
        threads.append(threading.Thread(target=uploader))
        for th in threads:
            th.start()
        for th in threads:
            th.join()
    total = sum(len(v) for v in times.values())
    print(f"\n  {clients} readers + 1 uploader, {seconds:.0f} s on loopback: {total} requests, "
          f"{total / seconds:.0f}/s, {sum(errors.values())} errors")  # fmt: skip
    print(f"  {'request (over HTTP, under load)':46} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7}")
    for label in sorted(times):
        _row(label, times[label], errors[label])
    with Store.open(db, read_only=True) as store:
        counts = dict(store.con.execute(
            "SELECT d.sha256, count(DISTINCT r.id) FILTER (WHERE r.current) FROM documents d "
            "LEFT JOIN reports r ON r.sha256 = d.sha256 WHERE d.sha256 IN (SELECT unnest(?)) GROUP BY 1",
            [[sha256_of(d) for d in uploaded]]).fetchall())  # fmt: skip
    once = sum(1 for d in uploaded if counts.get(sha256_of(d)) == 1)
    print(f"  uploaded {len(uploaded)} files: {once} stored exactly once (one document, one current report), "
          f"{len(uploaded) - once} not")  # fmt: skip


def main() -> None:
    n_reports = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    clients = int(sys.argv[2]) if len(sys.argv) > 2 else 50
    seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 30.0
    rng = random.Random(0)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "web.duckdb"
        print(f"building {n_reports} synthetic reports (bench/store_scale.py)")
        with Store.open(db) as store:
            build(store, n_reports, rng)
            # The builder numbers reports itself; new ones (uploads) must come after them.
            top = store.con.execute("SELECT max(id) FROM reports").fetchone()[0]
            store.con.execute(f"DROP SEQUENCE report_id_seq; CREATE SEQUENCE report_id_seq START {top + 1}")
        server_times(db, rng)
        if clients:
            load_test(db, clients, seconds, rng)


if __name__ == "__main__":
    main()
