"""The library's entry points: one pure function per file, bytes in, typed report out.

:func:`parse_bytes` touches no disk and no global state, so a process pool, a Ray task and
the web app all call the same function.
"""

from __future__ import annotations

from pathlib import Path

from ogi.check import check_report
from ogi.errors import ExtractionError, InputError
from ogi.extract import extract
from ogi.model import Report
from ogi.readers import read_document


def parse_bytes(data: bytes, name: str = "<bytes>") -> Report:
    """Read, extract and check one report.

    Raises :class:`~ogi.errors.InputError` when the file cannot be read as a report (empty,
    binary, undecodable, not a 政府信息公开工作年度报告).
    """
    document = read_document(data, name)
    report, tables = extract(document)
    if not any(tables.found.values()):
        if not report.sections:
            raise InputError(name, "not a 政府信息公开工作年度报告: none of its sections or tables were found")
        if len(report.sections) < 3:
            raise ExtractionError(name, "no report tables found, and too few of the six sections to be a report")
    report.findings = check_report(report, tables)
    return report


def parse(path: str | Path) -> Report:
    """Parse the report file at ``path`` (any supported format, detected from its content)."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError as e:
        raise InputError(str(p), "no such file") from e
    except IsADirectoryError as e:
        raise InputError(str(p), "is a directory, not a file") from e
    except PermissionError as e:
        raise InputError(str(p), "permission denied") from e
    return parse_bytes(data, str(p))
