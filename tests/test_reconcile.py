"""One report from several sources, and the cross-year checks computed in SQL."""

from __future__ import annotations

import random
import re
import shutil
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

from ogi.batch import ingest
from ogi.model.template import get_template
from ogi.render.synth import synth_report
from ogi.render.text import render_text
from ogi.store import crossyear
from ogi.store.crossyear import check_cross_year
from ogi.store.db import Store
from ogi.store.reconcile import reconcile_all, source_name
from tests.conftest import ROOT

EXAMPLES = ROOT / "examples"
PAIR = ("pair_2024_page.html", "pair_2024_crawler.txt")


def _pair_store(tmp_path: Path, page: str | None = None) -> Path:
    folder = tmp_path / "pair"
    folder.mkdir()
    shutil.copy(EXAMPLES / PAIR[1], folder)
    if page is None:
        shutil.copy(EXAMPLES / PAIR[0], folder)
    else:
        (folder / PAIR[0]).write_text(page, encoding="utf-8")
    db = tmp_path / "pair.duckdb"
    assert ingest([folder], db, progress=False).failed == []
    return db


def test_a_page_and_its_crawler_dump_are_one_unit_year_with_settled_cells(tmp_path: Path) -> None:
    db = _pair_store(tmp_path)
    with Store.open(db, read_only=True) as store:
        con = store.con
        ids = dict(con.execute("SELECT format, id FROM reports").fetchall())
        # Two documents, one unit-year, linked.
        assert con.execute("SELECT count(*) FROM unit_reports").fetchone() == (1,)
        assert con.execute("SELECT list_sort(sources) FROM unit_sources").fetchone() == (sorted(ids.values()),)
        # The dump read table 二's run-together cells as uncertain; the page prints them.
        uncertain = [k for (k,) in con.execute(
            "SELECT key FROM cells WHERE report_id = ? AND flag = 'uncertain' ORDER BY key", [ids["text"]]
        ).fetchall()]  # fmt: skip
        assert uncertain and all(k.startswith("active.") for k in uncertain)
        effective = {k: (v, f, s, how) for k, v, f, s, how in con.execute(
            "SELECT key, value, flag, source_id, how FROM unit_cells"
        ).fetchall()}  # fmt: skip
        assert (
            len(effective) == con.execute("SELECT count(*) FROM cells WHERE report_id = ?", [ids["html"]]).fetchone()[0]
        )
        page = dict(con.execute("SELECT key, value FROM cells WHERE report_id = ?", [ids["html"]]).fetchall())
        for key in uncertain:
            value, flag, source, how = effective[key]
            assert (value, flag, source, how) == (page[key], None, ids["html"], "settled")
        assert not any(f == "uncertain" for _, f, _, _ in effective.values())
        assert con.execute("SELECT count(*) FROM source_findings").fetchone() == (0,)


def test_two_printed_values_that_differ_are_a_finding_naming_both_sources(tmp_path: Path) -> None:
    page = (EXAMPLES / PAIR[0]).read_text(encoding="utf-8")
    # The page's 行政许可 本年处理决定数量 changed: a value the crawler dump prints too, plainly.
    db = _pair_store(tmp_path)
    with Store.open(db, read_only=True) as store:
        printed = store.con.execute(
            "SELECT c.key, c.value FROM cells c JOIN reports r ON r.id = c.report_id WHERE r.format = 'text' "
            "AND c.flag IS NULL AND c.key = 'active.licensing.decisions'"
        ).fetchone()
    assert printed is not None
    old = str(int(printed[1]))
    changed, n = re.subn(rf"(<td>行政许可</td>\s*<td[^>]*>){old}<", rf"\g<1>{int(old) + 7}<", page, count=1)
    assert n == 1
    (tmp_path / "b").mkdir()
    db = _pair_store(tmp_path / "b", changed)
    with Store.open(db, read_only=True) as store:
        rows = store.con.execute("SELECT rule, keys, message, readings, sources FROM source_findings").fetchall()
        how = store.con.execute("SELECT how FROM unit_cells WHERE key = 'active.licensing.decisions'").fetchone()
        reports = store.con.execute("SELECT id, path, format FROM reports").fetchall()
    names = {i: source_name(p, f) for i, p, f in reports}
    conflicts = [r for r in rows if r[1] == ["active.licensing.decisions"]]
    assert len(conflicts) == 1 and how == ("conflict",)
    rule, _, message, readings, sources = conflicts[0]
    assert rule == "S_SOURCES_DIFFER" and sorted(readings) == sorted([old, str(int(old) + 7)])
    assert "pair_2024_page.html" in message and "pair_2024_crawler.txt" in message and "行政许可" in message
    # The chosen source first, then the others by report id; the sentence word for word.
    label = get_template("2021").label_of("active.licensing.decisions")
    said = "，".join(f"{names[i]}为{r}" for i, r in zip(sources, readings, strict=True))
    assert message == (f"同一报告的几个来源对「{label}」印的数不同：{said}。"
                       f"现采用{names[sources[0]]}的数（该来源差错最少），请对照原件核实。")  # fmt: skip


