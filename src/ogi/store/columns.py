"""The SQL type of every column a parsed file's rows fill: one definition for the DuckDB store
(:mod:`ogi.store.writer`) and the Parquet dataset (:mod:`ogi.store.dataset`), so the two hold
the same columns with the same types.

Columns the store assigns when it records a report (``id``, ``version``, ``current``, ``unit``,
``stored``) are not here; the dataset keys a report's rows by its file's ``sha256`` instead.
"""

from __future__ import annotations

DOCUMENT_TYPES: dict[str, str] = {
    "sha256": "VARCHAR",
    "path": "VARCHAR",
    "format": "VARCHAR",
    "size": "BIGINT",
    "ingested_at": "TIMESTAMP",
    "status": "VARCHAR",
    "error": "VARCHAR",
}

REPORT_TYPES: dict[str, str] = {
    "format": "VARCHAR",
    "agency": "VARCHAR",
    "agency_id": "VARCHAR",
    "level": "VARCHAR",
    "region_code": "VARCHAR",
    "region_name": "VARCHAR",
    "region_level": "VARCHAR",
    "region_ambiguous": "BOOLEAN",
    "region_candidates": "VARCHAR[]",
    "region_reason": "VARCHAR",
    "year": "INTEGER",
    "template": "VARCHAR",
    "published": "DATE",
    "title": "VARCHAR",
    "errors": "INTEGER",
    "warnings": "INTEGER",
    "null_cells": "INTEGER",
    "meta": "VARCHAR",
    "reviewed_cells": "INTEGER",
    "part": "INTEGER",
    "parts": "INTEGER",
    "source_range": "VARCHAR",
}
"""The columns of ``ReportRows.report``."""

CELL_TYPES: dict[str, str] = {
    "key": "VARCHAR",
    "value": "DECIMAL(38, 10)",
    "semantic": "VARCHAR",
    "flag": "VARCHAR",
    "alternatives": "DECIMAL(38, 10)[]",
    "provenance": "VARCHAR",
    "page": "INTEGER",
    "box": "DOUBLE[]",
    "confidence": "DOUBLE",
}
"""The columns of ``ReportRows.cell_*``, in order."""

FINDING_TYPES: dict[str, str] = {
    "rule": "VARCHAR",
    "severity": "VARCHAR",
    "keys": "VARCHAR[]",
    "message": "VARCHAR",
    "expected": "VARCHAR",
    "printed": "VARCHAR",
}
"""The fields of each ``ReportRows.findings`` tuple, in order."""

SECTION_TYPES: dict[str, str] = {"key": "VARCHAR", "heading": "VARCHAR", "text": "VARCHAR", "where": "VARCHAR"}
"""The fields of each ``ReportRows.sections`` tuple, in order."""
