"""Stored reports back as :class:`~ogi.model.Report` objects: by id, or a unit's report of a year.

Values come back typed as the parser gave them (counts and changes ``int``, amounts ``Decimal``
without the column's trailing zeros); provenance comes back as the one line the store keeps.
"""

from __future__ import annotations

import json
from decimal import Decimal

from ogi.errors import StoreError
from ogi.model import Cell, Finding, Provenance, Report, SectionText, get_template
from ogi.model.report import Number, Region
from ogi.store.db import Store
from ogi.units import normalise_agency

_REPORT_COLUMNS = (
    "path, format, agency, level, region_code, region_name, region_level, region_ambiguous, region_reason, "
    "year, template, published, meta"
)


def _typed(value: Decimal | None, kind: str) -> Number | None:
    if value is None:
        return None
    if kind == "amount":
        return value.normalize() if value != 0 else Decimal(0)
    return int(value)


def load_report(store: Store, report_id: int) -> Report:
    """The stored report with this id; :class:`~ogi.errors.StoreError` when there is none."""
    row = store.con.execute(f"SELECT {_REPORT_COLUMNS} FROM reports WHERE id = ?", [report_id]).fetchone()
    if row is None:
        raise StoreError(
            f'{store.path}: no report with id {report_id} (see `ogi query "SELECT id, agency, year FROM reports"`)'
        )
    path, fmt, agency, level, code, name, region_level, ambiguous, reason, year, template, published, meta = row
    t = get_template(template) if template else None
    cells: dict[str, Cell] = {}
    for key, value, semantic, flag, alternatives, provenance in store.con.execute(
        "SELECT key, value, semantic, flag, alternatives, provenance FROM cells WHERE report_id = ? ORDER BY rowid",
        [report_id],
    ).fetchall():
        kind = t.kind_of(key) if t else "count"
        cells[key] = Cell(
            value=_typed(value, kind),
            semantic=semantic,
            flag=flag,
            alternatives=[_typed(a, kind) for a in alternatives or []],
            provenance=Provenance(where=provenance) if provenance else None,
        )
    findings = [
        Finding(rule=rule, severity=severity, keys=keys, message=message, expected=expected, printed=printed)
        for rule, severity, keys, message, expected, printed in store.con.execute(
            "SELECT rule, severity, keys, message, expected, printed FROM findings WHERE report_id = ? ORDER BY rowid",
            [report_id],
        ).fetchall()
    ]
    sections = {
        key: SectionText(key=key, heading=heading, text=text, where=where or "")
        for key, heading, text, where in store.con.execute(
            'SELECT key, heading, text, "where" FROM sections WHERE report_id = ? ORDER BY rowid', [report_id]
        ).fetchall()
    }
    return Report(
        file=path,
        format=fmt,
        template=template,
        year=year,
        agency=agency,
        agency_level=level,
        region=Region(code=code, name=name, level=region_level, ambiguous=ambiguous, reason=reason or "")
        if code or name
        else None,
        published=published,
        meta=json.loads(meta) if meta else {},
        cells=cells,
        sections=sections,
        findings=findings,
    )


def unit_report_id(store: Store, agency: str, year: int) -> int | None:
    """The id of the publisher's report of ``year`` that counts (``unit_reports``), if stored.
    The publisher is matched the way the store groups them (:func:`normalise_agency`)."""
    agency_id = normalise_agency(agency) or agency
    row = store.con.execute(
        "SELECT id FROM unit_reports WHERE agency_id = ? AND year = ? ORDER BY id DESC LIMIT 1", [agency_id, year]
    ).fetchone()
    return int(row[0]) if row else None
