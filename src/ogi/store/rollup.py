"""A region's totals for a year: the cells of its member units summed, with who is in and who is not.

Who counts, once each:

- Members are the publishers whose resolved region is the region or lies under it (division
  code prefix), one report each (:sql:`unit_reports`: two copies of a report, say the PDF and the
  web page, are one unit).
- A government's own report (市人民政府, 区人民政府, 街道办事处 …) covers the government itself
  (本级), as the regulation has every department report on its own applications (条例第四十九、
  五十条). So a government and its departments are different units and are all summed, and a
  county government is not taken to include its towns.
- The exception is the government's general office (人民政府办公室/办公厅): it answers the
  government's own applications, so when the government's report is in, the office's report is
  left out (``excluded``, with the reason) rather than counted twice.
- ``missing``: publishers of the region that have a report in another year but not in this one.
  ``broken``: members whose report has error findings or unreadable cells; they are summed as
  printed and listed so a reader can judge, and ``counts`` says per key how many units gave a value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from ogi.errors import StoreError
from ogi.store.keys import ordered
from ogi.units import division_level, division_name

if TYPE_CHECKING:
    from ogi.store.db import Store

_PREFIX = {"province": 2, "city": 4, "county": 6, "town": 9}
_GOVERNMENT_LEVELS = ("省", "市", "县区", "乡镇街道")
_OFFICE = re.compile(r"^(?P<gov>.+?)(?:人民政府|政府)?办公(?:室|厅)$")


@dataclass(frozen=True, slots=True)
class Unit:
    report_id: int
    agency: str | None
    agency_id: str | None
    level: str | None
    region_code: str
    errors: int
    null_cells: int


@dataclass
class Rollup:
    region_code: str
    region_name: str
    year: int
    included: list[Unit] = field(default_factory=list)
    excluded: list[tuple[Unit, str]] = field(default_factory=list)
    broken: list[tuple[Unit, str]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    totals: dict[str, Decimal] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)


def region_prefix(code: str) -> str:
    level = division_level(code)
    if level is None:
        raise StoreError(f"{code} is not a division code ogi knows (NBS 2023, e.g. 320800 for 淮安市)")
    return code[: _PREFIX[level]]


def rollup(store: Store, region_code: str, year: int) -> Rollup:
    prefix = region_prefix(region_code)
    result = Rollup(region_code, division_name(region_code) or region_code, year)
    rows = store.con.execute(
        "SELECT id, agency, agency_id, level, region_code, errors, null_cells FROM unit_reports "
        "WHERE year = ? AND starts_with(region_code, ?) ORDER BY region_code, agency_id",
        [year, prefix],
    ).fetchall()
    units = [Unit(*r) for r in rows]
    # A sum is only as sure as its parts: name the units whose cells are uncertain or whose
    # amounts have no printed unit (a possible factor of 10,000).
    doubtful = dict(
        store.con.execute(
            "SELECT report_id, string_agg(DISTINCT reason, ', ' ORDER BY reason) FROM ("
            "  SELECT unit_id AS report_id, 'uncertain cells' AS reason FROM unit_cells WHERE flag = 'uncertain'"
            "  UNION ALL SELECT report_id, 'amount unit not printed' FROM findings WHERE rule = 'UNIT_AMBIGUOUS'"
            ") WHERE report_id IN (SELECT unnest(?)) GROUP BY report_id",
            [[u.report_id for u in units]],
        ).fetchall()
    )
    governments = {u.agency_id for u in units if u.level in _GOVERNMENT_LEVELS}
    for u in units:
        office = _OFFICE.match(u.agency_id or "")
        if u.level == "部门" and office and office["gov"] in governments:
            result.excluded.append((u, f"办公室/办公厅 of {office['gov']}, whose own report is counted"))
            continue
        result.included.append(u)
        why = [
            f"{u.errors} error findings" if u.errors else "",
            f"{u.null_cells} null cells" if u.null_cells else "",
            doubtful.get(u.report_id, ""),
        ]
        if any(why):
            result.broken.append((u, ", ".join(w for w in why if w)))
    present = {u.agency_id for u in units}
    result.missing = [
        r[0]
        for r in store.con.execute(
            "SELECT DISTINCT agency_id FROM unit_reports WHERE starts_with(region_code, ?) AND year <> ? "
            "AND agency_id IS NOT NULL ORDER BY agency_id",
            [prefix, year],
        ).fetchall()
        if r[0] not in present
    ]
    ids = [u.report_id for u in result.included]
    sums = {
        key: (total, n)
        for key, total, n in store.con.execute(
            "SELECT key, sum(value), count(value) FROM unit_cells WHERE unit_id IN (SELECT unnest($1)) GROUP BY key",
            [ids],
        ).fetchall()
    }
    for key in ordered(sums):
        total, n = sums[key]
        if n:
            result.totals[key] = total
        result.counts[key] = n
    return result
