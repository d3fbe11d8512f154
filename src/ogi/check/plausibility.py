"""Soft rules a reviewer would raise: table 二 values that are possible but unlikely, a
template that does not match the year, a report published after its legal deadline."""

from __future__ import annotations

from datetime import date

from ogi.model import Finding, Report
from ogi.model.template import Template

NO_RULE_MAKING = ("街道", "乡", "镇", "局", "委员会", "办公室", "中心", "区人民政府", "县人民政府", "县政府", "区政府")
DEPARTMENT_SUFFIXES = ("局", "委员会", "委", "厅", "办公室", "办", "中心", "署", "院", "所", "站", "队")
GOVERNMENT_MARKERS = ("人民政府", "政府", "管委会", "管理委员会", "街道", "乡", "镇", "办事处")


def _v(report: Report, key: str) -> float | None:
    cell = report.cells.get(key)
    return float(cell.value) if cell is not None and cell.value is not None else None


def check_active(report: Report, template: Template) -> list[Finding]:
    out: list[Finding] = []
    if template.id == "2019":
        for row in ("rules", "normative"):
            new, total = _v(report, f"active.{row}.new_published"), _v(report, f"active.{row}.total_published")
            if new is not None and total is not None and new > total:
                keys = [f"active.{row}.new_published", f"active.{row}.total_published"]
                out.append(
                    Finding(
                        rule="T2_NEW_GT_TOTAL",
                        severity="warning",
                        keys=keys,
                        message=f"「{template.label_of(keys[0])}」{new:g}大于「{template.label_of(keys[1])}」"
                        f"{total:g}，本年新公开数量通常不超过对外公开总数量。",
                    )
                )
        for row in ("licensing", "other_services", "penalty", "coercion", "fees"):
            prev, change = _v(report, f"active.{row}.prev_count"), _v(report, f"active.{row}.change")
            if prev is not None and change is not None and prev + change < 0:
                keys = [f"active.{row}.prev_count", f"active.{row}.change"]
                out.append(
                    Finding(
                        rule="T2_NEGATIVE_BALANCE",
                        severity="warning",
                        keys=keys,
                        message=f"{template.label_of(keys[0])}{prev:g}加本年增/减{change:+g}小于0，不合常理。",
                    )
                )
    else:
        for row in ("rules", "normative"):
            made, rep, force = (_v(report, f"active.{row}.{c}") for c in ("made", "repealed", "in_force"))
            if made is not None and force is not None and made > force + (rep or 0):
                keys = [f"active.{row}.made", f"active.{row}.in_force"]
                out.append(
                    Finding(
                        rule="T2_MADE_GT_IN_FORCE",
                        severity="warning",
                        keys=keys,
                        message=f"{template.label_of(keys[0])}{made:g}大于现行有效件数{force:g}与本年废止件数之和，"
                        "本年制发的文件应计入现行有效或本年废止。",
                    )
                )
    agency = report.agency or ""
    rules_keys = [k for k in report.cells if k.startswith("active.rules.")]
    if agency.endswith(NO_RULE_MAKING) and any((report.cells[k].value or 0) > 0 for k in rules_keys):
        out.append(
            Finding(
                rule="T2_RULES_UNEXPECTED",
                severity="warning",
                keys=rules_keys,
                message=f"「{agency}」通常无规章制定权，但规章一行有非零数值，请核对是否应填入规范性文件一行。",
            )
        )
    return out


def deadline(agency: str | None, year: int) -> date:
    """The legal publication deadline (条例 art. 49): departments 1-31, governments 3-31."""
    name = agency or ""
    if name.endswith(DEPARTMENT_SUFFIXES) and not name.endswith(GOVERNMENT_MARKERS):
        return date(year + 1, 1, 31)
    return date(year + 1, 3, 31)


def _span(template: Template) -> str:
    if template.last_year is None:
        return f"{template.first_year}年起"
    return f"{template.first_year}年至{template.last_year}年"


def check_dates(report: Report, template: Template) -> list[Finding]:
    out: list[Finding] = []
    if report.year is not None and not template.covers_year(report.year):
        out.append(
            Finding(
                rule="TEMPLATE_YEAR_MISMATCH",
                severity="warning",
                message=f"{report.year}年度报告使用了{template.instrument}规定的格式（适用于{_span(template)}的报告），"
                "请确认是否使用了正确的年度报告格式。",
            )
        )
    if report.year is None:
        out.append(Finding(rule="MISSING_YEAR", severity="warning", message="未能从标题或正文确定报告年度。"))
    if report.agency is None:
        out.append(Finding(rule="MISSING_AGENCY", severity="warning", message="未能从标题确定发布机关名称。"))
    elif report.region is not None and report.region.ambiguous:
        names = "、".join(name for _, name in report.region.candidates[:5])
        out.append(
            Finding(
                rule="REGION_AMBIGUOUS",
                severity="info",
                message=f"「{report.agency}」对应多个行政区划（{names}），正文也未能确定，未作猜测。",
            )
        )
    elif report.region is not None and report.region.code is None:
        out.append(
            Finding(
                rule="REGION_UNKNOWN",
                severity="info",
                message=f"未能确定「{report.agency}」所在的行政区划：{report.region.reason}",
            )
        )
    if report.published and report.year:
        limit = deadline(report.agency, report.year)
        if report.published > limit:
            out.append(
                Finding(
                    rule="PUBLISHED_LATE",
                    severity="warning",
                    printed=report.published.isoformat(),
                    expected=f"≤ {limit.isoformat()}",
                    message=f"发布日期{report.published.isoformat()}晚于法定期限{limit.isoformat()}"
                    "（条例第四十九条：部门1月31日前、政府3月31日前）。",
                )
            )
        if report.published.year <= report.year:  # the statistics run to 31 December
            out.append(
                Finding(
                    rule="PUBLISHED_BEFORE_YEAR_END",
                    severity="warning",
                    message=f"发布日期{report.published.isoformat()}早于报告年度{report.year}年结束。",
                )
            )
    return out
