"""Bad input gets one clear line naming the file and the reason, or findings; never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import ogi
from ogi.errors import InputError
from tests.conftest import EXAMPLES, load_script

EXAMPLE = EXAMPLES / "2021_tsv.txt"
PDF = EXAMPLES / "2021_print.pdf"


def test_empty_file() -> None:
    with pytest.raises(InputError, match="empty"):
        ogi.parse_bytes(b"", "empty.txt")
    with pytest.raises(InputError, match="empty"):
        ogi.parse_bytes(b"  \n\n ", "blank.txt")


def test_binary_garbage() -> None:
    garbage = bytes(range(256)) * 20
    with pytest.raises(InputError, match="binary"):
        ogi.parse_bytes(garbage, "garbage.txt")


def test_gbk_text_reads_like_utf8() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    utf8 = ogi.parse_bytes(text.encode("utf-8"), "a.txt")
    gbk = ogi.parse_bytes(text.encode("gb18030"), "a.txt")
    assert gbk.values() == utf8.values()
    assert "decoded as gb18030" in gbk.meta["reader_notes"]


def test_text_that_is_not_a_report() -> None:
    with pytest.raises(InputError, match="not a 政府信息公开工作年度报告"):
        ogi.parse_bytes("今天天气很好，我们去公园散步。\n晚上吃了饺子。".encode(), "diary.txt")


def test_report_missing_a_table_gives_findings() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    start, end = text.index("四、政府信息公开行政复议"), text.index("五、存在的主要问题")
    report = ogi.parse_bytes(
        (text[:start] + "四、政府信息公开行政复议、行政诉讼情况\n本年无。\n" + text[end:]).encode(), "cut.txt"
    )
    missing = [f for f in report.findings if f.rule == "MISSING_TABLE"]
    assert missing and "appeals.review.total" in missing[0].keys
    assert report.cells["appeals.review.total"].value is None
    assert report.cells["requests.new.total"].value == ogi.parse(EXAMPLE).cells["requests.new.total"].value


def test_cli_one_line_error_and_exit_code(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    good = EXAMPLE
    proc = subprocess.run(
        [sys.executable, "-m", "ogi", "parse", "--json", str(empty), str(good), str(tmp_path / "nope")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1
    errors = proc.stderr.strip().splitlines()
    assert errors == [f"ogi: {empty}: the file is empty", f"ogi: {tmp_path / 'nope'}: no such file"]
    assert "Traceback" not in proc.stderr
    (parsed,) = json.loads(proc.stdout)  # a list for several files, the failed ones left out
    assert parsed["cells"] == ogi.parse(EXAMPLE).summary()["cells"]


def test_tabs_and_blank_lines_only() -> None:
    with pytest.raises(InputError):
        ogi.parse_bytes(b"\t\n\n\t\t\n \t\n", "tabs.txt")


def _damaged(at: int) -> bytes:
    pdf = PDF.read_bytes()
    cut = at if at >= 0 else len(pdf) + at
    return pdf[:cut] + b"\x00garbage\x00" + pdf[cut + 64 :]


def test_damage_inside_a_page_stream_loses_nothing() -> None:
    damaged = ogi.parse_bytes(_damaged(len(PDF.read_bytes()) // 3), "damaged.pdf")
    assert damaged.values() == ogi.parse(PDF).values()


def test_damage_in_the_first_page_is_a_page_without_text() -> None:
    report = ogi.parse_bytes(_damaged(200), "damaged.pdf")
    assert "pages without a text layer (scanned?): 1" in report.meta["reader_notes"]
    assert {"MISSING_TABLE", "MISSING_SECTION"} <= {f.rule for f in report.findings}


def test_damage_at_the_end_is_an_error_naming_the_file() -> None:
    with pytest.raises(InputError, match="damaged or truncated") as err:
        ogi.parse_bytes(_damaged(-100), "damaged.pdf")
    assert err.value.file == "damaged.pdf" and str(err.value).startswith("damaged.pdf: ")


def test_damage_in_the_outline_leaves_the_tables_unread_and_says_so() -> None:
    report = ogi.parse_bytes(_damaged(-2000), "damaged.pdf")
    notes = [n for n in report.meta["reader_notes"] if "tables not read" in n]
    assert [n.split(":")[0] for n in notes] == ["page 1", "page 2", "page 3"]
    assert any(f.rule == "MISSING_TABLE" for f in report.findings)


@pytest.mark.xfail(
    strict=True,
    reason="extract/solve.py keeps 16 of the tied combinations (MAX_SOLUTIONS): a cell whose other value is only "
    "in a dropped one is shown as certain. Here the tables of a damaged PDF are read from its text, a wrapped "
    "label swallows the 6.属于四类过程性信息 row's first digit, and 自然人 reads 0 (printed 1) with no flag",
)
def test_damage_in_the_outline_gives_no_unflagged_wrong_number() -> None:
    report = ogi.parse_bytes(_damaged(-2000), "damaged.pdf")
    generated = {ex.name: ex for ex in load_script("make_examples").examples()}["2021_print.pdf"].report
    wrong = {k: (v, report.cells[k].value) for k, v in generated.cells.items()
             if report.cells[k].value != v and not report.cells[k].flag}  # fmt: skip
    assert wrong == {}
