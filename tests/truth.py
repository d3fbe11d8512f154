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
    """Exact equality; JSON numbers of the same decimal text are the same float."""
    return a == b and type(a) is not bool


def score(report: ogi.Report, truth: dict) -> Score:
    """Exact; flagged (uncertain with the truth among its readings, or filled with an inferred flag
    where the truth is blank); or silently wrong — including an uncertain cell none of whose
    readings is the truth."""
    s = Score()
    got = report.summary()
    for key, expected in truth["cells"].items():
        value, flag = got["cells"].get(key, "absent"), got["flags"].get(key)
        readings = [value, *got["alternatives"].get(key, [])]
        if same(value, expected):
            s.exact += 1
        elif (flag == "uncertain" and any(same(r, expected) for r in readings)) or (
            expected is None and flag == "inferred"
        ):
            s.flagged += 1
        else:
            s.wrong.append(f"{key}: truth {expected!r}, got {value!r} ({flag}, readings {readings})")
    return s
