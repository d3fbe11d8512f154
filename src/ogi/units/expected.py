"""Expected-unit lists: the bodies a region expects a report from, beyond its divisions.

The division table knows the towns under a county and the counties under a city, but not the
departments (财政局, 教育局 …). A supervising office has that list; it is imported from CSV or XLSX
(a name column, optionally a code column such as the 统一社会信用代码) and stored per region in the
store's ``expected_units`` table, where coverage finds it. Importing a region's list again replaces it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from ogi.errors import InputError
from ogi.units.divisions import division_level
from ogi.units.names import normalise_agency

_NAME_HEADERS = ("name", "名称", "单位名称", "单位", "机关名称", "机关", "部门名称", "部门", "agency")
_CODE_HEADERS = ("code", "代码", "编码", "统一社会信用代码", "机构代码", "单位代码")


@dataclass(frozen=True, slots=True)
class ExpectedUnit:
    name: str
    agency_id: str
    code: str | None = None


def _rows_of(path: Path) -> list[list[str]]:
    data = path.read_bytes()
    if data.startswith(b"PK"):
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as e:  # openpyxl raises many kinds for a damaged file
            raise InputError(str(path), f"not an XLSX file openpyxl can read ({e})") from e
        sheet = book.worksheets[0]
        return [["" if v is None else str(v).strip() for v in row] for row in sheet.iter_rows(values_only=True)]
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InputError(str(path), "neither UTF-8 nor GB18030 text; save the list as UTF-8 CSV or XLSX")
    return [[c.strip() for c in row] for row in csv.reader(io.StringIO(text))]


def read_expected(path: str | Path) -> list[ExpectedUnit]:
    """The units listed in a CSV or XLSX file: a header row naming a name column (name, 名称, 单位名称 …)
    and optionally a code column (code, 代码, 统一社会信用代码 …); without a header, the first column is
    the name and the second, if any, the code. Blank rows and repeated names are skipped."""
    p = Path(path)
    rows = [r for r in _rows_of(p) if any(r)]
    if not rows:
        raise InputError(str(p), "no units listed (expected a name column, optionally a code column)")
    header = [c.lower() for c in rows[0]]
    name_col = next((i for i, c in enumerate(header) if c in _NAME_HEADERS), None)
    code_col = next((i for i, c in enumerate(header) if c in _CODE_HEADERS), None)
    if name_col is None:
        name_col, code_col = 0, (1 if max(len(r) for r in rows) > 1 else None)
    else:
        rows = rows[1:]
    units: dict[str, ExpectedUnit] = {}
    for row in rows:
        name = row[name_col] if name_col < len(row) else ""
        if not name:
            continue
        code = row[code_col] if code_col is not None and code_col < len(row) and row[code_col] else None
        agency_id = normalise_agency(name) or name
        units.setdefault(agency_id, ExpectedUnit(name, agency_id, code))
    if not units:
        raise InputError(str(p), "no unit names found in the name column")
    return list(units.values())


def save_expected(
    con: duckdb.DuckDBPyConnection, region_code: str, units: Sequence[ExpectedUnit], source: str | None = None
) -> int:
    """Store ``units`` as the expected list of ``region_code``, replacing the one stored; returns the count."""
    if division_level(region_code) is None:
        raise InputError(region_code, "not a division code ogi knows (NBS 2023, e.g. 320813 for 洪泽区)")
    now = datetime.now()
    con.begin()
    try:
        con.execute("DELETE FROM expected_units WHERE region_code = ?", [region_code])
        con.executemany(
            "INSERT INTO expected_units VALUES (?, ?, ?, ?, ?, ?)",
            [(region_code, u.name, u.agency_id, u.code, source, now) for u in units],
        )
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return len(units)


def expected_of(con: duckdb.DuckDBPyConnection, region_code: str) -> list[ExpectedUnit]:
    """The stored expected list of a region (empty when none was imported)."""
    rows = con.execute(
        "SELECT name, agency_id, code FROM expected_units WHERE region_code = ? ORDER BY name", [region_code]
    ).fetchall()
    return [ExpectedUnit(*r) for r in rows]


__all__ = ["ExpectedUnit", "expected_of", "read_expected", "save_expected"]
