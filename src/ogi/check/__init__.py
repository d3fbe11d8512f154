"""Checks: every rule of the format → findings (rule id, severity, cell keys, message in Chinese).

- :mod:`~ogi.check.identities` — the 勾稽关系 I1–I4 and the local-variant I7/I8;
- :mod:`~ogi.check.cells` — kinds and signs, empty/missing/flagged cells, units, OCR corrections;
- :mod:`~ogi.check.structure` — missing sections/tables/rows, altered labels, extra values;
- :mod:`~ogi.check.plausibility` — table 二 warnings, template vs year, publication deadline;
- :mod:`~ogi.check.narrative` — explicit numbers in the text against the tables;
- :mod:`~ogi.check.metadata` — agency names read differently from their print, publication dates chosen.
"""

from __future__ import annotations

from ogi.check.cells import check_flags, check_kinds, check_ocr_corrected, check_units
from ogi.check.identities import check_identities
from ogi.check.metadata import check_metadata
from ogi.check.narrative import check_narrative
from ogi.check.plausibility import check_active, check_dates
from ogi.check.structure import check_structure
from ogi.extract.tables import TablesRead
from ogi.model import Finding, Report, get_template

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def check_report(report: Report, tables: TablesRead | None = None) -> list[Finding]:
    """Every finding for a parsed report, errors first."""
    if report.template is None:
        return []
    template = get_template(report.template)
    findings: list[Finding] = []
    if tables is not None:
        findings += check_structure(report, template, tables)
    findings += check_identities(report, template)
    findings += check_kinds(report, template)
    findings += check_flags(report, template)
    findings += check_units(report, template)
    findings += check_ocr_corrected(report, template)
    findings += check_active(report, template)
    findings += check_dates(report, template)
    findings += check_metadata(report)
    findings += check_narrative(report)
    return sorted(findings, key=lambda f: SEVERITY_ORDER[f.severity])


__all__ = ["check_report"]
