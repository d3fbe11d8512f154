"""A document as one searchable stream.

Every paragraph and every grid cell becomes a segment of one string, so that labels can be
found the same way whether a report arrived as a crawler dump with all cells run together, as
one cell per line, or as an HTML grid. Labels are searched in the *folded* text (NFKC, no
whitespace), then mapped back; values are read from the segments, which remember whether they
are a whole grid cell (its boundaries are real) or running text (its boundaries must be found).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from ogi.extract.normalize import fold_with_map
from ogi.model import Document, Paragraph, Table, Where


@dataclass(frozen=True, slots=True)
class Segment:
    start: int
    end: int
    is_cell: bool
    where: Where
    table: Table | None = None
    row: int = 0
    col: int = 0


@dataclass(frozen=True, slots=True)
class Piece:
    """A slice of one segment: a whole (or partial) grid cell, or a run of paragraph text."""

    text: str
    is_cell: bool
    where: Where
    segment: Segment


class Stream:
    def __init__(self, document: Document) -> None:
        parts: list[str] = []
        self.segments: list[Segment] = []
        pos = 0
        for block in document.blocks:
            if isinstance(block, Paragraph):
                pos = self._add(parts, pos, block.text, Segment(0, 0, False, block.where))
                continue
            for r, row in enumerate(block.rows):
                for c, cell in enumerate(row):
                    # A span copy repeats its origin's text; emitted once, the copy is an empty cell.
                    text = "" if cell.is_span_copy else cell.text
                    pos = self._add(parts, pos, text, Segment(0, 0, True, cell.where, block, r, c))
        self.text = "".join(parts)
        self.folded, self._fmap = fold_with_map(self.text)
        self._starts = [s.start for s in self.segments]

    def _add(self, parts: list[str], pos: int, text: str, seg: Segment) -> int:
        text = text.replace("\n", " ")
        self.segments.append(Segment(pos, pos + len(text), seg.is_cell, seg.where, seg.table, seg.row, seg.col))
        parts.append(text)
        parts.append("\n")
        return pos + len(text) + 1

    def to_text(self, folded_index: int) -> int:
        """The position in :attr:`text` of a folded character; the text's end past the last."""
        if folded_index >= len(self._fmap):
            return len(self.text)
        return self._fmap[folded_index]

    def after(self, folded_end: int) -> int:
        """The text position just past the folded character before ``folded_end``: where a label
        ends, before any blank cell or space that follows it."""
        return self.to_text(folded_end - 1) + 1 if folded_end > 0 else 0

    def to_folded(self, text_index: int) -> int:
        return bisect.bisect_left(self._fmap, text_index)

    def segment_at(self, text_index: int) -> Segment:
        i = bisect.bisect_right(self._starts, text_index) - 1
        return self.segments[max(i, 0)]

    def where_at(self, text_index: int) -> Where:
        seg = self.segment_at(text_index)
        w = seg.where
        if seg.is_cell or not w.line:
            return w
        return Where(page=w.page, line=w.line, char=text_index - seg.start + 1)

    def pieces(self, start: int, end: int) -> list[Piece]:
        """The segments between two text positions, clipped to them."""
        out = []
        i = max(bisect.bisect_right(self._starts, start) - 1, 0)
        while i < len(self.segments) and self.segments[i].start < end:
            seg = self.segments[i]
            lo, hi = max(seg.start, start), min(seg.end, end)
            if hi > lo or (seg.start >= start and seg.is_cell and seg.end <= end):
                where = (
                    seg.where
                    if seg.is_cell
                    else Where(page=seg.where.page, line=seg.where.line, char=lo - seg.start + 1)
                )
                out.append(Piece(self.text[lo:hi], seg.is_cell, where, seg))
            i += 1
        return out
