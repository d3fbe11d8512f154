"""A table 三 row printed one cell short, its total among the printed values, in a converted table
whose blank cells are a converter's padding (the label's span, a stray tab). Reading the row as
laid out put the total into 其他 and left 总计 blank, with no flag on the wrong cell wherever the
identities could not break (a term unknown). Every place of the gap is a reading now: the
identities take the one they confirm, and where they cannot tell, the cells that differ are
uncertain with the truth among their readings — never a silent choice. (Found on synthetic
phone-photo scans, where unread cells leave the column identities open; reproduced here from text.)"""

from __future__ import annotations

import random

import pytest

import ogi
from ogi.render.synth import SynthReport, synth_report
from ogi.render.text import render_text

COLUMNS = ("natural", "commercial", "research", "nonprofit", "legal", "other_org", "total")
ROW = "四、结转下年度继续办理"


def _printed_short(blank_in_row: str | None = None) -> tuple[SynthReport, str]:
    """A synthetic report as tab-separated text, its 结转下年度 row printed without its 其他 cell
    (``0 0 0 0 1 [0] 1``: the row's total 1 is its last printed value); with ``blank_in_row``, that
    row also prints its 法律服务机构, 其他 and 总计 cells blank, so no column identity can check them."""
    rep = synth_report("2021", random.Random(5))
    lines = render_text(rep, "tsv").split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith(ROW))
    cells = lines[at].split("\t")
    values = [i for i, c in enumerate(cells) if c.strip().isdigit()]
    assert [cells[i] for i in values] == ["0", "0", "0", "0", "1", "0", "1"]  # what the test is about
    del cells[values[COLUMNS.index("other_org")]]
    lines[at] = "\t".join(cells)
    if blank_in_row:
        other = next(i for i, line in enumerate(lines) if line.startswith(blank_in_row))
        cells = lines[other].split("\t")
        values = [i for i, c in enumerate(cells) if c.strip().isdigit()]
        for column in ("legal", "other_org", "total"):
            cells[values[COLUMNS.index(column)]] = ""
        lines[other] = "\t".join(cells)
    return rep, "\n".join(lines)


def _silently_wrong(report: ogi.Report, rep: SynthReport) -> list[str]:
    """Table 三's cells shown as read that are not the truth (a flagged cell is not silent, unless
    it is uncertain without the truth among its readings)."""
    out = []
    for key, cell in report.cells.items():
        if not key.startswith("requests.") or key not in rep.cells:
            continue
        truth = rep.cells[key]
        if cell.value == truth or (cell.flag and cell.flag != "uncertain"):
            continue
        if cell.flag == "uncertain" and truth in [cell.value, *cell.alternatives]:
            continue
        out.append(f"{key}: truth {truth}, got {cell.value} ({cell.flag}, {cell.alternatives})")
    return out


def test_the_identities_place_the_gap_of_a_row_printed_short() -> None:
    rep, text = _printed_short()
    report = ogi.parse_bytes(text.encode(), "short.txt")
    got = {c: report.cells[f"requests.carried_forward.{c}"] for c in COLUMNS}
    assert {c: got[c].value for c in COLUMNS} == {c: rep.cells[f"requests.carried_forward.{c}"] for c in COLUMNS}
    assert got["other_org"].flag == "inferred" and got["total"].flag is None  # the total is where it was printed
    assert _silently_wrong(report, rep) == []


@pytest.mark.parametrize("blank_in_row", ["一、本年新收", "二、上年结转"])
def test_gap_places_the_identities_cannot_rule_out_leave_the_cells_uncertain(blank_in_row: str) -> None:
    rep, text = _printed_short(blank_in_row)
    report = ogi.parse_bytes(text.encode(), "short.txt")
    for column in ("legal", "other_org"):  # 1 and 0, or 0 and 1: nothing left can tell
        cell = report.cells[f"requests.carried_forward.{column}"]
        truth = rep.cells[f"requests.carried_forward.{column}"]
        assert cell.flag == "uncertain" and truth in [cell.value, *cell.alternatives], (column, cell)
    assert _silently_wrong(report, rep) == []
    assert any(f.rule == "UNCERTAIN_VALUE" and "requests.carried_forward.other_org" in f.keys for f in report.findings)
