"""Printed cells → typed values; placeholders recorded, never 0."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ogi.extract.values import parse_cell
from ogi.model import Where

W = Where(line=1)


@pytest.mark.parametrize(
    ("raw", "kind", "value", "semantic"),
    [
        ("0", "count", 0, "zero"),
        ("０", "count", 0, "zero"),
        ("\u3000\u300012", "count", 12, "number"),
        ("0\xa0", "count", 0, "zero"),
        ("+2", "change", 2, "number"),
        ("-5", "change", -5, "number"),
        ("24252.311082", "amount", Decimal("24252.311082"), "number"),
        ("75394432.52元", "amount", Decimal("7539.443252"), "number"),
        ("11,398,889", "count", 11398889, "number"),
        ("", "count", None, "blank"),
        ("/", "count", None, "na"),
        ("—", "count", None, "na"),
        ("无", "count", None, "na"),
    ],
)
def test_parse_cell(raw: str, kind: str, value: object, semantic: str) -> None:
    p = parse_cell(raw, kind, W)  # type: ignore[arg-type]
    assert p is not None and p.value == value and p.semantic == semantic


def test_note_is_kept() -> None:
    p = parse_cell("22（其中修订16件）", "count", W)
    assert p is not None and p.value == 22 and p.note == "其中修订16件"


def test_text_is_not_a_value() -> None:
    assert parse_cell("政府集中采购", "count", W) is None


@given(st.integers(0, 10**9))
def test_integers_round_trip(n: int) -> None:
    p = parse_cell(str(n), "count", W)
    assert p is not None and p.value == n


@given(st.decimals(min_value=0, max_value=10**7, places=4, allow_nan=False, allow_infinity=False))
def test_yuan_converts_exactly(d: Decimal) -> None:
    p = parse_cell(f"{d}元", "amount", W)
    assert p is not None and p.value == d / 10000 and p.unit == "元"
