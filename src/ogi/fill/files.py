"""Drafts to and from files: a draft rendered in any output format, and a draft started from any
file ogi reads (a Word draft, last year's PDF). Plain functions of bytes with picklable results,
so a server runs them in its parsing processes; a file that cannot be a draft gives the reason
instead of raising.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ogi.errors import OgiError
from ogi.fill.draft import Draft
from ogi.model.report import Number

FLAGS_TO_CHECK = ("inferred", "uncertain", "unreadable")
"""Flags of a parsed cell whose value the author must confirm: the file did not print it plainly."""


@dataclass(frozen=True, slots=True)
class Imported:
    """A draft read from a file, and the cells its parse did not read exactly."""

    draft: Draft
    flagged: dict[str, tuple[str, Number | None]] = field(default_factory=dict)
    """Cell → (flag, the value taken): an inferred or uncertain reading the author should check."""
    findings: int = 0
    """Errors the parse found (broken identities and the like); the form shows them again."""


def render_draft(draft: Draft, fmt: str) -> bytes:
    """The draft in the official layout as ``fmt`` (docx, pdf, html, xlsx, md, txt)."""
    from ogi.render.formats import render

    return render(draft.to_report(check=False), fmt)


def draft_from_file(data: bytes, name: str) -> Imported | str:
    """A draft from a report file in any format ogi reads, or why the file cannot be one."""
    from ogi.api import parse_all_bytes

    try:
        reports = parse_all_bytes(data, name)
        if len(reports) > 1:
            return f"{name} holds {len(reports)} reports (a compiled volume?): upload one report as the draft"
        report = reports[0]
        # Validated as a draft from JSON is: every key a cell of the template, every value of its kind.
        made = Draft.from_report(report)
        draft = Draft.from_json({**made.model_dump(), "cells": dict(made.cells)}, name)
    except OgiError as e:
        return getattr(e, "reason", None) or str(e)
    except MemoryError:
        raise  # the per-file memory limit (ogi.batch.limits), reported as such
    except Exception as e:
        return f"internal error ({type(e).__name__}: {e}); please report this file"
    flagged = {k: (c.flag, c.value) for k, c in report.cells.items() if c.flag in FLAGS_TO_CHECK}
    errors = sum(f.severity == "error" for f in report.findings)
    return Imported(draft, flagged, errors)
