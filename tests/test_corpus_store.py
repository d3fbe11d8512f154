"""The store on the real reports of ../shared: publishers and regions, exports, rollups against the
hand-read truth, the cross-year checks of a real publisher's five years, one report from two sources,
and the collector on the real portal listing and pages."""

from __future__ import annotations

import csv
import io
import json
import random
import re
import shutil
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

import ogi
from ogi.batch import ingest
from ogi.collect import collect
from ogi.collect.ingest import ingest_collected
from ogi.collect.listing import ListingRequest
from ogi.collect.titles import report_year
from ogi.collect.trs import LIST_API_PATH
from ogi.store.crossyear import check_cross_year
from ogi.store.db import Store
from ogi.store.queries import export, query, rollup, stats
from ogi.store.sources import sources_of_report
from tests.conftest import CORPUS, SEEDS, SHARED, TRUTH, need_shared
from tests.portal_site import TRS, PortalSite
from tests.test_collect_fetch import fetcher
from tests.test_collect_pages import PINGTAN, listing_of
from tests.test_crossyear_sql import HONGZE, disturb, numeric, python_findings, store_of
from tests.test_store import main
from tests.truth import score

need_shared(SEEDS, CORPUS, TRUTH, SHARED / "portal")

PINGTAN_TEXT = ["009_pingtan_2019.txt", "010_pingtan_2020.txt", "008_pingtan_2021.txt", "006_pingtan_2023.txt",
                "004_pingtan_2024.txt"]  # fmt: skip
DOCUMENTS = (".txt", ".md", ".html", ".pdf", ".docx")


def _truth(stem: str) -> dict:
    return json.loads((TRUTH / f"{stem}.json").read_text(encoding="utf-8"))


def _report_files() -> list[Path]:
    documents = (p for p in CORPUS.iterdir() if p.suffix in DOCUMENTS and p.name != "README.md")
    return sorted(SEEDS.glob("*.txt")) + sorted(documents)


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
        assert total == [(_truth("001_huaian_szf_2024")["cells"]["requests.new.total"],)] == [(3119,)]
        s = stats(store)
        assert sum(n for _, n in s["by_year"].rows) == n_files
        templates = ["2019"] * len(list(SEEDS.glob("*.txt"))) + [_truth(p.stem)["template"] for p in _report_files()
                                                                 if p.parent == CORPUS]  # fmt: skip
        assert dict(s["by_template"].rows) == {t: templates.count(t) for t in ("2019", "2021")}
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
    book.close()  # a read-only workbook keeps its file open: unclosed, it warns later, in another test
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
    """Totals against the hand-read truth, not the store: each unit counted once."""
    pingtan, huaian = _truth("004_pingtan_2024")["cells"], _truth("001_huaian_szf_2024")["cells"]
    with Store.open(shared_db, read_only=True) as store:
        # 平潭 2024 is stored twice (crawler text and the web page): one unit, not two.
        r = rollup(store, "350100", 2024)
        assert [u.agency_id for u in r.included] == ["平潭综合实验区"]
        assert r.totals["requests.new.total"] == pingtan["requests.new.total"]
        assert {k: r.totals.get(k) for k in pingtan if k.startswith("requests.")} == {
            k: None if v is None else Decimal(str(v)) for k, v in pingtan.items() if k.startswith("requests.")
        }
        # 淮安 2024: the city's report is in; 洪泽区 reported 2023 only, so it is listed as missing.
        r = rollup(store, "320800", 2024)
        assert [u.agency_id for u in r.included] == ["淮安市"] and r.missing == ["洪泽区"]
        assert r.totals["requests.total.total"] == huaian["requests.total.total"]
        assert rollup(store, "320800", 2023).included[0].agency_id == "洪泽区"


def test_pingtan_years_pass_the_carry_over_chain(tmp_path: Path) -> None:
    files = [(CORPUS / name) for name in PINGTAN_TEXT]
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
    shutil.copy((CORPUS / "014_pingtan_2023.html"), folder)
    page = (CORPUS / "012_pingtan_2024.html").read_text(encoding="utf-8")
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


def test_a_parsed_report_round_trips_through_the_store(tmp_path: Path) -> None:
    """Every cell comes back as parsed: exact decimals (元 → 万元), flags, alternatives, provenance."""
    report = ogi.parse(CORPUS / "010_pingtan_2020.txt")
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




def test_pingtan_2024_page_settles_the_crawler_text(tmp_path: Path) -> None:
    """The same report collected as a crawler's text and as the web page: one unit-year whose cells
    are the truth's, the page settling what the text runs together."""
    files = [CORPUS / "004_pingtan_2024.txt", CORPUS / "012_pingtan_2024.html"]
    with Store.open(tmp_path / "p.duckdb") as store:
        ingest(files, store, progress=False)
        rows = store.con.execute("SELECT key, how FROM unit_cells WHERE how <> 'agree' ORDER BY key").fetchall()
        made = store.con.execute("SELECT value, how FROM unit_cells WHERE key = 'active.normative.made'").fetchone()
        cells = dict(store.con.execute("SELECT key, value FROM unit_cells").fetchall())
    # The crawler text's own narrative (行政规范性文件62件) already settles 本年制发 (NARRATIVE_DECIDED): both
    # sources agree on it; the page settles the other two run-together cells.
    assert rows == [("active.normative.in_force", "settled"), ("active.normative.repealed", "settled")]
    assert made == (62, "agree")
    truth = _truth("012_pingtan_2024")["cells"]
    assert {k: cells[k] for k in truth} == {k: None if v is None else Decimal(str(v)) for k, v in truth.items()}


