"""The shipped examples are what ``scripts/make_examples.py`` writes, and each parses to exactly the
values the generator put in: the core suite's real documents where ../shared is absent."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile

import pypdfium2 as pdfium
import pytest
from rich.console import Console

import ogi
from ogi.cli.view import print_report
from ogi.readers import read_document
from ogi.readers._util import is_page_number
from tests.conftest import EXAMPLES, ROOT, load_script
from tests.grids import check_grids

make_examples = load_script("make_examples")
EXAMPLES_BY_NAME = {ex.name: ex for ex in make_examples.examples()}
# Files whose bytes carry a timestamp (the ZIP entries' dates, LibreOffice's PDF metadata): compared
# by content below.
NOT_BYTE_EXACT = {"2019_word.docx", "2021_print.pdf"}
# The crawler dumps run table 二's digits together; these cells are uncertain, the first reading being:
UNCERTAIN = {
    "2019_crawler.txt": {
        "active.penalty.change": (2, [29]),
        "active.penalty.decisions": (90, [0]),
        "active.coercion.change": (24, [2, 241, 2417]),
        "active.coercion.decisions": (177, [7, 77, 4177]),
    },
    "2021_crawler.txt": {
        "active.normative.made": (1, [10]),
        "active.normative.repealed": (0, [1]),
        "active.normative.in_force": (13, [3]),
    },
    # 规章010 行政规范性文件01109: 0|1|109 or 0|110|9 (the web page of the same report settles them: test_reconcile).
    "pair_2024_crawler.txt": {
        "active.normative.repealed": (1, [110]),
        "active.normative.in_force": (109, [9]),
    },
}


def test_the_examples_are_the_generators() -> None:
    assert {p.name for p in EXAMPLES.iterdir()} == set(EXAMPLES_BY_NAME)


@pytest.mark.parametrize("name", sorted(set(EXAMPLES_BY_NAME) - NOT_BYTE_EXACT))
def test_example_bytes_are_reproducible(name: str) -> None:
    assert (EXAMPLES / name).read_bytes() == EXAMPLES_BY_NAME[name].render()


def test_example_docx_is_the_generators() -> None:
    """Every part of the Word file, as the generator writes it now (a stale example once hid a
    layout change from every test)."""
    shipped = zipfile.ZipFile(EXAMPLES / "2019_word.docx")
    fresh = zipfile.ZipFile(io.BytesIO(EXAMPLES_BY_NAME["2019_word.docx"].render()))
    assert shipped.namelist() == fresh.namelist()
    assert [n for n in fresh.namelist() if shipped.read(n) != fresh.read(n)] == []


@pytest.mark.libreoffice
def test_example_pdf_is_the_generators() -> None:
    """The PDF's pages and the text on each, as LibreOffice prints the generator's document now."""
    shipped = pdfium.PdfDocument((EXAMPLES / "2021_print.pdf").read_bytes())
    fresh = pdfium.PdfDocument(EXAMPLES_BY_NAME["2021_print.pdf"].render())
    texts = [[p.get_textpage().get_text_range() for p in pdf] for pdf in (shipped, fresh)]
    assert texts[0] == texts[1]


@pytest.mark.parametrize("name", sorted(EXAMPLES_BY_NAME))
def test_example_parses_to_the_generated_values(name: str) -> None:
    rep = EXAMPLES_BY_NAME[name].report
    report = ogi.parse(EXAMPLES / name)
    assert (report.template, report.year, report.agency, report.published) == (
        rep.template,
        rep.year,
        rep.agency,
        rep.published,
    )
    expected = dict(rep.cells)
    if name == "2021_tsv_broken_total.txt":
        expected["requests.total.total"] += make_examples.BROKEN_TOTAL_EXCESS
    got = {k: report.cells[k].value for k in expected}
    uncertain = UNCERTAIN.get(name, {})
    for key, (first, others) in uncertain.items():
        assert (report.cells[key].value, report.cells[key].alternatives) == (first, others), key
        assert expected[key] in [first, *others], key
        got[key] = expected[key]
    assert got == expected
    flagged = {k: c.flag for k, c in report.cells.items() if c.flag}
    assert flagged == dict.fromkeys(uncertain, "uncertain")


@pytest.mark.parametrize("name", ["2021_page.html", "2019_word.docx", "2021_print.pdf"])
def test_example_grids_hold_the_generated_values(name: str) -> None:
    rep = EXAMPLES_BY_NAME[name].report
    doc = read_document((EXAMPLES / name).read_bytes(), name)
    check_grids(doc, rep.template, rep.cells)


def test_example_pdf_tables_are_stitched_and_page_numbers_dropped() -> None:
    doc = read_document((EXAMPLES / "2021_print.pdf").read_bytes(), "2021_print.pdf")
    assert [len(t.rows[0]) for t in doc.tables] == [4, 10, 15]
    assert all(t.exact_columns for t in doc.tables)
    # Table 二 runs from page 1 onto page 2, table 三 from page 2 onto page 3.
    assert doc.notes == ["table continued from page 1 to page 2", "table continued from page 2 to page 3"]
    assert not any(is_page_number(b.text) for b in doc.blocks if not isinstance(b, ogi.model.Table))
    report = ogi.parse(EXAMPLES / "2021_print.pdf")
    where = report.cells["requests.new.total"].provenance
    assert where is not None and (where.page, where.where) == (2, "page 2, table 2, row 4, col 10")


def test_example_gbk_reads_like_utf8() -> None:
    report = ogi.parse(EXAMPLES / "2021_gbk.txt")
    assert "decoded as gb18030" in report.meta["reader_notes"]
    assert report.values() == ogi.parse_bytes(EXAMPLES_BY_NAME["2021_gbk.txt"].render().decode("gb18030").encode(),
                                             "utf8.txt").values()  # fmt: skip


def test_parse_json_does_not_depend_on_the_hash_seed() -> None:
    """Strings hash differently in every process: nothing the JSON says (cells, their alternatives,
    findings, meta) may follow the order a set of them happens to iterate in."""
    command = [sys.executable, "-m", "ogi", "parse", "--json"]
    command += [str(EXAMPLES / n) for n in ("2021_crawler.txt", "2021_tsv_broken_total.txt")]
    runs = [subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env={**os.environ, "PYTHONHASHSEED": s})
            for s in ("1", "2")]  # fmt: skip
    outputs = [r.stdout for r in runs if r.returncode == 0]
    assert len(outputs) == 2, runs[0].stderr
    assert outputs[0] == outputs[1] and '"alternatives"' in outputs[0]


# --- the default view of `ogi parse` ------------------------------------------------------------


def _view(*names: str) -> subprocess.CompletedProcess[str]:
    files = [str(EXAMPLES / n) for n in names]
    return subprocess.run([sys.executable, "-m", "ogi", "parse", *files], capture_output=True, text=True, cwd=ROOT)


def test_view_shows_the_tables_the_marks_and_the_findings() -> None:
    proc = _view("2021_tsv_broken_total.txt")
    assert proc.returncode == 0 and proc.stderr == ""
    out = proc.stdout
    rep = EXAMPLES_BY_NAME["2021_tsv_broken_total.txt"].report
    assert out.splitlines()[0].endswith("2021_tsv_broken_total.txt")
    assert f"机关 {rep.agency}  年度 {rep.year}  格式 2021  发布 {rep.published}" in out
    for title in (
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
    ):
        assert title in out
    # The printed side of the broken identity is marked "!": the （七）总计 cell printed 3 too high.
    total = rep.cells["requests.total.total"] + make_examples.BROKEN_TOTAL_EXCESS
    assert f"{total}!" in out
    flat = out.replace("\n", "")  # rich wraps long messages
    assert "[error] I3: 「（七）总计·总计」印为" in flat and "[warning] NARRATIVE_MISMATCH:" in flat
    assert "! 不满足勾稽关系" in out  # the legend


def test_view_marks_uncertain_cells_and_says_when_all_is_well() -> None:
    proc = _view("2021_crawler.txt", "2021_tsv.txt")
    assert proc.returncode == 0
    crawler, clean = proc.stdout.split("检查结果")[0], proc.stdout.split("检查结果")[-1]
    assert "1?" in crawler and "13?" in crawler  # 制发 1 (or 10), 现行有效 13 (or 3)
    assert "[warning] UNCERTAIN_VALUE: 3个单元格" in proc.stdout.replace("\n", "")  # rich wraps long messages
    assert clean.strip() == "没有发现问题。"


def test_view_shows_inferred_and_blank_cells() -> None:
    text = (EXAMPLES / "2021_tsv.txt").read_text(encoding="utf-8")
    rep = EXAMPLES_BY_NAME["2021_tsv.txt"].report
    # Blank the 商业企业 cell of 本年新收 (the identities force it back) and print 规章 制发 as "/".
    lines = text.split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("一、本年新收"))
    cells = lines[at].split("\t")
    cells[3] = ""  # [label, merged label, natural, commercial, …]
    lines[at] = "\t".join(cells)
    at = next(i for i, line in enumerate(lines) if line.startswith("规章"))
    cells = lines[at].split("\t")
    cells[1] = "/"
    lines[at] = "\t".join(cells)
    report = ogi.parse_bytes("\n".join(lines).encode(), "edited.txt")
    commercial = report.cells["requests.new.commercial"]
    assert (commercial.value, commercial.flag) == (rep.cells["requests.new.commercial"], "inferred")
    assert (report.cells["active.rules.made"].value, report.cells["active.rules.made"].flag) == (None, "na")
    buf = io.StringIO()
    print_report(report, Console(width=160, file=buf))
    out = buf.getvalue()
    assert f"{rep.cells['requests.new.commercial']}*" in out and " /" in out
    flat = out.replace("\n", "")
    assert "[info] INFERRED_VALUE: 1个单元格" in flat and "[warning] PLACEHOLDER_CELL: 1个单元格" in flat
