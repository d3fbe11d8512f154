"""What a reviewer reads instead of internal names: places of cells (table, row, column, from the
template's labels), flags, severities, rules, decisions and provenance, in Chinese."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from ogi.model.template import TEMPLATE_IDS, Template, get_template

FLAGS = {
    "inferred": ("推算", "原文未印，按勾稽关系唯一推出"),
    "uncertain": ("不确定", "数字连写、错位或识别（OCR）不确定，另有可能的读法"),
    "missing": ("缺失", "原文没有这个数"),
    "blank": ("留空", "原文此格为空"),
    "na": ("符号", "原文填了“/”“—”或“无”"),
    "unreadable": ("无法识读", "原文不是数字"),
}
SEVERITIES = {"error": "错误", "warning": "警告", "info": "提示"}
DECISIONS = {"confirmed": "已确认", "dismissed": "已驳回", "open": "待处理"}
LEVELS = ("部委", "省", "市", "县区", "乡镇街道", "部门")
FORMATS = {"text": "文本", "html": "网页", "docx": "Word", "doc": "Word（doc/wps）", "pdf": "PDF", "image": "图片"}
TABLES = {"active": "表二（主动公开）", "requests": "表三（依申请公开）", "appeals": "表四（复议诉讼）"}
RULES = {
    "I1": "勾稽关系：申请数量平衡",
    "I2": "勾稽关系：申请人合计",
    "I3": "勾稽关系：办理结果合计",
    "I4": "勾稽关系：复议诉讼合计",
    "I7": "勾稽关系：法人或其他组织小计",
    "I8": "勾稽关系：分组小计",
    "NOT_ASSESSABLE": "勾稽关系无法检验",
    "KIND_NEGATIVE": "数值为负",
    "KIND_NOT_INTEGER": "数值不是整数",
    "MISSING_TABLE": "缺少表格",
    "MISSING_ROW": "缺少行",
    "MISSING_SECTION": "缺少部分标题",
    "MISSING_CELL": "缺少数值",
    "ROW_SHORT": "行内数值不全",
    "EXTRA_VALUES": "数值多于栏目",
    "COLUMNS_SHIFTED": "栏目错位",
    "UNSPLITTABLE": "连写数字无法拆分",
    "DUPLICATE_ROW": "行重复",
    "UNCERTAIN_VALUE": "读数不确定",
    "OCR_CORRECTED": "识别结果已按勾稽关系更正",
    "INFERRED_VALUE": "推算值",
    "BLANK_CELL": "单元格留空",
    "PLACEHOLDER_CELL": "以符号代替数字",
    "UNREADABLE_CELL": "单元格无法识读",
    "SOLVER_LIMIT": "拆分组合过多",
    "LABEL_ALTERED": "行标题与格式不符",
    "TEMPLATE_MIXED": "新旧格式混用",
    "TEMPLATE_YEAR_MISMATCH": "格式与年度不符",
    "EXTRA_LINE": "格式以外的行",
    "UNEXPECTED_TEXT": "表内无法识别的文字",
    "UNIT_CONVERTED": "金额单位已换算",
    "UNIT_AMBIGUOUS": "金额未注明单位",
    "PUBLISHED_LATE": "发布晚于法定期限",
    "PUBLISHED_BEFORE_YEAR_END": "发布早于年度结束",
    "MISSING_AGENCY": "未识别发布机关",
    "MISSING_YEAR": "未识别报告年度",
    "REGION_AMBIGUOUS": "行政区划不唯一",
    "REGION_UNKNOWN": "行政区划未识别",
    "NARRATIVE_MISMATCH": "正文与表格不一致",
    "X_CARRY_OVER": "与上年结转数不符",
    "X_PREV_COUNT": "与上年项目数量不符",
    "X_IN_FORCE": "与上年现行有效件数不符",
    "X_TEXT_REUSE": "与上年文字雷同",
}


def rule_name(rule: str) -> str:
    if rule in RULES:
        return RULES[rule]
    if rule.startswith("T2_"):
        return "表二数值不合常理"
    return "其他检查"


@dataclass(frozen=True, slots=True)
class Place:
    """Where a cell sits in the official tables, in the template's words."""

    table: str
    row: str
    column: str

    def __str__(self) -> str:
        return f"{self.table} · {self.row} · {self.column}" if self.column else f"{self.table} · {self.row}"


