"""Bad input gets one clear line naming the file and the reason, or findings; never a traceback."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

import ogi
from ogi.errors import InputError
from ogi.readers import ParseOptions
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


def _object_at(at: int) -> bytes:
    """The dictionary of the PDF object a cut falls in: each test says what it damages."""
    pdf = PDF.read_bytes()
    cut = at if at >= 0 else len(pdf) + at
    start = max(m.start() for m in re.finditer(rb"\d+ 0 obj", pdf[:cut]))
    return pdf[start : pdf.index(b">>", start) + 2]


GENERATED = {ex.name: ex for ex in load_script("make_examples").examples()}["2021_print.pdf"].report.cells


def _misread(report: ogi.Report) -> dict[str, tuple[object, object]]:
    """Cells that differ from the printed value and are not null: a flag never excuses a number
    (an inferred value must be the printed one, an uncertain cell must hold it among its readings)."""
    out = {}
    for key, value in GENERATED.items():
        cell = report.cells[key]
        if cell.value is None or cell.value == value or (cell.flag == "uncertain" and value in cell.alternatives):
            continue
        out[key] = (value, cell.value)
    return out


def test_damage_in_a_font_program_loses_glyphs_never_a_number() -> None:
    at = len(PDF.read_bytes()) // 3
    assert b"/Length1" in _object_at(at)  # an embedded font program (a subset holding 0, 2, 3 …)
    report = ogi.parse_bytes(_damaged(at), "damaged.pdf")
    assert _misread(report) == {}
    # The digits drawn with that font come out as nothing: their cells read as empty (null, blank),
    # the zeros among them put back by the identities (inferred), the others left null.
    by_flag = Counter(report.cells[k].flag for k in GENERATED)
    assert by_flag == {"blank": 147, "inferred": 38, None: 15}
    assert {k: report.cells[k].value for k in GENERATED if report.cells[k].flag == "inferred"} == {
        k: v for k, v in GENERATED.items() if report.cells[k].flag == "inferred"
    }
    assert len(next(f for f in report.findings if f.rule == "BLANK_CELL").keys) == 147
    # The signed date's digits too: no date rather than a wrong one.
    assert (report.agency, report.year, report.published) == ("洛阳市生态环境局", 2023, None)


def test_damage_in_the_first_page_is_a_page_without_text() -> None:
    assert b"/FlateDecode" in _object_at(200) and b"2 0 obj" in _object_at(200)  # page 1's content stream
    # OCR turned off, so that the outcome does not depend on the extra: with it, page 1 goes through OCR
    # and gives nothing either ("page 1: read by OCR, no text found"), the rest being the same.
    report = ogi.parse_bytes(_damaged(200), "damaged.pdf", ParseOptions(ocr="never"))
    assert "pages without a text layer (scanned?): 1" in report.meta["reader_notes"]
    assert _misread(report) == {}
    # Page 1 printed the title, sections 一 and 二 and table 二 down to 行政许可 (its value on page 2,
    # now a fragment without the row's label): those rows are missing and said to be, the rest exact.
    missing = ["active.rules.made", "active.rules.repealed", "active.rules.in_force", "active.normative.made",
               "active.normative.repealed", "active.normative.in_force", "active.licensing.decisions"]  # fmt: skip
    assert {k: c.flag for k, c in report.cells.items() if c.flag} == dict.fromkeys(missing, "missing")
    assert {k: report.cells[k].value for k in GENERATED if k not in missing} == {
        k: v for k, v in GENERATED.items() if k not in missing
    }
    rules = Counter(f.rule for f in report.findings)
    assert rules == {"MISSING_ROW": 3, "MISSING_SECTION": 2, "MISSING_CELL": 1, "PUBLISHED_LATE": 1}
    assert (report.agency, report.year, str(report.published)) == ("洛阳市生态环境局", 2023, "2024-02-26")


def test_damage_at_the_end_is_an_error_naming_the_file() -> None:
    with pytest.raises(InputError, match="damaged or truncated") as err:
        ogi.parse_bytes(_damaged(-100), "damaged.pdf")
    assert err.value.file == "damaged.pdf" and str(err.value).startswith("damaged.pdf: ")


def test_damage_in_the_outline_loses_nothing() -> None:
    assert b"/Title" in _object_at(-2000) and b"/Dest" in _object_at(-2000)  # a bookmark of the outline
    report = ogi.parse_bytes(_damaged(-2000), "damaged.pdf")
    whole = ogi.parse(PDF)
    assert report.values() == whole.values() == GENERATED
    assert report.meta["reader_notes"] == whole.meta["reader_notes"]
    assert [f.rule for f in report.findings] == [f.rule for f in whole.findings] == ["PUBLISHED_LATE"]
