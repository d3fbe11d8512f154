"""Cell-level rules: kinds and signs, missing and empty cells, flagged readings, units."""

from __future__ import annotations

from decimal import Decimal

from ogi.model import Finding, Report
from ogi.model.report import Severity
from ogi.model.template import Template


def _label(template: Template, key: str) -> str:
    return template.label_of(key) if not key.startswith("active.extra.") else key


def check_kinds(report: Report, template: Template) -> list[Finding]:
    out = []
    for key, cell in report.cells.items():
        if cell.value is None or key.startswith("active.extra."):
            continue
        kind = template.kind_of(key) if key.split(".")[0] in ("active", "requests", "appeals") else "count"
        if kind == "count" and isinstance(cell.value, Decimal):
            out.append(
                Finding(
                    rule="KIND_NOT_INTEGER",
                    severity="error",
                    keys=[key],
                    printed=str(cell.value),
                    message=f"「{_label(template, key)}」应为整数，印为{cell.value}。",
                )
            )
        if kind != "change" and cell.value < 0:
            out.append(
                Finding(
                    rule="KIND_NEGATIVE",
                    severity="error",
                    keys=[key],
                    printed=str(cell.value),
                    message=f"「{_label(template, key)}」不能为负数，印为{cell.value}。",
                )
            )
    return out


FLAG_FINDINGS: dict[str, tuple[str, Severity, str]] = {
    "inferred": ("INFERRED_VALUE", "info", "{n}个单元格原文未填，已按勾稽关系唯一推出（已标记为推算值）。"),
    "missing": ("MISSING_CELL", "warning", "{n}个单元格原文没有数值：{names}。请补全或核对原文。"),
    "blank": ("BLANK_CELL", "warning", "{n}个单元格留空（未填0）：{names}。按格式要求应填写数字，零值写0。"),
    "na": ("PLACEHOLDER_CELL", "warning", "{n}个单元格填写了“/”“—”或“无”等符号而非数字：{names}。零值应写0。"),
    "unreadable": ("UNREADABLE_CELL", "error", "{n}个单元格的内容不是数字，无法读取：{names}。请对照原文核实。"),
}


def _shown(value: object) -> str:
    return "空" if value is None else str(value)


def check_flags(report: Report, template: Template) -> list[Finding]:
    """One finding per kind of flag, naming every cell that has it."""
    groups: dict[str, list[str]] = {}
    for key, cell in report.cells.items():
        if cell.flag:
            groups.setdefault(cell.flag, []).append(key)
        if cell.semantic == "text" and cell.flag != "unreadable":  # printed as text, value found otherwise
            groups.setdefault("unreadable", []).append(key)
    out = []
    if report.meta.get("solver_exhausted"):
        out.append(
            Finding(
                rule="SOLVER_LIMIT",
                severity="warning",
                keys=groups.get("uncertain", []),
                message="连写数字的拆分组合过多，未能穷尽检验；所有可能拆分不唯一的单元格均标记为不确定。",
            )
        )
    if keys := groups.get("uncertain"):
        detail = "；".join(
            f"{_label(template, k)}取{_shown(report.cells[k].value)}（另可能为"
            f"{'、'.join(_shown(a) for a in report.cells[k].alternatives)}）"
            for k in keys[:8]
        )
        more = "……" if len(keys) > 8 else ""
        out.append(
            Finding(
                rule="UNCERTAIN_VALUE",
                severity="warning",
                keys=keys,
                message=f"{len(keys)}个单元格的数字连在一起、位置错乱或识别（OCR）不确定，无法唯一确定：{detail}{more}。请对照原文核实。",
            )
        )
    for flag, (rule, severity, text) in FLAG_FINDINGS.items():
        if keys := groups.get(flag):
            names = "、".join(_label(template, k) for k in keys[:6]) + ("等" if len(keys) > 6 else "")
            out.append(Finding(rule=rule, severity=severity, keys=keys, message=text.format(n=len(keys), names=names)))
    return out


def check_ocr_corrected(report: Report, template: Template) -> list[Finding]:
    """Cells where OCR's text broke an identity and the one other reading it offered that keeps the
    identities was taken: right by the identities, but said, with what was recognised."""
    keys = [k for k in report.meta.get("ocr_corrected") or [] if k in report.cells]
    if not keys:
        return []
    cells = report.cells
    detail = "；".join(f"「{_label(template, k)}」识别为{_recognised(report, k)}，取{cells[k].value}" for k in keys)
    return [
        Finding(
            rule="OCR_CORRECTED",
            severity="warning",  # a misprinted total reads like a misread digit: a person must look
            keys=keys,
            message=f"{len(keys)}个单元格的OCR识别结果不符合勾稽关系，已改取唯一符合的另一种识别：{detail}。请对照原文核实。",
        )
    ]


def _recognised(report: Report, key: str) -> str:
    p = report.cells[key].provenance
    return p.raw if p is not None and p.raw else "?"


def check_units(report: Report, template: Template) -> list[Finding]:
    out = []
    header_units = report.meta.get("amount_units", {})
    for key, cell in report.cells.items():
        p = cell.provenance
        if key in header_units and not header_units[key] and p is not None and p.unit is None and cell.value:
            out.append(
                Finding(
                    rule="UNIT_AMBIGUOUS",
                    severity="warning",
                    keys=[key],
                    printed=p.raw,
                    message=f"「{_label(template, key)}」印为{p.raw}，表头和数值都未注明单位；"
                    "按格式以万元计，请确认原文是否以元为单位。",
                )
            )
        if p and p.unit == "元":
            out.append(
                Finding(
                    rule="UNIT_CONVERTED",
                    severity="info",
                    keys=[key],
                    printed=p.raw,
                    message=f"「{_label(template, key)}」原文以元为单位（{p.raw}），已换算为{cell.value}万元。",
                )
            )
    return out
