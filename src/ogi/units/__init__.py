"""Publishing units: who published a report and where.

- :mod:`ogi.units.names` — an agency's names folded to one stable id.
- :mod:`ogi.units.divisions` — the administrative division table (provinces to towns).
- :mod:`ogi.units.region` — an agency name → its division, never guessed when ambiguous.
- :mod:`ogi.units.levels` — the tier it sits at (部委, 省, 市, 县区, 乡镇街道, 部门).

Extraction, the store, rollup, coverage and the dashboard all use this one package.
"""

from ogi.units.divisions import children, division_level, division_name
from ogi.units.levels import AgencyLevel, classify_level
from ogi.units.names import fold_name, normalise_agency
from ogi.units.region import RegionResult, resolve_region

__all__ = [
    "AgencyLevel",
    "RegionResult",
    "children",
    "classify_level",
    "division_level",
    "division_name",
    "fold_name",
    "normalise_agency",
    "resolve_region",
]
