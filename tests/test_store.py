"""The corpus store: ingest, versions, crash safety, exports, rollups and the cross-year checks."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import click
import duckdb
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import ogi
from ogi.batch import ingest
from ogi.cli.store_commands import register
from ogi.model import get_template
from ogi.render.synth import synth_report
from ogi.render.text import SHAPES, render_text
from ogi.store.append import append
from ogi.store.db import Store
from ogi.store.queries import export, query, rollup, stats
from tests.conftest import EXAMPLES, load_script

# A group of their own: registering on the real `ogi` group is main.py's business, not a test's.
main = click.Group("ogi")
register(main)
TABLES = ("documents", "reports", "cells", "findings", "sections")


def _counts(db: Path) -> dict[str, int]:
    with Store.open(db, read_only=True) as store:
        return {t: store.con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}  # type: ignore[index]


def _write_reports(folder: Path, n: int, seed: int = 0) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    paths = []
    for i in range(n):
        rep = synth_report(rng.choice(("2019", "2021")), rng)
        path = folder / f"r{i:03d}.txt"
        path.write_text(render_text(rep, SHAPES[i % len(SHAPES)], seed=i), encoding="utf-8")
        paths.append(path)
    return paths


GENERATED = {ex.name: ex.report for ex in load_script("make_examples").examples()}


@pytest.fixture(scope="module")
def examples_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("examples") / "examples.duckdb"
    result = ingest([EXAMPLES], db, workers=2, progress=False)
    assert (result.added, result.unchanged, result.failed) == (len(GENERATED), 0, [])
    return db


def _cell(store: Store, file: str, key: str) -> object:
    sql = "SELECT c.value FROM cells c JOIN reports r ON r.id = c.report_id WHERE r.path LIKE ? AND c.key = ?"
    (row,) = query(store, sql, [f"%/{file}", key]).rows
    return row[0]


def test_examples_are_stored_with_their_publishers(examples_db: Path) -> None:
    with Store.open(examples_db, read_only=True) as store:
        rows = {Path(p).name: (a, y, code) for p, a, y, code in query(
            store, "SELECT path, agency, year, region_code FROM reports WHERE current").rows}  # fmt: skip
        assert {n: (a, y) for n, (a, y, _) in rows.items()} == {n: (r.agency, r.year) for n, r in GENERATED.items()}
        assert rows["hongze_2024_dept.txt"][2] == rows["hongze_2024_gov.txt"][2] == "320813"
        for name, rep in GENERATED.items():
            if name != "2021_tsv_broken_total.txt":
                assert _cell(store, name, "requests.new.total") == rep.cells["requests.new.total"], name
        s = stats(store)
        templates = [r.template for r in GENERATED.values()]
        assert dict(s["by_template"].rows) == {t: templates.count(t) for t in ("2019", "2021")}
        assert [r[:2] for r in s["documents"].rows] == [("ok", 20)]
        findings = {rule: n for rule, _, n, _ in s["findings"].rows}
        # Departments past 31 January: 2019_tsv, 2019_markdown, 2021_print, hongze_2024_dept, both pair_2024.
        assert findings["PUBLISHED_LATE"] == 6 and findings["I3"] == 1


def _amount_example() -> tuple[str, str, Decimal]:
    """The example whose 万元 amount has the most decimal places: an exact value to read back."""
    name, key, value = max(
        ((n, k, v) for n, r in GENERATED.items() for k, v in r.cells.items() if isinstance(v, Decimal)),
        key=lambda t: -t[2].as_tuple().exponent,  # type: ignore[operator]
    )
    assert -value.as_tuple().exponent >= 4  # type: ignore[operator]
    return name, key, value


def test_exports_give_back_the_exact_values(examples_db: Path, tmp_path: Path) -> None:
    name, key, amount = _amount_example()
    count = GENERATED["hongze_2024_gov.txt"].cells["requests.new.total"]
    with Store.open(examples_db, read_only=True) as store:
        buf = io.StringIO()
        assert export(store, "csv", "wide", buf) == 20  # every current report (the CLI: unit-years)
        rows = list(csv.DictReader(io.StringIO(buf.getvalue())))
        by_file = {Path(r["path"]).name: r for r in rows}
        assert by_file["hongze_2024_gov.txt"]["requests.new.total"] == str(count)  # an integer, not "12.000000"
        assert Decimal(by_file[name][key]) == amount and by_file[name][key] == format(amount, "f").rstrip("0")
        assert by_file["2021_print.pdf"]["agency"] == GENERATED["2021_print.pdf"].agency
        cells = sum(len(r.cells) for r in GENERATED.values())
        assert export(store, "parquet", "long", tmp_path / "long.parquet") == cells == 6 * 198 + 14 * 200
        long = duckdb.sql(f"SELECT path, key, value, flag FROM '{tmp_path / 'long.parquet'}'").fetchall()
        values = {(Path(p).name, k): (v, f) for p, k, v, f in long}
        assert values[(name, key)] == (amount, None)
        assert values[("2019_crawler.txt", "active.penalty.decisions")] == (90, "uncertain")
        assert export(store, "xlsx", "wide", tmp_path / "wide.xlsx", chinese_headers=True) == 20
    from openpyxl import load_workbook

    book = load_workbook(tmp_path / "wide.xlsx", read_only=True)
    header, *data = [list(r) for r in book.active.iter_rows(values_only=True)]  # type: ignore[union-attr]
    book.close()  # a read-only workbook keeps its file open: unclosed, it warns later, in another test
    row = next(r for r in data if r[header.index("文件路径")].endswith("/hongze_2024_gov.txt"))
    assert row[header.index("一、本年新收政府信息公开申请数量·总计")] == count
    assert row[header.index("发布机关")] == "淮安市洪泽区人民政府" and row[header.index("年度")] == 2024
    amount_row = next(r for r in data if r[header.index("文件路径")].endswith(f"/{name}"))
    label = get_template(GENERATED[name].template).label_of(key)
    assert amount_row[header.index(label)] == float(amount)


def test_rollup_sums_the_generated_values(examples_db: Path) -> None:
    """洪泽区 2024: the district government, its 财政局 and its 教育局 (one unit-year from two sources, the
    page and the crawler's dump, counted once), summed; the sums computed here from the generator's
    values, not from the store."""
    members = [GENERATED[n].cells for n in ("hongze_2024_gov.txt", "hongze_2024_dept.txt", "pair_2024_page.html")]
    expected = {k: sum(Decimal(m[k]) for m in members) for k in members[0]}
    units = ["淮安市洪泽区", "淮安市洪泽区教育局", "淮安市洪泽区财政局"]
    with Store.open(examples_db, read_only=True) as store:
        r = rollup(store, "320813", 2024)
        assert [u.agency_id for u in r.included] == units
        assert (r.missing, r.excluded, r.broken) == ([], [], [])
        assert r.totals == expected and set(r.counts.values()) == {3}
        # 淮安市 2024: the same three; its other publishers in the examples reported other years only.
        city = rollup(store, "320800", 2024)
        assert [u.agency_id for u in city.included] == units
        assert city.missing == ["涟水县", "淮安市淮阴区南苑街道"] and city.totals == expected


def test_cross_year_on_the_examples(examples_db: Path, tmp_path: Path) -> None:
    """洪泽区 2023 → 2024: the carry-over holds (the generator made it so); the 现行有效 count of 规范性文件
    does not (the generator draws each year afresh), and is reported with the numbers."""
    db = tmp_path / "x.duckdb"
    shutil.copy(examples_db, db)
    r = CliRunner().invoke(main, ["check", "--cross-year", "--db", str(db), "--json"])
    assert r.exit_code == 0
    found = json.loads(r.stdout)
    last, this = GENERATED["hongze_2023_gov.txt"].cells, GENERATED["hongze_2024_gov.txt"].cells
    expected = last["active.normative.in_force"] + this["active.normative.made"] - this["active.normative.repealed"]
    assert [(f["agency"], f["year"], f["rule"], f["expected"], f["printed"]) for f in found] == [
        ("淮安市洪泽区", 2024, "X_IN_FORCE", str(expected), str(this["active.normative.in_force"]))
    ]


def test_cli_on_the_examples_store(examples_db: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    db = ["--db", str(examples_db)]
    r = runner.invoke(main, ["stats", "--json", *db])
    assert r.exit_code == 0 and json.loads(r.stdout)["documents"] == [{"status": "ok", "n": 20, "bytes": sum(
        p.stat().st_size for p in EXAMPLES.iterdir())}]  # fmt: skip
    r = runner.invoke(main, ["query", "SELECT count(*) AS n FROM unit_reports", "--csv", *db])
    assert r.exit_code == 0 and r.stdout.splitlines() == ["n", "19"]  # the pair_2024 files: one unit-year
    r = runner.invoke(main, ["export", "--long", "--chinese-headers", *db])
    assert r.exit_code == 0 and r.stdout.startswith("报告编号,发布机关,")
    r = runner.invoke(main, ["export", "--format", "xlsx", "-o", str(tmp_path / "x.xlsx"), *db])
    assert r.exit_code == 0 and (tmp_path / "x.xlsx").stat().st_size > 0 and "19 rows →" in r.output  # unit-years
    r = runner.invoke(main, ["export", "--all-sources", "--format", "xlsx", "-o", str(tmp_path / "a.xlsx"), *db])
    assert r.exit_code == 0 and "20 rows →" in r.output  # every current report
    r = runner.invoke(main, ["export", "--format", "parquet", *db])
    assert r.exit_code == 1 and "parquet export needs an output file (-o FILE)" in r.output
    r = runner.invoke(main, ["rollup", "--region", "320813", "--year", "2024", "--json", *db])
    total = sum(GENERATED[n].cells["requests.new.total"]
                for n in ("hongze_2024_gov.txt", "hongze_2024_dept.txt", "pair_2024_page.html"))  # fmt: skip
    assert r.exit_code == 0 and ["requests.new.total", "一、本年新收政府信息公开申请数量·总计", total, 3] in json.loads(
        r.stdout)["totals"]  # fmt: skip
    r = runner.invoke(main, ["rollup", "--region", "999999", "--year", "2024", *db])
    assert r.exit_code == 1 and "999999 is not a division code ogi knows" in r.output
    r = runner.invoke(main, ["query", "SELEC nonsense", *db])
    assert r.exit_code == 1 and r.output.startswith("ogi: query failed: ")
    r = runner.invoke(main, ["check", *db])
    assert r.exit_code == 2 and "say what to check: --cross-year" in r.output


def test_a_parsed_report_round_trips_through_the_store(tmp_path: Path) -> None:
    """Every cell comes back as parsed: exact decimals, flags, alternatives, provenance."""
    path = EXAMPLES / "2019_crawler.txt"
    report = ogi.parse(path)
    with Store.open(tmp_path / "r.duckdb") as store:
        added = store.add(path, None, report)
        rows = query(
            store,
            "SELECT key, value, flag, semantic, alternatives, provenance FROM cells WHERE report_id = ?",
            [added.report_id],
        ).rows
    summary = report.summary()
    assert len(rows) == len(report.cells) == 198
    for key, value, flag, semantic, alternatives, provenance in rows:
        cell = report.cells[key]
        assert (value, flag, semantic) == (cell.value, cell.flag, cell.semantic), key
        assert alternatives == cell.alternatives and provenance == summary["provenance"].get(key), key
    assert sum(1 for r in rows if r[2] == "uncertain") == 4


def test_report_ids_follow_the_order_of_the_files(tmp_path: Path) -> None:
    """Ids are given in the walked order, not in the order a set of finished parses happens to
    iterate: a store made twice from one folder numbers its reports alike."""
    _write_reports(tmp_path / "in", 12)
    db = tmp_path / "s.duckdb"
    ingest([tmp_path / "in"], db, workers=1, progress=False)
    with Store.open(db, read_only=True) as store:
        paths = [Path(p).name for (p,) in store.con.execute("SELECT path FROM reports ORDER BY id").fetchall()]
    assert paths == sorted(p.name for p in (tmp_path / "in").iterdir()) and len(paths) == 12


def test_ingesting_twice_changes_nothing(tmp_path: Path) -> None:
    _write_reports(tmp_path / "in", 12)
    db = tmp_path / "s.duckdb"
    first = ingest([tmp_path / "in"], db, workers=2, progress=False)
    before = _counts(db)
    second = ingest([tmp_path / "in"], db, workers=2, progress=False)
    assert (first.added, second.added, second.unchanged) == (12, 0, 12)
    assert _counts(db) == before and before["reports"] == 12


def test_a_changed_file_becomes_version_two(tmp_path: Path) -> None:
    rng = random.Random(5)
    rep = synth_report("2021", rng, agency="淮安市洪泽区人民政府", year=2023)
    path = tmp_path / "in" / "hongze.txt"
    path.parent.mkdir()
    path.write_text(render_text(rep, "tsv"), encoding="utf-8")
    db = tmp_path / "v.duckdb"
    ingest([path], db, progress=False)
    old_total = rep.cells["requests.new.total"]
    edited = synth_report("2021", random.Random(6), agency="淮安市洪泽区人民政府", year=2023)
    path.write_text(render_text(edited, "tsv"), encoding="utf-8")
    assert ingest([path], db, progress=False).new_versions == 1
    with Store.open(db, read_only=True) as store:
        rows = query(store, "SELECT r.version, r.current, c.value FROM reports r JOIN cells c ON c.report_id = r.id "
                            "WHERE c.key = 'requests.new.total' ORDER BY r.version").rows  # fmt: skip
        assert rows == [(1, False, old_total), (2, True, edited.cells["requests.new.total"])]
        assert query(store, "SELECT count(*) FROM unit_reports").rows == [(1,)]
        assert len(list(store.files_dir.glob("??/*.txt"))) == 2  # both versions' bytes kept


def test_the_unit_report_does_not_depend_on_the_order_of_ingest(tmp_path: Path) -> None:
    """One report as a web page and as two text dumps, equally good: the page is the unit report
    however the three arrive (one at a time either way, or one pooled batch)."""
    from ogi.render.html import render_html

    rep = synth_report("2021", random.Random(11), agency="淮安市洪泽区人民政府", year=2023)
    kw = {"agency": rep.agency, "year": rep.year, "published": rep.published, "sections": rep.sections}
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "b_page.html").write_text(render_html(rep.template, rep.cells, **kw), encoding="utf-8")
    (folder / "a_dump.txt").write_text(render_text(rep, "tsv"), encoding="utf-8")
    (folder / "c_dump.md").write_text(render_text(rep, "markdown"), encoding="utf-8")
    files = sorted(folder.iterdir())
    units = set()
    for n, order in enumerate((files, files[::-1], None)):
        db = tmp_path / f"{n}.duckdb"
        if order is None:
            ingest(files, db, workers=2, progress=False)
        else:
            for f in order:
                ingest([f], db, progress=False)
        with Store.open(db, read_only=True) as store:
            assert query(store, "SELECT count(*) FROM reports WHERE current").rows == [(3,)]
            unit = query(store, "SELECT regexp_extract(path, '[^/]+$') FROM reports WHERE unit").rows
            units.add(tuple(name for (name,) in unit))
    assert units == {("b_page.html",)}


def test_bad_files_are_recorded_and_the_rest_ingested(tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    _write_reports(folder, 2)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "garbage.bin").write_bytes(random.Random(1).randbytes(4000))
    (folder / ".hidden.txt").write_text("never read", encoding="utf-8")
    gbk = synth_report("2021", random.Random(9))
    (folder / "gbk.txt").write_bytes(render_text(gbk, "cell_per_line").encode("gbk"))
    (folder / "truncated.pdf").write_bytes((EXAMPLES / "2021_print.pdf").read_bytes()[:60_000])
    db = tmp_path / "b.duckdb"
    r = CliRunner().invoke(main, ["ingest", str(folder), "--db", str(db), "--quiet"])
    assert r.exit_code == 1
    assert "3 added, 0 unchanged, 3 failed" in r.output
    for name in ("empty.txt", "garbage.bin", "truncated.pdf"):
        assert re.search(rf"ogi: \S*{re.escape(name)}: \S", r.output), name
    with Store.open(db, read_only=True) as store:
        failed = dict(query(store, "SELECT path, error FROM documents WHERE status = 'failed'").rows)
        assert sorted(Path(p).name for p in failed) == ["empty.txt", "garbage.bin", "truncated.pdf"]
        assert all(failed.values())
        assert query(store, "SELECT agency FROM reports WHERE path LIKE '%gbk.txt'").rows == [(gbk.agency,)]
        # Failed files are kept too, so a later ogi can try them again.
        for sha, stored in query(store, "SELECT sha256, stored FROM documents").rows:
            assert hashlib.sha256((store.files_dir / stored).read_bytes()).hexdigest() == sha
    again = CliRunner().invoke(main, ["ingest", str(folder), "--db", str(db), "--quiet"])
    assert again.exit_code == 1 and "0 added, 3 unchanged, 3 failed" in again.output


def _ingest_command(folder: Path, db: Path) -> list[str]:
    if "ingest" in subprocess.run([sys.executable, "-m", "ogi", "--help"], capture_output=True, text=True).stdout:
        return [sys.executable, "-m", "ogi", "ingest", str(folder), "--db", str(db), "--quiet", "--batch", "4"]
    # Until main.py registers the store commands itself.
    code = "from ogi.cli.main import main; from ogi.cli.store_commands import register; register(main); main()"
    return [sys.executable, "-c", code, "ingest", str(folder), "--db", str(db), "--quiet", "--batch", "4"]


def test_a_killed_ingest_resumes_with_nothing_lost_or_doubled(tmp_path: Path) -> None:
    sources = _write_reports(tmp_path / "in", 60, seed=3)
    db = tmp_path / "k.duckdb"
    files_dir = tmp_path / "k.files"
    cmd = _ingest_command(tmp_path / "in", db)
    proc = subprocess.Popen(cmd, start_new_session=True, stderr=subprocess.DEVNULL)
    # A batch's files are kept just before it commits, 4 to a batch: 8 kept, one batch committed.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if files_dir.exists() and sum(1 for _ in files_dir.glob("??/*")) >= 8:
            break
        time.sleep(0.002)
    assert proc.poll() is None, "ingest finished before it could be killed"
    os.killpg(proc.pid, signal.SIGKILL)  # the whole group: the workers die with it
    proc.wait()
    midway = _counts(db)["documents"]
    assert 0 < midway < 60
    rerun = subprocess.run(cmd, capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    with Store.open(db, read_only=True) as store:
        docs = query(store, "SELECT sha256, path, stored, status FROM documents").rows
        assert len(docs) == 60 and {d[3] for d in docs} == {"ok"}
        assert sorted(Path(d[1]).name for d in docs) == sorted(p.name for p in sources)
        assert query(store, "SELECT count(*), count(DISTINCT path), count(DISTINCT sha256) FROM reports").rows == [
            (60, 60, 60)
        ]
        for sha, path, stored, _ in docs:
            assert (files_dir / stored).read_bytes() == Path(path).read_bytes()
            assert hashlib.sha256(Path(path).read_bytes()).hexdigest() == sha
        on_disk = {str(p.relative_to(files_dir)) for p in files_dir.glob("??/*")}
        assert on_disk == {d[2] for d in docs} and not any((files_dir / ".tmp").glob("*"))
        orphans = query(
            store,
            """
            SELECT (SELECT count(*) FROM cells WHERE report_id NOT IN (SELECT id FROM reports))
                 + (SELECT count(*) FROM findings WHERE report_id NOT IN (SELECT id FROM reports))
                 + (SELECT count(*) FROM sections WHERE report_id NOT IN (SELECT id FROM reports))
                 + (SELECT count(*) FROM reports WHERE sha256 NOT IN (SELECT sha256 FROM documents))""",
        ).rows
        assert orphans == [(0,)]
        per_report = query(store, "SELECT count(*) FROM cells GROUP BY report_id").rows
        assert len(per_report) == 60 and all(n >= 198 for (n,) in per_report)


_texts = st.one_of(st.none(), st.text(alphabet=st.characters(codec="utf-8"), max_size=12))
_numbers = st.one_of(st.none(), st.decimals(min_value=-(10**13), max_value=10**13, places=6, allow_nan=False))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(_texts, _numbers, st.lists(_numbers, max_size=3), st.lists(_texts, max_size=2)), max_size=20))
def test_append_keeps_every_value(rows: list[tuple[str | None, Decimal | None, list, list]]) -> None:
    """Packed or, when a text holds a separator, bound as lists: what goes in comes out."""
    con = duckdb.connect()
    con.execute("CREATE TABLE t (i BIGINT, s VARCHAR, d DECIMAL(38, 10), ds DECIMAL(38, 10)[], ss VARCHAR[])")
    append(
        con,
        "t",
        {
            "i": ("BIGINT", list(range(len(rows)))),
            "s": ("VARCHAR", [r[0] for r in rows]),
            "d": ("DECIMAL(38, 10)", [r[1] for r in rows]),
            "ds": ("DECIMAL(38, 10)[]", [r[2] for r in rows]),
            "ss": ("VARCHAR[]", [r[3] for r in rows]),
        },
    )
    back = con.execute("SELECT s, d, ds, ss FROM t ORDER BY i").fetchall()
    assert back == [(s, d, ds, ss) for s, d, ds, ss in rows]


def test_a_failed_file_can_be_recorded_again(tmp_path: Path) -> None:
    """A later ogi that reads a once-failed file replaces the failure; a parsed file is never replaced."""
    data = render_text(synth_report("2021", random.Random(2)), "tsv").encode()
    with Store.open(tmp_path / "f.duckdb") as store:
        assert store.add("a.txt", data, "reader bug").status == "failed"
        assert store.add("a.txt", data, ogi.parse_bytes(data, "a.txt")).status == "added"
        assert store.add("a.txt", data, "reader bug").status == "unchanged"
        docs = query(store, "SELECT status, error FROM documents").rows
        assert docs == [("ok", None)] and query(store, "SELECT count(*) FROM reports").rows == [(1,)]
