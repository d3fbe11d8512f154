"""The solver fills a blank only where the identities force it, and never against another identity."""

from __future__ import annotations

from ogi.extract.readings import Reading
from ogi.extract.solve import MAX_SOLUTIONS, RowChoice, infer, resolve
from ogi.extract.values import Printed
from ogi.model import Where
from ogi.model.template import Equation

W = Where(line=1)


def p(v: int | None) -> Printed:
    return Printed(v, "blank" if v is None else ("zero" if v == 0 else "number"), "" if v is None else str(v), W)


def test_one_unknown_is_forced() -> None:
    eq = Equation("I2", "", ("t",), ("a", "b"))
    cells = infer({"t": p(10), "a": p(3), "b": p(None)}, [eq])
    assert (cells["b"].value, cells["b"].inferred_by) == (7, "I2")


def test_parts_of_a_zero_total_are_zero_but_not_of_a_positive_one() -> None:
    eq = Equation("I2", "", ("t",), ("a", "b", "c"))
    zero = infer({"t": p(0), "a": p(None), "b": p(None), "c": p(0)}, [eq])
    assert [zero[k].value for k in "ab"] == [0, 0]
    positive = infer({"t": p(4), "a": p(None), "b": p(None), "c": p(0)}, [eq])
    assert [positive[k].value for k in "ab"] == [None, None]


def test_a_value_another_identity_contradicts_is_not_inferred() -> None:
    eqs = [Equation("I2", "", ("t",), ("x", "y")), Equation("I1", "", ("z",), ("x",))]
    cells = infer({"t": p(10), "y": p(3), "x": p(None), "z": p(9)}, eqs)
    assert (cells["x"].value, cells["x"].inferred_by) == (None, None)


def test_identities_choose_between_readings_and_ties_are_uncertain() -> None:
    eq = Equation("I3", "", ("t",), ("a", "b"))
    rows = [
        RowChoice(("t",), [Reading((p(11),))]),
        RowChoice(("a",), [Reading((p(1),)), Reading((p(10),))]),
        RowChoice(("b",), [Reading((p(1),)), Reading((p(10),))]),
    ]
    cells, exhausted = resolve(rows, [eq])
    assert not exhausted
    # 1 + 10 and 10 + 1 both make 11: neither cell is settled.
    assert cells["a"].uncertain and cells["b"].uncertain
    assert {cells["a"].value, *cells["a"].alternatives} == {1, 10}
    settled, _ = resolve([*rows[:2], RowChoice(("b",), [Reading((p(1),))])], [eq])
    assert (settled["a"].value, settled["a"].uncertain) == (10, False)


def test_an_unknown_total_is_the_sum_of_its_parts_and_a_forced_zero_is_inferred() -> None:
    eq = Equation("I2", "", ("t",), ("a", "b"))
    parts = infer({"t": p(None), "a": p(3), "b": p(4)}, [eq])
    assert (parts["t"].value, parts["t"].inferred_by) == (7, "I2")
    zero = infer({"t": p(3), "a": p(3), "b": p(None)}, [eq])
    assert (zero["b"].value, zero["b"].inferred_by) == (0, "I2")
    # Printed cells keep what was printed; only the inferred ones have none.
    assert (zero["a"].printed, zero["b"].printed) == (p(3), p(None))


def test_every_identity_is_tried_whatever_comes_before_it() -> None:
    """An identity with nothing unknown, or with a key the report lacks, does not stop the others."""
    done = Equation("I1", "", ("x",), ("y",))
    absent = Equation("I4", "", ("q",), ("r",))
    eq = Equation("I2", "", ("t",), ("a", "b"))
    cells = infer({"x": p(1), "y": p(1), "t": p(5), "a": p(2), "b": p(None)}, [done, absent, eq])
    assert cells["b"].value == 3


def test_a_negative_difference_is_not_inferred() -> None:
    eq = Equation("I2", "", ("t",), ("a", "b"))
    cells = infer({"t": p(2), "a": p(5), "b": p(None)}, [eq])
    assert (cells["b"].value, cells["b"].inferred_by) == (None, None)


def test_alternatives_are_sorted_with_a_null_reading_last() -> None:
    eq = Equation("I3", "", ("t",), ("a",))
    rows = [
        RowChoice(("t",), [Reading((p(None),))]),
        RowChoice(("a",), [Reading((p(5),)), Reading((p(None),)), Reading((p(2),))]),
    ]
    cells, _ = resolve(rows, [eq])
    assert (cells["a"].value, cells["a"].alternatives) == (5, [2, None])


def test_a_row_the_identities_leave_open_is_uncertain_whatever_the_search_order() -> None:
    """More tied combinations (2**7) than the search collects (4 × MAX_SOLUTIONS) before it stops: the
    rows searched first must not be settled by the order of the search. (Before the solver kept one
    combination per reading, c0–c3 came out certain; a damaged PDF once showed it as a wrong number.)"""
    n = 7
    assert 2**n > 4 * MAX_SOLUTIONS
    rows = [RowChoice((f"c{i}",), [Reading((p(1),)), Reading((p(10),))]) for i in range(n)]
    cells, exhausted = resolve(rows, [])
    assert not exhausted
    assert {k: (c.value, c.uncertain, c.alternatives) for k, c in cells.items()} == {
        f"c{i}": (1, True, [10]) for i in range(n)
    }
