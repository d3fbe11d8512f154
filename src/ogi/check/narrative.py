"""The narrative against the tables: explicit statements only ("收到申请N件", "行政复议N件").

A mismatch is reported with both numbers; the table is never "fixed" from the text. Each
statement is compared with the set of cells a report could reasonably mean by it (received
this year, or including last year's carry-over), so that honest wording does not raise a finding.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ogi.model import Finding, Report

Candidates = Callable[[Report], list[int]]
NUM = r"(\d{1,7})"


def _get(report: Report, *keys: str) -> int | None:
    vals = [report.cells[k].value if k in report.cells else None for k in keys]
    if any(v is None for v in vals):
        return None
    return int(sum(vals))  # type: ignore[arg-type]


def _received(r: Report) -> list[int]:
    c = [_get(r, "requests.new.total"), _get(r, "requests.new.total", "requests.carried_over.total")]
    return [x for x in c if x is not None]


def _answered(r: Report) -> list[int]:
    return [x for x in (_get(r, "requests.total.total"),) if x is not None]


def _review(r: Report) -> list[int]:
    return [x for x in (_get(r, "appeals.review.total"),) if x is not None]


def _suits(r: Report) -> list[int]:
    c = [_get(r, "appeals.suit_direct.total", "appeals.suit_after_review.total"), _get(r, "appeals.suit_direct.total")]
    return [x for x in c if x is not None]


STATEMENTS: list[tuple[str, re.Pattern[str], Candidates, list[str]]] = [
    (
        "收到政府信息公开申请",
        re.compile(
            r"(?:新收|收到|受理)[^。；，,\d]{0,12}?(?:政府信息公开|依申请公开)?申请(?:共|总计|合计)?" + NUM + r"件"
        ),
        _received,
        ["requests.new.total"],
    ),
    (
        "未收到政府信息公开申请",
        # Not "未发生因依申请公开被行政复议纠错…": that says no appeal arose from a request.
        re.compile(r"(?:未收到|没有收到|未发生)[^。；因]{0,16}?(?:政府信息公开申请|依申请公开)"),
        lambda r: [x for x in (_get(r, "requests.new.total"),) if x is not None],
        ["requests.new.total"],
    ),
    (
        "办结政府信息公开申请",
        re.compile(r"(?:办结|答复)[^。；，,\d]{0,8}?(?:申请)?(?:共|总计|合计)?" + NUM + r"件"),
        _answered,
        ["requests.total.total"],
    ),
    (
        "行政复议",
        re.compile(r"(?<!未经)行政复议(?:案件)?(?:共|总计|合计)?" + NUM + r"(?:件|起)"),
        _review,
        ["appeals.review.total"],
    ),
    (
        "行政诉讼",
        re.compile(r"行政诉讼(?:案件)?(?:共|总计|合计)?" + NUM + r"(?:件|起)"),
        _suits,
        ["appeals.suit_direct.total", "appeals.suit_after_review.total"],
    ),
]


def _decided(report: Report) -> list[Finding]:
    decided: dict[str, str] = report.meta.get("narrative_decided") or {}
    if not decided:
        return []
    statements = "；".join(dict.fromkeys(decided.values()))
    return [
        Finding(
            rule="NARRATIVE_DECIDED",
            severity="info",
            keys=list(decided),
            message=f"{len(decided)}个单元格的数值有几种可能的读法，勾稽关系无法区分，按正文所述（{statements}）选定。",
        )
    ]


def check_narrative(report: Report) -> list[Finding]:
    text = "".join(
        (report.sections[k].text if k in report.sections else "") for k in ("overview", "requests", "appeals")
    )
    text = "".join(text.split())
    out: list[Finding] = _decided(report)
    for name, pattern, candidates, keys in STATEMENTS:
        m = pattern.search(text)
        if not m:
            continue
        stated = int(m.group(1)) if m.groups() else 0
        table = sorted(set(candidates(report)))
        if table and stated not in table:
            out.append(
                Finding(
                    rule="NARRATIVE_MISMATCH",
                    severity="warning",
                    keys=keys,
                    printed=str(stated),
                    expected=" 或 ".join(str(t) for t in table),
                    message=f"正文称“{m.group(0)}”（{name}{stated}件），表格为{'或'.join(map(str, table))}件，"
                    "请核对正文与表格是否一致。",
                )
            )
    return out
