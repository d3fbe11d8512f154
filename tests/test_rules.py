"""Every rule fires: one test at least per rule of the README's findings table, on a real file of
examples/ or a minimal edit of a generated report, asserting the finding's keys and values. And the
documentation agrees with the code: the README's rules table with the rules the code can raise,
its ``--json`` example with :meth:`ogi.Report.summary`, ``ogi schema`` with the model.
"""

from __future__ import annotations

import dataclasses
import json
import random
import re
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import jsonschema
import pytest
from click.testing import CliRunner

import ogi
from ogi.batch import ingest
from ogi.check import check_report
from ogi.check.cells import FLAG_FINDINGS
from ogi.check.structure import ISSUE_TEXT
from ogi.cli.main import main as cli
from ogi.extract import extract
from ogi.model import Finding, Table, get_template
from ogi.model.report import Flag
from ogi.model.template import TEMPLATE_IDS
from ogi.readers import read_document
from ogi.render.conversion import render_conversion
from ogi.render.html import render_html
from ogi.render.synth import SynthReport, synth_report
from ogi.render.text import render_text
from ogi.store.crossyear import check_cross_year
from ogi.store.db import Store
from tests.conftest import EXAMPLES, ROOT
from tests.test_variants import _page

README = (ROOT / "README.md").read_text(encoding="utf-8")
DATA = Path(__file__).parent / "data" / "adversarial"
GOVERNMENT = "淮安市人民政府"  # one place (320800), a government: deadline 31 March, may make 规章
FIRES: set[str] = set()
F = TypeVar("F", bound=Callable[..., Any])


def fires(*rules: str) -> Callable[[F], F]:
    """Mark a test as the one that makes ``rules`` fire (the registry the last tests check)."""
    FIRES.update(rules)
    return lambda fn: fn


# --- the README's table and the code ------------------------------------------------------------


def code_rules() -> set[str]:
    src = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "src" / "ogi").rglob("*.py"))
    rules = set(re.findall(r'rule="([A-Z][A-Z0-9_]+)"', src))
    rules |= set(re.findall(r"[\"']([XS]_[A-Z][A-Z_]+)[\"']", src))  # across years, across sources: written in SQL rows
    rules |= set(ISSUE_TEXT) | {rule for rule, _, _ in FLAG_FINDINGS.values()}
    rules |= {i["id"] for t in TEMPLATE_IDS for i in get_template(t).raw["identities"]}
    return rules


def readme_rules() -> dict[str, set[str]]:
    """Rule → the severities its row of the README's findings table gives."""
    table = README.split("### Findings", 1)[1].split("\n## ", 1)[0]
    known = code_rules()
    out: dict[str, set[str]] = {}
    for line in table.splitlines()[2:]:
        if not line.startswith("| `"):
            continue
        names, severity = line.split("|")[1:3]
        severities = set(re.findall(r"error|warning|info", severity))
        for name in re.findall(r"`([A-Z0-9_*]+)`", names):
            if name.endswith("*"):
                expanded = {r for r in known if r.startswith(name[:-1])}
                assert expanded, name
                out.update(dict.fromkeys(expanded, severities))
            else:
                out[name] = severities
        for a, b in re.findall(r"`I(\d)`–`I(\d)`", names):
            out.update({f"I{i}": severities for i in range(int(a), int(b) + 1)})
    return out


SEVERITIES = readme_rules()


def fired(findings: list[Finding] | ogi.Report, rule: str) -> list[Finding]:
    """The findings of ``rule``, which must be there, each with a severity the README gives it."""
    found = [f for f in (findings.findings if isinstance(findings, ogi.Report) else findings) if f.rule == rule]
    assert found, f"{rule} did not fire"
    assert {f.severity for f in found} <= SEVERITIES[rule], (rule, {f.severity for f in found})
    return found


def one(findings: list[Finding] | ogi.Report, rule: str) -> Finding:
    (f,) = fired(findings, rule)
    return f


# --- minimal inputs --------------------------------------------------------------------------------


def report(template: str = "2021", seed: int = 0, agency: str = GOVERNMENT, **cells: Any) -> SynthReport:
    rep = synth_report(template, random.Random(seed), agency=agency)
    return dataclasses.replace(rep, cells={**rep.cells, **{k.replace("__", "."): v for k, v in cells.items()}})


def parse(rep: SynthReport | str, shape: str = "tsv", name: str = "r.txt") -> ogi.Report:
    text = rep if isinstance(rep, str) else render_text(rep, shape)
    return ogi.parse_bytes(text.encode("utf-8"), name)


def text(rep: SynthReport, shape: str = "tsv") -> str:
    return render_text(rep, shape)


def _line(text: str, starts: str) -> tuple[list[str], int]:
    lines = text.split("\n")
    return lines, next(i for i, line in enumerate(lines) if line.lstrip("\t").startswith(starts))


def test_the_base_report_is_clean() -> None:
    for template in TEMPLATE_IDS:
        assert parse(report(template)).findings == []


# --- identities ------------------------------------------------------------------------------------


@fires("I1")
def test_i1_column_balance() -> None:
    base = report()
    r = parse(report(requests__new__natural=base.cells["requests.new.natural"] + 2,
                     requests__new__total=base.cells["requests.new.total"] + 2))  # fmt: skip
    found = {f.keys[0]: f for f in fired(r, "I1")}
    assert set(found) == {"requests.new.natural", "requests.new.total"}
    f = found["requests.new.natural"]
    assert f.keys == ["requests.new.natural", "requests.carried_over.natural", "requests.total.natural",
                      "requests.carried_forward.natural"]  # fmt: skip
    new, over = base.cells["requests.new.natural"], base.cells["requests.carried_over.natural"]
    assert (f.printed, f.expected) == (str(new + 2 + over), str(new + over))
    assert [x.rule for x in r.findings if x.severity == "error"] == ["I1", "I1"]


@fires("I2")
def test_i2_row_total() -> None:
    base = report()
    total = base.cells["requests.new.total"]
    r = parse(report(requests__new__total=total + 1, requests__carried_forward__total=None))
    f = next(f for f in fired(r, "I2") if f.keys[0] == "requests.new.total")
    assert (f.severity, f.printed, f.expected) == ("error", str(total + 1), str(total))
    assert f.keys[1:] == [f"requests.new.{c}" for c in ("natural", "commercial", "research", "nonprofit", "legal",
                                                         "other_org")]  # fmt: skip
    assert "印为" in f.message and "按勾稽关系应为" in f.message


