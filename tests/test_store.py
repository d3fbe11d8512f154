"""The corpus store: ingest, versions, crash safety, exports, rollups and the cross-year checks."""

from __future__ import annotations

import csv
import hashlib
import io
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
from ogi.render.synth import synth_report
from ogi.render.text import SHAPES, render_text
from ogi.store.append import append
from ogi.store.crossyear import check_cross_year
from ogi.store.db import Store
from ogi.store.queries import export, query, rollup, stats
from tests.conftest import CORPUS, SEEDS, need

# A group of their own: registering on the real `ogi` group is main.py's business, not a test's.
main = click.Group("ogi")
register(main)
TABLES = ("documents", "reports", "cells", "findings", "sections")
PINGTAN_TEXT = ["009_pingtan_2019.txt", "010_pingtan_2020.txt", "008_pingtan_2021.txt", "006_pingtan_2023.txt",
                "004_pingtan_2024.txt"]  # fmt: skip


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


def _report_files() -> list[Path]:
    return sorted(need(SEEDS).glob("*.txt")) + sorted(
        p for p in need(CORPUS).iterdir() if p.suffix in (".txt", ".html", ".pdf")
    )


@pytest.fixture(scope="module")
def shared_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("shared") / "corpus.duckdb"
    result = ingest(_report_files(), db, workers=2, progress=False)
    assert result.failed == []
    return db


def test_shared_reports_are_stored_with_their_publishers(shared_db: Path) -> None:
    with Store.open(shared_db, read_only=True) as store:
        rows = dict(query(store, "SELECT path, region_code FROM reports WHERE current").rows)
        n_files = len(_report_files())
        assert len(rows) == n_files
        huaian = next(v for k, v in rows.items() if k.endswith("001_huaian_szf_2024.pdf"))
        assert huaian == "320800"
        assert all(v == "350128" for k, v in rows.items() if "pingtan" in k)
        # The cells are the parser's, exactly: 2024 淮安 received 3119 applications.
        total = query(store, "SELECT c.value FROM cells c JOIN reports r ON r.id = c.report_id "
                             "WHERE r.path LIKE '%001_huaian%' AND c.key = 'requests.new.total'").rows  # fmt: skip
        assert total == [(3119,)]
        s = stats(store)
        assert sum(n for _, n in s["by_year"].rows) == n_files
        assert dict(s["by_template"].rows) == {"2019": 8, "2021": 7}
        assert s["findings"].rows, "per-report findings are counted by rule"


def test_exports_in_every_format(shared_db: Path, tmp_path: Path) -> None:
    with Store.open(shared_db, read_only=True) as store:
        n_reports = len(query(store, "SELECT id FROM reports WHERE current").rows)
        buf = io.StringIO()
        assert export(store, "csv", "wide", buf) == n_reports
        header, *rows = list(csv.reader(io.StringIO(buf.getvalue())))
        assert "requests.new.total" in header and len(rows) == n_reports
        # Counts are written as integers, not DECIMAL's "3.000000".
        col = header.index("requests.new.total")
        assert all(re.fullmatch(r"\d*", r[col]) for r in rows)
        long_rows = export(store, "parquet", "long", tmp_path / "long.parquet")
        assert duckdb.sql(f"SELECT count(*) FROM '{tmp_path / 'long.parquet'}'").fetchall() == [(long_rows,)]
        assert export(store, "xlsx", "wide", tmp_path / "wide.xlsx", chinese_headers=True) == n_reports
    from openpyxl import load_workbook

    book = load_workbook(tmp_path / "wide.xlsx", read_only=True)
    header_row = next(book.active.iter_rows(max_row=1, values_only=True))  # type: ignore[union-attr]
    book.close()  # a read-only workbook holds its file open until closed
    assert "年度" in header_row and "一、本年新收政府信息公开申请数量·总计" in header_row


