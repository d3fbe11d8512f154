"""Merged cells of a ruled grid, as both the PDF and the OCR tables build them."""

from __future__ import annotations

from ogi.readers.spans import Span, merged_cells


def test_a_merged_header_spans_its_rows_and_columns() -> None:
    # 3×3: (0,0)-(1,0) merged downwards (a two-row label), (0,1)-(0,2) merged across (a column group).
    spans = merged_cells(3, 3, lambda r, c: (r, c) == (0, 1), lambda r, c: (r, c) == (0, 0))
    assert spans[:2] == [Span(0, 0, 2, 1), Span(0, 1, 1, 2)]
    assert len(spans) == 1 + 1 + 5


def test_a_group_that_is_no_rectangle_is_cells_of_their_own() -> None:
    # An L of three positions (a ruling drawn only in part): no cell may cover the fourth position.
    spans = merged_cells(2, 2, lambda r, c: (r, c) == (0, 0), lambda r, c: (r, c) == (0, 0))
    assert spans == [Span(0, 0, 1, 1), Span(0, 1, 1, 1), Span(1, 0, 1, 1), Span(1, 1, 1, 1)]
