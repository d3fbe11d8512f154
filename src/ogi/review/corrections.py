"""Corrections applied to a parsed report: pure functions, run in the parsing processes."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from ogi.check import check_report
from ogi.errors import InputError, OgiError
from ogi.extract import extract
from ogi.model import Cell, Report, get_template
from ogi.model.report import Number
from ogi.readers import read_document
from ogi.readers.options import ParseOptions
from ogi.readers.split import split_reports
from ogi.store.rows import ReportRows, report_rows

_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?$")

Corrections = Mapping[str, Decimal | None]
"""Cell key → the reviewed value; None: the document prints no value there."""
Parsed = dict[str, tuple[str | None, str | None]]
"""Cell key → (the parsed value as text, the parsed flag) of each corrected cell."""


class CorrectionError(OgiError):
    """A reviewer's value that cannot go into the cell (not a number, a fraction where a count goes)."""


def parse_value(template_id: str | None, key: str, text: str) -> Number | None:
    """A reviewer's typed value as the cell's kind: an integer for counts and changes, an exact
    decimal (万元) for amounts; empty text is None (not printed). Full-width digits are accepted."""
    cleaned = unicodedata.normalize("NFKC", text).strip().replace(",", "")
    if not cleaned:
        return None
    if not _NUMBER.match(cleaned):
        raise CorrectionError(f"「{text}」不是数字")
    try:
        value = Decimal(cleaned)
    except InvalidOperation as e:
        raise CorrectionError(f"「{text}」不是数字") from e
    kind = get_template(template_id or "2021").kind_of(key)
    if kind == "amount":
        return value
    if value != value.to_integral_value():
        raise CorrectionError(f"此栏应为整数，「{text}」不是整数")
    if kind == "count" and value < 0:
        raise CorrectionError("此栏不能为负数")
    return int(value)


def _as_kind(report: Report, key: str, value: Decimal | None) -> Number | None:
    if value is None:
        return None
    kind = get_template(report.template or "2021").kind_of(key)
    return value if kind == "amount" else int(value)


def apply_corrections(report: Report, corrections: Corrections) -> Parsed:
    """Set each corrected cell of ``report`` (settled: no flag, no alternatives; its provenance
    kept), and return key → (parsed value as text, parsed flag) for each."""
    parsed: Parsed = {}
    for key, value in corrections.items():
        old = report.cells.get(key)
        parsed[key] = (None if old is None or old.value is None else str(old.value), old.flag if old else "missing")
        number = _as_kind(report, key, value)
        semantic = "missing" if number is None else "zero" if number == 0 else "number"
        report.cells[key] = Cell(
            value=number,
            semantic=semantic,
            flag="missing" if number is None else None,
            alternatives=[],
            provenance=old.provenance if old else None,
        )
    return parsed


def corrected_report(
    data: bytes,
    name: str,
    corrections: Corrections,
    part: int = 1,
    parts: int = 1,
    options: ParseOptions | None = None,
) -> tuple[Report, Parsed]:
    """Parse ``data`` again (read as ``options`` say: a scan is read by OCR again), apply
    ``corrections``, and run every check on the result. A file of several reports (stored as
    ``parts`` reports) is cut as :func:`ogi.parse_all_bytes` cuts it, and its report ``part`` is
    the one corrected."""
    found = split_reports(read_document(data, name, options))
    if len(found) != parts:
        raise InputError(name, f"now reads as {len(found)} report(s), not the {parts} stored: its part {part} "
                               "cannot be told apart for correction")  # fmt: skip
    chosen = found[part - 1]
    report, tables = extract(chosen.document)
    if parts > 1:
        report.part = chosen.where
    parsed = apply_corrections(report, corrections)
    report.findings = check_report(report, tables)
    return report, parsed


def reparse(
    data: bytes,
    name: str,
    corrections: Corrections,
    part: int = 1,
    parts: int = 1,
    options: ParseOptions | None = None,
) -> ReportRows | str:
    """The store rows of the corrected report (report ``part`` of the ``parts`` the file holds),
    or why the file no longer parses. Never raises: it runs in the parsing processes."""
    try:
        report, parsed = corrected_report(data, name, corrections, part, parts, options)
        return report_rows(report, parsed)
    except OgiError as e:
        return getattr(e, "reason", None) or str(e)
    except MemoryError:
        raise  # the per-file memory limit (ogi.batch.limits), reported as such
    except Exception as e:
        return f"internal error ({type(e).__name__}: {e}); please report this file"
