"""Real-world layouts: notes in table 二 cells, blank vs 0 vs / vs 无, a 法人或其他组织小计
column, printed subtotal rows — read into the canonical keys, the printed subtotals checked."""

from __future__ import annotations

import random

import ogi
from ogi.model import get_template
from ogi.render.synth import synth_report

COLS = ("natural", "commercial", "research", "nonprofit", "legal", "other_org", "total")
GROUPS = {
    "denied": "（三）不予公开",
    "unable": "（四）无法提供",
    "rejected": "（五）不予处理",
    "other": "（六）其他处理",
}


def _table(rows: list[list[str]]) -> str:
    return "<table>" + "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows) + "</table>"


def _page(
    cells: dict,
    *,
    active_override: dict[str, str] | None = None,
    subtotal_column: bool = False,
    subtotal_rows: bool = False,
    break_subtotal: str | None = None,
) -> str:
    t = get_template("2021")
    override = active_override or {}
    active = [["第二十条第（一）项", "", "", ""]]
    heading = "第二十条第（一）项"
    for row in t.rows_of("active"):
        if row.heading != heading:
            heading = row.heading
            active.append([heading or "", "", "", ""])
            active.append(["信息内容", *[c.label for c in row.columns]])
        active.append([row.label, *[override.get(k, str(cells[k])) for k in row.cell_keys]])
    header = [
        "",
        "自然人",
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
        *(["小计"] if subtotal_column else []),
        "总计",
    ]
    requests = [["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况"], header]

    def values(prefix: str) -> list[str]:
        vals = [cells[f"{prefix}.{c}"] for c in COLS]
        if subtotal_column:
            vals.insert(6, sum(vals[1:6]))
        return [str(v) for v in vals]

    seen: set[str] = set()
    for row in t.rows_of("requests"):
        group = row.key.split(".")[0]
        if subtotal_rows and row.group and group not in seen:
            seen.add(group)
            keys = [r.key for r in t.rows_of("requests") if r.key.startswith(group + ".")]
            sums = [sum(cells[f"requests.{k}.{c}"] for k in keys) for c in COLS]
            if break_subtotal == group:
                sums[0] += 1
            if subtotal_column:
                sums.insert(6, sum(sums[1:6]))
            requests.append([GROUPS[group], *map(str, sums)])
        requests.append([row.official_label, *values(f"requests.{row.key}")])
    appeals = [
        ["行政复议", "行政诉讼"],
        ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", "复议后起诉"],
        ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2,
        [str(cells[k]) for r in t.rows_of("appeals") for k in r.cell_keys],
    ]
    return (
        "<html><body><h1>某某市某某区人民政府2023年政府信息公开工作年度报告</h1><p>一、总体情况</p><p>略。</p>"
        f"<p>二、主动公开政府信息情况</p>{_table(active)}<p>三、收到和处理政府信息公开申请情况</p>{_table(requests)}"
        f"<p>四、政府信息公开行政复议、行政诉讼情况</p>{_table(appeals)}<p>五、存在的主要问题及改进情况</p><p>略。</p>"
        "<p>六、其他需要报告的事项</p><p>无。</p></body></html>"
    )


def _cells(seed: int = 3) -> dict:
    return synth_report("2021", random.Random(seed), year=2023).cells


def test_notes_in_table_two_cells_are_kept() -> None:
    cells = _cells()
    page = _page(
        cells,
        active_override={
            "active.normative.made": "22（其中修订16件）",
            "active.normative.in_force": "55（含自然失效29件）",
        },
    )
    r = ogi.parse_bytes(page.encode(), "notes.html")
    made = r.cells["active.normative.made"]
    assert made.value == 22 and made.provenance is not None and made.provenance.note == "其中修订16件"
    assert r.cells["active.normative.in_force"].value == 55


def test_blank_zero_slash_and_wu_are_told_apart() -> None:
    cells = _cells()
    page = _page(
        cells,
        active_override={
            "active.rules.made": "",
            "active.rules.repealed": "/",
            "active.rules.in_force": "无",
            "active.licensing.decisions": "0",
        },
    )
    r = ogi.parse_bytes(page.encode(), "marks.html")
    assert [
        (r.cells[k].value, r.cells[k].semantic, r.cells[k].flag)
        for k in ("active.rules.made", "active.rules.repealed", "active.rules.in_force", "active.licensing.decisions")
    ] == [(None, "blank", "blank"), (None, "na", "na"), (None, "na", "na"), (0, "zero", None)]


def test_legal_subtotal_column_is_read_and_checked() -> None:
    cells = _cells()
    r = ogi.parse_bytes(_page(cells, subtotal_column=True).encode(), "sub.html")
    assert {k: r.cells[k].value for k in cells} == cells
    assert r.cells["requests.new.legal_subtotal"].value == sum(cells[f"requests.new.{c}"] for c in COLS[1:6])
    assert not [f for f in r.findings if f.severity == "error"]


def test_printed_subtotal_rows_are_read_and_not_double_counted() -> None:
    cells = _cells()
    r = ogi.parse_bytes(_page(cells, subtotal_rows=True).encode(), "rows.html")
    assert {k: r.cells[k].value for k in cells} == cells
    assert "requests.denied.subtotal.total" in r.cells
    assert not [f for f in r.findings if f.rule in ("I3", "I8")]


def test_broken_printed_subtotal_is_reported() -> None:
    cells = _cells()
    r = ogi.parse_bytes(_page(cells, subtotal_rows=True, break_subtotal="unable").encode(), "bad.html")
    i8 = [f for f in r.findings if f.rule == "I8"]
    assert i8 and i8[0].keys[0] == "requests.unable.subtotal.natural"
    assert {k: r.cells[k].value for k in cells} == cells


def test_amount_units_from_the_header() -> None:
    from decimal import Decimal

    from ogi.render.text import render_text

    rep = synth_report("2019", random.Random(2))
    rep.cells["active.procurement.amount"] = Decimal("3516.02653")
    text = render_text(rep, "tsv")
    plain = ogi.parse_bytes(text.encode(), "plain.txt")
    assert plain.cells["active.procurement.amount"].value == Decimal("3516.02653")
    assert any(f.rule == "UNIT_AMBIGUOUS" for f in plain.findings)  # the official header prints no unit
    in_yuan = text.replace("采购总金额", "采购总金额（元）").replace("\t3516.02653", "\t35160265.3")
    converted = ogi.parse_bytes(in_yuan.encode(), "yuan.txt").cells["active.procurement.amount"]
    assert converted.value == Decimal("3516.02653") and converted.provenance.unit == "元"
    in_wan = text.replace("采购总金额", "采购总金额（单位：万元）")
    assert not any(f.rule == "UNIT_AMBIGUOUS" for f in ogi.parse_bytes(in_wan.encode(), "wan.txt").findings)
