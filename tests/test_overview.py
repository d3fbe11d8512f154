"""The corpus at a glance on the example reports: coverage, dashboard, unit history, 比对报告, exports."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from openpyxl import Workbook, load_workbook

from ogi.batch import ingest
from ogi.cli.main import main
from ogi.compare import compare_region, compare_unit, comparison
from ogi.errors import InputError, StoreError
from ogi.overview import charts
from ogi.overview.charts import Chart, ChartError
from ogi.overview.coverage import coverage
from ogi.overview.dashboard import Filters, dashboard, dashboard_charts
from ogi.overview.history import history
from ogi.overview.reuse import passages
from ogi.store.db import Store
from ogi.store.queries import ExportOptions, export
from ogi.units.expected import read_expected, save_expected
from tests.conftest import ROOT

EXAMPLES = ROOT / "examples"


def _need_charts() -> None:
    try:
        charts._font()
    except ChartError as e:
        pytest.skip(f"charts cannot be drawn here: {e}")


@pytest.fixture(scope="module")
def examples_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("examples") / "ex.duckdb"
    result = ingest([EXAMPLES], db, workers=1, progress=False)
    assert result.failed == []
    lst = db.parent / "hongze.csv"
    lst.write_text(
        "单位名称,统一社会信用代码\n洪泽区财政局,11320813MB0001\n洪泽区教育局,\n洪泽区卫生健康委员会,\n",
        encoding="utf-8",
    )
    r = CliRunner().invoke(main, ["units", "import", "--region", "320813", str(lst), "--db", str(db)])
    assert r.exit_code == 0, r.output
    return db


def test_coverage_of_hongze_lists_towns_departments_and_lateness(examples_db: Path) -> None:
    with Store.open(examples_db, read_only=True) as store:
        c = coverage(store, "320813", 2024)
    by_name = {m.name: m for m in c.members}
    district = next(m for m in c.members if m.kind == "self")
    assert (district.status, district.report_id is not None, district.published) == (
        "published",
        True,
        date(2025, 1, 10),
    )
    # The towns and streets of 洪泽区 come from the division table; none of them published.
    towns = [m for m in c.members if m.kind == "division"]
    assert len(towns) >= 9 and "岔河镇" in {m.name for m in towns} and {m.status for m in towns} == {"missing"}
    # Departments come from the imported list: 财政局 published late (deadline 1月31日), and so did
    # 教育局 (2025-02-18); 卫生健康委员会 never published.
    finance = by_name["淮安市洪泽区财政局"]
    assert (finance.kind, finance.status, finance.deadline, finance.days_late, finance.code) == (
        "expected",
        "late",
        date(2025, 1, 31),
        43,
        "11320813MB0001",
    )
    education = by_name["淮安市洪泽区教育局"]
    assert education.status == "late" and education.sources == 2  # the page and the crawler dump: one unit-year
    assert by_name["洪泽区卫生健康委员会"].status == "missing"
    assert not [m for m in c.members if m.kind == "found"]
    assert c.count("missing") == len(towns) + 1


def test_coverage_cli_prints_the_same(examples_db: Path) -> None:
    r = CliRunner().invoke(
        main, ["coverage", "--region", "320813", "--year", "2024", "--csv", "--db", str(examples_db)]
    )
    assert r.exit_code == 0, r.output
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert {row["status"] for row in rows} == {"已发布", "逾期发布", "未发布"}
    assert next(row for row in rows if row["unit"] == "淮安市洪泽区财政局")["days_late"] == "43"
    r = CliRunner().invoke(main, ["coverage", "--region", "999999", "--year", "2024", "--db", str(examples_db)])
    assert r.exit_code == 1 and "not a division code" in r.output


def test_expected_lists_from_xlsx_and_bad_files(tmp_path: Path) -> None:
    wb = Workbook()
    wb.active.append(["序号", "名称", "代码"])  # type: ignore[union-attr]
    wb.active.append([1, "洪泽区财政局", "X1"])  # type: ignore[union-attr]
    wb.active.append([2, "洪泽区财政局", "X1"])  # type: ignore[union-attr]
    wb.active.append([3, "淮安市洪泽区水利局", None])  # type: ignore[union-attr]
    wb.save(tmp_path / "l.xlsx")
    units = read_expected(tmp_path / "l.xlsx")
    assert [(u.name, u.code) for u in units] == [("洪泽区财政局", "X1"), ("淮安市洪泽区水利局", None)]
    (tmp_path / "empty.csv").write_text("\n\n", encoding="utf-8")
    with pytest.raises(InputError, match="no units listed"):
        read_expected(tmp_path / "empty.csv")
    (tmp_path / "bad.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(InputError, match="XLSX"):
        read_expected(tmp_path / "bad.xlsx")
    with Store.open(tmp_path / "s.duckdb") as store, pytest.raises(InputError, match="division code"):
        save_expected(store.con, "12", units)


def test_dashboard_counts_each_unit_year_once_and_filters(examples_db: Path) -> None:
    with Store.open(examples_db, read_only=True) as store:
        whole = dashboard(store)
        units = store.con.execute("SELECT count(*) FROM unit_reports").fetchone()[0]
        reports = store.con.execute("SELECT count(*) FROM reports WHERE current").fetchone()[0]
        applications = store.con.execute(
            "SELECT sum(value) FROM unit_cells WHERE key = 'requests.new.total'"
        ).fetchone()[0]
        assert reports == units + 1  # the page and the crawler dump of one report
        assert whole["units"] == units and whole["linked_reports"] == 2
        assert whole["applications"]["value"] == applications
        outcome = {o["outcome"]: o["value"] for o in whole["outcomes"]}
        assert outcome["予以公开"] / whole["handled"]["value"] == pytest.approx(whole["granted_share"])
        hongze = dashboard(store, Filters(region="320813", year=2024))
        assert hongze["units"] == 3 and {r["agency"] for r in hongze["ranked_late"]} == {
            "淮安市洪泽区财政局",
            "淮安市洪泽区教育局",
        }
        assert [y["year"] for y in hongze["by_year"]] == [2023, 2024]
        i3 = dashboard(store, Filters(rule="I3"))
        assert i3["units"] == 1 and i3["findings"][0]["units"] == 1
        assert (
            dashboard(store, Filters(template="2019"))["units"] + dashboard(store, Filters(template="2021"))["units"]
            == units
        )
        # The crawler dumps' uncertain cells are in table 二, outside these figures: none is counted.
        assert whole["applications"]["uncertain"] == 0
        assert {c for c in whole["charts"]} == {"applications_by_year", "outcomes", "refusals", "findings", "regions"}
    drawn = dashboard_charts(whole)
    assert drawn["outcomes"].csv().splitlines()[0] == "办理结果,件数"
    _need_charts()
    svg = drawn["outcomes"].svg()
    assert svg.startswith("<?xml") and "<svg" in svg


def test_charts_draw_every_kind() -> None:
    _need_charts()
    rows = [("a", "2023", 1), ("a", "2024", 3), ("b", "2023", 2), ("b", "2024", 0)]
    for kind, data in (("bar", [("予以公开", 3), ("其他", 1)]), ("line", [("2023", 3), ("2024", None)]),
                       ("treemap", [("江苏省", 10), ("福建省", 3), ("空", 0)]), ("grouped", rows),
                       ("stacked", rows), ("multiples", rows)):  # fmt: skip
        png = Chart("c", "图", kind, ["x", "y", "z"], data).png(dpi=50)  # type: ignore[arg-type]
        assert png.startswith(b"\x89PNG")
    assert Chart("c", "空图", "bar", ["x", "y"], []).svg().count("<svg") == 1


def test_unit_history_shows_the_carry_over_chain(examples_db: Path) -> None:
    with Store.open(examples_db, read_only=True) as store:
        h = history(store, "淮安市洪泽区")
        with pytest.raises(StoreError, match="no reports"):
            history(store, "不存在的单位")
    assert [y["year"] for y in h["years"]] == [2023, 2024]
    chain = {c["column"]: c for c in h["carry_over"]}
    assert chain["total"]["ok"] and chain["total"]["carried_forward_prev"] == chain["total"]["carried_over"] > 0
    assert all(c["ok"] for c in h["carry_over"])
    assert {f["rule"] for f in h["findings"]} == {"X_IN_FORCE"}
    latest = h["text"][-1]
    assert latest["against"] == 2023 and all("passages" in s for s in latest["sections"])
    assert h["cells"]["columns"][-2:] == ["2023", "2024"]


def test_reused_passages_ignore_changed_numbers() -> None:
    prev = "本年度我单位认真贯彻落实《条例》，全年共收到申请12件，均已按时答复，没有发生行政复议。"
    text = "本年度我单位认真贯彻落实《条例》，全年共收到申请31件，均已按时答复，没有发生行政复议。另有新内容。"
    spans = passages(text, prev)
    assert spans and sum(e - s for s, e in spans) >= len(prev) - 1
    assert passages("完全不同的一段文字，没有任何相同之处可言。", prev) == []


def test_compare_report_for_hongze(examples_db: Path, tmp_path: Path) -> None:
    with Store.open(examples_db, read_only=True) as store:
        c = comparison(store, "淮安市洪泽区人民政府", 2024)
        result = compare_unit(store, "淮安市洪泽区", 2024, tmp_path, pdf=False)
    assert c.prev_id is not None and c.agency_id == "淮安市洪泽区"
    headline = dict(c.headline())
    assert headline["上年结转"].cur == headline["结转下年度"].prev  # the carry-over chain holds
    assert any(i.rule == "X_IN_FORCE" and i.scope == "跨年度" for i in c.issues)
    assert {s.key for s in c.sections} >= {"overview", "requests"}
    [docx] = result.files
    text = "\n".join(p.text for p in Document(str(docx)).paragraphs)
    assert "2024年与2023年政府信息公开工作年度报告比对报告" in text and "现行有效件数" in text
    tables = Document(str(docx)).tables
    assert tables[0].rows[0].cells[1].text == "2023年"


@pytest.mark.libreoffice
def test_compare_region_writes_docx_pdf_and_the_summary(examples_db: Path, tmp_path: Path) -> None:
    r = CliRunner().invoke(main, ["compare", "--region", "320813", "--year", "2024", "-o", str(tmp_path),
                                  "--db", str(examples_db)])  # fmt: skip
    assert r.exit_code == 0, r.output
    pdfs = sorted(tmp_path.glob("*.pdf"))
    assert len(pdfs) == 3 and len(list(tmp_path.glob("*.docx"))) == 3
    import pdfplumber

    with pdfplumber.open(pdfs[0]) as pdf:
        page = pdf.pages[0]
        assert round(page.width) == 595 and round(page.height) == 842  # A4
        assert "比对报告" in page.extract_text()
        fonts = {ch["fontname"] for ch in page.chars}
    assert any("CJK" in f for f in fonts)
    book = load_workbook(tmp_path / "320813_2024_比对汇总.xlsx", read_only=True)
    rows = list(book["比对汇总"].iter_rows(values_only=True))
    book.close()  # a read-only workbook holds its file open until closed
    assert rows[0][0] == "机关" and {r[1] for r in rows[1:]} == {
        "淮安市洪泽区",
        "淮安市洪泽区财政局",
        "淮安市洪泽区教育局",
    }


def test_compare_refuses_what_it_cannot_do(examples_db: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    r = runner.invoke(main, ["compare", "--year", "2024", "-o", str(tmp_path), "--db", str(examples_db)])
    assert r.exit_code == 2 and "--agency or --region" in r.output
    r = runner.invoke(main, ["compare", "--agency", "不存在", "--year", "2024", "-o", str(tmp_path),
                             "--db", str(examples_db)])  # fmt: skip
    assert r.exit_code == 1 and "no unit" in r.output
    with Store.open(examples_db, read_only=True) as store, pytest.raises(StoreError, match="no 2030 reports"):
        compare_region(store, "320813", 2030, tmp_path)


def test_exports_say_what_was_not_printed(examples_db: Path, tmp_path: Path) -> None:
    with Store.open(examples_db, read_only=True) as store:
        units = store.con.execute("SELECT count(*) FROM unit_reports").fetchone()[0]
        crawler = store.con.execute(
            "SELECT c.key FROM cells c JOIN reports r ON r.id = c.report_id WHERE r.path LIKE '%2021_crawler.txt' "
            "AND c.flag = 'uncertain' LIMIT 1"
        ).fetchone()[0]
        buf = io.StringIO()
        assert (
            export(store, "csv", "wide", buf, options=ExportOptions(units=True, flag_columns=True, printed_only=True))
            == units
        )
        rows = {r["path"].rsplit("/", 1)[-1]: r for r in csv.DictReader(io.StringIO(buf.getvalue()))}
        row = rows["2021_crawler.txt"]
        assert row[crawler] == "" and row[f"{crawler}__flag"] == "uncertain"
        assert "pair_2024_crawler.txt" not in rows  # the page is the unit-year; its cells settle the dump's
        pair = rows["pair_2024_page.html"]
        assert all(pair[f"{k}__flag"] == "" for k in ("active.normative.repealed", "active.normative.in_force"))
        export(store, "xlsx", "wide", tmp_path / "u.xlsx", options=ExportOptions(units=True))
    book = load_workbook(tmp_path / "u.xlsx", read_only=True)
    flags = list(book["flags"].iter_rows(values_only=True))
    book.close()
    header = flags[0]
    settled = [r for r in flags[1:] if r[header.index("how")] == "settled"]
    assert settled and all(str(r[header.index("source_path")]).endswith("pair_2024_page.html") for r in settled)
    r = CliRunner().invoke(main, ["export", "--all-sources", "--db", str(examples_db)])
    assert r.exit_code == 0 and len(r.stdout.splitlines()) == units + 2
