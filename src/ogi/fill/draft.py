"""A draft report for one unit and year: what the 填报 form edits, saves and renders.

A :class:`Draft` is plain JSON (``draft.to_json()`` / ``Draft.from_json(obj)``): template, year,
agency, publication date, cells by canonical key, the six sections' text, and the labels of any
extra lines under table 二. It is validated as a whole and the first problem is reported in one
line naming the key (:class:`DraftError`): an unknown key, a value of the wrong type, a cell of the
other template. ``Draft.from_json`` also takes the output of ``ogi parse --json``, so a parsed
report is a draft too; :meth:`Draft.to_report` makes the :class:`~ogi.model.Report` the renderers
and the checks take.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError, field_serializer, model_validator

from ogi.errors import InputError
from ogi.extract.signature import split_signature
from ogi.model import Cell, Provenance, Report, SectionText, get_template
from ogi.model.report import Number, json_number
from ogi.model.template import TEMPLATE_IDS, Template

DRAFT_FIELDS = ("template", "year", "agency", "published", "cells", "sections", "labels")
# What ``ogi parse --json`` adds around a report's values; a draft made from it ignores them.
SUMMARY_ONLY = (
    "file",
    "agency_level",
    "region",
    "part",
    "flags",
    "alternatives",
    "provenance",
    "boxes",
    "findings",
    "meta",
)
_EXTENSION = re.compile(
    r"^requests\.(?P<row>[a-z_.]+?)\.(?:legal_subtotal|subtotal\.(?P<col>[a-z_]+))$|^active\.extra\.[a-z0-9_]+$"
)


class DraftError(InputError):
    """A draft (or an ``ogi parse --json`` file) that cannot be a report; ``key`` names the culprit."""

    def __init__(self, source: str, key: str, reason: str) -> None:
        self.key = key
        super().__init__(source, f"{key}: {reason}")


def _type_name(value: object) -> str:
    return {str: "a string", bool: "true/false", float: "a decimal", list: "a list", dict: "an object"}.get(
        type(value), type(value).__name__
    )


def _is_extension(t: Template, key: str) -> bool:
    m = _EXTENSION.match(key)
    if m is None:
        return False
    if key.startswith("active."):
        return True
    rows = {r.key for r in t.rows_of("requests")} | {f"{g['key']}.subtotal" for g in t.requests_groups}
    row = m["row"] if m["col"] is None else f"{m['row']}.subtotal"
    cols = {c.key for c in t.requests_columns} | {c.key for c in t.extension_columns}
    return row in rows and (m["col"] is None or m["col"] in cols)


def is_cell_of(t: Template, key: str) -> bool:
    """A cell of the template, or a local extension of it (format.md §4.5)."""
    return key in t.keyset or _is_extension(t, key)


def _cell_problem(t: Template, key: str, value: object) -> str | None:
    if not is_cell_of(t, key):
        other = next((o for o in TEMPLATE_IDS if o != t.id and key in get_template(o).keyset), None)
        if other:
            return (
                f"a cell of the {other} template ({get_template(other).label_of(key)}), not of the {t.id} "
                f'template: set "template": "{other}" or remove the cell'
            )
        near = difflib.get_close_matches(key, t.keys, n=1)
        return f"not a cell of the {t.id} template" + (f" (did you mean {near[0]}?)" if near else "")
    if value is None:
        return None
    kind = t.kind_of(key)
    if kind == "amount":
        ok = isinstance(value, int | Decimal | float) and not isinstance(value, bool)
        return None if ok else f"must be an amount in 万元 (a number) or null, got {_type_name(value)}"
    integral = isinstance(value, int) and not isinstance(value, bool)
    if isinstance(value, Decimal | float) and value == int(value):
        integral = True  # 3.0 from a spreadsheet is the count 3
    if not integral:
        what = "a whole number (+/−)" if kind == "change" else "a whole number"
        return f"must be {what} or null, got {_type_name(value)} {value!r}"
    return None


def check_raw(obj: object, source: str = "draft") -> dict[str, Any]:
    """The draft fields of a JSON object (a draft or an ``ogi parse --json`` result), checked;
    raises :class:`DraftError` naming the first bad key."""
    if not isinstance(obj, Mapping):
        raise DraftError(source, "(top level)", f"must be a JSON object, got {_type_name(obj)}")
    for key in obj:
        if key not in DRAFT_FIELDS and key not in SUMMARY_ONLY and key != "schema_version":
            raise DraftError(
                source, str(key), f"unknown key; a draft has {', '.join(DRAFT_FIELDS)} (ogi parse --json adds its own)"
            )
    template_id = obj.get("template")
    if template_id not in TEMPLATE_IDS:
        raise DraftError(source, "template", f"must be one of {', '.join(TEMPLATE_IDS)}, got {template_id!r}")
    t = get_template(str(template_id))
    cells = obj.get("cells", {})
    if not isinstance(cells, Mapping):
        raise DraftError(source, "cells", f"must be an object of cell key → value, got {_type_name(cells)}")
    for key, value in cells.items():
        if (problem := _cell_problem(t, key, value)) is not None:
            raise DraftError(source, f"cells.{key}", problem)
    sections = obj.get("sections", {})
    if not isinstance(sections, Mapping):
        raise DraftError(source, "sections", f"must be an object of section key → text, got {_type_name(sections)}")
    known = [s.key for s in t.sections]
    texts: dict[str, str] = {}
    for key, value in sections.items():
        if key not in known:
            raise DraftError(source, f"sections.{key}", f"not a section; the sections are {', '.join(known)}")
        # ``ogi parse --json`` gives {"heading": …, "text": …}; a draft gives the text.
        text = value.get("text") if isinstance(value, Mapping) else value
        if not isinstance(text, str):
            raise DraftError(source, f"sections.{key}", f"must be text, got {_type_name(text)}")
        texts[key] = text
    out = {k: obj[k] for k in DRAFT_FIELDS if k in obj}
    out["cells"] = {k: _number(v, t.kind_of(k)) for k, v in cells.items()}
    out["sections"] = texts
    return out


def _number(value: Any, kind: str) -> Number | None:
    if value is None:
        return None
    if kind == "amount":
        return value if isinstance(value, int) else Decimal(str(value))
    return int(value)


class Draft(BaseModel):
    """One unit-year's report as the form holds it. Cells may be partial; null is "not filled"."""

    model_config = ConfigDict(extra="forbid")

    template: Literal["2019", "2021"]
    year: int | None = None
    agency: str | None = None
    published: date | None = None
    cells: dict[str, int | Decimal | None] = {}
    sections: dict[str, str] = {}
    labels: dict[str, str] = {}
    """The printed label of each extra line under table 二 (``active.extra.*``)."""

    @model_validator(mode="before")
    @classmethod
    def _valid(cls, data: Any) -> Any:
        try:
            return check_raw(data)
        except DraftError as e:
            raise ValueError(str(e)) from e

    @field_serializer("cells")
    def _cells_json(self, cells: dict[str, Number | None]) -> dict[str, int | float | None]:
        return {k: json_number(v) for k, v in cells.items()}

    @classmethod
    def from_json(cls, obj: object, source: str = "draft") -> Draft:
        """A draft from parsed JSON (load it with ``parse_float=Decimal`` to keep amounts exact)."""
        fields = check_raw(obj, source)
        try:
            draft = cls.model_validate(fields)
        except ValidationError as e:
            err = e.errors()[0]
            key = ".".join(str(p) for p in err["loc"]) or "(top level)"
            raise DraftError(source, key, err["msg"]) from e
        if isinstance(obj, Mapping) and "file" in obj:  # ogi parse output (an older one kept the signature)
            other = draft.sections.get("other")
            if other is not None:
                draft.sections["other"] = split_signature(other, draft.agency)[0]
        return draft

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")

    @classmethod
    def from_report(cls, report: Report) -> Draft:
        """A draft from a parsed report (an uploaded draft, last year's report): its values as
        read, flags dropped, the signature taken off section 六."""
        if report.template is None:
            raise DraftError(report.file, "template", "no table of either template was found in this file")
        labels = {
            k: c.provenance.label
            for k, c in report.cells.items()
            if k.startswith("active.extra.") and c.provenance is not None and c.provenance.label
        }
        sections = {k: s.text for k, s in report.sections.items()}
        if "other" in sections:
            sections["other"] = split_signature(sections["other"], report.agency)[0]
        return cls.model_construct(
            template=report.template,
            year=report.year,
            agency=report.agency,
            published=report.published,
            cells={k: c.value for k, c in report.cells.items()},
            sections=sections,
            labels=labels,
        )

    def values(self) -> dict[str, Number | None]:
        """Every cell of the template (null where not filled) and the draft's extension cells."""
        t = get_template(self.template)
        return {k: self.cells.get(k) for k in t.keys} | {k: v for k, v in self.cells.items() if k not in t.keyset}

    def to_report(self, *, check: bool = True) -> Report:
        """The report the renderers take; with ``check``, its findings too (identities, kinds,
        table 二 plausibility, dates, narrative numbers)."""
        t = get_template(self.template)
        cells: dict[str, Cell] = {}
        for key, value in self.values().items():
            semantic = "missing" if value is None else ("zero" if value == 0 else "number")
            label = self.labels.get(key)
            provenance = Provenance(where="draft", label=label) if label else None
            cells[key] = Cell(value=value, semantic=semantic, provenance=provenance)  # type: ignore[arg-type]
        headings = {s.key: s.ordinal + s.text for s in t.sections}
        report = Report(
            file=f"{self.agency or ''}{self.year or ''}（草稿）",
            format="draft",
            template=self.template,
            year=self.year,
            agency=self.agency,
            published=self.published,
            cells=cells,
            sections={
                k: SectionText(key=k, heading=headings[k], text=text, where="draft")
                for k, text in self.sections.items()
            },
        )
        if check:
            from ogi.check import check_report

            report.findings = check_report(report)
        return report
