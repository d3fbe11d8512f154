"""The parsed report: cells with value, semantic, flag and provenance; sections; findings.

Versioned by :data:`SCHEMA_VERSION`; ``Report.model_json_schema()`` is its JSON Schema.
Money is :class:`~decimal.Decimal` in 万元; counts and signed changes are ``int``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, PlainSerializer

SCHEMA_VERSION = "1"

Semantic = Literal["number", "zero", "blank", "na", "text", "missing"]
"""What the source printed: a number, a zero, an empty cell, a not-applicable mark
(``/``, ``—``, ``无``), text that is not a value (``33*``, ``见附表``), or nothing at all
(row cut short, cell absent)."""

Flag = Literal["inferred", "uncertain", "missing", "blank", "na", "unreadable"]
"""Why a reader should look twice: derived from the identities, one of several readings,
not printed, printed empty, printed as not applicable, printed as something that is not a value."""

Severity = Literal["error", "warning", "info"]
Number = int | Decimal


def json_number(value: Number | None) -> int | float | None:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


JsonNumber = Annotated[int | Decimal, PlainSerializer(json_number, when_used="json")]


@dataclass(slots=True)
class Provenance:
    """Where a value came from. A plain dataclass: a report holds hundreds of them."""

    where: str
    """Human-readable location, e.g. ``line 57`` or ``page 3, table 1, row 5, col 4``."""
    raw: str | None = None
    """The printed text the value came from."""
    label: str | None = None
    """The row label as printed, when it differs from the official one."""
    unit: str | None = None
    """The printed unit when it was converted (``元`` → 万元)."""
    note: str | None = None
    """An annotation printed with the number, e.g. ``其中修订16件``."""
    rule: str | None = None
    """For an inferred value: the identity that fixed it."""
    page: int | None = None
    """The page the value was printed on (PDF, scans, images)."""
    box: tuple[float, float, float, float] | None = None
    """The printed cell's box on that page, (x0, y0, x1, y1) from the page's top-left corner:
    PDF points for PDF pages, pixels for images."""
    confidence: float | None = None
    """For a value read by OCR: the recogniser's confidence, 0–1."""


@dataclass(slots=True)
class Cell:
    value: JsonNumber | None = None
    semantic: Semantic = "missing"
    flag: Flag | None = None
    alternatives: list[JsonNumber | None] = field(default_factory=list)
    provenance: Provenance | None = None

    def where_text(self) -> str | None:
        """Where the value came from, in one line: location, then what was printed or done."""
        p = self.provenance
        if p is None:
            return None
        extra = [
            x
            for x in (
                p.raw and f"printed {p.raw!r}",
                p.unit and f"unit {p.unit}",
                p.note and f"note {p.note}",
                p.rule and f"by {p.rule}",
            )
            if x
        ]
        return p.where + (f" ({'; '.join(extra)})" if extra else "")


class Finding(BaseModel):
    rule: str
    severity: Severity
    keys: list[str] = Field(default_factory=list)
    message: str
    expected: str | None = None
    printed: str | None = None


class SectionText(BaseModel):
    key: str
    heading: str
    text: str
    where: str


class Region(BaseModel):
    """The administrative division a report's issuer belongs to, from the bundled division table."""

    code: str | None = None
    name: str | None = None
    """The full path, e.g. 江苏省淮安市洪泽区."""
    level: str | None = None
    """province, city, county or town."""
    ambiguous: bool = False
    candidates: list[tuple[str, str]] = Field(default_factory=list)
    reason: str = ""


class ReportPart(BaseModel):
    """Where a report lies in a file that holds several (a 汇编, a crawler dump of a column)."""

    index: int
    """1-based, in the order printed."""
    count: int
    lines: tuple[int, int] | None = None
    """First and last line of the text it was read from (text files)."""
    pages: tuple[int, int] | None = None
    """First and last page (PDF, scans)."""

    @property
    def span(self) -> str:
        if self.pages:
            return f"pages {self.pages[0]}–{self.pages[1]}"
        if self.lines:
            return f"lines {self.lines[0]}–{self.lines[1]}"
        return "whole file"


class Report(BaseModel):
    schema_version: str = SCHEMA_VERSION
    file: str
    format: str
    template: Literal["2019", "2021"] | None = None
    year: int | None = None
    agency: str | None = None
    agency_level: str | None = None
    """部委, 省, 市, 县区, 乡镇街道 or 部门."""
    region: Region | None = None
    published: date | None = None
    part: ReportPart | None = None
    """Set when the file holds several reports: which one this is and where it lies."""
    meta: dict[str, Any] = Field(default_factory=dict)
    cells: dict[str, Cell] = Field(default_factory=dict)
    sections: dict[str, SectionText] = Field(default_factory=dict)
    findings: list[Finding] = Field(default_factory=list)

    def values(self) -> dict[str, Number | None]:
        return {k: c.value for k, c in self.cells.items()}

    def summary(self) -> dict[str, Any]:
        """The flat JSON shape of ``ogi parse --json``: one value per key, flags and provenance beside."""
        flags: dict[str, str] = {}
        provenance: dict[str, str] = {}
        alternatives: dict[str, list[int | float | None]] = {}
        boxes: dict[str, dict[str, Any]] = {}
        for key, cell in self.cells.items():
            if cell.flag:
                flags[key] = cell.flag
            if cell.alternatives:
                alternatives[key] = [json_number(a) for a in cell.alternatives]
            if (where := cell.where_text()) is not None:
                provenance[key] = where
            if cell.provenance is not None and cell.provenance.box is not None:
                boxes[key] = {"page": cell.provenance.page, "box": list(cell.provenance.box)}
                if cell.provenance.confidence is not None:
                    boxes[key]["confidence"] = cell.provenance.confidence
        return {
            "file": self.file,
            "template": self.template,
            "year": self.year,
            "agency": self.agency,
            "agency_level": self.agency_level,
            "region": self.region.model_dump() if self.region else None,
            "published": self.published.isoformat() if self.published else None,
            "part": {**self.part.model_dump(), "span": self.part.span} if self.part else None,
            "cells": {k: json_number(c.value) for k, c in self.cells.items()},
            "flags": flags,
            "alternatives": alternatives,
            "provenance": provenance,
            "boxes": boxes,
            "findings": [f.model_dump(exclude_none=True) for f in self.findings],
            "sections": {k: {"heading": s.heading, "text": s.text} for k, s in self.sections.items()},
            "meta": self.meta,
        }
