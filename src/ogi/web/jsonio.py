"""JSON with exact numbers: a :class:`~decimal.Decimal` is written as its digits, never through a float.

The standard encoder has no hook for raw number text, so each Decimal is replaced by a marked
string and the marks are swapped for the digits after encoding. The mark holds a per-process
random nonce, so no string from a report can be mistaken for one.
"""

from __future__ import annotations

import json
import re
import secrets
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from fastapi.responses import JSONResponse

_NONCE = secrets.token_hex(8)
_MARKED = re.compile(f'"\\\\u0000{_NONCE}:(-?[0-9]+(?:\\.[0-9]+)?)"')


def exact(value: Decimal) -> str:
    """A count as an integer, an amount with its significant digits only (``1.5000000000`` → ``1.5``)."""
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


def _prepare(v: Any) -> Any:
    if isinstance(v, Decimal):
        return f"\x00{_NONCE}:{exact(v)}"
    if isinstance(v, dict):
        return {k: _prepare(x) for k, x in v.items()}
    if isinstance(v, list | tuple):
        return [_prepare(x) for x in v]
    if isinstance(v, datetime | date):
        return v.isoformat()
    return v


def dumps(value: Any) -> str:
    return _MARKED.sub(r"\1", json.dumps(_prepare(value), ensure_ascii=False))


class ExactJSONResponse(JSONResponse):
    def render(self, content: Any) -> bytes:
        return dumps(content).encode("utf-8")
