"""Row alignment, loose cells and narrative witnesses on small hand-made tables: a placement is
taken only where the identities hold, ties stay uncertain, and the reader that made the text does
not matter."""

from __future__ import annotations

import random

import ogi
from ogi.extract.align import Anchor, OpenRow, Orphan, Placement, backbone, place
from ogi.extract.leftovers import LooseCell, NumberRow
from ogi.extract.loose import ShortRow, fill
from ogi.extract.readings import Reading, RowValues
from ogi.extract.solve import RowChoice, Solution, Witness, solve
from ogi.extract.values import Printed
from ogi.model import Where
from ogi.model.template import Column, Equation, get_template
from ogi.render.synth import synth_report
from ogi.render.text import render_text

W = Where(line=1)


def p(v: int) -> Printed:
    return Printed(v, "zero" if v == 0 else "number", str(v), W)


def orphan(at: int, *values: int, fragments: tuple[str, ...] = ()) -> Orphan:
    reading = Reading(tuple(p(v) for v in values))
    return Orphan(NumberRow(at, fragments, [], W), RowValues([reading]))


def row(index: int, name: str, width: int = 2, loose_at: int | None = None) -> OpenRow:
    return OpenRow(index, name, tuple(f"{name}.{c}" for c in range(width)), name, loose_at)


def test_backbone_is_the_longest_run_in_template_order() -> None:
    anchors = [Anchor(0, 10), Anchor(5, 20), Anchor(2, 30), Anchor(3, 40), Anchor(9, 50)]
    assert [a.index for a in backbone(anchors)] == [0, 2, 3, 9]


def test_orphans_go_to_the_open_rows_between_their_anchors_in_order() -> None:
    anchors = [Anchor(0, 0), Anchor(4, 100)]
    rows = [row(1, "a"), row(2, "b"), row(3, "c"), row(6, "z")]
    placements, unplaced = place(anchors, rows, [orphan(10, 1, 1), orphan(20, 2, 2), orphan(30, 3, 3)], [])
    assert unplaced == []
    (placement,) = placements
    # Three orphans, three open rows between the anchors: one way; plus "leave them unplaced".
    assert [m for m in placement.maps] == [(0, 1, 2), None]
    assert placement.costs == [0.0, 0.5]


def test_fragments_and_loose_labels_narrow_the_placements() -> None:
    anchors = [Anchor(0, 0), Anchor(9, 100)]
    rows = [row(1, "甲乙丙丁"), row(2, "戊己庚辛"), row(3, "壬癸子丑")]
    labels = [r.label for r in rows]
    two = [orphan(10, 1, 1), orphan(20, 2, 2)]
    assert len(place(anchors, rows, two, labels)[0][0].maps) == 3 + 1
    fragment = [orphan(10, 1, 1, fragments=("戊己庚",)), orphan(20, 2, 2)]
    assert place(anchors, rows, fragment, labels)[0][0].maps == [(1, 2), None]
    rows[2].loose_at = 15  # "壬癸子丑" printed between the two rows of numbers
    assert place(anchors, rows, two, labels)[0][0].maps == [(0, 2), (1, 2), None]


def test_more_orphans_than_rows_are_left_unplaced() -> None:
    placements, unplaced = place([Anchor(0, 0), Anchor(2, 100)], [row(1, "a")], [orphan(10, 1), orphan(20, 2)], [])
    assert placements == [] and len(unplaced) == 2


def _solve_placement(
    anchors: list[Anchor], rows: list[OpenRow], orphans: list[Orphan], equations: list[Equation]
) -> tuple[Solution, Placement]:
    (placement,), _ = place(anchors, rows, orphans, [])
    fixed = [RowChoice(("t.0", "t.1"), [Reading((p(3), p(3)))])]
    return solve([*fixed, RowChoice(placement.keys, placement.readings, placement.costs)], equations), placement


def test_the_identities_choose_and_a_placement_that_breaks_them_is_not_taken() -> None:
    sums = [Equation("I3", "", (f"t.{c}",), (f"a.{c}", f"b.{c}")) for c in range(2)]
    rows = [row(1, "a"), row(2, "b")]
    # One orphan of (3, 3): a or b — both hold, so both cells stay open.
    solution, placement = _solve_placement([Anchor(0, 0), Anchor(3, 100)], rows, [orphan(10, 3, 3)], sums)
    assert solution.cells["a.0"].alternatives or solution.cells["b.0"].alternatives
    # An orphan of (5, 5) breaks the sum wherever it goes: left unplaced (the half-identity reading).
    solution, placement = _solve_placement([Anchor(0, 0), Anchor(3, 100)], [row(1, "a")], [orphan(10, 5, 5)], sums)
    assert placement.maps[solution.picks[0][1]] is None


def test_a_narrative_count_decides_between_readings_the_identities_leave_open() -> None:
    rows = [
        RowChoice(("a",), [Reading((p(7),)), Reading((p(70),))]),
    ]
    open_ = solve(rows, [])
    assert open_.cells["a"].alternatives == [70]
    said = solve(rows, [], [Witness((("a",),), 70, "受理申请70件")])
    assert (said.cells["a"].value, said.cells["a"].alternatives, said.cells["a"].witnessed) == (70, [], "受理申请70件")
    # A statement no reading agrees with chooses nothing.
    assert solve(rows, [], [Witness((("a",),), 5, "5件")]).cells["a"].alternatives == [70]


def test_loose_cells_fill_short_rows_in_order_and_notes_name_their_column() -> None:
    columns = tuple(get_template("2021").rows_of("active")[0].columns)
    short = RowValues([Reading((p(22), p(235), None))], [("ROW_SHORT", "2/3")])
    note = LooseCell(0, "22（其中修订16件）", W, "其中修订16件")
    (filled,) = fill([ShortRow(columns, short, 2)], [note], keep_unfilled=False) or []
    assert [[v.value if v else None for v in r.values] for r in filled.readings] == [[22, 22, 235]]
    bare = LooseCell(0, "55", W, None)
    (open_,) = fill([ShortRow(columns, short, 2)], [bare], keep_unfilled=False) or []
    assert len(open_.readings) > 1  # no note: every gap is a reading, and the row's own too
    assert fill([ShortRow(columns, short, 2)], [note, bare], keep_unfilled=False) is None  # counts differ


def test_hints_are_template_data() -> None:
    made = get_template("2021").rows_of("active")[0].columns[0]
    assert isinstance(made, Column) and "修订" in made.hints


def test_alignment_is_independent_of_the_reader() -> None:
    """The same label-less row, printed as a Markdown grid row and as a plain line of numbers."""
    rep = synth_report("2021", random.Random(3))
    grid = render_text(rep, "markdown")
    label = "| 二、上年结转政府信息公开申请数量 |"
    assert label in grid
    as_grid = grid.replace(label, "二、上年结转\n政府信息公开申请数量\n|", 1)
    lines = as_grid.splitlines()
    at = lines.index("政府信息公开申请数量") + 1
    as_text = "\n".join([*lines[:at], " ".join(lines[at].strip("| ").split(" | ")), *lines[at + 1 :]])
    for text in (as_grid, as_text):
        report = ogi.parse_bytes(text.encode(), "x.md")
        got = [report.cells[f"requests.carried_over.{c}"] for c in ("natural", "total")]
        assert [c.value for c in got] == [rep.cells[f"requests.carried_over.{c}"] for c in ("natural", "total")]
        assert all(c.flag is None for c in got)
        assert any(f.rule == "ROW_PLACED" for f in report.findings)