@fires("I3", "NARRATIVE_MISMATCH")
def test_i3_outcome_total_and_the_narrative() -> None:
    r = ogi.parse(EXAMPLES / "2021_tsv_broken_total.txt")
    found = {f.keys[0]: f for f in fired(r, "I3")}
    assert set(found) == {"requests.total.total"}
    assert (found["requests.total.total"].expected, found["requests.total.total"].printed) == ("4", "7")
    assert len(found["requests.total.total"].keys) == 22  # the total and its 21 outcome rows
    n = one(r, "NARRATIVE_MISMATCH")
    assert (n.keys, n.printed, n.expected, n.severity) == (["requests.total.total"], "4", "7", "warning")
    assert "办结" in n.message


@fires("I4")
def test_i4_appeal_group_total() -> None:
    base = report()
    r = parse(report(appeals__review__upheld=base.cells["appeals.review.upheld"] + 5))
    f = one(r, "I4")
    assert f.keys == [f"appeals.review.{c}" for c in ("total", "upheld", "corrected", "other", "pending")]
    assert (f.printed, f.expected) == (str(base.cells["appeals.review.total"]),
                                       str(base.cells["appeals.review.total"] + 5))  # fmt: skip


@fires("I7")
def test_i7_legal_subtotal_column() -> None:
    cells = synth_report("2021", random.Random(3), year=2023).cells
    page = _page(cells, subtotal_column=True)
    legal = sum(cells[f"requests.new.{c}"] for c in ("commercial", "research", "nonprofit", "legal", "other_org"))
    row = re.search(r"<tr><td>一、本年新收[^<]*</td>(<td>[^<]*</td>){8}</tr>", page)
    assert row is not None
    cells_html = re.findall(r"<td>([^<]*)</td>", row.group(0))
    assert cells_html[7] == str(legal)
    cells_html[7] = str(legal + 1)
    broken = page.replace(row.group(0), "<tr>" + "".join(f"<td>{c}</td>" for c in cells_html) + "</tr>")
    r = ogi.parse_bytes(broken.encode(), "sub.html")
    f = one(r, "I7")
    assert f.keys[0] == "requests.new.legal_subtotal" and (f.printed, f.expected) == (str(legal + 1), str(legal))


@fires("I8")
def test_i8_printed_group_subtotal() -> None:
    cells = synth_report("2021", random.Random(3), year=2023).cells
    r = ogi.parse_bytes(_page(cells, subtotal_rows=True, break_subtotal="unable").encode(), "rows.html")
    f = fired(r, "I8")[0]
    natural = sum(cells[f"requests.unable.{k}.natural"] for k in ("not_held", "needs_creation", "unclear"))
    assert f.keys == ["requests.unable.subtotal.natural", "requests.unable.not_held.natural",
                      "requests.unable.needs_creation.natural", "requests.unable.unclear.natural"]  # fmt: skip
    assert (f.printed, f.expected) == (str(natural + 1), str(natural))


@fires("NOT_ASSESSABLE")
def test_not_assessable() -> None:
    keys = [f"appeals.review.{c}" for c in ("upheld", "corrected", "other", "pending", "total")]
    r = parse(report(**{k.replace(".", "__"): None for k in keys}))
    f = one(r, "NOT_ASSESSABLE")
    assert (f.severity, sorted(f.keys)) == ("info", sorted(keys))
    assert "I4" in f.message and "5处无法核验" in f.message
    assert all(r.cells[k].value is None for k in keys)


# --- kinds, flags and units ------------------------------------------------------------------------


@fires("KIND_NEGATIVE")
def test_kind_negative() -> None:
    r = parse(report(active__rules__in_force=-3))
    f = one(r, "KIND_NEGATIVE")
    assert (f.keys, f.printed, f.severity) == (["active.rules.in_force"], "-3", "error")
    assert r.cells["active.rules.in_force"].value == -3


@fires("KIND_NOT_INTEGER")
def test_kind_not_integer() -> None:
    r = parse(report(active__licensing__decisions=Decimal("2.5")))
    f = one(r, "KIND_NOT_INTEGER")
    assert (f.keys, f.printed) == (["active.licensing.decisions"], "2.5")


@fires("UNCERTAIN_VALUE")
def test_uncertain_value() -> None:
    r = ogi.parse(EXAMPLES / "2021_crawler.txt")
    f = one(r, "UNCERTAIN_VALUE")
    assert f.keys == ["active.normative.made", "active.normative.repealed", "active.normative.in_force"]
    assert "行政规范性文件·本年制发件数取1（另可能为10）" in f.message


def test_an_uncertain_null_reading_is_named_blank_not_none() -> None:
    r = parse(report(active__procurement__projects=43, active__procurement__amount=None, template="2019"),
              shape="cell_per_line")  # fmt: skip
    f = one(r, "UNCERTAIN_VALUE")
    assert "None" not in f.message and "取空" in f.message


@fires("INFERRED_VALUE")
def test_inferred_value() -> None:
    base = report()
    r = parse(report(requests__new__natural=None))
    f = one(r, "INFERRED_VALUE")
    assert (f.keys, f.severity) == (["requests.new.natural"], "info")
    cell = r.cells["requests.new.natural"]
    assert (cell.value, cell.flag) == (base.cells["requests.new.natural"], "inferred")


@fires("BLANK_CELL", "PLACEHOLDER_CELL")
def test_blank_and_placeholder_cells() -> None:
    t, at = _line(text(report()), "规章")
    t[at] = "规章\t\t/\t无"
    r = parse("\n".join(t))
    assert one(r, "BLANK_CELL").keys == ["active.rules.made"]
    assert one(r, "PLACEHOLDER_CELL").keys == ["active.rules.repealed", "active.rules.in_force"]
    assert [r.cells[k].semantic for k in ("active.rules.made", "active.rules.repealed")] == ["blank", "na"]


@fires("UNREADABLE_CELL")
def test_unreadable_cell() -> None:
    r = ogi.parse(DATA / "footnote2.html")
    f = one(r, "UNREADABLE_CELL")
    assert f.severity == "error" and f.keys and all(r.cells[k].semantic == "text" for k in f.keys)


@fires("MISSING_CELL", "ROW_SHORT")
def test_row_short_and_missing_cells() -> None:
    t, at = _line(text(report("2019")), "政府集中采购")
    projects = t[at].split("\t")[1]
    t[at] = f"政府集中采购\t{projects}"
    r = parse("\n".join(t))
    short = one(r, "ROW_SHORT")
    assert (short.keys, short.printed) == (["active.procurement.projects", "active.procurement.amount"], "1/2")
    assert short.message == "「政府集中采购」一行只印有1个数值（应为2个），缺少的单元格记为空值，未作猜测。"
    assert one(r, "UNCERTAIN_VALUE").keys == short.keys
    t[at] = "政府集中采购"
    missing = one(parse("\n".join(t)), "MISSING_CELL")
    assert missing.keys == ["active.procurement.projects", "active.procurement.amount"]


