"""One printed cell → a typed value: integers, signed changes, decimals with units, notes,
and placeholders (blank, ``/``, ``—``, ``无``) that are recorded as such, never as 0."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from ogi.model import Where
from ogi.model.report import Number, Semantic
from ogi.model.template import Kind

PLACEHOLDERS = frozenset({"/", "-", "—", "——", "－", "―", "－－", "--", "无", "無", "N/A", "NA", "n/a", "\\", "×"})
NUMBER = re.compile(
    r"(?P<sign>[+\-−])?(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?P<frac>\.\d+)?"
    r"(?P<unit>万元|元|件|个|项|条|宗|次)?"
    r"(?:[（(](?P<note>[^）)]*)[）)])?"
)
YUAN_PER_WAN = Decimal(10000)
MAX_DIGITS = 15
"""More integer digits than any real cell holds (a 亿元 amount printed in 元 has 13): a run of
digits this long is cells run together or a misread, not one number."""


@dataclass(frozen=True, slots=True)
class Printed:
    """A value as the document prints it."""

    value: Number | None
    semantic: Semantic
    raw: str
    where: Where
    unit: str | None = None
    note: str | None = None


# Only width is folded: NFKC would also turn ① into 1 and ² into 2, making 33① read as 331.
WIDTH = str.maketrans("０１２３４５６７８９．，＋－／（）：", "0123456789.,+-/():", "\u200b")
SPACED_DIGITS = re.compile(r"\d[\s\u3000\xa0]+[\d+\-]")


def squeeze(text: str) -> str:
    """The cell's text without spaces and with full-width characters folded; '' when the spaces
    stand between digits (two numbers in one cell are not one number)."""
    if SPACED_DIGITS.search(text.strip()):
        return "\x00"
    return "".join(text.translate(WIDTH).split())


def parse_cell(text: str, kind: Kind, where: Where) -> Printed | None:
    """The value of one cell, or None when the cell holds text rather than a value."""
    parsed = _parse(text, kind)
    if parsed is None:
        return None
    value, semantic, unit, note = parsed
    return Printed(value, semantic, text, where, unit, note)


def is_value_text(text: str) -> bool:
    """Whether a cell's text is a value (a number, a blank, a placeholder) rather than words."""
    return _parse(text, "amount") is not None


@lru_cache(maxsize=8192)
def _parse(text: str, kind: Kind) -> tuple[Number | None, Semantic, str | None, str | None] | None:
    # Cached: the same few printed strings ("0", "1", "") make up most cells of every report.
    s = squeeze(text)
    if not s:
        return None, "blank", None, None
    if s in PLACEHOLDERS:
        return None, "na", None, None
    m = NUMBER.fullmatch(s)
    if not m or len(m["int"].replace(",", "")) > MAX_DIGITS:
        return None
    return _typed(m, kind)


def _typed(m: re.Match[str], kind: Kind) -> tuple[Number, Semantic, str | None, str | None]:
    digits = m["int"].replace(",", "")
    negative = m["sign"] in ("-", "−")
    unit = m["unit"]
    if kind == "amount" or m["frac"]:
        value: Number = Decimal(digits + (m["frac"] or ""))
        if negative:
            value = -value
        if kind == "amount" and unit == "元":
            value = value / YUAN_PER_WAN
        value = value.normalize() if value != value.to_integral_value() else Decimal(int(value))
    else:
        value = -int(digits) if negative else int(digits)
    kept_unit = unit if unit in ("元", "万元") and kind == "amount" else None
    semantic: Semantic = "zero" if value == 0 else "number"
    return value, semantic, kept_unit, m["note"] or None


CELL_PATTERNS: dict[Kind, re.Pattern[str]] = {
    "count": re.compile(r"(?:0|[1-9]\d*)"),
    "change": re.compile(r"[+\-]?(?:0|[1-9]\d*)"),
    "amount": re.compile(r"(?:0|[1-9]\d*)(?:\.\d+)?(?:万元|元)?"),
}


def parse_piece(text: str, kind: Kind, where: Where) -> Printed | None:
    """A piece of a run-together blob that :data:`CELL_PATTERNS` accepted."""
    return parse_cell(text, kind, where) if text else None