def _section_place(template: Template, key: str) -> Place:
    name = key.removeprefix("section.")
    section = next((s for s in template.sections if s.key == name), None)
    return Place("正文", f"{section.ordinal}{section.text}" if section else name, "")


@cache
def _place(template_id: str, key: str) -> Place:
    t = get_template(template_id)
    if key.startswith("section."):
        return _section_place(t, key)
    table, _, rest = key.partition(".")
    row_key, _, col = rest.rpartition(".")
    table_name = TABLES.get(table, table)
    if table == "active" and row_key == "extra":
        printed = next((x["pattern"] for x in t.extras if x.get("slug") == col), col)
        return Place(table_name, f"格式以外的行：{printed}", "")
    spec = t.raw["tables"].get(table, {})
    for r in t.rows:
        if r.table == table and r.key == row_key:
            column = next((c.label for c in (*r.columns, *t.extension_columns) if c.key == col), col)
            if table == "requests":
                orgs = {c.key for c in (*t.requests_columns[1:-1], *t.extension_columns)}
                column = f"{spec['org_group']}·{column}" if col in orgs else column
                group = next((g["ordinal"] + g["text"] for g in t.requests_groups if g["key"] == r.group), None)
                row = f"{group}·{r.official_label}" if group else r.official_label
            else:
                row = f"{r.heading}·{r.label}" if r.heading else r.label
            return Place(table_name, row, column)
    if table == "requests":
        columns = {c.key: c.label for c in (*t.requests_columns, *t.extension_columns)}
        column = columns.get(col, col)
        if col == "legal_subtotal" or col in {c.key for c in t.requests_columns[1:-1]}:
            column = f"{spec['org_group']}·{column}"
        if row_key.endswith(".subtotal"):
            group = row_key.removesuffix(".subtotal")
            label = next((g["ordinal"] + g["text"] for g in t.requests_groups if g["key"] == group), group)
            return Place(table_name, f"{label}小计", column)
    return Place(table_name, rest, "")


def place(template_id: str | None, key: str) -> Place:
    """The table, row and column of ``key`` in the report's template (the newest one when unknown)."""
    return _place(template_id if template_id in TEMPLATE_IDS else TEMPLATE_IDS[-1], key)


_WHERE_PART = re.compile(r"\b(page|line|table|row|col|char) (\d+)")
_EXTRA = re.compile(r"^(.*?) \((.*)\)$")
_PRINTED = re.compile(r"""printed ('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")""")


def where_parts(provenance: str | None) -> dict[str, int]:
    """The numbered parts of a provenance text (``page 2, table 2, row 4, col 4`` → their numbers)."""
    if not provenance:
        return {}
    head = _EXTRA.match(provenance)
    return {name: int(n) for name, n in _WHERE_PART.findall(head.group(1) if head else provenance)}


def printed_text(provenance: str | None) -> str | None:
    """What the document printed, as recorded in the provenance text."""
    m = _PRINTED.search(provenance or "")
    if not m:
        return None
    try:
        return str(ast.literal_eval(m.group(1)))
    except (ValueError, SyntaxError):
        return m.group(1)[1:-1]


def where_chinese(provenance: str | None) -> str:
    """The location part of a provenance text in Chinese: 第2页，第2个表格第4行第4列."""
    if not provenance:
        return "无出处（原文未印）"
    parts = where_parts(provenance)
    if not parts:
        return "按勾稽关系推算" if provenance.startswith("derived") else provenance
    out = []
    if "page" in parts:
        out.append(f"第{parts['page']}页")
    if "line" in parts:
        out.append(f"原文第{parts['line']}行")
    if "table" in parts:
        cell = f"第{parts['table']}个表格"
        if "row" in parts:
            cell += f"第{parts['row']}行"
        if "col" in parts:
            cell += f"第{parts['col']}列"
        out.append(cell)
    if "char" in parts:
        out.append(f"第{parts['char']}字处")
    return "，".join(out)


def number(value: Decimal | int | None) -> str:
    """A stored value as a report prints it: counts as integers, amounts without trailing zeros."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            return str(int(value))
        return format(value.normalize(), "f")
    return str(value)
