"""The library's entry points: one pure function per file, bytes in, typed report out.

:func:`parse_bytes` touches no disk and no global state, so a process pool, a Ray task and
the web app all call the same function.
"""

from __future__ import annotations

from pathlib import Path

from ogi.check import check_report
from ogi.errors import InputError
from ogi.extract import extract
from ogi.model import Report
from ogi.readers import read_document

MIN_PRINTED_VALUES = 10
MIN_SECTIONS = 3
"""Below both, a text is not a report: a report missing its tables still has its sections."""


def parse_bytes(data: bytes, name: str = "<bytes>") -> Report:
    """Read, extract and check one report.

    Raises :class:`~ogi.errors.InputError` when the file cannot be read as a report (empty,
    binary, undecodable, not a 政府信息公开工作年度报告).
    """
    document = read_document(data, name)
    report, tables = extract(document)
    printed = sum(1 for c in report.cells.values() if c.value is not None and c.flag != "inferred")
    if printed < MIN_PRINTED_VALUES and len(report.sections) < MIN_SECTIONS:
        raise InputError(name, "not a 政府信息公开工作年度报告: neither its tables nor its six sections were found")
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
    except OSError as e:  # a symlink loop, a path through a file, a read error on the disk
        raise InputError(str(p), f"cannot be read ({e.strerror or e})") from e
    return parse_bytes(data, str(p))