@fires("UNIT_AMBIGUOUS", "UNIT_CONVERTED")
def test_units() -> None:
    rep = report("2019", seed=2)
    amount = rep.cells["active.procurement.amount"]
    f = one(parse(rep), "UNIT_AMBIGUOUS")
    assert (f.keys, f.printed) == (["active.procurement.amount"], format(amount, "f"))
    in_yuan = render_text(rep, "tsv", amount_unit="元")
    r = parse(in_yuan)
    converted = one(r, "UNIT_CONVERTED")
    assert converted.keys == ["active.procurement.amount"] and converted.printed.endswith("元")
    assert r.cells["active.procurement.amount"].value == amount


@fires("SOLVER_LIMIT")
def test_solver_limit() -> None:
    r = ogi.parse(DATA / "budget.txt")
    f = one(r, "SOLVER_LIMIT")
    assert f.keys == one(r, "UNCERTAIN_VALUE").keys and len(f.keys) > 0
    assert r.meta["solver_exhausted"] is True


# --- structure -------------------------------------------------------------------------------------


@fires("MISSING_SECTION")
def test_missing_section() -> None:
    t = text(report()).replace("五、存在的主要问题及改进情况\n", "")
    f = one(parse(t), "MISSING_SECTION")
    assert (f.keys, f.message) == ([], "未找到第五部分「五、存在的主要问题及改进情况」的标题。")


@fires("MISSING_TABLE")
def test_missing_table() -> None:
    t = text(report())
    start, end = t.index("四、政府信息公开行政复议"), t.index("五、存在的主要问题")
    r = parse(t[:start] + "四、政府信息公开行政复议、行政诉讼情况\n本年无。\n" + t[end:])
    f = one(r, "MISSING_TABLE")
    assert f.keys == [k for k in get_template("2021").keys if k.startswith("appeals.")]
    assert all(r.cells[k].value is None for k in f.keys)


@fires("MISSING_ROW")
def test_missing_row() -> None:
    t, at = _line(text(report()), "行政强制")
    del t[at]
    f = one(parse("\n".join(t)), "MISSING_ROW")
    assert f.keys == ["active.coercion.decisions"] and "行政强制" in f.message


ALTERED = ("1.本机关不掌握相关政府信息", "1.本机关不掌握相关信息")


def test_a_missing_row_or_table_does_not_hide_the_rows_after_it() -> None:
    t, at = _line(text(report()).replace(*ALTERED), "行政强制")
    del t[at]
    assert {"MISSING_ROW", "LABEL_ALTERED"} <= {f.rule for f in parse("\n".join(t)).findings}
    t = text(report()).replace(*ALTERED)
    start, end = t.index("二、主动公开政府信息情况"), t.index("三、收到和处理政府信息公开申请情况")
    r = parse(t[:start] + "二、主动公开政府信息情况\n本年无。\n" + t[end:])
    assert one(r, "MISSING_TABLE").keys[0] == "active.rules.made"
    assert one(r, "LABEL_ALTERED").printed == ALTERED[1]


@fires("LABEL_ALTERED")
def test_label_altered() -> None:
    t = text(report()).replace("1.本机关不掌握相关政府信息", "1.本机关不掌握相关信息")
    f = one(parse(t), "LABEL_ALTERED")
    assert (f.printed, f.expected) == ("1.本机关不掌握相关信息", "1.本机关不掌握相关政府信息")
    assert f.keys[0] == "requests.unable.not_held.natural"


@fires("EXTRA_VALUES")
def test_extra_values() -> None:
    t, at = _line(text(report()), "0\t0\t0\t0\t0\t0\t0\t0\t0")
    t[at] += "\t0"
    r = parse("\n".join(t))
    f = one(r, "EXTRA_VALUES")
    assert f.printed == "16/15" and len(f.keys) == 15 and "16个数值" in f.message


@fires("COLUMNS_SHIFTED")
def test_columns_shifted() -> None:
    # A Markdown row with an empty cell at both ends and one number lost: which end is the gap cannot be told.
    t, at = _line(text(report(), "markdown"), "| 规章")
    assert t[at] == "| 规章 | 0 | 0 | 0 |"
    t[at] = "| 规章 |  | 0 | 0 |  |"
    r = parse("\n".join(t))
    f = one(r, "COLUMNS_SHIFTED")
    assert (f.keys, f.printed) == (["active.rules.made", "active.rules.repealed", "active.rules.in_force"], "4/3")
    # _ 0 0, 0 0 _ or 0 _ 0: a converted table's blanks do not place its values (readings._gaps_anywhere),
    # so all three cells stay uncertain, each with the truth 0 among its readings.
    assert [(r.cells[k].value, r.cells[k].flag, r.cells[k].alternatives) for k in f.keys] == [
        (None, "uncertain", [0]),
        (0, "uncertain", [None]),
        (0, "uncertain", [None]),
    ]


GRANTED = ("natural", "commercial", "research", "nonprofit", "legal", "other_org", "total")


def _crawler_with_granted_row(printed: str) -> ogi.Report:
    """A crawler dump (seed 8: its （一）予以公开 row runs together as 480000048, once) with that row replaced."""
    rep = report(seed=8)
    body = text(rep, "crawler")
    row = "".join(str(rep.cells[f"requests.granted.{c}"]) for c in GRANTED)
    assert row == "480000048" and body.count(row) == 1
    return parse(body.replace(row, printed))


@fires("ROW_SUM_BROKEN")
def test_row_sum_broken() -> None:
    # Seven digits for seven cells, so one cell each (no leading zeros), and 0+0+0+0+0+0 is not 5.
    r = _crawler_with_granted_row("0000005")
    f = one(r, "ROW_SUM_BROKEN")
    assert (f.keys, f.printed) == ([f"requests.granted.{c}" for c in GRANTED], "0000005")
    assert any(x.rule == "I2" and x.keys[0] == "requests.granted.total" for x in r.findings)


@fires("UNSPLITTABLE")
def test_unsplittable() -> None:
    r = _crawler_with_granted_row("1.2.3")
    f = one(r, "UNSPLITTABLE")
    assert (f.keys, f.printed, f.severity) == ([f"requests.granted.{c}" for c in GRANTED], "1.2.3", "error")
    assert f.message == "「（一）予以公开」一行的数字“1.2.3”无法拆分为本行各列，数值记为空。"
    # Null, then forced back by the other identities (the column sums), and flagged as such.
    assert {r.cells[f"requests.granted.{c}"].flag for c in GRANTED} == {"inferred"}
    assert r.cells["requests.granted.natural"].value == 48


