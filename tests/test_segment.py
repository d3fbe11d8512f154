"""Run-together digits: enumeration of splits and the identities that prune it."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ogi.extract.segment import Sum, Token, splits

ROW = Sum(6, (0, 1, 2, 3, 4, 5))


def test_row_of_seven_with_total() -> None:
    found = list(splits([Token("21710000218", False)], ["count"] * 7, [ROW]))
    assert found == [["217", "1", "0", "0", "0", "0", "218"]]


def test_no_leading_zeros_except_lone_zero() -> None:
    found = list(splits([Token("0102", False)], ["count"] * 3, []))
    assert found == [["0", "10", "2"]]


def test_spaces_are_boundaries_when_given() -> None:
    tokens = [Token("230", False), Token("000023", False)]
    assert list(splits(tokens, ["count"] * 7, [ROW])) == [["23", "0", "0", "0", "0", "0", "23"]]


def test_signed_change_and_amount_with_unit() -> None:
    assert ["2648", "-18", "538"] in list(splits([Token("2648-18538", False)], ["count", "change", "count"], []))
    assert ["135", "75394432.52元"] in list(splits([Token("13575394432.52元", False)], ["count", "amount"], []))


def test_appeals_groups() -> None:
    groups = [Sum(4, (0, 1, 2, 3)), Sum(9, (5, 6, 7, 8)), Sum(14, (10, 11, 12, 13))]
    found = list(splits([Token("21317000001324019", False)], ["count"] * 15, groups))
    assert found == [["2", "1", "3", "1", "7", "0", "0", "0", "0", "0", "13", "2", "4", "0", "19"]]


@given(st.lists(st.integers(0, 999), min_size=6, max_size=6))
def test_true_split_is_always_among_the_survivors(parts: list[int]) -> None:
    cells = [*map(str, parts), str(sum(parts))]
    found = list(splits([Token("".join(cells), False)], ["count"] * 7, [ROW]))
    assert cells in found
    assert all(int(f[6]) == sum(map(int, f[:6])) for f in found)
