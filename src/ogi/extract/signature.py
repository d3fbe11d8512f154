"""The signature under a report's last section: the issuer's name and the date, which are not part
of what section 六 says.

Taken off the end only: a date line, and above it the issuer's name (as read, or a short line of a
body's name: no digits, no sentence marks, ending as a body's name ends). A line the issuer's name
is not, with no date below it, stays: ``无`` or a short last sentence is the section's text.
"""

from __future__ import annotations

import re

_NUMERAL = "〇○零一二三四五六七八九十"
_DATE_LINE = re.compile(
    rf"(?:\d{{4}}|[{_NUMERAL}]{{4}})\s*年\s*[\d{_NUMERAL}]{{1,3}}\s*月\s*[\d{_NUMERAL}]{{1,3}}\s*日"
    r"|\d{4}\s*[-./]\s*\d{1,2}\s*[-./]\s*\d{1,2}"
)
_BODY = re.compile(
    r"[\u4e00-\u9fff（）()·、]{2,40}(?:政府|办公室|办公厅|办事处|局|委员会|委|厅|院|中心|所|站|处|部|署|会|馆|队|社|室)"
)


def split_signature(text: str, *agency: str | None) -> tuple[str, str | None]:
    """``text`` without its signature, and the signature's lines (None when there is none).
    ``agency``: the issuer's names (as read, as printed)."""
    lines = text.rstrip().split("\n")
    names = {_squash(a) for a in agency if a}
    tail: list[str] = []
    dated = False
    while lines:
        line = _squash(lines[-1])
        date = not dated and _DATE_LINE.fullmatch(line)
        if not date and not (line in names or (dated and _BODY.fullmatch(line))):
            break
        tail.insert(0, lines.pop().strip())
        if not date:
            break  # the issuer's name: what is above it is the section's
        dated = True
    if not tail or not lines:  # a section of nothing but a name or a date: leave it as printed
        return text, None
    return "\n".join(lines).rstrip(), "\n".join(tail)


def _squash(line: str) -> str:
    return re.sub(r"[\s\u3000]+", "", line)