def test_cli_commands_on_the_shared_store(shared_db: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    db = ["--db", str(shared_db)]
    assert runner.invoke(main, ["stats", *db]).exit_code == 0
    r = runner.invoke(main, ["query", "SELECT count(*) AS n FROM reports", "--csv", *db])
    assert r.exit_code == 0 and r.stdout.splitlines()[1] == str(len(_report_files()))
    r = runner.invoke(main, ["export", "--long", "--chinese-headers", *db])
    assert r.exit_code == 0 and r.stdout.startswith("报告编号,")
    r = runner.invoke(main, ["export", "--format", "xlsx", "-o", str(tmp_path / "x.xlsx"), *db])
    assert r.exit_code == 0 and (tmp_path / "x.xlsx").stat().st_size > 0
    r = runner.invoke(main, ["rollup", "--region", "320800", "--year", "2024", "--json", *db])
    assert r.exit_code == 0 and '"淮安市人民政府"' in r.stdout
    r = runner.invoke(main, ["query", "SELEC nonsense", *db])
    assert r.exit_code == 1 and "query failed" in r.output


def test_rollup_counts_each_unit_once(shared_db: Path) -> None:
    with Store.open(shared_db, read_only=True) as store:
        # 平潭 2024 is stored twice (crawler text and the web page): one unit, not two.
        r = rollup(store, "350100", 2024)
        assert [u.agency_id for u in r.included] == ["平潭综合实验区"]
        one = query(
            store,
            "SELECT c.value FROM cells c JOIN unit_reports u ON u.id = c.report_id "
            "WHERE u.agency_id = '平潭综合实验区' AND u.year = 2024 AND c.key = 'requests.new.total'",
        )
        assert r.totals["requests.new.total"] == one.rows[0][0]
        # 淮安 2024: the city's report is in; 洪泽区 reported 2023 only, so it is listed as missing.
        r = rollup(store, "320800", 2024)
        assert [u.agency_id for u in r.included] == ["淮安市"] and r.missing == ["洪泽区"]
        assert rollup(store, "320800", 2023).included[0].agency_id == "洪泽区"


def test_pingtan_years_pass_the_carry_over_chain(tmp_path: Path) -> None:
    files = [need(CORPUS / name) for name in PINGTAN_TEXT]
    with Store.open(tmp_path / "p.duckdb") as store:
        assert ingest(files, store, progress=False).added == 5
        found = check_cross_year(store)
    assert [f for f in found if f.rule == "X_CARRY_OVER"] == []
    # The 2020 crawler text runs table 二's cells together; the 2019 report fixes which reading is right.
    prev = [f for f in found if f.rule == "X_PREV_COUNT"]
    assert [(f.year, f.keys[0], f.expected) for f in prev] == [(2020, "active.other_services.prev_count", "10")]
    assert "其中10与上年报告相符" in prev[0].message


def test_a_broken_carry_over_is_caught(tmp_path: Path) -> None:
    folder = tmp_path / "pair"
    folder.mkdir()
    shutil.copy(need(CORPUS / "014_pingtan_2023.html"), folder)
    page = need(CORPUS / "012_pingtan_2024.html").read_text(encoding="utf-8")
    # The first cell after the 二、上年结转 label is its 自然人 column.
    broken, n = re.subn(r"(上年结转政府信息公开申请数量</p></td><td[^>]*><p[^>]*>)0<", r"\g<1>3<", page, count=1)
    assert n == 1
    (folder / "012_pingtan_2024.html").write_text(broken, encoding="utf-8")
    db = tmp_path / "pair.duckdb"
    ingest([folder], db, progress=False)
    r = CliRunner().invoke(main, ["check", "--cross-year", "--db", str(db)])
    assert r.exit_code == 0
    assert (
        "2024年「二、上年结转政府信息公开申请数量·自然人」为3，但2023年报告的「四、结转下年度继续办理·自然人」为0"
        in r.stdout
    )
    with Store.open(db, read_only=True) as store:
        stored = query(store, "SELECT rule, keys, expected, printed FROM cross_findings WHERE rule = 'X_CARRY_OVER'")
    assert stored.rows == [("X_CARRY_OVER", ["requests.carried_over.natural", "requests.carried_forward.natural"],
                            "0", "3")]  # fmt: skip


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


def test_bad_files_are_recorded_and_the_rest_ingested(tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    _write_reports(folder, 2)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "garbage.bin").write_bytes(random.Random(1).randbytes(4000))
    (folder / ".hidden.txt").write_text("never read", encoding="utf-8")
    gbk = synth_report("2021", random.Random(9))
    (folder / "gbk.txt").write_bytes(render_text(gbk, "cell_per_line").encode("gbk"))
    pdf = CORPUS / "001_huaian_szf_2024.pdf"
    head = pdf.read_bytes()[:100_000] if pdf.exists() else b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog"
    (folder / "truncated.pdf").write_bytes(head)
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


def test_a_parsed_report_round_trips_through_the_store(tmp_path: Path) -> None:
    """Every cell comes back as parsed: exact decimals (元 → 万元), flags, alternatives, provenance."""
    report = ogi.parse(need(CORPUS / "010_pingtan_2020.txt"))
    with Store.open(tmp_path / "r.duckdb") as store:
        added = store.add("010.txt", (CORPUS / "010_pingtan_2020.txt").read_bytes(), report)
        rows = query(
            store,
            "SELECT key, value, flag, semantic, alternatives, provenance FROM cells WHERE report_id = ?",
            [added.report_id],
        ).rows
    summary = report.summary()
    assert len(rows) == len(report.cells)
    for key, value, flag, semantic, alternatives, provenance in rows:
        cell = report.cells[key]
        assert (value, flag, semantic) == (cell.value, cell.flag, cell.semantic), key
        assert alternatives == cell.alternatives and provenance == summary["provenance"].get(key), key
    assert report.cells["active.procurement.amount"].value == Decimal("7380.28959")


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
