"""Rank the readings of a table 二 row, which has no identity to settle a run-together split.

The ranking only orders the alternatives; a row with more than one reading is always flagged
uncertain, whatever comes first. The preferences are what real reports show: digit lengths of
one row are alike (89/89/89), a 本年增/减 of 0 is common and rarely exceeds last year's count,
new publications do not exceed the total published, documents in force outnumber this year's.
"""

from __future__ import annotations

import math

from ogi.extract.readings import Reading


def _n(reading: Reading, i: int) -> float | None:
    v = reading.values[i]
    return float(v.value) if v is not None and v.value is not None else None


def score(columns: tuple[str, ...], reading: Reading) -> float:
    s = 0.0
    idx = {c: i for i, c in enumerate(columns)}
    lengths = [
        len(v.raw.strip())
        for c, v in zip(columns, reading.values, strict=True)
        if v is not None and v.value and c != "amount"
    ]
    if len(lengths) > 1:
        s -= 0.5 * (max(lengths) - min(lengths))
    vals = {c: _n(reading, i) for c, i in idx.items()}
    if "change" in idx:
        change, prev = vals["change"], vals.get("prev_count")
        if change == 0:
            s += 1.0
        elif change is not None and prev is not None and abs(change) > prev:
            s -= 2.0
    if "new_published" in idx:
        made, new, total = vals["new_made"], vals["new_published"], vals["total_published"]
        if new is not None and total is not None and new > total:
            s -= 3.0
        if made is not None and new is not None and made == new:
            s += 1.0
    if "in_force" in idx:
        made, repealed, in_force = vals["made"], vals["repealed"], vals["in_force"]
        if in_force is not None and made is not None and made > in_force + (repealed or 0):
            s -= 2.0
        if in_force is not None and max(made or 0, repealed or 0) > in_force:
            s -= 1.0
    if "amount" in idx and "projects" in idx:
        projects, amount = reading.values[idx["projects"]], reading.values[idx["amount"]]
        if projects is not None and len(projects.raw) > 4:
            s -= 1.0
        if projects is not None and amount is not None and projects.value and amount.value:
            # Centralised purchases average tens of 万元 per project; far from that is unlikely.
            per_project = float(amount.value) / float(projects.value)
            s -= 0.5 * abs(math.log10(per_project / 50)) if per_project > 0 else 5.0
    return s
