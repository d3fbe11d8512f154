"""Completeness and layout: missing sections, tables and rows; labels that differ from the
template; extra or misplaced values; text inside a table that is not part of the format."""

from __future__ import annotations

from ogi.extract.align import Placement
from ogi.extract.normalize import fold
from ogi.extract.tables import APPEALS_HEADER as APPEALS_WORDS
from ogi.extract.tables import RowRead, TablesRead
from ogi.model import Finding, Report
from ogi.model.template import Template

TABLE_NAMES = {
    "active": "二、主动公开政府信息情况",
    "requests": "三、收到和处理政府信息公开申请情况",
    "appeals": "四、政府信息公开行政复议、行政诉讼情况",
}
ISSUE_TEXT = {
    "EXTRA_VALUES": (
        "warning",
        "「{label}」印有{n}个数值，多于格式规定的{k}列；多余的数值已按勾稽关系排除，请核对原文。",
    ),
    "ROW_SHORT": ("warning", "「{label}」一行只印有{n}个数值（应为{k}个），缺少的单元格记为空值，未作猜测。"),
    "COLUMNS_SHIFTED": (
        "warning",
        "「{label}」一行的单元格与表头错位（转换时合并单元格丢失或增加了列），数值按表头位置对齐。",
    ),
    "ROW_SUM_BROKEN": (
        "warning",
        "「{label}」一行的连写数字“{detail}”无论如何拆分都不满足行合计，已按其他勾稽关系选取。",
    ),
    "DUPLICATE_ROW": ("warning", "「{label}」一行印了两次，数值不同；已按勾稽关系选取，无法确定的单元格标记为不确定。"),
    "CELL_PLACED": (
        "info",
        "「{label}」一行少印了数值，表格外单独一行印出的{detail}按顺序补入此行；"
        "所在列由勾稽关系、数值的注释或正文确定，无法确定的单元格标记为不确定。",
    ),
    "ROW_CONTINUED": (
        "info",
        "「{label}」一行被分页截断，其余数值{detail}印在下一页的表格片段中，已按勾稽关系接回此行。",
    ),
    "UNSPLITTABLE": ("error", "「{label}」一行的数字“{detail}”无法拆分为本行各列，数值记为空。"),
    "SPLIT_TOO_LONG": ("error", "「{label}」一行的连写数字“{detail}”过长，无法可靠拆分，数值记为空。"),
}