@fires("SPLIT_TOO_LONG")
def test_split_too_long() -> None:
    r = _crawler_with_granted_row("1" * 60)
    f = one(r, "SPLIT_TOO_LONG")
    assert (f.keys, f.printed, f.severity) == ([f"requests.granted.{c}" for c in GRANTED], "1" * 60, "error")
    assert {r.cells[f"requests.granted.{c}"].flag for c in GRANTED} == {"inferred"}


@fires("DUPLICATE_ROW")
def test_duplicate_row() -> None:
    r = ogi.parse(DATA / "md_dup.txt")
    f = one(r, "DUPLICATE_ROW")
    assert f.keys == [f"requests.granted.{c}" for c in
                      ("natural", "commercial", "research", "nonprofit", "legal", "other_org", "total")]  # fmt: skip


def _cell_per_line_after(rep: SynthReport, label: str, values: int, line: str) -> str:
    lines = text(rep, "cell_per_line").split("\n")
    at = next(i for i, x in enumerate(lines) if x.strip() == label)
    lines.insert(at + 1 + values, line)
    return "\n".join(lines)


@fires("EXTRA_LINE")
def test_extra_line() -> None:
    extra = "\t2020年本行政区域（或本部门）政府信息公开发布总数量（非新闻类、消息类）：4267"
    r = parse(_cell_per_line_after(report("2019"), "政府集中采购", 2, extra))
    f = one(r, "EXTRA_LINE")
    assert f.keys == ["active.extra.published_total"] and r.cells["active.extra.published_total"].value == 4267
    assert [x.rule for x in r.findings] == ["EXTRA_LINE"]  # outside every identity


@fires("UNEXPECTED_TEXT")
def test_unexpected_text() -> None:
    r = parse(_cell_per_line_after(report(), "行政许可", 1, "\t注：本表数据由各部门报送后汇总"))
    f = one(r, "UNEXPECTED_TEXT")
    assert (f.printed, f.keys, f.severity) == ("注：本表数据由各部门报送后汇总", [], "info")
    assert [x.rule for x in r.findings] == ["UNEXPECTED_TEXT"]
    four = one(parse(_cell_per_line_after(report(), "行政许可", 1, "\t注意事项")), "UNEXPECTED_TEXT")
    assert four.printed == "注意事项"  # four characters are enough to report
    # A header printed again inside the table is the format's own furniture, not unexpected text.
    assert parse(_cell_per_line_after(report(), "行政许可", 1, "\t（本年处理决定数量）：；")).findings == []


@fires("TEMPLATE_MIXED")
def test_template_mixed() -> None:
    t = text(report())
    lines = t.split("\n")
    first = next(i for i, line in enumerate(lines) if "(六) 其他处理" in line)
    lines[first : first + 3] = ["\t(六) 其他处理\t" + "\t".join(["0"] * 7)]
    r = parse(report(**{f"requests__other__{p}__{c}": 0 for p in ("no_correction", "no_fee", "other")
                        for c in ("natural", "commercial", "research", "nonprofit", "legal", "other_org",
                                  "total")}))  # fmt: skip
    assert "TEMPLATE_MIXED" not in {f.rule for f in r.findings}
    r = parse("\n".join(lines))
    f = one(r, "TEMPLATE_MIXED")
    assert r.meta["table3_layout"] == "2019" and "requests.other.subtotal.total" in f.keys


# --- conversions: rows and cells put back --------------------------------------------------------

REQUEST_COLUMNS = ("natural", "commercial", "research", "nonprofit", "legal", "other_org", "total")
PARTIAL = "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"


def _exact(r: ogi.Report, rep: SynthReport) -> None:
    """Every cell of ``rep`` read back exactly, none flagged: the rule reports what it fixed."""
    assert {k: (r.cells[k].value, r.cells[k].flag) for k in rep.cells} == {k: (v, None) for k, v in rep.cells.items()}


@fires("ROW_PLACED")
def test_row_placed() -> None:
    rep = report(seed=5)  # （二）部分公开 prints 4 6 0 0 0 0 10, the rows around it other numbers
    t, at = _line(text(rep, "markdown"), "|  | " + PARTIAL)
    t[at] = t[at].replace(PARTIAL, "")  # the label lost in the conversion: a row of numbers only
    r = parse("\n".join(t), name="r.md")
    f = one(r, "ROW_PLACED")
    assert (f.keys, f.printed) == ([f"requests.partial.{c}" for c in REQUEST_COLUMNS], "□ □ □ 4 6 0 0 0 0 10")
    assert f.message.startswith(f"「{PARTIAL}」一行行标题缺失或残缺，数值“□ □ □ 4 6 0 0 0 0 10”")
    _exact(r, rep)


@fires("ROW_CONTINUED")
def test_row_continued() -> None:
    rep = report(seed=17)
    converted = render_conversion(rep, "fragments", seed=17)
    # The converter cut （二）部分公开 at a page break: 101 0 0 here, 0 1 0 102 after the footer.
    assert f"| {PARTIAL} | 101 | 0 | 0 |\n\n— 3 —\n## 表三：收到和处理政府信息公开申请情况\n" in converted
    assert "|---|---|---|---|---|---|---|---|\n| 0 | 1 | 0 | 102 |\n" in converted
    r = parse(converted, name="r.md")
    found = {f.keys[0].rsplit(".", 1)[0]: f for f in fired(r, "ROW_CONTINUED")}
    # Two more rows, all zeros, were cut too; the identities join each back where it belongs.
    assert {k: f.printed for k, f in found.items()} == {
        "requests.partial": "“0 1 0 102”（line 53, table 7, row 2, col 1）",
        "requests.rejected.publication": "“0 0 0 0 0 0”（line 88, table 11, row 2, col 1）",
        "requests.rejected.confirmation": "“0 0 0 0”（line 96, table 12, row 2, col 1）",
    }
    f = found["requests.partial"]
    assert f.keys == [f"requests.partial.{c}" for c in REQUEST_COLUMNS]
    assert f.message.startswith(f"「{PARTIAL}」一行被分页截断，其余数值“0 1 0 102”")
    _exact(r, rep)