def _winners(tmp_path: Path, readings: list[list[tuple]], unit: int = 0) -> tuple[list[tuple], list[tuple]]:
    """Reconcile one key read by several sources, (value, flag, alternatives) each, per case: the
    winner's source index and how it won; the conflict findings."""
    with Store.open(tmp_path / "rules.duckdb") as store:
        con = store.con
        for case, sources in enumerate(readings):
            for i, (value, flag, alts) in enumerate(sources):
                rid = case * 10 + i + 1
                con.execute(
                    "INSERT INTO reports (id, sha256, path, format, agency, agency_id, region_ambiguous, year, "
                    "errors, warnings, null_cells, version, current, unit, ingested_at) VALUES (?, ?, ?, 'text', 'x', "
                    "?, false, 2024, 0, 0, 0, 1, true, ?, now())",
                    [rid, f"s{rid}", f"{rid}.txt", f"unit{case}", i == unit],
                )
                con.execute(
                    "INSERT INTO cells (report_id, key, value, semantic, flag, alternatives) "
                    "VALUES (?, 'requests.new.total', ?, 'number', ?, ?::DECIMAL(38, 10)[])",
                    [rid, value, flag, list(alts)],
                )
        reconcile_all(con)
        rows = con.execute("SELECT unit_id, source_id, how FROM reconciled_cells ORDER BY unit_id").fetchall()
        found = con.execute("SELECT unit_id, readings FROM source_findings").fetchall()
    return [(source - unit_id + unit, how) for unit_id, source, how in rows], found


def test_the_better_reading_wins(tmp_path: Path) -> None:
    cases = [
        [(4, "uncertain", (44,)), (44, None, ())],  # printed beats an uncertain split it is one reading of
        [(5, "inferred", ()), (6, None, ())],  # printed beats inferred
        [(3, "uncertain", (30,)), (3, "inferred", ())],  # inferred beats uncertain
        [(None, "missing", ()), (9, "uncertain", (90,))],  # any value beats none
        [(7, None, ()), (7, None, ())],  # agreement
        [(7, None, ()), (8, None, ())],  # two printed values: the unit's stands, a finding names both
    ]
    winners, found = _winners(tmp_path, cases)
    assert winners == [(1, "settled"), (1, "printed"), (1, "kept"), (1, "kept"), (0, "agree"), (0, "conflict")]
    assert found == [(51, ["7", "8"])]


def _python_rules(store: Store) -> list[tuple]:
    """The cross-year numeric rules run in Python over every pair, as ogi did before they moved to SQL."""
    con = store.con
    pairs = [crossyear._Pair(*r) for r in con.execute(
        "SELECT cur.id, prev.id, cur.agency_id, cur.year, cur.template, prev.template FROM unit_reports cur "
        "JOIN unit_reports prev ON prev.agency_id = cur.agency_id AND prev.year = cur.year - 1 ORDER BY 3, 4"
    ).fetchall()]  # fmt: skip
    values: dict[int, dict] = defaultdict(dict)
    for rid, key, value, flag, alts in con.execute(
        "SELECT unit_id, key, value, flag, alternatives FROM unit_cells WHERE value IS NOT NULL"
    ).fetchall():
        values[rid][key] = crossyear._Val(value, flag, tuple(a for a in alts or () if a is not None))
    found = []
    for p in pairs:
        cur, prev = values[p.cur], values[p.prev]
        found += [*crossyear._carry_over(p, cur, prev), *crossyear._prev_count(p, cur, prev),
                  *crossyear._in_force(p, cur, prev)]  # fmt: skip
    return [(f.report_id, f.prev_report_id, f.rule, f.keys, f.message, f.expected, f.printed) for f in found]


