"""Synthetic reports satisfy the identities, and every text shape prints every value where it belongs."""

from __future__ import annotations

import dataclasses
import random
import re
import unicodedata
from datetime import date
from decimal import Decimal

import pytest

from ogi.model.template import TEMPLATE_IDS, Template, get_template
from ogi.render.synth import SynthReport, check_identities, synth_cells, synth_report
from ogi.render.text import SHAPES, render_text

NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?元?")


def printed(t: Template, cells: dict, *, unit: str = "万元") -> list[str]:
    """The expected printed values in table order, written independently of the renderer."""
    out = []
    for row in t.rows:
        for col, key in zip(row.columns, row.cell_keys, strict=True):
            v = cells[key]
            if col.kind == "change" and v:
                out.append(f"+{v}" if v > 0 else str(v))
            elif col.kind == "amount" and unit == "元" and "万元" not in col.label:
                text = format(v * 10000, "f")
                out.append((text.rstrip("0").rstrip(".") if "." in text else text) + "元")
            elif col.kind == "amount":
                out.append(format(v, "f"))
            else:
                out.append(str(v))
    return out


def per_line_values(text: str) -> list[str]:
    lines = (unicodedata.normalize("NFKC", line[1:]).strip() for line in text.splitlines() if line.startswith("\t"))
    return [v for v in lines if NUMBER.fullmatch(v)]


def tsv_values(text: str) -> list[str]:
    return [f for line in text.splitlines() if "\t" in line for f in line.split("\t") if NUMBER.fullmatch(f)]


def markdown_values(text: str) -> list[str]:
    cells = (c.strip() for line in text.splitlines() if line.startswith("|") for c in line.strip("|").split("|"))
    return [c for c in cells if NUMBER.fullmatch(c)]


def crawler_tables(report: SynthReport, unit: str = "万元") -> str:
    """The crawler body's table region with every label removed: only the run-together values remain."""
    quiet = dataclasses.replace(report, sections=dict.fromkeys(report.sections, ""))
    body = render_text(quiet, "crawler", amount_unit=unit).split("正文 " + "=" * 20 + "\n", 1)[1]
    region = body[body.index("第二十条") : body.index("五、")]
    # The labels are exactly the non-value cells of the cell-per-line shape.
    labels = {line.strip() for line in render_text(quiet, "cell_per_line").splitlines() if line.startswith("\t")}
    labels = {x for x in labels if x and not NUMBER.fullmatch(x)}
    labels |= {s.ordinal + s.text for s in get_template(report.template).sections}
    for label in sorted(labels, key=len, reverse=True):
        region = region.replace(label, "")
    return region.replace(" ", "")


def reports(n: int) -> list[SynthReport]:
    return [synth_report(tid, random.Random(seed)) for tid in TEMPLATE_IDS for seed in range(n)]


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_synth_cells_satisfy_every_identity(template_id: str) -> None:
    t = get_template(template_id)
    for seed in range(400):
        rng = random.Random(seed)
        cells = synth_cells(template_id, rng, scale=rng.choice((1, 5, 50, 500, 5000)), zero_ratio=rng.random())
        assert list(cells) == list(t.keys)
        assert check_identities(template_id, cells) == [], seed
        for key, value in cells.items():
            kind = t.kind_of(key)
            if kind == "amount":
                assert isinstance(value, Decimal) and value >= 0 and -value.as_tuple().exponent <= 6
            else:
                assert type(value) is int and (kind == "change" or value >= 0), key


def test_synth_values_look_real() -> None:
    many = [synth_cells("2019", random.Random(s)) for s in range(500)]
    changes = {c[f"active.{r}.change"] for c in many for r in ("licensing", "penalty", "fees")}
    assert min(changes) < 0 < max(changes) and 0 in changes
    assert max(c["active.licensing.decisions"] for c in many) >= 10**5
    places = {-c["active.procurement.amount"].as_tuple().exponent for c in many}
    assert places == set(range(7))
    zeros = sum(c[f"requests.granted.{col}"] == 0 for c in many for col in ("research", "nonprofit"))
    assert zeros > 0.9 * 2 * len(many)
    assert all(synth_cells("2021", random.Random(s), zero_ratio=1.0)["requests.total.total"] == 0 for s in range(20))


def test_check_identities_reports_breaks_and_gaps() -> None:
    cells = synth_cells("2021", random.Random(1))
    broken = dict(cells, **{"requests.granted.natural": cells["requests.granted.natural"] + 1})
    rules = {line.split()[0] for line in check_identities("2021", broken)}
    assert rules == {"I2", "I3"}
    gap = dict(cells, **{"appeals.review.total": None})
    assert any("no value for appeals.review.total" in line for line in check_identities("2021", gap))
    # 2021 reports printing the single 2019-style （六） row: its subtotal stands in for the three parts.
    merged = {k: v for k, v in cells.items() if not k.startswith("requests.other.")}
    for c in (col.key for col in get_template("2021").requests_columns):
        merged[f"requests.other.subtotal.{c}"] = sum(
            cells[f"requests.other.{p}.{c}"] for p in ("no_correction", "no_fee", "other")
        )
    assert not [line for line in check_identities("2021", merged) if line.startswith("I3")]


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_synth_report_is_plausible_and_deterministic(template_id: str) -> None:
    t = get_template(template_id)
    for seed in range(50):
        a, b = synth_report(template_id, random.Random(seed)), synth_report(template_id, random.Random(seed))
        assert a == b and a.cells == b.cells and a.sections == b.sections
        assert t.covers_year(a.year) and a.year <= 2025
        assert date(a.year + 1, 1, 1) <= a.published <= date(a.year + 1, 3, 31)
        assert set(a.sections) == {s.key for s in t.sections} and all(a.sections.values())
        assert a.agency.endswith(("人民政府", "办公室", "局", "委员会", "街道办事处"))
    fixed = synth_report(template_id, random.Random(0), agency="南苑街道办事处", year=t.first_year)
    assert (fixed.agency, fixed.year) == ("南苑街道办事处", t.first_year)
    with pytest.raises(ValueError):
        synth_report(template_id, random.Random(0), year=t.first_year - 1)


