"""Fold printed labels so that variants compare equal: NFKC (full-width → ASCII), no
whitespace, one kind of quote, ``1、`` → ``1.``."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

QUOTE_MARKS = {"“": '"', "”": '"', "‘": "'", "’": "'", "〝": '"', "〞": '"', "＂": '"'}
QUOTE = re.compile("[“”‘’〝〞＂]")
WHITESPACE = re.compile(r"\s+")
NON_SPACE = re.compile(r"\S+")
ORDINAL_COMMA = re.compile(r"(?<=\d)[、,]")
# After an ordinal a comma is a dot (1、→1.); elsewhere 、，, are one mark, as printed labels mix them.
COMMA = re.compile("[,，]")


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    text = _quotes(unicodedata.normalize("NFKC", text))
    return COMMA.sub("、", ORDINAL_COMMA.sub(".", WHITESPACE.sub("", text)))


def _quotes(text: str) -> str:
    # A regex, not str.translate: translating a long non-ASCII text looks up every character.
    return QUOTE.sub(lambda m: QUOTE_MARKS[m.group()], text)


def fold_with_map(text: str) -> tuple[str, list[int]]:
    """``fold(text)`` and, for each folded character, its index in ``text``."""
    norm = unicodedata.normalize("NFKC", text)
    index: list[int] | None = None
    if len(norm) != len(text):
        # Some character expanded (a ligature, ㈠): map character by character instead.
        chars: list[str] = []
        positions: list[int] = []
        for i, ch in enumerate(text):
            for c in unicodedata.normalize("NFKC", ch):
                chars.append(c)
                positions.append(i)
        norm, index = "".join(chars), positions
    norm = _quotes(norm)
    runs = NON_SPACE.findall(norm)
    folded = "".join(runs)
    kept: list[int] = []
    for m in NON_SPACE.finditer(norm):
        kept.extend(range(m.start(), m.end()))
    mapped = kept if index is None else [index[i] for i in kept]
    # ``1、`` → ``1.`` keeps the length, so the map stays valid.
    return COMMA.sub("、", ORDINAL_COMMA.sub(".", folded)), mapped
