"""The corpus store at scale: bulk load and typical queries at 100,000 reports; ingest throughput.

Part 1 builds a store of N synthetic reports (default 100,000: 20,000 publishers × 5 years) without
parsing: a few dozen synthetic cell sets per template are perturbed per report inside DuckDB
(``INSERT … SELECT``, no Python row loop), publishers sit in real division codes. Then it times the
queries a reader runs (target: each ≤ 100 ms). Part 2 writes ~400 synthetic text reports in every
text shape and times ``ingest`` on them with 2 workers (target ≥ 200 reports/s). Prints figures only.

    .venv/bin/python bench/store_scale.py [N_REPORTS] [N_TEXT_REPORTS]
"""

from __future__ import annotations

import gzip
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ogi.batch import ingest
from ogi.model.template import get_template
from ogi.render.synth import synth_cells, synth_report
from ogi.render.text import SHAPES, render_text
from ogi.store.crossyear import check_cross_year
from ogi.store.db import Store
from ogi.store.queries import query, rollup, stats
from ogi.units.divisions import DATA_FILE, division_level

YEARS = (2019, 2020, 2021, 2022, 2023)
BASES_PER_TEMPLATE = 32
RULES = (("I1", "error"), ("I3", "error"), ("UNCERTAIN_VALUE", "warning"), ("MISSING_CELL", "warning"),
         ("INFERRED_VALUE", "info"), ("NOT_ASSESSABLE", "info"), ("PUBLISHED_LATE", "warning"))  # fmt: skip


def _timed(label: str, fn: Callable[[], Any], figures: dict[str, float]) -> Any:
    t = time.perf_counter()
    out = fn()
    figures[label] = time.perf_counter() - t
    print(f"  {label:44} {figures[label]:8.2f} s", flush=True)
    return out


