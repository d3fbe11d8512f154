"""The 勾稽关系: every identity of the template, per column, row and group.

An identity with an unprinted term is not assessable and says so (info), never "passes".
"""

from __future__ import annotations

from ogi.model import Finding, Report
from ogi.model.report import Number
from ogi.model.template import Equation, Template

RULE_TEXT = {
    "I1": "第一项加第二项之和应等于第三项加第四项之和",
    "I2": "总计应等于自然人与法人或其他组织各列之和",
    "I3": "（七）总计应等于各项办理结果之和",
    "I4": "总计应等于结果维持、结果纠正、其他结果、尚未审结之和",
    "I7": "法人或其他组织小计应等于其五个分列之和",
    "I8": "分组小计应等于其各子项之和",
}


def active_equations(template: Template, report: Report) -> list[Equation]:
    printed = {k for k, c in report.cells.items() if c.semantic != "missing"}
    return template.applicable_equations(set(report.cells), printed)


def _fmt(v: Number) -> str:
    return str(v)


def check_identities(report: Report, template: Template) -> list[Finding]:
    findings: list[Finding] = []
    unassessable: dict[str, list[str]] = {}
    for eq in active_equations(template, report):
        values = {k: report.cells[k].value for k in eq.keys}
        if any(v is None for v in values.values()):
            unassessable.setdefault(eq.rule, []).extend(k for k, v in values.items() if v is None)
            continue
        lhs = sum(values[k] or 0 for k in eq.lhs)
        rhs = sum(values[k] or 0 for k in eq.rhs)
        if lhs == rhs:
            continue
        if len(eq.lhs) == 1:
            target = template.label_of(eq.lhs[0])
            message = (
                f"「{target}」印为{_fmt(lhs)}，但按勾稽关系应为{_fmt(rhs)}"
                f"（{RULE_TEXT.get(eq.rule, eq.name)}）。请核对这些单元格。"
            )
        else:
            message = (
                f"{'+'.join(template.label_of(k) for k in eq.lhs)} = {_fmt(lhs)}，"
                f"而 {'+'.join(template.label_of(k) for k in eq.rhs)} = {_fmt(rhs)}"
                f"（{RULE_TEXT.get(eq.rule, eq.name)}）。请核对这些单元格。"
            )
        findings.append(
            Finding(
                rule=eq.rule,
                severity="error",
                keys=list(eq.keys),
                message=message,
                expected=_fmt(rhs),
                printed=_fmt(lhs),
            )
        )
    for rule, keys in unassessable.items():
        unique = sorted(set(keys), key=keys.index)
        findings.append(
            Finding(
                rule="NOT_ASSESSABLE",
                severity="info",
                keys=unique,
                message=f"{len(unique)}个单元格未填写，勾稽关系{rule}（{RULE_TEXT.get(rule, rule)}）"
                f"有{len(unique)}处无法核验。",
            )
        )
    return findings
