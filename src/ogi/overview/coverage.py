"""Coverage: for a region and year, every unit that should have published, with its report or "missing".

Who should publish:

- the region's own government (本级) and the government of each division directly under it (the
  towns under a county, the counties under a city, the cities under a province), from the division
  table; their reports are matched by division code (a report resolved to that division at a
  government level);
- the region's expected-unit list (:mod:`ogi.units.expected`: departments, which the division table
  does not know), matched by the normalised name (an exact id, else one name ending in the other);
- publishers found in the store under the region that are on neither list, shown so that nothing
  published is hidden (``kind = "found"``).

Each report found is a unit-year (``unit_reports``: several copies of one report count once), and is
``late`` when published after the legal deadline (条例第四十九条: departments 1月31日, governments
3月31日 of the next year); an unknown date is not called late.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from ogi.check.plausibility import deadline
from ogi.store.db import Store
from ogi.store.rollup import region_prefix
from ogi.units import children, division_name
from ogi.units.expected import expected_of

Kind = Literal["self", "division", "expected", "found"]
Status = Literal["published", "late", "missing"]
_GOVERNMENT = ("省", "市", "县区", "乡镇街道")


@dataclass(frozen=True, slots=True)
class Member:
    name: str
    kind: Kind
    code: str | None
    status: Status
    agency_id: str | None = None
    report_id: int | None = None
    published: date | None = None
    deadline: date | None = None
    days_late: int | None = None
    errors: int | None = None
    sources: int = 0


@dataclass
class Coverage:
    region_code: str
    region_name: str
    year: int
    members: list[Member] = field(default_factory=list)

    def count(self, status: Status) -> int:
        return sum(m.status == status for m in self.members)

    @property
    def expected(self) -> int:
        return sum(m.kind != "found" for m in self.members)

    @property
    def share(self) -> float | None:
        """The share of the expected units that published (late included)."""
        listed = [m for m in self.members if m.kind != "found"]
        return sum(m.status != "missing" for m in listed) / len(listed) if listed else None


_Row = tuple[int, str | None, str | None, str | None, str | None, date | None, int, int]


def _member(name: str, kind: Kind, code: str | None, row: _Row | None, year: int) -> Member:
    if row is None:
        return Member(name, kind, code, "missing")
    rid, agency, agency_id, _, region, published, errors, sources = row
    due = deadline(agency, year)
    late = (published - due).days if published and published > due else None
    return Member(
        agency or name,
        kind,
        code or region,
        "late" if late else "published",
        agency_id,
        rid,
        published,
        due,
        late,
        errors,
        sources,
    )


def coverage(store: Store, region_code: str, year: int) -> Coverage:
    """Who in ``region_code`` published a report for ``year``, who was late, who is missing."""
    prefix = region_prefix(region_code)
    result = Coverage(region_code, division_name(region_code) or region_code, year)
    rows: list[_Row] = store.con.execute(
        "SELECT u.id, u.agency, u.agency_id, u.level, u.region_code, u.published, u.errors, "
        "coalesce(len(s.sources), 1) FROM unit_reports u LEFT JOIN unit_sources s ON s.unit_id = u.id "
        "WHERE u.year = ? AND starts_with(u.region_code, ?) ORDER BY u.region_code, u.agency_id",
        [year, prefix],
    ).fetchall()
    used: set[int] = set()
    governments: dict[str, _Row] = {}
    by_id: dict[str, _Row] = {}
    for row in rows:
        if row[3] in _GOVERNMENT and row[4] is not None:
            governments.setdefault(row[4], row)
        if row[2]:
            by_id.setdefault(row[2], row)
    divisions = [(region_code, division_name(region_code) or region_code, "self")]
    divisions += [(code, name, "division") for code, name, _ in children(region_code)]
    for code, name, kind in divisions:
        row = governments.get(code)
        if row is not None:
            used.add(row[0])
        result.members.append(_member(name, kind, code, row, year))  # type: ignore[arg-type]
    for unit in expected_of(store.con, region_code):
        row = by_id.get(unit.agency_id)
        if row is None or row[0] in used:
            row = next((r for r in rows if r[0] not in used and r[2] and _same_unit(r[2], unit.agency_id)), None)
        if row is not None:
            used.add(row[0])
        result.members.append(_member(unit.name, "expected", unit.code, row, year))
    for row in rows:
        if row[0] not in used:
            result.members.append(_member(row[1] or "", "found", row[4], row, year))
    return result


def _same_unit(found: str, listed: str) -> bool:
    # 洪泽区财政局 listed, 淮安市洪泽区财政局 printed: the shorter name is the longer one's tail.
    return found.endswith(listed) or listed.endswith(found)


__all__ = ["Coverage", "Member", "coverage"]
