"""Tables drawn with lines (w3m's box drawing, pandoc's grid tables, tabulate's psql) read as exact grids."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from ogi.model import Paragraph, Table
from ogi.readers import html, text
from tests.conftest import CORPUS, EXAMPLES, need

PAGES = ["2021_page.html", "pair_2024_page.html", "012_pingtan_2024.html", "014_pingtan_2023.html"]


def _page(name: str) -> Path:
    return EXAMPLES / name if (EXAMPLES / name).exists() else need(CORPUS / name)


def _squash(s: str) -> str:
    return "".join(s.split())


def _html_tables(path: Path) -> list[Table]:
    return html.read(path.read_bytes(), str(path)).tables


def _convert(cmd: list[str], path: Path) -> bytes:
    if shutil.which(cmd[0]) is None:
        pytest.skip(f"{cmd[0]} is absent: apt-get install {cmd[0]}")
    return subprocess.run([*cmd, str(path)], capture_output=True, check=True, timeout=60).stdout


@pytest.mark.parametrize("name", PAGES)
def test_w3m_dump_reads_every_cell_as_the_html_does(name: str) -> None:
    path = _page(name)
    dump = _convert(["w3m", "-dump", "-T", "text/html", "-O", "UTF-8", "-cols", "200"], path)
    got = text.read(dump, name + ".txt").tables
    want = _html_tables(path)
    assert len(got) == len(want) >= 3
    for g, w in zip(got, want, strict=True):
        assert g.exact_columns
        assert [[(_squash(c.text), c.origin) for c in row] for row in g.rows] == [
            [(_squash(c.text), c.origin) for c in row] for row in w.rows
        ]
        lines = dump.decode().split("\n")
        for row in g.rows:
            for cell in row:
                if cell.text and cell.origin is None:  # a cell's line prints (the start of) its text
                    assert cell.text[:2] in lines[cell.where.line - 1]


@pytest.mark.parametrize("name", PAGES)
def test_pandoc_grid_tables_read_every_cell_as_the_html_does(name: str) -> None:
    path = _page(name)
    # pandoc 2.x prints a table with row spans as raw HTML, the others as grid tables without spans
    # (a spanned cell's other positions blank): each grid's printed texts, in reading order, are the
    # cells of one of the page's HTML tables.
    md = _convert(["pandoc", "-f", "html", "-t", "markdown-simple_tables-multiline_tables-pipe_tables"], path)
    if b"\n+-" not in md:
        pytest.skip("this pandoc prints no grid tables for the page")
    got = text.read(md, name + ".md").tables
    want = [[_squash(c.text) for row in w.rows for c in row if c.origin is None and c.text] for w in _html_tables(path)]
    assert got and len(got) == md.count(b"\n\n+-")
    for g in got:
        assert g.exact_columns
        assert [_squash(c.text) for row in g.rows for c in row if c.origin is None and c.text] in want


SPANS = """\
before
┌────────┬───────────────┐
│        │申请人情况     │
│        ├───────┬───────┤
│项目    │自然人 │法人   │
├────────┼───────┼───────┤
│（一）予│12     │3      │
│以公开  ├───────┼───────┤
│        │12     │0      │
│        │34     │       │
└────────┴───────┴───────┘
after
"""


def test_spans_of_a_hand_made_box_table() -> None:
    doc = text.read(SPANS.encode(), "spans.txt")
    (table,) = doc.tables
    assert table.exact_columns and table.where.line == 2
    assert [[c.text for c in row] for row in table.rows] == [
        ["项目", "申请人情况", "申请人情况"],
        ["项目", "自然人", "法人"],
        ["（一）予以公开", "12", "3"],
        ["（一）予以公开", "1234", "0"],  # a number wrapped in a narrow column
    ]
    assert table.rows[0][2].origin == (0, 1) and table.rows[1][0].origin == (0, 0)
    assert table.rows[3][0].origin == (2, 0) and table.rows[3][1].origin is None
    assert [c.where.line for c in table.rows[2]] == [7, 7, 7]
    assert table.rows[3][1].where.line == 9
    assert [p.text for p in doc.blocks if isinstance(p, Paragraph)] == ["before", "after"]
    assert doc.blocks[-1].where.line == 12


def test_ascii_grid_and_psql_rows() -> None:
    grid = "+-----+----+\n| a   | b  |\n+=====+====+\n| 1   | 2  |\n+-----+----+\n| 3   | 4  |\n+-----+----+\n"
    psql = "+-----+----+\n| a   | b  |\n|-----+----|\n| 1   | 2  |\n| 3   | 4  |\n+-----+----+\n"
    for source in (grid, psql):
        (table,) = text.read(source.encode(), "t.txt").tables
        assert [[c.text for c in row] for row in table.rows] == [["a", "b"], ["1", "2"], ["3", "4"]]


def test_a_drawing_whose_lines_disagree_stays_text() -> None:
    broken = "┌─────┬────┐\n│ a   │ b  │\n├─────┼────┤\n│ 1     │ 2│\n└─────┴────┘\n"
    doc = text.read(broken.encode(), "broken.txt")
    assert not doc.tables
    assert [p.where.line for p in doc.blocks if isinstance(p, Paragraph)] == [1, 2, 3, 4, 5]
    assert any("rulings disagree" in n for n in doc.notes)
