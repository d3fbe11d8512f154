"""Place names a conversion misspelled: 沐阳县 printed for 沭阳县.

Text taken out of a PDF, or read by OCR, sometimes swaps a character for one that looks alike. A
county- or city-level place in an agency name that the division table does not hold, one character
away from exactly one name of the same length and suffix that it does hold (under the same parent
when the name prints one), is read as that name. The caller reports the correction: a corrected
name is a choice, never a silent one.
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
MIN_BASE = 2
"""A one-character base ("城市" in 城市管理局) is a word, not a place."""


@dataclass(frozen=True, slots=True)
class Correction:
    printed: str
    """The place as printed."""
    name: str
    """The division name it stands for."""
    code: str
    agency: str
    """The whole agency name with the place corrected."""


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


def correct_place(agency: str) -> Correction | None:
    """The agency name with a misspelled place corrected, when exactly one division fits."""
    db = divisions()
    name = fold_name(agency)
    pos = 0
    parents: set[str] = set()
    while m := PLACE.match(name, pos):
        token = m.group()
        entries = db.index.get(token)
        if entries:
            parents = {code for code, _ in entries}
            pos = m.end()
            continue
        if len(token) - 1 < MIN_BASE:
            return None
        names, codes = _names_by_shape().get((len(token), token[-1]), ([], []))
        found = process.extract(token, names, scorer=Hamming.distance, score_cutoff=1, limit=None)
        fits = {codes[i] for _, _, i in found if not parents or db.nodes[codes[i]][2] in parents}
        if len(fits) != 1:
            return None
        code = fits.pop()
        right = db.nodes[code][0]
        return Correction(token, right, code, agency.replace(token, right, 1))
    return None


__all__ = ["Correction", "correct_place"]
