"""Who and when from converted texts: titles broken over lines, short forms of department names,
misspelled places, and the report's own publication date rather than a crawler's stamp — every
choice visible as a finding."""

from __future__ import annotations

import random

import pytest

import ogi
from ogi.extract.signature import split_signature
from ogi.render.synth import synth_report
from ogi.render.text import render_text
from ogi.units.abbreviations import expand_abbreviation
from ogi.units.spelling import correct_place
from tests.conftest import EXAMPLES

REP = synth_report("2021", random.Random(5))


def _with_title(title_lines: list[str], body_extra: str = "", tail: list[str] | None = None) -> ogi.Report:
    text = render_text(REP, "tsv")
    first, rest = text.split("\n", 1)
    assert "政府信息公开" in first
    lines = [*title_lines, body_extra, rest, *(tail or [])]
    return ogi.parse_bytes("\n".join(lines).encode(), "x.txt")


def _rules(report: ogi.Report) -> set[str]:
    return {f.rule for f in report.findings}


def test_a_title_broken_over_lines_still_names_the_agency() -> None:
    for lines in (
        ["正文", f"{REP.year} 年{REP.agency}政府信息公开", "工作年度报告"],
        [f"{REP.agency}{REP.year}", "年政府信息公开工作年度报告"],
        [REP.agency, f"{REP.year}年政府信息公开工作年度报告"],
    ):
        report = _with_title(lines)
        assert (report.agency, report.year) == (REP.agency, REP.year), lines


def test_short_forms_of_department_names_are_expanded_and_reported() -> None:
    assert expand_abbreviation("上海市科委") == "上海市科学技术委员会"
    assert expand_abbreviation("上海市科学技术委员会") is None
    assert expand_abbreviation("科委") is None  # a short form alone names no body
    report = _with_title([f"上海市科委{REP.year}年政府信息公开工作年度报告"])
    assert report.agency == "上海市科学技术委员会"
    assert report.meta["agency_printed"] == "上海市科委"
    assert "AGENCY_EXPANDED" in _rules(report)


def test_a_misspelled_place_is_corrected_only_when_one_fits() -> None:
    # 沐阳县 is not a county; 沭阳县 and 泗阳县 (both under 宿迁市) are one character away, and dozens of X阳县.
    assert correct_place("沐阳县人民政府", "本县沭阳经济开发区").agency == "沭阳县人民政府"  # type: ignore[union-attr]
    unsure = correct_place("沐阳县人民政府", "宿迁市")
    assert unsure is not None and not unsure.corrected and len(unsure.candidates) == 2
    assert correct_place("淮安市洪泽区人民政府") is None
    report = _with_title([f"沐阳县人民政府{REP.year}年政府信息公开工作年度报告"], "全县在沭阳经济开发区开展培训。")
    assert report.agency == "沭阳县人民政府" and report.meta["agency_printed"] == "沐阳县人民政府"
    assert report.region is not None and report.region.code == "321322"
    assert "AGENCY_CORRECTED" in _rules(report)
    doubt = _with_title([f"沐阳县人民政府{REP.year}年政府信息公开工作年度报告"])
    assert doubt.agency == "沐阳县人民政府" and "AGENCY_UNCERTAIN" in _rules(doubt)


def test_a_crawler_stamp_is_never_the_publication_date() -> None:
    signed = f"{REP.published.year}年{REP.published.month}月{REP.published.day}日"
    for stamp in ("采集时间：2026-05-04 10:20:00", "fetched 2026-05-04T10:20:00Z", "保存时间：2026年5月4日"):
        report = _with_title([stamp, f"{REP.agency}{REP.year}年政府信息公开工作年度报告"], tail=[REP.agency, signed])
        assert report.published == REP.published, stamp
        assert "PUBLISHED_STAMP" in _rules(report)
        assert report.meta["published_stamps"][0]["date"] == "2026-05-04"


def test_competing_dates_are_kept_and_the_choice_reported() -> None:
    later = REP.published.replace(day=min(REP.published.day + 5, 28))
    report = _with_title(
        [f"{REP.agency}{REP.year}年政府信息公开工作年度报告", f"发布日期：{later.isoformat()}"],
        tail=[REP.agency, f"{REP.published.year}年{REP.published.month}月{REP.published.day}日"],
    )
    assert report.published == later
    assert [c["date"] for c in report.meta["published_candidates"]] == [later.isoformat(), REP.published.isoformat()]
    choice = next(f for f in report.findings if f.rule == "PUBLISHED_CHOICE")
    assert choice.printed == later.isoformat() and choice.expected == REP.published.isoformat()
    assert choice.severity == ("info" if later >= REP.published else "warning")


def test_an_html_page_stamp_is_not_taken_for_the_date() -> None:
    page = render_text(REP, "markdown").replace("\n", "</p><p>")
    html = f"<html><body><p>采集时间：2026-05-04 10:20</p><p>{page}</p></body></html>"
    report = ogi.parse_bytes(html.encode(), "x.html")
    assert report.published == REP.published


# --- the signature under section 六 -------------------------------------------------------------


def test_the_signature_is_not_part_of_section_six() -> None:
    report = ogi.parse(EXAMPLES / "2021_print.pdf")
    assert report.sections["other"].text == "2023 年度我局无其他需要报告的事项。"
    assert report.meta["signature"] == "洛阳市生态环境局\n2024 年 2 月 26 日"
    crawled = ogi.parse(EXAMPLES / "2021_crawler.txt")  # the crawler's header carries the date: no signature
    assert crawled.meta["signature"] is None and crawled.sections["other"].text.endswith("需要报告的事项。")


@pytest.mark.parametrize(
    ("text", "body", "signature"),
    [
        ("无。\n二〇二一年三月六日", "无。", "二〇二一年三月六日"),
        ("无。\n洪泽区人民政府办公室\n2024-01-02", "无。", "洪泽区人民政府办公室\n2024-01-02"),
        ("无。\n淮安市洪泽区人民政府", "无。", "淮安市洪泽区人民政府"),  # the issuer's name, undated
        ("未收取费用。\n我局照常办理", "未收取费用。\n我局照常办理", None),  # a short last line, no date: text
        ("2024年1月2日", "2024年1月2日", None),  # nothing but a date: left as printed
        ("本年度共收取信息处理费0元。\n2024年1月2日", "本年度共收取信息处理费0元。", "2024年1月2日"),
    ],
)
def test_split_signature(text: str, body: str, signature: str | None) -> None:
    assert split_signature(text, "淮安市洪泽区人民政府") == (body, signature)
