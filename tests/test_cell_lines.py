"""Tables printed one cell per line with no tab and no blank line between rows (LibreOffice's text
export, BeautifulSoup's ``get_text("\\n")``, lynx): read as exactly as the tab-prefixed shape, while
prose and tables printed column by column stay paragraphs."""

from __future__ import annotations

import pytest

import ogi
from ogi.model import Paragraph, Table
from ogi.readers import read_document
from tests.conftest import EXAMPLES

TABBED = [
    "2019_cell_per_line.txt",
    "2019_fullwidth.txt",
    "2021_cell_per_line.txt",
    "2021_fullwidth.txt",
    "2021_gbk.txt",
    "hongze_2023_gov.txt",
    "hongze_2024_dept.txt",
    "hongze_2024_gov.txt",
]
# 2019_fullwidth.txt wraps （二）部分公开's label onto an untabbed line, which ends the tabbed table
# there: the label is read apart and its numbers placed by row order (ROW_PLACED, info). Printed
# plain, the label and its numbers are one row: the same cells, without that note.
ONLY_TABBED = {"2019_fullwidth.txt": {"ROW_PLACED"}}


def plain(data: bytes) -> bytes:
    """The tab-prefixed shape as the converters print it: no tab, no blank line."""
    return b"\n".join(line.lstrip(b"\t") for line in data.split(b"\n") if line.strip())


def _findings(report: ogi.Report) -> set[tuple[str, tuple[str, ...]]]:
    return {(f.rule, tuple(f.keys)) for f in report.findings}


@pytest.mark.parametrize("name", TABBED)
def test_plain_cell_per_line_reads_as_the_tabbed_shape(name: str) -> None:
    data = (EXAMPLES / name).read_bytes()
    tabbed = ogi.parse_bytes(data, name)
    untabbed = ogi.parse_bytes(plain(data), name)
    assert (untabbed.agency, untabbed.year, untabbed.published) == (tabbed.agency, tabbed.year, tabbed.published)
    assert untabbed.cells.keys() == tabbed.cells.keys()
    for key, cell in tabbed.cells.items():
        got = untabbed.cells[key]
        assert (got.value, got.flag, got.alternatives) == (cell.value, cell.flag, cell.alternatives), key
    only_tabbed = {f for f in _findings(tabbed) - _findings(untabbed)}
    assert {rule for rule, _ in only_tabbed} <= ONLY_TABBED.get(name, set())
    assert _findings(untabbed) <= _findings(tabbed)


def test_each_cell_keeps_its_own_line() -> None:
    text = "具体情况见下表：\n信息内容\n本年制发件数\n规章\n3\n0\n12\n行政规范性文件\n5\n1\n40\n"
    doc = read_document(text.encode(), "t.txt")
    table = next(b for b in doc.blocks if isinstance(b, Table))
    assert [[c.text for c in row] for row in table.rows] == [
        ["信息内容"],
        ["本年制发件数"],
        ["规章", "3", "0", "12"],
        ["行政规范性文件", "5", "1", "40"],
    ]
    assert [c.where.line for c in table.rows[3]] == [8, 9, 10, 11]
    assert not table.exact_columns


@pytest.mark.parametrize(
    "text",
    [
        # A paragraph that is a number, in prose.
        "一、总体情况\n全年主动公开政府信息\n2316\n条，比上年增长。\n二、主动公开政府信息情况\n",
        # A narrative list of short items, a few of them numbers.
        "工作要点\n完善制度\n3\n加强培训\n2\n优化平台\n",
        # A table printed column by column (pdfminer): every label first, then one column's numbers.
        "规章\n行政规范性文件\n行政许可\n" + "\n".join(str(i % 7) for i in range(30)) + "\n",
    ],
)
def test_prose_and_column_dumps_stay_paragraphs(text: str) -> None:
    doc = read_document(text.encode(), "t.txt")
    assert not doc.tables
    assert all(isinstance(b, Paragraph) for b in doc.blocks)
