"""The corpus at a glance at 100,000 reports: dashboard, coverage, a unit's history, the full
cross-year check and the 比对报告 of a region, each timed as a reader would meet it.

Builds (once, kept at the path given) the synthetic store of ``bench/store_scale.py``, adds a few
hundred second sources (so reconciliation is exercised), then prints first and median times.
Targets: dashboard JSON, coverage of a province and a unit history ≤ 100 ms; full cross-year
check ≤ 3 s; ``ogi compare`` for a region of 100 units ≤ 60 s.

    .venv/bin/python bench/overview_scale.py [DB_PATH] [N_REPORTS] [--no-compare]
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from store_scale import build

from ogi.overview.coverage import coverage
from ogi.overview.dashboard import Filters, dashboard
from ogi.overview.history import history
from ogi.store.crossyear import check_cross_year
from ogi.store.db import Store
from ogi.store.reconcile import reconcile_all


def _median_ms(fn: Callable[[], Any], repeat: int = 5) -> tuple[float, float]:
    times = []
    for _ in range(repeat + 1):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return times[0], statistics.median(times[1:])


def _second_sources(store: Store, n: int) -> None:
    """n unit-years get a second copy (a crawler dump: table 二 uncertain) so reconciliation has work."""
    con = store.con
    con.begin()
    # Synthetic publishers can share a name (two 城关镇财政局): as the writer does, one unit per
    # publisher and year, the others copies of it.
    con.execute("""UPDATE reports SET unit = id IN (SELECT min(id) FROM reports GROUP BY agency_id, year)""")
    con.execute(f"""
        CREATE TEMP TABLE dup AS SELECT id, nextval('report_id_seq') + 10000000 AS new_id FROM reports
        WHERE unit ORDER BY hash(id) LIMIT {n}""")
    con.execute("""INSERT INTO reports SELECT d.new_id, md5(r.sha256), r.path || '.crawl.txt', 'text', r.agency,
        r.agency_id, r.level, r.region_code, r.region_name, r.region_level, r.region_ambiguous, r.region_candidates,
        r.region_reason, r.year, r.template, r.published, r.title, r.errors + 1, r.warnings, r.null_cells, 1, true,
        false, r.meta, r.ingested_at FROM reports r JOIN dup d ON d.id = r.id""")
    con.execute("""INSERT INTO cells SELECT d.new_id, c.key, c.value, c.semantic,
        CASE WHEN c.key LIKE 'active.%' THEN 'uncertain' ELSE c.flag END, c.alternatives, 'crawl'
        FROM cells c JOIN dup d ON d.id = c.report_id""")
    con.commit()
    t = time.perf_counter()
    linked = reconcile_all(con)
    print(f"  reconcile every unit-year ({linked} with two sources)   {time.perf_counter() - t:8.2f} s")


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    path = Path(args[0]) if args else Path(tempfile.gettempdir()) / "ogi-overview-bench.duckdb"
    n_reports = int(args[1]) if len(args) > 1 else 100_000
    if not path.exists():
        with Store.open(path) as store:
            print(f"building {n_reports} synthetic reports at {path}")
            build(store, n_reports, random.Random(0))
            _second_sources(store, 500)
    with Store.open(path) as store:
        n = store.con.execute("SELECT count(*) FROM unit_reports").fetchone()[0]  # type: ignore[index]
        print(f"{n:,} unit-years in {path}")
        t = time.perf_counter()
        found = check_cross_year(store)
        print(f"  {'full cross-year check':44} {time.perf_counter() - t:9.2f} s ({len(found):,} findings)")
        province = store.con.execute(
            "SELECT left(region_code, 2) || '0000' FROM unit_reports GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()[0]  # type: ignore[index]
        agency = store.con.execute("SELECT agency_id FROM unit_reports WHERE level = '部门' LIMIT 1").fetchone()[0]  # type: ignore[index]
        cases: dict[str, Callable[[], Any]] = {
            "dashboard, whole corpus": lambda: dashboard(store),
            "dashboard, 2023": lambda: dashboard(store, Filters(year=2023)),
            f"dashboard, province {province} 2023 部门": lambda: dashboard(store, Filters(province, 2023, "部门")),
            "dashboard, rule I3": lambda: dashboard(store, Filters(rule="I3")),
            f"coverage, province {province} 2023": lambda: coverage(store, province, 2023),
            f"unit history, {agency}": lambda: history(store, agency),
        }
        print(f"\n  {'(server time, no drawing)':44} {'first ms':>9} {'median ms':>10}")
        for label, fn in cases.items():
            first, median = _median_ms(fn)
            print(f"  {label:44} {first:9.1f} {median:10.1f}", flush=True)
        if "--no-compare" not in sys.argv:
            _compare(store)


def _compare(store: Store) -> None:
    from ogi.compare import compare_region

    county = store.con.execute(
        "SELECT left(region_code, 4) || '00' FROM unit_reports WHERE year = 2023 GROUP BY 1 "
        "HAVING count(*) BETWEEN 60 AND 140 ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()[0]  # type: ignore[index]
    with tempfile.TemporaryDirectory() as out:
        t = time.perf_counter()
        result = compare_region(store, county, 2023, Path(out))
        took = time.perf_counter() - t
        print(
            f"\n  ogi compare --region {county} --year 2023: {len(result.units)} units, DOCX + PDF each, "
            f"summary XLSX: {took:.1f} s"
        )


if __name__ == "__main__":
    main()
