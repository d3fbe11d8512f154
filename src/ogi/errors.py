"""ogi's exceptions, one rooted tree.

- :class:`OgiError` — base of everything ogi raises on purpose.
  - :class:`InputError` — the user's file cannot be read as a report (empty, binary, encrypted,
    truncated, undecodable, not a report). Carries the file and, where known, the page.
  - :class:`ExtractionError` — a readable report whose tables could not be aligned at all.
  - :class:`StoreError` — the corpus database cannot be opened or written.
  - :class:`MissingDependencyError` — an optional part (a reader, OCR, the web app) is not installed.

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


class ExtractionError(OgiError):
    def __init__(self, file: str, reason: str) -> None:
        self.file = file
        self.reason = reason
        super().__init__(f"{file}: {reason}")


class StoreError(OgiError):
    """The corpus store cannot be opened or written."""


class MissingDependencyError(OgiError):
    def __init__(self, what: str, extra: str) -> None:
        super().__init__(f"{what} needs an optional part: pip install 'ogi[{extra}]'")