@fires("CELL_PLACED")
def test_cell_placed() -> None:
    rep = report(active__rules__made=5, active__rules__repealed=2, active__rules__in_force=40)

    def converted(loose: str) -> ogi.Report:
        """本年废止 wrapped out of the table as a line after the sub-table heading, the row one cell short."""
        t, at = _line(text(rep, "markdown"), "| 规章 |")
        header = "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |"
        assert t[at - 3 : at + 1] == ["| 第二十条第（一）项 |  |  |  |", "|---|---|---|---|", header,
                                      "| 规章 | 5 | 2 | 40 |"]  # fmt: skip
        t[at - 3 : at + 1] = ["第二十条第（一）项", loose, header, "|---|---|---|---|", "| 规章 | 5 | 40 |"]
        return parse("\n".join(t), name="r.md")

    rules = ["active.rules.made", "active.rules.repealed", "active.rules.in_force"]
    r = converted("2（含自然失效1件）")  # the note says which column: 本年废止
    f = one(r, "CELL_PLACED")
    assert (f.keys, f.printed, f.severity) == (rules, "“2（含自然失效1件）”（line 24）", "info")
    assert f.message.startswith("「规章」一行少印了数值，表格外单独一行印出的“2（含自然失效1件）”（line 24）按顺序")
    repealed = r.cells["active.rules.repealed"]
    assert repealed.provenance is not None and repealed.provenance.note == "含自然失效1件"
    assert [x.rule for x in r.findings] == ["CELL_PLACED"]
    _exact(r, rep)
    # Without the note nothing tells the column: placed, and every reading of the row kept.
    bare = converted("2")
    assert one(bare, "CELL_PLACED").printed == "“2”（line 24）"
    assert one(bare, "UNCERTAIN_VALUE").keys == rules
    assert [(bare.cells[k].value, bare.cells[k].alternatives) for k in rules] == [(2, [5, None]), (5, [2, 40, None]),
                                                                                  (40, [2, None])]  # fmt: skip


@fires("ROW_UNPLACED")
def test_row_unplaced() -> None:
    rep = report()
    t, at = _line(text(rep, "markdown"), "|  | （七）总计")
    t.insert(at, "|  |  |  | 1 | 2 | 0 | 0 | 0 | 0 | 3 |")  # every row has its label: none is open
    r = parse("\n".join(t), name="r.md")
    f = one(r, "ROW_UNPLACED")
    assert (f.keys, f.printed, f.severity) == ([], "□ □ □ 1 2 0 0 0 0 3", "warning")
    assert f"（line {at + 1}, table 2, row 27, col 1）没有行标题" in f.message
    assert [x.rule for x in r.findings] == ["ROW_UNPLACED"]
    _exact(r, rep)


@fires("LOOSE_CELL")
def test_loose_cell() -> None:
    rep = report()
    t, at = _line(text(rep, "markdown"), "| 行政规范性文件 |")
    t[at + 1 : at + 1] = ["", "7（其中修订3件）", ""]  # no row printed short: nothing to put it back in
    r = parse("\n".join(t), name="r.md")
    f = one(r, "LOOSE_CELL")
    assert (f.keys, f.printed, f.severity) == ([], "7（其中修订3件）", "info")
    assert f.message == (f"表格「二、主动公开政府信息情况」外单独一行印有数值“7（其中修订3件）”（line {at + 3}），"
                         "无法确定它属于哪个单元格，未采用。")  # fmt: skip
    _exact(r, rep)


@fires("NARRATIVE_DECIDED")
def test_narrative_decided() -> None:
    rep = report(active__normative__made=12, active__normative__repealed=3, active__normative__in_force=125)
    assert "行政规范性文件123125" in text(rep, "crawler")  # 1|23|125, 12|3|125, 123|1|25 …
    unsure = parse(rep, "crawler").cells["active.normative.made"]
    assert (unsure.value, unsure.flag) == (1, "uncertain")
    overview = rep.sections["overview"] + "全年制发行政规范性文件12件。"
    stated = dataclasses.replace(rep, sections={**rep.sections, "overview": overview})
    r = parse(stated, "crawler")
    f = one(r, "NARRATIVE_DECIDED")
    assert (f.keys, f.severity) == (["active.normative.made"], "info")
    assert f.message == "1个单元格的数值有几种可能的读法，勾稽关系无法区分，按正文所述（规范性文件12件）选定。"
    made = r.cells["active.normative.made"]
    assert (made.value, made.flag, made.alternatives) == (12, None, [])
    assert one(r, "UNCERTAIN_VALUE").keys == ["active.normative.repealed", "active.normative.in_force"]


# --- plausibility and metadata ---------------------------------------------------------------------


@fires("T2_NEW_GT_TOTAL")
def test_t2_new_gt_total() -> None:
    r = parse(report("2019", active__rules__new_published=9, active__rules__total_published=4))
    f = one(r, "T2_NEW_GT_TOTAL")
    assert f.keys == ["active.rules.new_published", "active.rules.total_published"] and "9大于" in f.message


@fires("T2_NEGATIVE_BALANCE")
def test_t2_negative_balance() -> None:
    r = parse(report("2019", active__fees__prev_count=3, active__fees__change=-5))
    f = one(r, "T2_NEGATIVE_BALANCE")
    assert f.keys == ["active.fees.prev_count", "active.fees.change"] and "-5" in f.message


@fires("T2_MADE_GT_IN_FORCE")
def test_t2_made_gt_in_force() -> None:
    r = parse(report(active__normative__made=9, active__normative__repealed=1, active__normative__in_force=4))
    f = one(r, "T2_MADE_GT_IN_FORCE")
    assert f.keys == ["active.normative.made", "active.normative.in_force"]


@fires("T2_RULES_UNEXPECTED")
def test_t2_rules_unexpected() -> None:
    r = parse(report(agency="淮安市财政局", active__rules__made=2))
    f = one(r, "T2_RULES_UNEXPECTED")
    assert f.keys == ["active.rules.made", "active.rules.repealed", "active.rules.in_force"]
    assert "淮安市财政局" in f.message


@fires("TEMPLATE_YEAR_MISMATCH")
def test_template_year_mismatch() -> None:
    rep = report()  # the 2021 format, for 2024
    r = parse(text(rep).replace(f"{rep.year}年", "2019年"))
    assert r.year == 2019
    f = one(r, "TEMPLATE_YEAR_MISMATCH")
    assert f.keys == [] and "2021年起" in f.message
    old = report("2019")  # the 2019 trial format, used for 2019 and 2020 reports only
    r = parse(text(old).replace(f"{old.year}年", "2022年"))
    assert r.year == 2022 and "（适用于2019年至2020年的报告）" in one(r, "TEMPLATE_YEAR_MISMATCH").message


@fires("MISSING_YEAR")
def test_missing_year() -> None:
    rep = report()
    r = parse(text(rep).replace(str(rep.year), ""))
    assert r.year is None
    assert one(r, "MISSING_YEAR").keys == []


@fires("MISSING_AGENCY")
def test_missing_agency() -> None:
    rep = report()
    r = parse(text(rep).replace(GOVERNMENT, ""))
    assert r.agency is None and one(r, "MISSING_AGENCY").severity == "warning"


