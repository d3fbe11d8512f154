"""The human view of a parsed report: the four tables in the official layout, flagged cells
marked, then the findings."""

from __future__ import annotations

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from ogi.model import Report, get_template
from ogi.model.report import Cell

MARKS = {
    "inferred": ("*", "cyan"),
    "uncertain": ("?", "yellow"),
    "missing": ("∅", "red"),
    "blank": ("□", "magenta"),
    "na": ("/", "magenta"),
    "unreadable": ("#", "red"),
}
SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "dim"}
LEGEND = (
    "! 不满足勾稽关系  * 推算值（勾稽关系推出）  ? 不确定（另有可能的值）  ∅ 原文缺失  □ 原文留空  "
    "/ 原文为“/”“—”或“无”  # 原文不是数字"
)


def _cell(cell: Cell | None, broken: bool = False) -> Text:
    if cell is None:
        return Text("")
    shown = "" if cell.value is None else str(cell.value)
    if broken:
        return Text(shown + "!", style="bold red")
    if cell.flag in MARKS:
        mark, style = MARKS[cell.flag]
        return Text(shown + mark, style=style)
    return Text(shown)


def _broken(report: Report) -> set[str]:
    """The printed side of every broken identity: the cell a reviewer should look at first."""
    return {f.keys[0] for f in report.findings if f.severity == "error" and f.rule[:1] == "I" and f.keys}


def _active(report: Report) -> Table:
    template = get_template(report.template or "2021")
    t = Table(title="二、主动公开政府信息情况", show_lines=False, title_justify="left")
    t.add_column("信息内容")
    for i in range(3):
        t.add_column(f"{i + 1}", justify="right")
    heading = None
    for row in template.rows_of("active"):
        if row.heading != heading:
            heading = row.heading
            t.add_row(Text(heading or "", style="bold"), *[Text(c.label, style="dim") for c in row.columns])
        t.add_row(row.label, *[_cell(report.cells.get(k)) for k in row.cell_keys])
    for key, cell in report.cells.items():
        if key.startswith("active.extra."):
            t.add_row(Text(key.removeprefix("active.extra."), style="dim"), _cell(cell))
    return t


def _requests(report: Report) -> Table:
    template = get_template(report.template or "2021")
    t = Table(title="三、收到和处理政府信息公开申请情况", title_justify="left")
    t.add_column("", no_wrap=True)
    columns = [c.key for c in template.requests_columns]
    has_subtotal = any(k.endswith(".legal_subtotal") for k in report.cells)
    if has_subtotal:
        columns.insert(columns.index("other_org") + 1, "legal_subtotal")
    labels = {c.key: c.label for c in template.requests_columns} | {"legal_subtotal": "小计"}
    for c in columns:
        t.add_column(labels[c], justify="right")
    broken = _broken(report)
    keys_in_order = []
    for row in template.rows_of("requests"):
        group = row.key.split(".")[0]
        sub = f"requests.{group}.subtotal"
        if row.group and f"{sub}.total" in report.cells and sub not in keys_in_order:
            keys_in_order.append(sub)
        keys_in_order.append(f"requests.{row.key}")
    for prefix in keys_in_order:
        key = prefix.removeprefix("requests.")
        label = (
            template.label_of(f"{prefix}.total").rsplit("·", 1)[0]
            if "subtotal" in key
            else template.row("requests", key).official_label
        )
        cells = [_cell(report.cells.get(k), k in broken) for k in (f"{prefix}.{c}" for c in columns)]
        t.add_row(label if len(label) <= 16 else label[:15] + "…", *cells)
    return t


def _appeals(report: Report) -> Table:
    template = get_template(report.template or "2021")
    t = Table(title="四、政府信息公开行政复议、行政诉讼情况", title_justify="left")
    t.add_column("")
    for c in template.appeals_columns:
        t.add_column(c.label, justify="right")
    broken = _broken(report)
    for row in template.rows_of("appeals"):
        cells = [_cell(report.cells.get(k), k in broken) for k in row.cell_keys]
        t.add_row((row.heading + "·" if row.heading else "") + row.label, *cells)
    return t


def render_report(report: Report) -> Group:
    part = f"  第{report.part.index}/{report.part.count}份（{report.part.span}）" if report.part else ""
    head = Text.assemble(
        (report.file, "bold"),
        part,
        "\n",
        f"机关 {report.agency or '（未识别）'}  年度 {report.year or '?'}  格式 {report.template or '?'}  "
        f"发布 {report.published or '（未印）'}",
    )
    findings = Text()
    for f in report.findings:
        findings.append(f"[{f.severity}] {f.rule}: ", style=SEVERITY_STYLE[f.severity])
        findings.append(f.message + "\n")
    if not report.findings:
        findings.append("没有发现问题。", style="green")
    return Group(
        head,
        _active(report),
        _requests(report),
        _appeals(report),
        Text(LEGEND, style="dim"),
        Text("检查结果", style="bold"),
        findings,
    )


def print_report(report: Report, console: Console) -> None:
    console.print(render_report(report))
