"""Bad input gets one clear line naming the file and the reason, or findings; never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import ogi
from ogi.errors import InputError
from tests.conftest import SEEDS, need

SEED = "000_d5ad828fb1d0e8fb.txt"


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
    text = need(SEEDS / SEED).read_text(encoding="utf-8")
    utf8 = ogi.parse_bytes(text.encode("utf-8"), "a.txt")
    gbk = ogi.parse_bytes(text.encode("gb18030"), "a.txt")
    assert gbk.values() == utf8.values()
    assert "decoded as gb18030" in gbk.meta["reader_notes"]


def test_text_that_is_not_a_report() -> None:
    with pytest.raises(InputError, match="not a 政府信息公开工作年度报告"):
        ogi.parse_bytes("今天天气很好，我们去公园散步。\n晚上吃了饺子。".encode(), "diary.txt")


def test_report_missing_a_table_gives_findings() -> None:
    text = need(SEEDS / "003_c61ea60888540bc5.txt").read_text(encoding="utf-8")
    start, end = text.index("四、政府信息公开行政复议"), text.index("五、存在的主要问题")
    report = ogi.parse_bytes(
        (text[:start] + "四、政府信息公开行政复议、行政诉讼情况\n本年无。\n" + text[end:]).encode(), "cut.txt"
    )
    missing = [f for f in report.findings if f.rule == "MISSING_TABLE"]
    assert missing and "appeals.review.total" in missing[0].keys
    assert report.cells["appeals.review.total"].value is None
    assert report.cells["requests.new.total"].value == 0


def test_cli_one_line_error_and_exit_code(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    good = need(SEEDS / SEED)
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
    assert '"requests.new.total": 0' in proc.stdout


def test_tabs_and_blank_lines_only() -> None:
    with pytest.raises(InputError):
        ogi.parse_bytes(b"\t\n\n\t\t\n \t\n", "tabs.txt")


def test_damaged_pdf_metadata_and_pages_give_an_error_or_a_report(tmp_path: Path) -> None:
    pdf = need(SEEDS.parent / "corpus" / "002_hongze_qzf_2023.pdf").read_bytes()
    for cut in (len(pdf) // 3, len(pdf) - 2000):
        damaged = pdf[:cut] + b"\x00garbage\x00" + pdf[cut + 64 :]
        try:
            ogi.parse_bytes(damaged, "damaged.pdf")
        except InputError as e:
            assert "damaged.pdf" in str(e)