@fires("REGION_AMBIGUOUS")
def test_region_ambiguous() -> None:
    r = ogi.parse(EXAMPLES / "2021_cell_per_line.txt")
    f = one(r, "REGION_AMBIGUOUS")
    assert r.region is not None and r.region.ambiguous and len(r.region.candidates) > 1
    assert r.agency is not None and r.agency in f.message


@fires("REGION_UNKNOWN")
def test_region_unknown() -> None:
    r = parse(report(agency="某某新区管理委员会"))
    f = one(r, "REGION_UNKNOWN")
    assert r.region is not None and r.region.code is None and "某某新区管理委员会" in f.message


@fires("PUBLISHED_LATE")
def test_published_late() -> None:
    r = ogi.parse(EXAMPLES / "hongze_2024_dept.txt")  # a department: 31 January
    f = one(r, "PUBLISHED_LATE")
    assert (f.printed, f.expected) == ("2025-03-15", "≤ 2025-01-31")
    government = parse(text(report()).replace("2025年2月23日", "2025年4月2日"))
    assert (one(government, "PUBLISHED_LATE").expected) == "≤ 2025-03-31"
    # A name with neither a department's nor a government's ending is taken as a government (31 March).
    zone = parse(report(agency="平潭综合实验区"))
    assert zone.published is not None and zone.published.month == 2
    assert "PUBLISHED_LATE" not in {f.rule for f in zone.findings}


@fires("PUBLISHED_BEFORE_YEAR_END")
def test_published_before_year_end() -> None:
    r = parse(text(report()).replace("2025年2月23日", "2024年12月20日"))
    assert r.published is not None and r.published.isoformat() == "2024-12-20"
    f = one(r, "PUBLISHED_BEFORE_YEAR_END")
    assert "2024-12-20" in f.message and "2024年" in f.message


@fires("AGENCY_EXPANDED")
def test_agency_expanded() -> None:
    r = parse(report(agency="上海市科委"))
    f = one(r, "AGENCY_EXPANDED")
    assert (f.keys, f.printed, f.expected) == ([], "上海市科委", "上海市科学技术委员会")
    assert f.message == "标题中的机关名称「上海市科委」为简称，已按标准简称表记为「上海市科学技术委员会」。"
    assert (r.agency, r.meta["agency_printed"]) == ("上海市科学技术委员会", "上海市科委")
    assert r.region is not None and r.region.code == "310000"


def _misprinted(hint: str) -> ogi.Report:
    """沐阳县 is no county: 沭阳县 and 泗阳县 of 宿迁市 are one character away (and many X阳县 elsewhere)."""
    rep = report(agency="沐阳县人民政府")
    return parse(dataclasses.replace(rep, sections={**rep.sections, "overview": rep.sections["overview"] + hint}))


@fires("AGENCY_CORRECTED")
def test_agency_corrected() -> None:
    r = _misprinted("全县在沭阳经济开发区开展培训。")  # the text names the place as it is spelt
    f = one(r, "AGENCY_CORRECTED")
    assert (f.keys, f.printed, f.expected, f.severity) == ([], "沐阳县人民政府", "沭阳县人民政府", "warning")
    assert (r.agency, r.meta["agency_printed"]) == ("沭阳县人民政府", "沐阳县人民政府")
    assert r.region is not None and r.region.code == "321322"


@fires("AGENCY_UNCERTAIN")
def test_agency_uncertain() -> None:
    r = _misprinted("宿迁市")  # the city narrows it to two counties, nothing chooses between them
    f = one(r, "AGENCY_UNCERTAIN")
    assert (f.keys, f.printed, f.expected) == ([], "沐阳县人民政府", "江苏省宿迁市沭阳县 或 江苏省宿迁市泗阳县")
    assert "最接近的有江苏省宿迁市沭阳县、江苏省宿迁市泗阳县，无法确定，按原文记录" in f.message
    assert r.agency == "沐阳县人民政府" and "AGENCY_CORRECTED" not in {x.rule for x in r.findings}


@fires("PUBLISHED_CHOICE")
def test_published_choice() -> None:
    title, rest = text(report()).split("\n", 1)  # signed 2025年2月23日 at the end (line 98)

    def posted(day: str) -> ogi.Report:
        return parse(f"{title}\n发布日期：{day}\n{rest}")

    later = posted("2025-03-01")  # a page posted a week after signing: ordinary
    f = one(later, "PUBLISHED_CHOICE")
    assert (later.published.isoformat() if later.published else None) == "2025-03-01"
    assert (f.keys, f.printed, f.expected, f.severity) == ([], "2025-03-01", "2025-02-23", "info")
    assert f.message == ("报告印有多个日期：发布日期取2025-03-01，另有2025-02-23（line 98）。"
                         "（网页发布晚于文末落款，属正常情况。）")
    earlier = one(posted("2025-02-01"), "PUBLISHED_CHOICE")  # posted before it was signed: ask
    assert (earlier.printed, earlier.expected, earlier.severity) == ("2025-02-01", "2025-02-23", "warning")
    assert earlier.message.endswith("请核对哪一个是报告的发布日期。")


@fires("PUBLISHED_STAMP")
def test_published_stamp() -> None:
    r = parse("采集时间：2026-05-04 10:20:00\n" + text(report()))
    f = one(r, "PUBLISHED_STAMP")
    assert (f.keys, f.printed, f.severity) == ([], "2026-05-04", "info")
    assert f.message == "文件中的日期2026-05-04（line 1）是采集或保存文件的时间，不是报告的发布日期，未采用。"
    assert r.published is not None and r.published.isoformat() == "2025-02-23"  # the signed date


# --- across years (the store) ----------------------------------------------------------------------


def _store_pair(tmp_path: Path, template: str, edit: Callable[[dict, dict], None], text: str = "own") -> list:
    """Two years of one publisher, consistent across the years but for ``edit``; this year's sections
    its ``own``, the ``same`` as last year's, or last year's ``reversed`` (nothing in common)."""
    years = (2019, 2020) if template == "2019" else (2022, 2023)
    last = synth_report(template, random.Random(40), agency=GOVERNMENT, year=years[0])
    this = synth_report(template, random.Random(41), agency=GOVERNMENT, year=years[1])
    cells = dict(this.cells)
    for c in ("natural", "commercial", "research", "nonprofit", "legal", "other_org", "total"):
        cells[f"requests.carried_over.{c}"] = last.cells[f"requests.carried_forward.{c}"]
    for k in cells:
        if k.startswith("active.") and k.endswith(("prev_count", "in_force")):
            row = k.rsplit(".", 1)[0]
            cells[k] = (last.cells[k] + last.cells[f"{row}.change"] if k.endswith("prev_count")
                        else last.cells[k] + cells[f"{row}.made"] - cells[f"{row}.repealed"])  # fmt: skip
    edit(last.cells, cells)
    sections = {"own": this.sections, "same": last.sections, "reversed": {k: v[::-1] for k, v in last.sections.items()}}
    sections = sections[text]
    this = dataclasses.replace(this, cells=cells, sections=sections)
    with Store.open(tmp_path / "x.duckdb") as store:
        for rep in (last, this):
            data = render_text(rep, "tsv").encode()
            store.add(f"{rep.year}.txt", data, ogi.parse_bytes(data, f"{rep.year}.txt"))
        return check_cross_year(store)


