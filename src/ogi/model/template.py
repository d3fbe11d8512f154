"""Templates as data: the 2019 trial format and the 2021 revised format.

Each template is a JSON file beside this module (``templates/<id>.json``). A third official
format is a new data file, not new code. This module only loads and indexes them.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Literal

Kind = Literal["count", "change", "amount"]
TEMPLATE_IDS: tuple[str, ...] = ("2019", "2021")


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    label: str
    kind: Kind
    hints: tuple[str, ...] = ()
    """Words a note printed with a value names this column by (``修订`` for 本年制发件数)."""


@dataclass(frozen=True, slots=True)
class RowSpec:
    """One data row of a table: its key prefix, printed label and value columns."""

    table: str
    key: str
    label: str
    columns: tuple[Column, ...]
    ordinal: str = ""
    group: str | None = None
    heading: str | None = None
    aliases: tuple[str, ...] = ()

    @property
    def official_label(self) -> str:
        return f"{self.ordinal}{self.label}"

    def cell_key(self, column: str) -> str:
        return f"{self.table}.{self.key}.{column}"

    @property
    def cell_keys(self) -> tuple[str, ...]:
        return tuple(self.cell_key(c.key) for c in self.columns)


@dataclass(frozen=True, slots=True)
class Equation:
    """``sum(lhs) == sum(rhs)``: one concrete instance of an identity."""

    rule: str
    name: str
    lhs: tuple[str, ...]
    rhs: tuple[str, ...]
    optional: bool = False
    substitutes: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = ()

    @property
    def keys(self) -> tuple[str, ...]:
        return self.lhs + self.rhs

    def substituted(self, present: frozenset[str] | set[str]) -> Equation:
        """Swap a group of parts for its printed subtotal when the parts were not printed."""
        rhs = self.rhs
        for parts, by in self.substitutes:
            if not any(p in present for p in parts) and all(b in present for b in by):
                rhs = tuple(k for k in rhs if k not in parts) + by
        return Equation(self.rule, self.name, self.lhs, rhs, self.optional)


@dataclass(frozen=True, slots=True)
class Section:
    key: str
    ordinal: str
    text: str
    variants: tuple[str, ...] = ()


@dataclass(frozen=True)
class Template:
    id: str
    title: str
    instrument: str
    first_year: int
    last_year: int | None
    signals: tuple[str, ...]
    sections: tuple[Section, ...]
    rows: tuple[RowSpec, ...]
    equations: tuple[Equation, ...]
    requests_columns: tuple[Column, ...]
    appeals_columns: tuple[Column, ...]
    requests_groups: tuple[dict[str, str], ...]
    extension_columns: tuple[Column, ...]
    extras: tuple[dict[str, str], ...]
    raw: dict = field(repr=False, compare=False)
    kinds: dict[str, Kind] = field(repr=False, compare=False, default_factory=dict)
    equation_cache: dict[tuple[frozenset[str], frozenset[str]], list[Equation]] = field(
        repr=False, compare=False, default_factory=dict
    )
    keyset: frozenset[str] = field(repr=False, compare=False, default=frozenset())
    substitutable: frozenset[str] = field(repr=False, compare=False, default=frozenset())
    """Cells whose being printed decides a substitution (a group's parts and its subtotal)."""

    @property
    def keys(self) -> tuple[str, ...]:
        """Every canonical cell key of the template, in table order."""
        return tuple(k for row in self.rows for k in row.cell_keys)

    def rows_of(self, table: str) -> tuple[RowSpec, ...]:
        return tuple(r for r in self.rows if r.table == table)

    def row(self, table: str, key: str) -> RowSpec:
        for r in self.rows:
            if r.table == table and r.key == key:
                return r
        raise KeyError(f"{table}.{key}")

    def kind_of(self, cell_key: str) -> Kind:
        """The value kind of a cell; extension cells (subtotals, extra lines) are counts."""
        return self.kinds.get(cell_key, "count")

    def label_of(self, cell_key: str) -> str:
        """A reviewer's name for a cell: row label and column label."""
        table, rest = cell_key.split(".", 1)
        row_key, col = rest.rsplit(".", 1)
        for r in self.rows:
            if r.table == table and r.key == row_key:
                col_label = next((c.label for c in r.columns if c.key == col), col)
                row_label = r.official_label if table != "appeals" else r.label
                return f"{row_label}·{col_label}"
        if row_key.endswith("subtotal"):
            group = row_key.split(".")[0]
            label = next((g["ordinal"] + g["text"] for g in self.requests_groups if g["key"] == group), group)
            return f"{label}小计·{col}"
        return cell_key

    def applicable_equations(self, keys: set[str], printed: set[str]) -> list[Equation]:
        """The identities that apply to a report with these cells: local-variant identities
        only where their cells exist, and a group's printed subtotal in place of unprinted parts."""
        # The answer depends only on the extension cells present and on which substitutable
        # cells were printed, so it is computed once per such combination (every parse asks twice).
        signature = (frozenset(keys - self.keyset), frozenset(printed & self.substitutable))
        cached = self.equation_cache.get(signature)
        if cached is None:
            cached = self.equation_cache[signature] = self._applicable(keys, printed)
        return cached

    def _applicable(self, keys: set[str], printed: set[str]) -> list[Equation]:
        out = []
        for eq in self.equations:
            if eq.optional and not all(k in keys for k in eq.keys):
                continue
            eq = eq.substituted(printed)
            if all(k in keys for k in eq.keys):
                out.append(eq)
        return out

    def covers_year(self, year: int) -> bool:
        return year >= self.first_year and (self.last_year is None or year <= self.last_year)


def _expand(identity: dict) -> list[Equation]:
    names, values = zip(*identity["over"].items(), strict=True)
    out = []
    for combo in itertools.product(*values):
        env = dict(zip(names, combo, strict=True))
        subs = tuple(
            (tuple(p.format(**env) for p in s["replace"]), tuple(b.format(**env) for b in s["by"]))
            for s in identity.get("substitutes", [])
        )
        out.append(
            Equation(
                rule=identity["id"],
                name=identity["name"],
                lhs=tuple(k.format(**env) for k in identity["lhs"]),
                rhs=tuple(k.format(**env) for k in identity["rhs"]),
                optional=identity.get("optional", False),
                substitutes=subs,
            )
        )
    return out


def _columns(items: list[dict]) -> tuple[Column, ...]:
    return tuple(Column(c["key"], c["label"], c["kind"], tuple(c.get("hints", ()))) for c in items)


def _build(raw: dict) -> Template:
    tables = raw["tables"]
    rows: list[RowSpec] = []
    for group in tables["active"]["groups"]:
        cols = _columns(group["columns"])
        for r in group["rows"]:
            aliases = tuple(r.get("aliases", ()))
            rows.append(RowSpec("active", r["key"], r["label"], cols, heading=group["heading"], aliases=aliases))
    req_cols = _columns(tables["requests"]["columns"])
    for r in tables["requests"]["rows"]:
        rows.append(
            RowSpec(
                "requests",
                r["key"],
                r["text"],
                req_cols,
                ordinal=r["ordinal"],
                group=r.get("group"),
                aliases=tuple(r.get("aliases", ())),
            )
        )
    app_cols = _columns(tables["appeals"]["columns"])
    for g in tables["appeals"]["groups"]:
        rows.append(RowSpec("appeals", g["key"], g["label"], app_cols, heading=g.get("parent")))
    first, last = raw["years"]
    equations = tuple(eq for ident in raw["identities"] for eq in _expand(ident))
    return Template(
        id=raw["id"],
        title=raw["title"],
        instrument=raw["instrument"],
        first_year=first,
        last_year=last,
        signals=tuple(raw["signals"]),
        sections=tuple(Section(s["key"], s["ordinal"], s["text"], tuple(s["variants"])) for s in raw["sections"]),
        rows=tuple(rows),
        equations=equations,
        requests_columns=req_cols,
        appeals_columns=app_cols,
        requests_groups=tuple(tables["requests"]["groups"]),
        extension_columns=_columns(tables["requests"]["extension_columns"]),
        extras=tuple(raw["extras"]),
        raw=raw,
        kinds={r.cell_key(c.key): c.kind for r in rows for c in r.columns},
        keyset=frozenset(r.cell_key(c.key) for r in rows for c in r.columns),
        substitutable=frozenset(k for eq in equations for parts, by in eq.substitutes for k in (*parts, *by)),
    )


@cache
def get_template(template_id: str) -> Template:
    """The template with this id (``"2019"`` or ``"2021"``)."""
    if template_id not in TEMPLATE_IDS:
        raise KeyError(f"unknown template {template_id!r}; known: {', '.join(TEMPLATE_IDS)}")
    text = resources.files("ogi.model").joinpath("templates", f"{template_id}.json").read_text("utf-8")
    return _build(json.loads(text))


def all_templates() -> tuple[Template, ...]:
    return tuple(get_template(t) for t in TEMPLATE_IDS)
