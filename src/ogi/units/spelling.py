"""Place names a conversion misspelled: 沐阳县 printed for 沭阳县.

Text taken out of a PDF, or read by OCR, sometimes swaps a character for one that looks alike. A
county- or city-level place in an agency name that the division table does not hold is compared
with the names it does hold of the same length and suffix: those one character away (under the
same parent when the name prints one) are the candidates. One candidate is the reading; several
(there are dozens of ``X阳县``) are narrowed by the document's own text, which usually prints the
right name or its city somewhere else; still several, and nothing is corrected. The caller reports
every correction: a corrected name is a choice, never a silent one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from rapidfuzz import process
from rapidfuzz.distance import Hamming

from ogi.units.divisions import divisions
from ogi.units.names import fold_name

# A place name at the start of what is left of the agency name: its base, then a suffix.
PLACE = re.compile(r"[\u4e00-\u9fff]{1,6}?(?:自治县|自治州|自治旗|地区|县|区|市|旗|州|盟)")
SUFFIX = re.compile(r"(?:自治县|自治州|自治旗|地区|县|区|市|旗|州|盟)$")
MIN_BASE = 2
"""A one-character base ("城市" in 城市管理局) is a word, not a place."""


@dataclass(frozen=True, slots=True)
class Correction:
    printed: str
    """The place as printed."""
    name: str
    """The division name it stands for ('' when several fit and nothing told them apart)."""
    code: str
    agency: str
    """The whole agency name with the place corrected (as printed when not corrected)."""
    candidates: tuple[str, ...] = ()
    """The division names one character away, when more than one fits."""

    @property
    def corrected(self) -> bool:
        return bool(self.name)


@cache
def _names_by_shape() -> dict[tuple[int, str], tuple[list[str], list[str]]]:
    """(length, last character) → (names, codes) of the county- and city-level divisions."""
    out: dict[tuple[int, str], tuple[list[str], list[str]]] = {}
    for code, (name, level, _) in divisions().nodes.items():
        if level in ("city", "county"):
            names, codes = out.setdefault((len(name), name[-1]), ([], []))
            names.append(name)
            codes.append(code)
    return out


def correct_place(agency: str, context: str = "") -> Correction | None:
    """The agency name with a misspelled place corrected, when exactly one division fits (after
    ``context``, the document's text, has had its say); uncorrected, with the candidates, when
    several do; None when the name's places are all in the table or none is near."""
    db = divisions()
    name = fold_name(agency)
    pos = 0
    parents: set[str] = set()
    while m := PLACE.match(name, pos):
        token = m.group()
        # A place written with its suffix but indexed without it ("长白县" for 长白朝鲜族自治县) is known.
        entries = db.index.get(token) or db.index.get(SUFFIX.sub("", token))
        if entries:
            parents = {code for code, _ in entries}
            pos = m.end()
            continue
        if len(token) - 1 < MIN_BASE:
            return None
        names, codes = _names_by_shape().get((len(token), token[-1]), ([], []))
        found = process.extract(token, names, scorer=Hamming.distance, score_cutoff=1, limit=None)
        fits = sorted({codes[i] for _, _, i in found if not parents or db.nodes[codes[i]][2] in parents})
        if len(fits) > 1 and context:
            fits = _named_in(fits, fold_name(context))
        if not fits:
            return None
        if len(fits) > 1:
            return Correction(token, "", "", agency, tuple(db.full_name(c) for c in fits[:8]))
        code = fits[0]
        right = db.nodes[code][0]
        return Correction(token, right, code, agency.replace(token, right, 1))
    return None


def _named_in(codes: list[str], context: str) -> list[str]:
    """The candidates the text names best: the place itself, else its city or province."""
    db = divisions()

    def score(code: str) -> int:
        name, _, parent = db.nodes[code]
        if name in context or (db.short_of.get(code) or "\0") in context:
            return 2
        while parent:
            pname = db.nodes[parent][0]
            if pname in context or (db.short_of.get(parent) or "\0") in context:
                return 1
            parent = db.nodes[parent][2]
        return 0

    scores = {c: score(c) for c in codes}
    top = max(scores.values())
    return [c for c in codes if scores[c] == top] if top else codes


__all__ = ["Correction", "correct_place"]
