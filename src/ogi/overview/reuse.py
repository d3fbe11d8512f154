"""Text reused from last year's report (内容雷同): the similarity of a section and its passages.

The similarity is the cross-year check's own (:func:`ogi.store.crossyear.similarity`: Jaccard of
4-character shingles, digits and spaces ignored). The passages are the stretches of this year's text
that last year's text also has, found by :class:`difflib.SequenceMatcher` on the two texts with
digits masked (so "2023年" and "2024年" still match) and kept when at least ``min_chars`` long.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from ogi.store.crossyear import TEXT_REUSE_THRESHOLD, similarity

MIN_PASSAGE = 20
_DIGIT = re.compile(r"[0-9０-９]")


@dataclass(frozen=True, slots=True)
class SectionReuse:
    key: str
    heading: str
    similarity: float | None
    """None when last year's report has no such section."""
    passages: list[tuple[int, int]]
    """(start, end) offsets in this year's text of passages last year's text also has."""
    text: str

    @property
    def reused(self) -> bool:
        return self.similarity is not None and self.similarity >= TEXT_REUSE_THRESHOLD

    def segments(self) -> list[tuple[str, bool]]:
        """This year's text cut into (piece, reused?) for marking up."""
        out, at = [], 0
        for start, end in self.passages:
            if start > at:
                out.append((self.text[at:start], False))
            out.append((self.text[start:end], True))
            at = end
        if at < len(self.text):
            out.append((self.text[at:], False))
        return out

    def reused_chars(self) -> int:
        return sum(e - s for s, e in self.passages)


def passages(text: str, previous: str, min_chars: int = MIN_PASSAGE) -> list[tuple[int, int]]:
    """Stretches of ``text`` that ``previous`` also has, digits aside."""
    a, b = _DIGIT.sub("0", text), _DIGIT.sub("0", previous)
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    return [(m.a, m.a + m.size) for m in matcher.get_matching_blocks() if m.size >= min_chars]


def section_reuse(sections: dict[str, tuple[str, str]], previous: dict[str, tuple[str, str]]) -> list[SectionReuse]:
    """Each section of this year's report (key → (heading, text)) against last year's same section."""
    out = []
    for key, (heading, text) in sections.items():
        if key in previous:
            prev = previous[key][1]
            out.append(SectionReuse(key, heading, similarity(text, prev), passages(text, prev), text))
        else:
            out.append(SectionReuse(key, heading, None, [], text))
    return out


__all__ = ["MIN_PASSAGE", "SectionReuse", "passages", "section_reuse"]