def _divisions(rng: random.Random, n: int) -> list[tuple[str, str, str]]:
    """n (code, name, level) picks of counties and towns, as publishers would resolve to."""
    rows = []
    with gzip.open(DATA_FILE, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith(("#", "code\t")):
                continue
            code, name, level, _ = line.rstrip("\n").split("\t")
            if level in ("county", "town", "city"):
                rows.append((code, name, level))
    return [rng.choice(rows) for _ in range(n)]


def build(store: Store, n_reports: int, rng: random.Random) -> dict[str, float]:
    figures: dict[str, float] = {}
    con = store.con
    base = [(t, i, k, str(v)) for t in ("2019", "2021") for i in range(BASES_PER_TEMPLATE)
            for k, v in synth_cells(t, rng, scale=rng.choice((5, 50, 500))).items()]  # fmt: skip
    con.execute("CREATE TEMP TABLE base (template VARCHAR, base INTEGER, key VARCHAR, value DECIMAL(38, 10))")
    con.execute("INSERT INTO base SELECT unnest($1), unnest($2), unnest($3), unnest($4)",
                [[b[0] for b in base], [b[1] for b in base], [b[2] for b in base], [b[3] for b in base]])  # fmt: skip
    n_agencies = n_reports // len(YEARS)
    places = _divisions(rng, n_agencies)
    levels = {"city": "市", "county": "县区", "town": "乡镇街道"}
    kinds = [rng.random() for _ in places]
    agencies = [f"{name}人民政府" if k < 0.3 else f"{name}{rng.choice(('财政局', '教育局', '公安局'))}"
                for (_, name, _), k in zip(places, kinds, strict=True)]  # fmt: skip
    con.execute(
        "CREATE TEMP TABLE agencies (n INTEGER, agency VARCHAR, level VARCHAR, code VARCHAR, name VARCHAR, "
        "dlevel VARCHAR)"
    )
    con.execute("INSERT INTO agencies SELECT unnest(range($5)), unnest($1), unnest($2), unnest($3), unnest($4), "
                "unnest($6)", [
        agencies, [levels[lv] if k < 0.3 else "部门" for (_, _, lv), k in zip(places, kinds, strict=True)],
        [c for c, _, _ in places], [n for _, n, _ in places], n_agencies, [lv for _, _, lv in places]])  # fmt: skip

    def load_reports() -> None:
        con.execute(
            """
            INSERT INTO documents SELECT md5(a.n || '-' || y.year) || md5(y.year || '-' || a.n), '/bench/' || a.n
                || '_' || y.year || '.txt', 'xx/bench.txt', 'text', 8000, now(), 'ok', NULL
            FROM agencies a, (SELECT unnest($1::INTEGER[]) AS year) y""",
            [list(YEARS)],
        )
        con.execute(
            """
            INSERT INTO reports (id, sha256, path, format, agency, agency_id, level, region_code, region_name,
                region_level, region_ambiguous, region_candidates, region_reason, year, template, published, title,
                errors, warnings, null_cells, version, current, unit, meta, ingested_at)
            SELECT row_number() OVER (ORDER BY y.year, a.n), md5(a.n || '-' || y.year)
                || md5(y.year || '-' || a.n), '/bench/' || a.n || '_' || y.year || '.txt', 'text', a.agency,
                a.agency, a.level, a.code, a.name, a.dlevel, false, [], 'bench', y.year,
                CASE WHEN y.year <= 2020 THEN '2019' ELSE '2021' END, make_date(y.year + 1, 2, 1),
                a.agency || y.year || '年政府信息公开工作年度报告', (hash(a.n, y.year) % 3 = 0)::INTEGER,
                (hash(y.year, a.n) % 4)::INTEGER, 0, 1, true, true, NULL, now()
            FROM agencies a, (SELECT unnest($1::INTEGER[]) AS year) y""",
            [list(YEARS)],
        )

    def load_cells() -> None:
        # Each report takes one base cell set of its template, every count scaled by its own factor.
        con.execute(f"""
            INSERT INTO cells (report_id, key, value, semantic, flag, alternatives, provenance) SELECT r.id, b.key,
                round(b.value * (0.2 + (hash(r.id) % 1000) / 500.0), CASE WHEN b.key LIKE '%amount' THEN 4 ELSE 0 END),
                'number', NULL, [], 'bench'
            FROM reports r JOIN base b ON b.template = r.template AND b.base = r.id % {BASES_PER_TEMPLATE}
            ORDER BY r.id""")  # fmt: skip

    def load_findings() -> None:
        con.execute("""
            INSERT INTO findings SELECT r.id, f.rule, f.severity, ['requests.total.total'], 'bench', NULL, NULL
            FROM reports r, (SELECT unnest($1::VARCHAR[]) AS rule, unnest($2::VARCHAR[]) AS severity) f
            WHERE hash(r.id, f.rule) % 7 < 2""", [[r for r, _ in RULES], [s for _, s in RULES]])  # fmt: skip

    for label, fn in (("reports + documents", load_reports), ("cells", load_cells), ("findings", load_findings)):
        _timed(f"load {label}", lambda fn=fn: (con.begin(), fn(), con.commit()), figures)
    _timed("checkpoint", lambda: con.execute("CHECKPOINT"), figures)
    return figures


def _median_ms(fn: Callable[[], Any], repeat: int = 5) -> tuple[float, float]:
    times = []
    for _ in range(repeat + 1):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return times[0], statistics.median(times[1:])


def queries(store: Store) -> None:
    # The division table (0.2 s, once per process) is loaded by the first rollup; time it apart.
    t = time.perf_counter()
    division_level("110000")
    print(f"  division table load (once per process)       {(time.perf_counter() - t) * 1000:9.1f} ms")
    agency = query(store, "SELECT agency_id FROM reports WHERE level = '部门' LIMIT 1").rows[0][0]
    province = query(store, "SELECT left(region_code, 2) || '0000' FROM reports GROUP BY 1 ORDER BY count(*) DESC "
                            "LIMIT 1").rows[0][0]  # fmt: skip
    county = query(store, "SELECT region_code FROM reports WHERE region_level = 'county' "
                          "GROUP BY 1 ORDER BY count(*) DESC LIMIT 1").rows[0][0]  # fmt: skip
    cases: dict[str, Callable[[], Any]] = {
        "findings by rule (current reports)": lambda: query(store, "SELECT f.rule, f.severity, count(*) "
            "FROM findings f JOIN reports r ON r.id = f.report_id WHERE r.current GROUP BY ALL").rows,
        "applications by province and year": lambda: query(store, "SELECT left(u.region_code, 2), u.year, sum(c.value) "
            "FROM cells c JOIN unit_reports u ON u.id = c.report_id WHERE c.key = 'requests.new.total' "
            "GROUP BY ALL").rows,
        "one agency's history (all cells)": lambda: query(store, "SELECT u.year, c.key, c.value FROM unit_reports u "
            "JOIN cells c ON c.report_id = u.id WHERE u.agency_id = ? ORDER BY u.year, c.key", [agency]).rows,
        f"rollup province {province} 2023": lambda: rollup(store, province, 2023),
        f"rollup county {county} 2023": lambda: rollup(store, county, 2023),
        "stats()": lambda: stats(store),
    }  # fmt: skip
    print(f"\n  {'query':44} {'first ms':>9} {'median ms':>10}")
    for label, fn in cases.items():
        first, median = _median_ms(fn)
        print(f"  {label:44} {first:9.1f} {median:10.1f}", flush=True)


def throughput(n_text: int, folder: Path) -> None:
    rng = random.Random(7)
    src = folder / "reports"
    src.mkdir()
    for i in range(n_text):
        rep = synth_report(rng.choice(("2019", "2021")), rng)
        (src / f"{i:04d}.txt").write_text(render_text(rep, SHAPES[i % len(SHAPES)], seed=i), encoding="utf-8")
    for workers in (2, 1):
        db = folder / f"ingest{workers}.duckdb"
        t = time.perf_counter()
        r = ingest([src], db, workers=workers, progress=False)
        took = time.perf_counter() - t
        print(f"  ingest {n_text} text reports, {workers} worker(s): {took:6.2f} s = {r.added / took:6.0f} reports/s "
              f"({r.added} added, {len(r.failed)} failed)")  # fmt: skip
        t = time.perf_counter()
        ingest([src], db, workers=workers, progress=False)
        print(f"  re-ingest, nothing changed:              {time.perf_counter() - t:6.2f} s")


def main() -> None:
    n_reports = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    n_text = int(sys.argv[2]) if len(sys.argv) > 2 else 400
    rng = random.Random(0)
    with tempfile.TemporaryDirectory() as tmp:
        print(f"part 1: {n_reports} reports, {len(get_template('2021').keys)} cells each")
        with Store.open(Path(tmp) / "scale.duckdb") as store:
            figures = build(store, n_reports, rng)
            total = query(store, "SELECT count(*) FROM cells").rows[0][0]
            load = sum(v for k, v in figures.items() if k.startswith("load"))
            print(f"  {total:,} cells loaded in {load:.1f} s ({total / load:,.0f} cells/s)")
            size = (Path(tmp) / "scale.duckdb").stat().st_size
            print(f"  database file {size / 2**20:.0f} MiB")
            queries(store)
            t = time.perf_counter()
            found = check_cross_year(store)
            print(f"  {'check_cross_year (every pair, no sections)':44} {time.perf_counter() - t:9.2f} s "
                  f"({len(found):,} findings)")  # fmt: skip
        print(f"\npart 2: ingest throughput on {n_text} synthetic text reports")
        throughput(n_text, Path(tmp))


if __name__ == "__main__":
    main()