def test_cross_year_in_sql_finds_what_the_python_rules_find(tmp_path: Path) -> None:
    """Random publishers over four years in both templates, half their carry-overs and counts broken,
    some written as crawler dumps (uncertain cells, whose messages list the other readings)."""
    rng = random.Random(5)
    folder = tmp_path / "years"
    folder.mkdir()
    for n in range(12):
        agency = f"测试市第{n}区人民政府"
        last = None
        for year in (2019, 2020, 2021, 2022) if n % 2 else (2021, 2022, 2023, 2024):
            template = "2019" if year <= 2020 else "2021"
            rep = synth_report(template, random.Random(rng.random()), agency=agency, year=year)
            if last is not None and rng.random() < 0.5:
                for c in crossyear.APPLICANTS:
                    rep.cells[f"requests.carried_over.{c}"] = last.cells[f"requests.carried_forward.{c}"]
            shape = "crawler" if rng.random() < 0.3 else "tsv"
            (folder / f"{n}_{year}.txt").write_text(render_text(rep, shape), encoding="utf-8")
            last = rep
    db = tmp_path / "y.duckdb"
    ingest([folder], db, progress=False)
    with Store.open(db) as store:
        found = check_cross_year(store)
        expected = _python_rules(store)
        stored = store.con.execute("SELECT count(*) FROM cross_findings").fetchone()[0]
    got = [(f.report_id, f.prev_report_id, f.rule, f.keys, f.message, f.expected, f.printed)
           for f in found if f.rule != "X_TEXT_REUSE"]  # fmt: skip
    assert len(expected) > 20 and {r[2] for r in expected} >= {"X_CARRY_OVER", "X_PREV_COUNT", "X_IN_FORCE"}
    assert got == expected
    assert stored == len(found)
    assert any("不确定读数" in f[4] for f in got)


def test_reconcile_all_rebuilds_the_same_links(tmp_path: Path) -> None:
    db = _pair_store(tmp_path)
    with Store.open(db) as store:
        before = store.con.execute("SELECT * FROM unit_cells ORDER BY key").fetchall()
        store.con.execute("DELETE FROM reconciled_cells")
        store.con.execute("DELETE FROM unit_sources")
        assert reconcile_all(store.con) == 1
        assert store.con.execute("SELECT * FROM unit_cells ORDER BY key").fetchall() == before


@pytest.mark.parametrize("shape", ["tsv"])
def test_a_single_source_unit_reads_its_own_cells(tmp_path: Path, shape: str) -> None:
    rep = synth_report("2021", random.Random(3), agency="测试县人民政府", year=2022)
    (tmp_path / "a.txt").write_text(render_text(rep, shape), encoding="utf-8")
    with Store.open(tmp_path / "s.duckdb") as store:
        ingest([tmp_path / "a.txt"], store, progress=False)
        own = store.con.execute("SELECT key, value FROM cells ORDER BY key").fetchall()
        assert store.con.execute("SELECT key, value FROM unit_cells ORDER BY key").fetchall() == own
        assert store.con.execute("SELECT DISTINCT how FROM unit_cells").fetchall() == [("parsed",)]


def test_a_reviewed_value_beats_every_parsed_one(tmp_path: Path) -> None:
    """A person's correction (the web app's review) of the crawler dump wins over the page's printed value."""
    from ogi.review.corrections import reparse
    from ogi.store.review import record_correction

    db = _pair_store(tmp_path)
    with Store.open(db) as store:
        crawler, path, sha = store.con.execute("SELECT id, path, sha256 FROM reports WHERE format = 'text'").fetchone()
        page = store.con.execute(
            "SELECT c.value FROM cells c JOIN reports r ON r.id = c.report_id WHERE r.format = 'html' "
            "AND c.key = 'requests.new.total'"
        ).fetchone()[0]
        reviewed = Decimal(int(page) + 1)
        data = store.raw_path(sha).read_bytes()
        rows = reparse(data, path, {"requests.new.total": reviewed})
        assert not isinstance(rows, str)
        record_correction(store, crawler, "requests.new.total", reviewed, revert=False, who="t", why="对照原件",
                          rows=rows)  # fmt: skip
        value, how = store.con.execute("SELECT value, how FROM unit_cells WHERE key = 'requests.new.total'").fetchone()
        figures = store.con.execute("SELECT applications FROM unit_figures").fetchone()[0]
    assert (value, how, figures) == (reviewed, "reviewed", reviewed)
