"""Fold printed labels so that variants compare equal: NFKC (full-width → ASCII), no
whitespace, one kind of quote, ``1、`` → ``1.``."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "〝": '"', "〞": '"', "＂": '"'})
WHITESPACE = re.compile(r"\s+")
ORDINAL_COMMA = re.compile(r"(?<=\d)[、,]")


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(QUOTES)
    return ORDINAL_COMMA.sub(".", WHITESPACE.sub("", text))


def fold_with_map(text: str) -> tuple[str, list[int]]:
    """``fold(text)`` and, for each folded character, its index in ``text``."""
    norm = unicodedata.normalize("NFKC", text)
    if len(norm) != len(text):
        chars: list[str] = []
        index: list[int] = []
        for i, ch in enumerate(text):
            for c in unicodedata.normalize("NFKC", ch):
                chars.append(c)
                index.append(i)
        norm = "".join(chars)
    else:
        index = list(range(len(text)))
    norm = norm.translate(QUOTES)
    keep = [i for i, ch in enumerate(norm) if not ch.isspace()]
    folded = "".join(norm[i] for i in keep)
    mapped = [index[i] for i in keep]
    # ``1、`` → ``1.`` keeps the length, so the map stays valid.
    return ORDINAL_COMMA.sub(".", folded), mapped
