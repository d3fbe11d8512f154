"""Which listing entries are annual reports, by their titles.

A report's title names the report (政府信息公开工作年度报告, …年度报告, …年报) and the year it
covers. The same columns also list what is about a report without being one — its 解读 or
图解, the notice asking departments to send theirs in — and those are skipped with the reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

REPORT_TITLE = re.compile(r"(?:政府|政务)?信息公开(?:工作)?(?:年度)?(?:报告|年报)|政务公开(?:工作)?年度报告")
_NOT_THE_REPORT = re.compile(
    r"解读|图解|图读|一图|读懂|看懂|问答|视频|动漫|H5|通知|通告|公示|征集|问卷|评议|考核|点评|整改|统计表|目录|指南|制度"
)
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_ANY_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_CN_DIGITS = str.maketrans("〇零○Ｏ一二三四五六七八九", "000012345678" + "9")


@dataclass(frozen=True, slots=True)
class Verdict:
    """Whether a title names an annual report, the year it covers, and why not when it does not."""

    is_report: bool
    year: int | None
    reason: str = ""


def report_year(title: str) -> int | None:
    """The year a report covers, from its title (二〇二三年度 read as 2023)."""
    text = title.translate(_CN_DIGITS)
    m = _YEAR.search(text) or _ANY_YEAR.search(text)
    return int(m.group(1)) if m else None


def judge(title: str) -> Verdict:
    year = report_year(title)
    if not REPORT_TITLE.search(title):
        return Verdict(False, year, f"not an annual report by its title: 「{title}」")
    if m := _NOT_THE_REPORT.search(title):
        return Verdict(False, year, f"about a report, not the report ({m.group(0)}): 「{title}」")
    if year is None:
        return Verdict(False, None, f"the title names no year: 「{title}」")
    return Verdict(True, year)
