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
    path: tuple[int, ...] = ()
    """A paragraph's place in the page's element tree (:attr:`Paragraph.path`)."""


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
        segments: list[Segment] = []
        pos = 0
        for block in document.blocks:
            if isinstance(block, Paragraph):
                text = block.text.replace("\n", " ")
                segments.append(Segment(pos, pos + len(text), False, block.where, path=block.path))
                parts.append(text)
                pos += len(text) + 1
                continue
            for r, row in enumerate(block.rows):
                for c, cell in enumerate(row):
                    # A position covered by a span is not a printed cell: its origin stands for it.
                    if cell.is_span_copy or cell.absent:
                        continue
                    text = cell.text.replace("\n", " ")
                    segments.append(Segment(pos, pos + len(text), True, cell.where, block, r, c))
                    parts.append(text)
                    pos += len(text) + 1
        self.segments = segments
        self.text = "\n".join(parts) + "\n" if parts else ""
        self.folded, self._fmap = fold_with_map(self.text)
        self._starts = [s.start for s in segments]

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

    def index_at(self, text_index: int) -> int:
        return max(bisect.bisect_right(self._starts, text_index) - 1, 0)

    def segment_at(self, text_index: int) -> Segment:
        return self.segments[self.index_at(text_index)]

    def row_after(self, text_index: int, end: int) -> list[Piece]:
        """The rest of the grid row of the cell at ``text_index``: the cell's own text after
        that point, then the following cells of the same row, up to ``end``."""
        i = self.index_at(text_index)
        first = self.segments[i]
        out = []
        if first.end > text_index:
            out.append(Piece(self.text[text_index : first.end], True, first.where, first))
        # Indexing, not slicing: a slice would copy the rest of the document's segments per row.
        for k in range(i + 1, len(self.segments)):
            seg = self.segments[k]
            if seg.table is not first.table or seg.row != first.row or seg.start >= end:
                break
            out.append(Piece(self.text[seg.start : seg.end], True, seg.where, seg))
        return out

    def where_at(self, text_index: int) -> Where:
        seg = self.segment_at(text_index)
        w = seg.where
        if seg.is_cell or not w.line:
            return w
        return Where(page=w.page, line=w.line, char=text_index - seg.start + 1)

    def prose(self, start: int, end: int) -> list[str]:
        """The paragraph text between two positions, table cells left out."""
        out = []
        for k in range(self.index_at(start), len(self.segments)):
            seg = self.segments[k]
            if seg.start >= end:
                break
            if not seg.is_cell:
                text = self.text[max(seg.start, start) : min(seg.end, end)].strip()
                if text:
                    out.append(text)
        return out

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
