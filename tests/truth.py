"""Compare a parsed report with a hand-read truth file of ../shared/corpus/truth, cell by cell.

The rule, for every cell key of the truth file:

- **exact**: the value ogi gives equals the truth (a null truth and a null value are equal, whatever
  the flag says: ``missing``, ``blank``, ``na``).
- **forced**: the truth is null (the document prints nothing there), and ogi flags the cell
  ``inferred`` with exactly the value that the truth's own printed cells force through identities
  1–4 of ``../shared/spec/cell-keys.md``. That value is computed here from the truth file alone, not
  by ogi's solver (:func:`forced_values`). An inferred value that the truth does not force is wrong.
- **ranked**: ogi flags the cell ``uncertain`` and the truth is one of its other readings; the
  reading's place (2 for the first alternative, …) is part of the result, so moving the truth to
  another reading changes the result.
- **wrong**: anything else — in particular an uncertain cell none of whose readings is the truth.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from fractions import Fraction

import ogi

COLUMNS = ("natural", "commercial", "research", "nonprofit", "legal", "other_org")
APPEAL_PARTS = ("upheld", "corrected", "other", "pending")
NOT_OUTCOMES = {"new", "carried_over", "total", "carried_forward"}


@dataclass
class Score:
    exact: int = 0
    forced: int = 0
    ranked: dict[str, int] = field(default_factory=dict)
    wrong: dict[str, str] = field(default_factory=dict)


def same(a: object, b: object) -> bool:
    """Exact equality; JSON numbers of the same decimal text are the same float."""
    return a == b and type(a) is not bool and type(b) is not bool


Equation = tuple[tuple[str, ...], tuple[str, ...]]


def identities(keys: set[str]) -> Iterator[Equation]:
    """Identities 1–4 of the spec over the canonical keys present, written from the spec's text."""
    rows = sorted({k.rsplit(".", 1)[0].removeprefix("requests.") for k in keys if k.startswith("requests.")})
    for c in (*COLUMNS, "total"):
        yield (
            (f"requests.new.{c}", f"requests.carried_over.{c}"),
            (f"requests.total.{c}", f"requests.carried_forward.{c}"),
        )
        yield (f"requests.total.{c}",), tuple(f"requests.{r}.{c}" for r in rows if r not in NOT_OUTCOMES)
    for r in rows:
        yield (f"requests.{r}.total",), tuple(f"requests.{r}.{c}" for c in COLUMNS)
    groups = sorted({k.split(".")[1] for k in keys if k.startswith("appeals.")})
    for g in groups:
        yield (f"appeals.{g}.total",), tuple(f"appeals.{g}.{p}" for p in APPEAL_PARTS)


def forced_values(cells: dict[str, object]) -> dict[str, Fraction]:
    """The null cells whose value the printed ones force, as counts can be: one unknown term of an
    identity is its difference (when not negative); unknown terms all on one side of an identity
    whose known difference is 0 are all 0. Repeated until nothing changes."""
    known = {k: Fraction(str(v)) for k, v in cells.items() if v is not None}
    equations = [eq for eq in identities(set(cells)) if all(k in cells for side in eq for k in side)]
    out: dict[str, Fraction] = {}
    changed = True
    while changed:
        changed = False
        for lhs, rhs in equations:
            for side, other in ((lhs, rhs), (rhs, lhs)):
                unknown = [k for k in side if k not in known]
                if not unknown or any(k not in known for k in other):
                    continue
                rest = sum((known[k] for k in other), Fraction(0)) - sum(
                    (known[k] for k in side if k in known), Fraction(0)
                )
                if len(unknown) == 1 and rest >= 0:
                    known[unknown[0]] = out[unknown[0]] = rest
                    changed = True
                elif rest == 0:
                    for k in unknown:
                        known[k] = out[k] = Fraction(0)
                    changed = True
    return out


def score(report: ogi.Report, truth: dict) -> Score:
    s = Score()
    got = report.summary()
    forced = forced_values(truth["cells"])
    for key, expected in truth["cells"].items():
        value, flag = got["cells"].get(key, "absent"), got["flags"].get(key)
        readings = [value, *got["alternatives"].get(key, [])]
        if same(value, expected):
            s.exact += 1
        elif expected is None and flag == "inferred" and key in forced and Fraction(str(value)) == forced[key]:
            s.forced += 1
        elif flag == "uncertain" and any(same(r, expected) for r in readings):
            s.ranked[key] = 1 + next(i for i, r in enumerate(readings) if same(r, expected))
        else:
            s.wrong[key] = f"truth {expected!r}, got {value!r} ({flag or 'no flag'}, readings {readings})"
    return s