def check_structure(report: Report, template: Template, tables: TablesRead) -> list[Finding]:
    out: list[Finding] = []
    for section in template.sections:
        if section.key not in report.sections:
            out.append(
                Finding(
                    rule="MISSING_SECTION",
                    severity="warning",
                    message=f"未找到第{section.ordinal.rstrip('、')}部分「{section.ordinal}{section.text}」的标题。",
                )
            )
    for table, name in TABLE_NAMES.items():
        if not tables.found.get(table):
            keys = [k for k in template.keys if k.startswith(table + ".")]
            out.append(
                Finding(
                    rule="MISSING_TABLE",
                    severity="error",
                    keys=keys,
                    message=f"未找到表格「{name}」，其数据全部记为空值。",
                )
            )
    placed = {k: p for p in tables.placements for k in p.placed_keys}
    for rr in tables.rows:
        if not tables.found.get(rr.table):
            continue
        if rr.keys and rr.keys[0] in placed:
            out.append(_placed(rr, placed[rr.keys[0]]))
        elif rr.hit is None:
            out.append(
                Finding(
                    rule="MISSING_ROW",
                    severity="error",
                    keys=list(rr.keys),
                    message=f"表格中缺少「{rr.official}」一行，其数值记为空值。",
                )
            )
        elif rr.loose:
            out.append(
                Finding(
                    rule="MISSING_ROW",
                    severity="error",
                    keys=list(rr.keys),
                    printed=rr.hit.printed,
                    message=f"「{rr.official}」的行标题单独印在表格外（{rr.where or '转换时移出'}），"
                    "未找到可归入此行的数值，其数值记为空值。",
                )
            )
        if rr.hit is None or rr.loose:
            continue
        if not rr.hit.exact and rr.table != "appeals":
            out.append(
                Finding(
                    rule="LABEL_ALTERED",
                    severity="warning",
                    keys=list(rr.keys),
                    printed=rr.hit.printed,
                    expected=rr.official,
                    message=f"行标题印为「{rr.hit.printed}」，与格式规定的「{rr.official}」不一致。",
                )
            )
        if rr.values is None:
            continue
        for rule, detail in rr.values.issues:
            severity, text = ISSUE_TEXT[rule]
            n, _, k = detail.partition("/")
            out.append(
                Finding(
                    rule=rule,
                    severity=severity,
                    keys=list(rr.keys),
                    printed=detail,  # type: ignore[arg-type]
                    message=text.format(label=rr.official, detail=detail, n=n, k=k),
                )
            )
    for orphan in tables.unplaced:
        n = orphan.numbers
        out.append(
            Finding(
                rule="ROW_UNPLACED",
                severity="warning",
                printed=n.printed,
                message=f"表格中有一行数值“{n.printed}”（{n.where}）没有行标题，按表格行序和勾稽关系都无法确定"
                "它属于哪一行，未采用。请对照原文核实。",
            )
        )
    for table, cell in tables.loose_left:
        out.append(
            Finding(
                rule="LOOSE_CELL",
                severity="info",
                printed=cell.text,
                message=f"表格「{TABLE_NAMES[table]}」外单独一行印有数值“{cell.text}”（{cell.where}），"
                "无法确定它属于哪个单元格，未采用。",
            )
        )
    for key, (_, label) in tables.extras.items():
        out.append(
            Finding(
                rule="EXTRA_LINE",
                severity="info",
                keys=[key],
                message=f"表格中有格式以外的内容「{label}」，已单独记录，不参与勾稽关系。",
            )
        )
    furniture = _furniture(template)
    for piece in tables.junk:
        text = piece.text.strip()
        if len(_residue(text, furniture)) >= 4:
            out.append(
                Finding(
                    rule="UNEXPECTED_TEXT",
                    severity="info",
                    printed=text[:60],
                    message=f"表格内有无法识别的文字「{text[:30]}」（{piece.where}），已忽略。",
                )
            )
    layout = report.meta.get("table3_layout")
    if template.id == "2021" and layout == "2019":
        out.append(
            Finding(
                rule="TEMPLATE_MIXED",
                severity="warning",
                keys=[k for k in report.cells if k.startswith("requests.other.")],
                message="表三沿用了2019年格式的单行「（六）其他处理」，未按2021年格式分列三个子项；"
                "该行数值记为其他处理小计，三个子项记为空值。",
            )
        )
    return out


def _placed(rr: RowRead, placement: Placement) -> Finding:
    assert placement.chosen is not None
    row_at = next(j for j, r in enumerate(placement.rows) if r.keys == rr.keys)
    orphan = placement.orphans[placement.chosen.index(row_at)] if row_at in placement.chosen else None
    numbers = f"“{orphan.numbers.printed}”（{orphan.numbers.where}）" if orphan else ""
    why = "行标题单独印在表格外" if rr.loose else "行标题缺失或残缺"
    return Finding(
        rule="ROW_PLACED",
        severity="info",
        keys=list(rr.keys),
        printed=orphan.numbers.printed if orphan else None,
        message=f"「{rr.official}」一行{why}，数值{numbers}按表格行序归入此行；"
        "有勾稽关系核对的为确定值，否则标记为不确定。",
    )


def _furniture(template: Template) -> list[str]:
    """Every printed word of the tables' headers and group labels, longest first."""
    raw = template.raw["tables"]
    words = {
        "信息内容",
        "申请人情况",
        "法人或其他组织",
        "三、本年度办理结果",
        "本年度办理结果",
        "单位",
        "万元",
        "元",
        "保留4位小数",
        raw["requests"]["note"],
        *APPEALS_WORDS,
    }
    for g in raw["active"]["groups"]:
        words.add(g["heading"])
        words.update(c["label"] for c in g["columns"])
    for g in raw["requests"]["groups"]:
        words.update({g["ordinal"] + g["text"], g["text"]})
    words.update(c["label"] for c in raw["requests"]["columns"])
    words.update(s.ordinal + s.text for s in template.sections)
    # Converters repeat a table's caption over each of its fragments: "表三：收到和处理政府信息公开申请情况".
    words.update(s.text for s in template.sections)
    words.update(f"表{n}" for n in "一二三四")
    return sorted((fold(w) for w in words), key=len, reverse=True)


def _residue(text: str, furniture: list[str]) -> str:
    rest = fold(text)
    for w in furniture:
        rest = rest.replace(w, "")
    return rest.strip("()（）:：、.，,;；")
