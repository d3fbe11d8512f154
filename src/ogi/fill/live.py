"""The checks the 填报 form runs as the author types: pure, and fast enough for every keystroke.

The rules are :mod:`ogi.check`'s, applied to the draft as a report, and (with last year's report)
:mod:`ogi.store.crossyear`'s; nothing here restates an identity. What this module adds is what a
form needs from a finding: which cell to mark, and the value that cell would need.

- The marked cell is the one the broken identities share most: one wrong cell breaks every identity
  it is in (a wrong （七）总计·自然人 breaks I1, I2 and I3), so all of them point at it. Where no
  cell is shared, an identity with one cell on its left marks that cell (a 总计, a 小计), and I1
  (本年新收 + 上年结转 = 办理结果总计 + 结转下年度) marks 结转下年度继续办理, the remainder an author
  computes last. ``expected`` is the value the marked cell needs for its identity to hold.
- ``suggestions``: empty cells whose value the identities already fix from filled ones (a total
  whose parts are all in), for the form to offer.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from ogi.check import check_report
from ogi.check.identities import active_equations
from ogi.fill.draft import Draft
from ogi.model import Finding, Report, get_template
from ogi.model.report import Number, json_number
from ogi.model.template import Equation

IDENTITY_RULES = frozenset({"I1", "I2", "I3", "I4", "I7", "I8"})
QUIET_RULES = frozenset({"NOT_ASSESSABLE"})
"""Said of every half-filled draft; the form shows ``unfilled`` instead."""


@dataclass(frozen=True, slots=True)
class Broken:
    """One identity the draft breaks."""

    rule: str
    keys: tuple[str, ...]
    """Every cell of the identity, the marked one included."""
    mark: str
    """The cell to mark."""
    expected: Number
    """The value ``mark`` would need for the identity to hold, the other cells as they are."""
    value: Number | None
    """The value ``mark`` has."""
    message: str


@dataclass(frozen=True, slots=True)
class Notice:
    """A finding that is not an identity: a sign, table 二 plausibility, the date, a number in the
    narrative, or a difference from last year's report."""

    rule: str
    severity: str
    keys: tuple[str, ...]
    message: str
    expected: str | None = None


@dataclass(frozen=True, slots=True)
class LiveCheck:
    broken: list[Broken] = field(default_factory=list)
    warnings: list[Notice] = field(default_factory=list)
    suggestions: dict[str, Number] = field(default_factory=dict)
    unfilled: list[str] = field(default_factory=list)
    """Cells of the template still empty, in table order."""

    @property
    def ok(self) -> bool:
        """No identity broken and nothing left empty: ready to render and ingest."""
        return not self.broken and not self.unfilled

    def marks(self) -> dict[str, Number]:
        """Each marked cell → its expected value (the first identity's, when several mark it)."""
        out: dict[str, Number] = {}
        for b in self.broken:
            out.setdefault(b.mark, b.expected)
        return out

    def to_json(self) -> dict[str, Any]:
        def plain(d: dict[str, Any]) -> dict[str, Any]:
            return {k: json_number(v) if isinstance(v, int | Decimal) else v for k, v in d.items()}

        return {
            "ok": self.ok,
            "broken": [plain(asdict(b)) for b in self.broken],
            "warnings": [asdict(w) for w in self.warnings],
            "suggestions": {k: json_number(v) for k, v in self.suggestions.items()},
            "unfilled": self.unfilled,
        }


def _plain(value: Decimal) -> Number:
    return int(value) if value == value.to_integral_value() else value


def _broken(finding: Finding, eq: Equation, values: dict[str, Number | None], shared: Counter[str]) -> Broken:
    lhs, rhs = Decimal(finding.printed or 0), Decimal(finding.expected or 0)
    default = eq.lhs[0] if len(eq.lhs) == 1 else eq.rhs[-1]
    mark = max(eq.keys, key=lambda k: (shared[k], k == default))
    value = Decimal(values[mark] or 0)
    # The value that makes the two sides equal, the other cells as they are.
    expected = value + (rhs - lhs if mark in eq.lhs else lhs - rhs)
    return Broken(finding.rule, eq.keys, mark, _plain(expected), values.get(mark), finding.message)


def _suggestions(report: Report, values: dict[str, Number | None]) -> dict[str, Number]:
    found: dict[str, Number | None] = {}
    for eq in active_equations(get_template(report.template or "2021"), report):
        empty = [k for k in eq.keys if values.get(k) is None]
        if len(empty) != 1:
            continue
        key = empty[0]
        lhs = sum(Decimal(values[k] or 0) for k in eq.lhs)
        rhs = sum(Decimal(values[k] or 0) for k in eq.rhs)
        solved = rhs - lhs if key in eq.lhs else lhs - rhs
        value = _plain(solved) if solved >= 0 else None
        # Two identities that fix one cell differently: offer neither, the draft is inconsistent.
        found[key] = value if found.get(key, value) == value else None
    return {k: v for k, v in found.items() if v is not None}


def check_draft(draft: Draft, last: Report | Draft | None = None) -> LiveCheck:
    """Check a partial or full draft; ``last`` (last year's report of the unit) adds the
    cross-year warnings: 上年结转, 上一年项目数量, 现行有效件数, text copied from last year."""
    report = draft.to_report(check=False)
    values = report.values()
    findings = check_report(report)
    equations = {eq.keys: eq for eq in active_equations(get_template(draft.template), report)}
    identities = [f for f in findings if f.rule in IDENTITY_RULES and tuple(f.keys) in equations]
    shared = Counter(k for f in identities for k in f.keys)
    broken = [_broken(f, equations[tuple(f.keys)], values, shared) for f in identities]
    warnings = [
        Notice(f.rule, f.severity, tuple(f.keys), f.message, f.expected)
        for f in findings
        if f.rule not in QUIET_RULES and f.rule not in IDENTITY_RULES
    ]
    if last is not None:
        warnings += _cross_year(draft, last if isinstance(last, Draft) else Draft.from_report(last))
    t = get_template(draft.template)
    return LiveCheck(
        broken=broken,
        warnings=warnings,
        suggestions=_suggestions(report, values),
        unfilled=[k for k in t.keys if values.get(k) is None and not _substituted(k, values)],
    )


def _substituted(key: str, values: dict[str, Number | None]) -> bool:
    """A 2021 （六）其他处理 part of a draft that prints the single 2019-style row instead."""
    if not key.startswith("requests.other.") or key.count(".") != 3:
        return False
    return values.get(f"requests.other.subtotal.{key.rsplit('.', 1)[1]}") is not None


def _cross_year(draft: Draft, last: Draft) -> list[Notice]:
    if draft.year is None or last.year is None or last.year != draft.year - 1:
        return []
    from ogi.store.crossyear import compare_years

    found = compare_years(
        draft.cells,
        last.cells,
        year=draft.year,
        template=draft.template,
        prev_template=last.template,
        texts=draft.sections,
        prev_texts=last.sections,
    )
    return [Notice(f.rule, f.severity, tuple(f.keys), f.message, f.expected) for f in found]