def test_a_consistent_pair_has_no_cross_year_finding(tmp_path: Path) -> None:
    for template in TEMPLATE_IDS:
        (tmp_path / template).mkdir()
        found = _store_pair(tmp_path / template, template, lambda last, this: None, text="reversed")
        assert found == []


@fires("X_CARRY_OVER")
def test_x_carry_over(tmp_path: Path) -> None:
    def edit(last: dict, this: dict) -> None:
        this["requests.carried_over.natural"] += 2
        this["requests.carried_over.total"] += 2
        this["requests.total.natural"] += 2
        this["requests.total.total"] += 2
        this["requests.granted.natural"] += 2
        this["requests.granted.total"] += 2

    found = fired(_store_pair(tmp_path, "2021", edit), "X_CARRY_OVER")  # type: ignore[arg-type]
    assert [f.keys[0] for f in found] == ["requests.carried_over.natural", "requests.carried_over.total"]
    assert int(found[0].printed) == int(found[0].expected) + 2 and found[0].year == 2023


@fires("X_PREV_COUNT")
def test_x_prev_count(tmp_path: Path) -> None:
    def edit(last: dict, this: dict) -> None:
        this["active.penalty.prev_count"] += 7

    (f,) = fired(_store_pair(tmp_path, "2019", edit), "X_PREV_COUNT")  # type: ignore[arg-type]
    assert f.keys == ["active.penalty.prev_count", "active.penalty.change"] and f.year == 2020
    assert int(f.printed) == int(f.expected) + 7


@fires("X_IN_FORCE")
def test_x_in_force(tmp_path: Path) -> None:
    def edit(last: dict, this: dict) -> None:
        this["active.normative.in_force"] += 4

    (f,) = fired(_store_pair(tmp_path, "2021", edit), "X_IN_FORCE")  # type: ignore[arg-type]
    assert f.keys == ["active.normative.in_force", "active.normative.made", "active.normative.repealed"]
    assert int(f.printed) == int(f.expected) + 4 and "相差4" in f.message


@fires("X_TEXT_REUSE")
def test_x_text_reuse(tmp_path: Path) -> None:
    found = fired(_store_pair(tmp_path, "2021", lambda last, this: None, text="same"), "X_TEXT_REUSE")  # type: ignore[arg-type]
    assert {f.keys[0] for f in found} >= {"section.overview", "section.problems"}
    assert {(f.severity, f.printed) for f in found} == {("warning", "1.000")}


# --- across sources (the store) --------------------------------------------------------------------


@fires("S_SOURCES_DIFFER")
def test_s_sources_differ(tmp_path: Path) -> None:
    """One report collected twice (a page and a crawler's dump) whose copies print one cell differently."""
    rep = report()
    licensing = rep.cells["active.licensing.decisions"]
    (tmp_path / "page.md").write_text(text(rep, "markdown"), encoding="utf-8")
    t, at = _line(text(rep), "行政许可")
    assert t[at] == f"行政许可\t{licensing}\t\t"
    t[at] = f"行政许可\t{licensing + 7}\t\t"
    (tmp_path / "dump.txt").write_text("\n".join(t), encoding="utf-8")
    with Store.open(tmp_path / "s.duckdb") as store:
        # Of two text sources with as few errors the first by path is the unit report, whose reading
        # stands, in whatever order they were ingested.
        for name in ("page.md", "dump.txt"):
            ingest([tmp_path / name], store, progress=False)
        ids = dict(store.con.execute("SELECT regexp_extract(path, '[^/]+$'), id FROM reports").fetchall())
        found = store.con.execute("SELECT rule, severity, agency_id, year, keys, sources, readings, message "
                                  "FROM source_findings").fetchall()  # fmt: skip
        cell = store.con.execute("SELECT value, how FROM unit_cells WHERE key = ?", ["active.licensing.decisions"])
        cell = cell.fetchone()
        others = store.con.execute("SELECT count(*) FROM unit_cells WHERE how NOT IN ('agree', 'conflict')")
        others = others.fetchone()
    ((rule, severity, agency_id, year, keys, sources, readings, message),) = found
    assert rule == "S_SOURCES_DIFFER" and {severity} <= SEVERITIES[rule]
    assert (agency_id, year, keys) == ("淮安市", rep.year, ["active.licensing.decisions"])
    assert (sources, readings) == ([ids["dump.txt"], ids["page.md"]], [str(licensing + 7), str(licensing)])
    assert message == (
        f"同一报告的几个来源对「行政许可·本年处理决定数量」印的数不同：文本「dump.txt」为{licensing + 7}，"
        f"文本「page.md」为{licensing}。现采用文本「dump.txt」的数（该来源差错最少），请对照原件核实。"
    )
    assert cell == (licensing + 7, "conflict") and others == (0,)  # every other cell: both sources agree


@fires("OCR_CORRECTED")
def test_ocr_corrected() -> None:
    """OCR's first reading of a cell breaks its row and the one other reading it offered keeps the
    identities: that one is taken and said. No OCR model runs: the alternatives are set on a grid
    read from HTML, as the OCR reader sets them."""
    rep = report()
    true = rep.cells["requests.granted.natural"]
    kw = {"agency": rep.agency, "year": rep.year, "published": rep.published, "sections": rep.sections}
    doc = read_document(render_html(rep.template, rep.cells, **kw).encode(), "r.html")
    grids = [b for b in doc.blocks if isinstance(b, Table)]
    row = next(r for t in grids for r in t.rows if any(c.text.strip() == "（一）予以公开" for c in r[:3]))
    cell = next(c for c in row if not c.is_span_copy and not c.absent and c.text.strip().isdigit())
    assert cell.text.strip() == str(true)
    cell.text, cell.alternatives = str(true + 5), (str(true), str(true + 100))
    parsed, tables = extract(doc)
    f = one(check_report(parsed, tables), "OCR_CORRECTED")
    assert f.keys == ["requests.granted.natural"] and (f.expected, f.printed) == (None, None)
    assert f.message == (
        "1个单元格的OCR识别结果不符合勾稽关系，已改取唯一符合的另一种识别："
        f"「（一）予以公开·自然人」识别为{true + 5}，取{true}。请对照原文核实。"
    )
    got = parsed.cells["requests.granted.natural"]
    assert (got.value, got.flag) == (true, None)
    assert got.provenance is not None and got.provenance.raw == str(true + 5)


