"""ogi's exceptions, one rooted tree.

- :class:`OgiError` — base of everything ogi raises on purpose.
  - :class:`InputError` — the user's file cannot be read as a report (empty, binary, encrypted,
    truncated, undecodable, not a report). Carries the file and, where known, the page.
  - :class:`StoreError` — the corpus database cannot be opened or written.

A report whose tables cannot be read at all is not an error: it parses, with findings saying so.

Messages are one line, name the file and say what to do next.
"""

from __future__ import annotations


class OgiError(Exception):
    """Base class of ogi's errors."""


class InputError(OgiError):
    def __init__(self, file: str, reason: str, *, page: int | None = None) -> None:
        self.file = file
        self.reason = reason
        self.page = page
        where = f" (page {page})" if page is not None else ""
        super().__init__(f"{file}{where}: {reason}")


class StoreError(OgiError):
    """The corpus store cannot be opened or written."""
