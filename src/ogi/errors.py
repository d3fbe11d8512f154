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


def failure_reason(error: Exception) -> str:
    """What a batch records for a file that could not be parsed: an ogi error's reason, or a bug
    named as one. Batch code catches ``MemoryError`` before this: the per-file memory limit
    (:mod:`ogi.batch.limits`) is reported by the caller, not as a bug."""
    if isinstance(error, OgiError):
        return getattr(error, "reason", None) or str(error)
    return f"internal error ({type(error).__name__}: {error}); please report this file"
