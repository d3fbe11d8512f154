"""Standard short forms of department names (上海市科委 → 上海市科学技术委员会).

The table is data (``data/abbreviations.tsv``), read on first use. Only a short form at the end of
a name, right after a place (``…市``, ``…区``), is expanded: that is where titles and signatures
print it, and it keeps words that merely contain a short form intact.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent / "data" / "abbreviations.tsv"
_PLACE_END = re.compile(r"(?:省|自治区|市|州|盟|地区|区|县|旗)$")


@cache
def abbreviations() -> tuple[tuple[str, str], ...]:
    """(short, full) pairs, longest short form first."""
    pairs = []
    for line in DATA_FILE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            short, full = line.split("\t")[:2]
            pairs.append((short.strip(), full.strip()))
    return tuple(sorted(pairs, key=lambda p: len(p[0]), reverse=True))


def expand_abbreviation(name: str) -> str | None:
    """The full name for a name ending in a standard short form after a place, else None."""
    for short, full in abbreviations():
        if name.endswith(short):
            place = name[: -len(short)]
            if _PLACE_END.search(place):
                return place + full
    return None


__all__ = ["DATA_FILE", "abbreviations", "expand_abbreviation"]