# --- the documentation agrees with the code --------------------------------------------------------


def test_every_rule_of_the_readme_fires_in_a_test() -> None:
    assert set(SEVERITIES) == FIRES


def test_the_readme_lists_every_rule_the_code_raises() -> None:
    assert set(SEVERITIES) == code_rules()


def test_the_readme_flags_are_the_models() -> None:
    table = README.split("| flag | meaning |", 1)[1].split("\n\n", 1)[0]
    documented = {f for line in table.splitlines()[2:] for f in re.findall(r"`([a-z]+)`", line.split("|")[1])}
    assert documented == set(Flag.__args__)  # type: ignore[attr-defined]


def _keys_by_depth(example: str) -> Iterator[tuple[tuple[str, ...], str]]:
    """(path of enclosing keys, key) for every ``"key":`` in the README's JSON example."""
    path: list[str] = []
    pending = ""
    for m in re.finditer(r'"([^"]*)"\s*:|[{}\[\]]', example):
        token = m.group(0)
        if token in "{[":
            path.append(pending)
            pending = ""
        elif token in "}]":
            path.pop()
        else:
            pending = m.group(1)
            yield tuple(path), m.group(1)


def test_the_readme_json_example_has_the_summary_keys() -> None:
    example = README.split("### `--json` output", 1)[1].split("```json\n", 1)[1].split("```", 1)[0]
    keys = list(_keys_by_depth(example))
    summary = ogi.parse(EXAMPLES / "2021_print.pdf").summary()
    assert [k for p, k in keys if p == ("",)] == list(summary)
    assert {k for p, k in keys if p[-1:] == ("findings",) or p[-2:] == ("findings", "")} == set(Finding.model_fields)
    assert {k for p, k in keys if len(p) == 3 and p[1] == "sections"} == {"heading", "text"}
    # A box: its page and place; a value read by OCR adds the recogniser's confidence.
    assert {k for p, k in keys if len(p) == 3 and p[1] == "boxes"} == {"page", "box", "confidence"}
    assert {tuple(b) for b in summary["boxes"].values()} == {("page", "box")}
    assert [k for p, k in keys if p == ("", "region")] == list(summary["region"])
    # A file of several reports gives each its part (index, count, lines or pages, span).
    volume = "\n".join(text(report(seed=s), "tsv") for s in (1, 2))
    parts = [r.summary()["part"] for r in ogi.parse_all_bytes(volume.encode(), "volume.txt")]
    assert [p["index"] for p in parts] == [1, 2] and {p["count"] for p in parts} == {2}
    assert [k for p, k in keys if p == ("", "part")] == list(parts[0])


def test_ogi_schema_is_the_models_and_describes_what_parse_gives() -> None:
    result = CliRunner().invoke(cli, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert schema == ogi.Report.model_json_schema()
    assert set(schema["properties"]) == set(ogi.Report.model_fields)
    assert set(schema["$defs"]["Finding"]["properties"]) == set(Finding.model_fields)
    for name in ("2021_print.pdf", "2019_crawler.txt", "2021_tsv_broken_total.txt"):
        jsonschema.validate(json.loads(ogi.parse(EXAMPLES / name).model_dump_json()), schema)
    volume = "\n".join(text(report(seed=s), "tsv") for s in (1, 2)).encode()
    for part in ogi.parse_all_bytes(volume, "volume.txt"):
        assert part.part is not None
        jsonschema.validate(json.loads(part.model_dump_json()), schema)
    broken = json.loads(ogi.parse(EXAMPLES / "2021_tsv.txt").model_dump_json())
    broken["cells"]["requests.new.total"]["flag"] = "guessed"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


# --- the narrative statements, one by one ----------------------------------------------------------


def _said(sentence: str, seed: int = 0) -> list[Finding]:
    """The narrative findings of the base report with ``sentence`` written into its overview."""
    body = text(report(seed=seed)).replace("一、总体情况\n\n", f"一、总体情况\n\n{sentence}\n\n", 1)
    return [f for f in parse(body).findings if f.rule == "NARRATIVE_MISMATCH"]


def test_narrative_received_counts_this_year_or_with_the_carry_over() -> None:
    base = report()
    assert (base.cells["requests.new.total"], base.cells["requests.carried_over.total"]) == (11, 0)
    assert _said("本年共收到政府信息公开申请11件。") == []
    (f,) = _said("本年共收到政府信息公开申请12件。")
    assert (f.keys, f.printed, f.expected) == (["requests.new.total"], "12", "11")
    assert "收到政府信息公开申请12件" in f.message and "表格为11件" in f.message


def test_narrative_received_with_last_years_carry_over() -> None:
    base = report(seed=8)
    new, over = base.cells["requests.new.total"], base.cells["requests.carried_over.total"]
    assert over > 0
    for stated in (new, new + over):
        assert _said(f"本年受理政府信息公开申请{stated}件。", seed=8) == []
    (f,) = _said(f"本年受理政府信息公开申请{new + over + 1}件。", seed=8)
    assert f.expected == f"{new} 或 {new + over}"


def test_narrative_none_received() -> None:
    (f,) = _said("本年度未收到政府信息公开申请。")
    assert (f.printed, f.expected) == ("0", "11")
    (f,) = _said("全年未发生依申请公开事项。")
    assert (f.printed, f.expected) == ("0", "11")
    # No appeal caused by a request (shared/corpus/019) says nothing about how many were received.
    assert _said("全年未发生因依申请公开被行政复议纠错或行政诉讼败诉的情况。") == []


def test_narrative_appeals() -> None:
    rep = report(seed=8)
    review = rep.cells["appeals.review.total"]
    direct, after = rep.cells["appeals.suit_direct.total"], rep.cells["appeals.suit_after_review.total"]
    assert _said(f"全年发生行政复议{review}件，行政诉讼{direct + after}件。", seed=8) == []
    said = _said(f"全年发生行政复议{review + 1}件，行政诉讼{direct + after + 1}起。", seed=8)
    found = {f.keys[0]: f for f in said}
    assert found["appeals.review.total"].expected == str(review)
    suits = found["appeals.suit_direct.total"]
    assert suits.keys == ["appeals.suit_direct.total", "appeals.suit_after_review.total"]
    assert suits.expected == " 或 ".join(str(v) for v in sorted({direct, direct + after}))
    # 未经行政复议 (suits filed directly) is not a statement about 行政复议.
    assert _said(f"未经行政复议{review + 7}件。", seed=8) == []
