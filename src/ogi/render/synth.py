"""Synthetic annual reports whose numbers satisfy every identity of their template.

They feed the renderers in :mod:`ogi.render.text`, which print them in the text shapes real reports
come in, so a parser can be tested against reports whose truth is known exactly. The numbers imitate
real ones: most cells 0, applications almost all from 自然人, a few very large 行政许可 counts.
Table 三 is built the way the identities force it: outcome rows first, totals as sums, then the
carried-over and carried-forward rows, and 本年新收 last so that I1 holds.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from ogi.model import Report
from ogi.model.template import Column, RowSpec, Template, get_template
from ogi.render._lexicon import narrative, random_agency

Number = int | Decimal

# Share of applications by applicant column and by outcome row; unlisted rows are the rare reasons.
_APPLICANT_PRESENCE = {
    "natural": 1.0,
    "commercial": 0.4,
    "research": 0.05,
    "nonprofit": 0.08,
    "legal": 0.2,
    "other_org": 0.2,
}
_APPLICANT_SHARE = {
    "natural": 1.0,
    "commercial": 0.15,
    "research": 0.02,
    "nonprofit": 0.03,
    "legal": 0.05,
    "other_org": 0.05,
}
_OUTCOME_PRESENCE = {
    "granted": 1.0,
    "partial": 0.6,
    "unable.not_held": 0.8,
    "rejected.petition": 0.4,
    "other.other": 0.5,
    "other": 0.5,
}
_OUTCOME_SHARE = {
    "granted": 0.4,
    "partial": 0.1,
    "unable.not_held": 0.2,
    "rejected.petition": 0.05,
    "other.other": 0.05,
    "other": 0.08,
}
_RARE_PRESENCE, _RARE_SHARE = 0.12, 0.02


@dataclass(frozen=True)
class SynthReport:
    """A report with known truth. ``template`` is the template id (``"2019"`` or ``"2021"``)."""

    template: str
    year: int
    agency: str
    published: date
    cells: dict[str, Number] = field(repr=False)
    sections: dict[str, str] = field(repr=False)
    labels: dict[str, str] = field(default_factory=dict, repr=False)
    """Labels of extra lines under table 二 (``active.extra.*``), when the report prints any."""

    def to_report(self) -> Report:
        """The report the renderers take (no findings: its identities hold by construction)."""
        from ogi.fill.draft import Draft

        draft = Draft(
            template=self.template,  # type: ignore[arg-type]
            year=self.year,
            agency=self.agency,
            published=self.published,
            cells=self.cells,
            sections=self.sections,
            labels=self.labels,
        )
        return draft.to_report(check=False)


def _count(rng: random.Random, mean: float) -> int:
    # Exponential with an occasional order-of-magnitude outlier: real tables are mostly small numbers.
    value = rng.expovariate(1 / max(mean, 0.5))
    if rng.random() < 0.05:
        value *= rng.uniform(5, 20)
    return int(value)


def _maybe(rng: random.Random, zero: float, mean: float) -> int:
    return 0 if rng.random() < zero else max(1, _count(rng, mean))


def _amount(rng: random.Random, zero: float) -> Decimal:
    if rng.random() < zero:
        return Decimal(rng.choice((0, "0.00", "0.0000")))
    places = rng.randint(0, 6)
    top = int(10 ** rng.uniform(0, 5))
    return Decimal(rng.randint(1, top * 10**places)).scaleb(-places)


def _change(rng: random.Random, prev: int, scale: int) -> int:
    if rng.random() < 0.45:
        return 0
    # A list can shrink at most to empty, so a decrease is bounded by last year's count.
    step = rng.randint(1, max(1, scale // 5))
    return -min(step, prev) if prev and rng.random() < 0.4 else step


def _active_row(row: RowSpec, rng: random.Random, scale: int, zero: float) -> dict[str, Number]:
    cols = {c.key for c in row.columns}
    rare = row.key == "rules"  # only provinces and big cities make 规章
    z = max(zero, 0.9) if rare else zero
    v: dict[str, Number] = {}
    if cols & {"new_made", "made"}:
        made = _maybe(rng, z, scale / 10 if rare else scale / 2)
        if "new_made" in cols:
            published = made if rng.random() < 0.7 else rng.randint(0, made)
            v |= {
                "new_made": made,
                "new_published": published,
                "total_published": published + _maybe(rng, z, scale * 3),
            }
        else:
            v |= {
                "made": made,
                "repealed": _maybe(rng, max(z, 0.7), scale / 10),
                "in_force": made + _maybe(rng, z, scale * 3),
            }
    if "prev_count" in cols:
        prev = _maybe(rng, zero, scale * 2)
        v |= {"prev_count": prev, "change": _change(rng, prev, scale)}
    if "decisions" in cols:
        heavy = row.key in ("licensing", "penalty")
        if row.key == "licensing" and rng.random() < 0.05:
            v["decisions"] = rng.randint(10**5, 10**6)
        else:
            v["decisions"] = _maybe(rng, zero, scale * (20 if heavy else 2))
    if "projects" in cols:
        v["projects"] = _maybe(rng, zero, scale)
        v["amount"] = _amount(rng, 1.0 if v["projects"] == 0 else 0.05)
    elif "amount" in cols:
        v["amount"] = _amount(rng, zero)
    for c in row.columns:  # a future template's new column still gets a value of its kind
        if c.key not in v:
            v[c.key] = _by_kind(c, rng, scale, zero)
    return {row.cell_key(c.key): v[c.key] for c in row.columns}


def _by_kind(col: Column, rng: random.Random, scale: int, zero: float) -> Number:
    if col.kind == "amount":
        return _amount(rng, zero)
    if col.kind == "change":
        return _change(rng, scale, scale)
    return _maybe(rng, zero, scale)


def _outcome_rows(t: Template) -> list[str]:
    """The rows identity I3 sums, read off the template so a new template needs no code."""
    eq = next(e for e in t.equations if e.rule == "I3")
    return [k.removeprefix("requests.").rsplit(".", 1)[0] for k in eq.rhs]


def _requests(t: Template, rng: random.Random, scale: int, zero: float) -> dict[str, int]:
    applicants = [c.key for c in t.requests_columns if c.key != "total"]
    rows: dict[str, dict[str, int]] = {}
    for r in _outcome_rows(t):
        rows[r] = {}
        for c in applicants:
            p = (1 - zero) * _APPLICANT_PRESENCE.get(c, 0.1) * _OUTCOME_PRESENCE.get(r, _RARE_PRESENCE)
            mean = scale * _APPLICANT_SHARE.get(c, 0.05) * _OUTCOME_SHARE.get(r, _RARE_SHARE)
            rows[r][c] = _maybe(rng, 1 - p, mean)
    total = {c: sum(rows[r][c] for r in list(rows)) for c in applicants}
    forward = {c: _maybe(rng, max(zero, 0.8), scale * 0.05 * _APPLICANT_SHARE.get(c, 0.05)) for c in applicants}
    # carried_over is capped so that new = total + forward - over is never negative (identity I1).
    over = {c: min(_maybe(rng, max(zero, 0.8), scale * 0.05), total[c] + forward[c]) for c in applicants}
    rows |= {
        "total": total,
        "carried_forward": forward,
        "carried_over": over,
        "new": {c: total[c] + forward[c] - over[c] for c in applicants},
    }
    out: dict[str, int] = {}
    for r, values in rows.items():
        out |= {f"requests.{r}.{c}": n for c, n in values.items()}
        out[f"requests.{r}.total"] = sum(values.values())
    return out


def _appeals(t: Template, rng: random.Random, scale: int, zero: float) -> dict[str, int]:
    out: dict[str, int] = {}
    for g in t.rows_of("appeals"):
        z = 1 - (1 - zero) * (0.3 if g.heading is None else 0.1)
        parts = {c.key: _maybe(rng, z, scale / 25) for c in g.columns if c.key != "total"}
        out |= {g.cell_key(k): n for k, n in parts.items()}
        out[g.cell_key("total")] = sum(parts.values())
    return out


def synth_cells(template_id: str, rng: random.Random, *, scale: int = 50, zero_ratio: float = 0.6) -> dict[str, Number]:
    """A value for every key of the template, satisfying identities I1–I4.

    ``scale`` is roughly the number of applications a busy row receives; ``zero_ratio`` the chance that
    an ordinary cell is 0 (rarer rows and columns are 0 more often still).
    """
    t = get_template(template_id)
    cells: dict[str, Number] = {}
    for row in t.rows_of("active"):
        cells |= _active_row(row, rng, scale, zero_ratio)
    cells |= _requests(t, rng, scale, zero_ratio)
    cells |= _appeals(t, rng, scale, zero_ratio)
    return {k: cells[k] for k in t.keys}


def synth_report(
    template_id: str, rng: random.Random, *, agency: str | None = None, year: int | None = None
) -> SynthReport:
    """A whole report: agency, year, publication date, cells and the six narrative sections."""
    t = get_template(template_id)
    if year is None:
        year = rng.randint(t.first_year, t.last_year or t.first_year + 4)
    elif not t.covers_year(year):
        raise ValueError(f"template {template_id} does not cover {year}")
    if agency is None:
        agency = random_agency(rng)
    first, last = date(year + 1, 1, 1).toordinal(), date(year + 1, 3, 31).toordinal()
    published = date.fromordinal(rng.randint(first, last))
    # Agencies differ by orders of magnitude: most street offices get no applications at all.
    scale = rng.choice((2, 5, 20, 50, 50, 200, 1000))
    cells = synth_cells(template_id, rng, scale=scale, zero_ratio=rng.uniform(0.4, 0.9))
    sections = narrative(template_id, year, agency, cells, rng)
    return SynthReport(template_id, year, agency, published, cells, sections)


def check_identities(template_id: str, cells: Mapping[str, Number | None]) -> list[str]:
    """The equations of the template that ``cells`` break, one line each.

    A mandatory equation with a cell missing or null counts as broken (it cannot be shown to hold);
    an optional one (local subtotals) is checked only when all its cells are there.
    """
    t = get_template(template_id)
    present = {k for k, v in cells.items() if v is not None}
    broken: list[str] = []
    for eq in t.equations:
        eq = eq.substituted(present)
        missing = [k for k in eq.keys if k not in present]
        if missing:
            if not eq.optional:
                broken.append(f"{eq.rule} {eq.name}: no value for {', '.join(missing)}")
            continue
        lhs = sum(Decimal(cells[k] or 0) for k in eq.lhs)
        rhs = sum(Decimal(cells[k] or 0) for k in eq.rhs)
        if lhs != rhs:
            broken.append(f"{eq.rule} {' + '.join(eq.lhs)} = {lhs} ≠ {' + '.join(eq.rhs)} = {rhs}")
    return broken