@pytest.mark.parametrize("shape", SHAPES)
def test_render_is_deterministic(shape: str) -> None:
    for tid in TEMPLATE_IDS:
        for seed in range(5):
            texts = {render_text(synth_report(tid, random.Random(seed)), shape) for _ in range(2)}
            assert len(texts) == 1
            report = synth_report(tid, random.Random(seed))
            assert render_text(report, shape, seed=3) == render_text(report, shape, seed=3)


@pytest.mark.parametrize("unit", ["万元", "元"])
def test_every_shape_prints_every_value_in_order(unit: str) -> None:
    for report in reports(25):
        t = get_template(report.template)
        expected = printed(t, report.cells, unit=unit)
        assert per_line_values(render_text(report, "cell_per_line", amount_unit=unit)) == expected
        assert per_line_values(render_text(report, "fullwidth", amount_unit=unit)) == expected
        assert tsv_values(render_text(report, "tsv", amount_unit=unit)) == expected
        assert markdown_values(render_text(report, "markdown", amount_unit=unit)) == expected
        assert crawler_tables(report, unit) == "".join(expected)


@pytest.mark.parametrize("shape", ["cell_per_line", "markdown", "tsv", "fullwidth"])
def test_every_shape_has_title_headings_labels_and_signature(shape: str) -> None:
    for report in reports(3):
        t = get_template(report.template)
        text = render_text(report, shape)
        flat = unicodedata.normalize("NFKC", text).replace("\n", "")
        title = text.splitlines()[0]
        assert report.agency in title and str(report.year) in title and title.endswith("报告")
        for s in t.sections:
            assert s.ordinal + s.text in text
        d = report.published
        assert text.rstrip().endswith(f"{d.year}年{d.month}月{d.day}日") and report.agency in text.rstrip()[-60:]
        for row in t.rows:
            label = row.official_label if row.table == "requests" else row.label
            if shape == "tsv":
                label = unicodedata.normalize("NFKC", label).replace(" ", "")
                assert label in unicodedata.normalize("NFKC", text).replace(" ", ""), label
            else:
                assert unicodedata.normalize("NFKC", label) in flat, label


def test_crawler_header_and_single_body_line() -> None:
    report = synth_report("2019", random.Random(4))
    lines = render_text(report, "crawler").rstrip("\n").split("\n")
    assert lines[0].startswith("标题: ") and report.agency in lines[0]
    assert re.fullmatch(rf"发布时间: {report.published.isoformat()} \d\d:\d\d", lines[1])
    assert "发布机构: " in lines and lines[-2] == "=" * 20 + " 正文 " + "=" * 20
    assert "一、总体情况" in lines[-1] and "六、其他需要报告的事项" in lines[-1]


def test_cell_per_line_matches_the_seed_layout() -> None:
    report = synth_report("2019", random.Random(2))
    cells = dict(
        report.cells,
        **{
            "active.licensing.change": 2,
            "active.fees.change": -5,
            "active.penalty.change": 0,
            "active.procurement.amount": Decimal("7539.443252"),
            "active.procurement.projects": 135,
            "active.coercion.change": None,
        },
    )
    text = render_text(dataclasses.replace(report, cells=cells), "cell_per_line", amount_unit="元")
    assert "\t行政许可\n\t" in text and "\t+2\n" in text and "\t-5\n" in text
    assert "\t政府集中采购\n\t135\n\t75394432.52元\n\n" in text
    assert f"\t行政强制\n\t{cells['active.coercion.prev_count']}\n\t\n\t" in text
    assert "\t三、本年度办理结果\n\t（一）予以公开\n\t" in text
    assert "\n\t\n\t（三）不予公开\n\t1.属于国家秘密\n\t" in text
    assert "\n\t\n\t\n\t2.其他法律行政法规禁止公开\n\t" in text
    note = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    assert f"\t{note}\n\t申请人情况\n\n\t\n\t自然人\n" in text
    assert "\t未经复议直接起诉\n\t复议后起诉\n\n" + "\t\n" * 5 + "\t结果维持\n" in text


def test_2021_grid_and_fullwidth_noise() -> None:
    report = synth_report("2021", random.Random(8))
    text = render_text(report, "cell_per_line")
    assert "\t（六）其他处理\n\t1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请\n" in text
    assert "\t第二十条第（八）项\n\n\t信息内容\n\t本年收费金额（单位：万元）\n\n\t行政事业性收费\n" in text
    noisy = "".join(render_text(synth_report("2019", random.Random(s)), "fullwidth") for s in range(10))
    assert "\u3000" in noisy and "\xa0" in noisy and re.search("[０-９]", noisy) and "\t本年新\n制作数量" in noisy
    tsv = render_text(synth_report("2019", random.Random(1)), "tsv")
    assert "\n\t(三) 不予公开\t1.属于国家秘密\t" in tsv and "\n第二十条第（一）项\t\t\t\n" in tsv


def test_rejects_unknown_shape_and_unit() -> None:
    report = synth_report("2019", random.Random(0))
    with pytest.raises(ValueError):
        render_text(report, "docx")
    with pytest.raises(ValueError):
        render_text(report, "tsv", amount_unit="千元")
