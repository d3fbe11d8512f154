"""Find printed labels in the stream: exactly first, then by known variants, then fuzzily.

Labels are searched in folded text (see :mod:`ogi.extract.normalize`) in template order with
a moving cursor, so that a label printed twice (a page break repeats ``三、本年度办理结果``) or
a word shared by several labels (``其他``) is taken at the right place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from ogi.extract.normalize import fold
from ogi.extract.stream import Stream

ORDINAL_BEFORE = re.compile(r"(?:\d{1,2}\.|\([一二三四五六七八九十]\)|[一二三四五六七八九十]、|\d{1,2})$")
FUZZY_MIN_LENGTH = 6
FUZZY_MIN_SCORE = 80.0


@dataclass(frozen=True, slots=True)
class Hit:
    start: int
    """Folded start (including a printed ordinal)."""
    end: int
    """Folded end, exclusive."""
    exact: bool
    printed: str
    """The label as printed (folded)."""


def find_label(
    stream: Stream, texts: list[str], lo: int, hi: int, *, ordinal: str = "", fuzzy: bool = False
) -> Hit | None:
    """The first occurrence of any of ``texts`` (official text first) in ``folded[lo:hi]``.

    ``ordinal`` is the official numbering (``1.``, ``（三）``, ``四、``); when the text is found
    without it, a numbering printed just before is taken into the hit so that its digits are not
    read as a value of the previous row.
    """
    folded = stream.folded
    ordinal = fold(ordinal)
    for i, text in enumerate(texts):
        t = fold(text)
        if ordinal and i == 0:
            p = folded.find(ordinal + t, lo, hi)
            if p >= 0:
                return Hit(p, p + len(ordinal) + len(t), True, folded[p : p + len(ordinal) + len(t)])
        p = folded.find(t, lo, hi)
        if p >= 0:
            start = _with_ordinal(folded, p, lo, ordinal)
            return Hit(start, p + len(t), i == 0, folded[start : p + len(t)])
    if fuzzy and hi > lo:
        return _fuzzy(stream, texts[0], lo, hi, ordinal)
    return None


def _with_ordinal(folded: str, p: int, lo: int, ordinal: str) -> int:
    if ordinal and folded.endswith(ordinal, lo, p):
        return p - len(ordinal)
    m = ORDINAL_BEFORE.search(folded, max(lo, p - 4), p)
    if m and ordinal and m.group(0).rstrip(".、") == ordinal.rstrip(".、"):
        return m.start()
    return p


def _fuzzy(stream: Stream, text: str, lo: int, hi: int, ordinal: str) -> Hit | None:
    t = fold(text)
    if len(t) < FUZZY_MIN_LENGTH:
        return None
    window = stream.folded[lo:hi]
    al = fuzz.partial_ratio_alignment(t, window, score_cutoff=FUZZY_MIN_SCORE)
    if al is None:
        return None
    start, end = lo + al.dest_start, lo + al.dest_end
    # The alignment may run on into the row's first value ("…反复申请0"); no label ends in a digit.
    while end > start and stream.folded[end - 1].isdigit() and not t[-1].isdigit():
        end -= 1
    start = _with_ordinal(stream.folded, start, lo, ordinal)
    return Hit(start, end, False, stream.folded[start:end])


def find_sequence(stream: Stream, labels: list[str], lo: int, hi: int) -> list[Hit]:
    """Hits for labels printed in this order (each searched after the previous hit)."""
    hits = []
    cursor = lo
    for label in labels:
        h = find_label(stream, [label], cursor, hi)
        if h:
            hits.append(h)
            cursor = h.end
    return hits