# --- collected from the portal (../shared/portal: the listing the pingtan reports were found on) -----


def test_real_trs_listing_entries_dates_and_api_paging() -> None:
    page = listing_of((SHARED / "portal" / "pingtan_zfxxgknb_list.html").read_bytes())
    assert len(page.entries) == 10
    years = [report_year(e.title) for e in page.entries]
    assert years == list(range(2025, 2015, -1))
    first = page.entries[0]
    assert first.url == PINGTAN + "202603/t20260313_105587.htm"
    # The listing says 2026-03-10; the URL's t20260313 is when the CMS made the page.
    assert first.date == "2026-03-10"
    assert [e.date for e in page.entries][-1] == "2017-01-18"
    assert all(e.listing == PINGTAN for e in page.entries)
    # Chrome (nav, footer, the ipv6best badges) and the hidden Avalon template are not entries.
    assert all("/zfxxgknb/20" in e.url for e in page.entries)
    # recordCount '20' / prepage 10: page 2 comes from the list API, with the script's arguments.
    assert page.more == [
        ListingRequest(
            "https://www.pingtan.gov.cn" + LIST_API_PATH,
            "POST",
            (("channelid", "200210"), ("classsql", "chnlid=1813"), ("sortfield", "-docorderpri,-docreltime"),
             ("prepage", "10"), ("page", "2")),
            "trs-list",
            PINGTAN,
            2,
        )
    ]  # fmt: skip


def test_real_pingtan_pages_collected_and_read(tmp_path: Path) -> None:
    """The TRS column serving the portal's real article pages: the collected reports read as the
    hand-read truth says, with the portal's URL and listing date on each."""
    pages = {
        TRS + "202503/t20250310_97791.htm": "012_pingtan_2024",
        TRS + "202403/t20240308_87885.htm": "014_pingtan_2023",
    }
    replace = {p: ((CORPUS / f"{n}.html").read_bytes(), "text/html; charset=utf-8") for p, n in pages.items()}
    with PortalSite(replace=replace) as s, fetcher(timeout=2.0) as f:
        collect([s.url(TRS)], tmp_path / "out", f, progress=False)
        done = ingest_collected(tmp_path / "out", tmp_path / "c.duckdb", workers=1, progress=False)
        assert done.ingest.failed == []
        with Store.open(tmp_path / "c.duckdb", read_only=True) as store:
            for path, name in pages.items():
                (rid, stored_sha) = store.con.execute(
                    "SELECT r.id, r.sha256 FROM reports r JOIN sources s USING (sha256) WHERE s.url = ?", [s.url(path)]
                ).fetchone()
                truth = _truth(name)
                report = ogi.parse_bytes(store.raw_path(stored_sha).read_bytes(), f"{name}.html")
                assert (report.year, report.template) == (truth["year"], truth["template"])
                assert score(report, truth).wrong == {}, name
                assert sources_of_report(store, rid)[0].listed_on.isoformat() == truth["published"]


@pytest.fixture(scope="module")
def pingtan_pairs_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """平潭's five years and the 洪泽 pair (see tests/test_crossyear_sql.py)."""
    return store_of(tmp_path_factory.mktemp("pairs"), [*(CORPUS / n for n in PINGTAN_TEXT), *HONGZE])


def test_sql_cross_year_rules_agree_with_python_as_parsed(pingtan_pairs_db: Path, tmp_path: Path) -> None:
    db = shutil.copy(pingtan_pairs_db, tmp_path / "as_parsed.duckdb")
    with Store.open(db) as store:
        found = check_cross_year(store)
        expected = python_findings(store)
    assert numeric(found) == expected
    # Pinned: 平潭 2020's run-together reading, 洪泽's counts in force that lapse.
    assert [(f.agency_id, f.year, f.rule, f.keys[0], f.expected, f.printed) for f in expected] == [
        ("平潭综合实验区", 2020, "X_PREV_COUNT", "active.other_services.prev_count", "10", "1"),
        *[(f.agency_id, f.year, "X_IN_FORCE", f.keys[0], f.expected, f.printed) for f in expected[1:]],
    ]
    assert {f.rule for f in expected[1:]} == {"X_IN_FORCE"} and len(expected) == 3


def test_disturbed_cross_year_cells_agree_and_reach_every_note(pingtan_pairs_db: Path, tmp_path: Path) -> None:
    db = shutil.copy(pingtan_pairs_db, tmp_path / "notes.duckdb")
    found = []
    with Store.open(db) as store:
        for seed in range(6):
            disturb(store, random.Random(seed))
            now = check_cross_year(store)
            assert numeric(now) == python_findings(store)
            found += now
    assert {f.rule for f in found} >= {"X_CARRY_OVER", "X_PREV_COUNT", "X_IN_FORCE"}
    words = "".join(f.message for f in found)
    notes = ("另可读作", "与上年报告相符，宜取此数", "原文未印", "上年报告的相关数字也是不确定读数", "相差-", "增/减+")
    for note in notes:
        assert note in words, note
