"""The library's entry points: one pure function per file, bytes in, typed reports out.

:func:`parse_bytes` and :func:`parse_all_bytes` touch no disk and no global state, so a process
pool, a Ray task and the web app all call the same functions.

A file usually holds one report. A compiled volume (汇编) or a crawler dump of a whole column holds
several: :func:`parse_all_bytes` (and :func:`parse_all`) cut it into its reports first
(:mod:`ogi.readers.split`) and parse each on its own text, each with its own agency and year and
``report.part`` saying where in the file it lies. :func:`parse_bytes` (and :func:`parse`) stay "one
file, one report": given a file of several, they raise :class:`~ogi.errors.InputError` naming the
parts rather than return one of them silently.
"""

from __future__ import annotations

from pathlib import Path

from ogi.check import check_report
from ogi.errors import InputError
from ogi.extract import extract
from ogi.model import Document, Report
from ogi.readers import read_document
from ogi.readers.options import ParseOptions
from ogi.readers.split import split_reports

MIN_PRINTED_VALUES = 10
MIN_SECTIONS = 3
"""Below both, a text is not a report: a report missing its tables still has its sections."""
NOT_A_REPORT = "not a 政府信息公开工作年度报告: neither its tables nor its six sections were found"


def _parse_document(document: Document) -> Report | None:
    """The checked report of one document, or None when it is not a report."""
    report, tables = extract(document)
    printed = sum(1 for c in report.cells.values() if c.value is not None and c.flag != "inferred")
    if printed < MIN_PRINTED_VALUES and len(report.sections) < MIN_SECTIONS:
        return None
    report.findings = check_report(report, tables)
    return report


def parse_all_bytes(data: bytes, name: str = "<bytes>", options: ParseOptions | None = None) -> list[Report]:
    """Read, split, extract and check every report a file holds (one for most files); ``options``
    say how to read it (OCR), the defaults suit most.

    A part that turns out not to be a report is left out and named in every other report's
    ``meta["parts_failed"]``. Raises :class:`~ogi.errors.InputError` when the file cannot be read
    or holds no report at all.
    """
    parts = split_reports(read_document(data, name, options))
    reports: list[Report] = []
    failed: list[str] = []
    for part in parts:
        report = _parse_document(part.document)
        if report is None:
            failed.append(f"part {part.where.index} ({part.where.span}): {NOT_A_REPORT}")
            continue
        if len(parts) > 1:
            report.part = part.where
        reports.append(report)
    if not reports:
        raise InputError(name, NOT_A_REPORT if len(parts) == 1 else f"none of its {len(parts)} parts is a report")
    for report in reports:
        if failed:
            report.meta["parts_failed"] = failed
    return reports


def parse_bytes(data: bytes, name: str = "<bytes>", options: ParseOptions | None = None) -> Report:
    """Read, extract and check the one report a file holds.

    Raises :class:`~ogi.errors.InputError` when the file cannot be read as a report (empty,
    binary, undecodable, not a 政府信息公开工作年度报告), or when it holds several reports (use
    :func:`parse_all_bytes`).
    """
    reports = parse_all_bytes(data, name, options)
    if len(reports) > 1:
        spans = ", ".join(r.part.span for r in reports[:3] if r.part) + (", …" if len(reports) > 3 else "")
        raise InputError(
            name,
            f"holds {len(reports)} reports ({spans}): read it with ogi.parse_all() / parse_all_bytes(), "
            "or `ogi parse`, which gives one report per part",
        )
    return reports[0]


def _read(path: str | Path) -> tuple[bytes, str]:
    p = Path(path)
    try:
        return p.read_bytes(), str(p)
    except FileNotFoundError as e:
        raise InputError(str(p), "no such file") from e
    except IsADirectoryError as e:
        raise InputError(str(p), "is a directory, not a file") from e
    except PermissionError as e:
        raise InputError(str(p), "permission denied") from e
    except OSError as e:  # a symlink loop, a path through a file, a read error on the disk
        raise InputError(str(p), f"cannot be read ({e.strerror or e})") from e


def parse(path: str | Path, options: ParseOptions | None = None) -> Report:
    """Parse the report file at ``path`` (any supported format, detected from its content)."""
    return parse_bytes(*_read(path), options)


def parse_all(path: str | Path, options: ParseOptions | None = None) -> list[Report]:
    """Parse every report the file at ``path`` holds (see :func:`parse_all_bytes`)."""
    return parse_all_bytes(*_read(path), options)
