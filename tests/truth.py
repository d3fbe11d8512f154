"""Compare a parsed report with a hand-read truth file of ../shared/corpus/truth."""

from __future__ import annotations

from dataclasses import dataclass, field

import ogi


@dataclass
class Score:
    exact: int = 0
    flagged: int = 0
    wrong: list[str] = field(default_factory=list)


def same(a: object, b: object) -> bool:
    if isinstance(a, int | float) and isinstance(b, int | float) and not isinstance(a, bool):
        return abs(float(a) - float(b)) < 1e-9
    return a == b


def score(report: ogi.Report, truth: dict) -> Score:
    """Exact, flagged (uncertain, or filled with an inferred flag where the truth is blank), or silently wrong."""
    s = Score()
    got = report.summary()
    for key, expected in truth["cells"].items():
        value, flag = got["cells"].get(key, "absent"), got["flags"].get(key)
        if same(value, expected):
            s.exact += 1
        elif flag == "uncertain" or (expected is None and flag == "inferred"):
            s.flagged += 1
        else:
            s.wrong.append(f"{key}: truth {expected!r}, got {value!r} ({flag})")
    return s
