"""Who and when, as chosen: an agency name read differently from how it was printed, and a
publication date chosen among several or beside a crawler's stamp. A wrong agency or date shown as
right is as bad as a wrong cell, so every such choice is reported."""

from __future__ import annotations

from datetime import date

from ogi.model import Finding, Report

PLAUSIBLE_POSTING_DAYS = 90
"""A page's 发布时间 this many days after the signed date is ordinary: posting follows signing."""


def check_metadata(report: Report) -> list[Finding]:
    out: list[Finding] = []
    meta = report.meta
    printed, change = meta.get("agency_printed"), meta.get("agency_change")
    if printed and change == "abbreviation":
        out.append(
            Finding(
                rule="AGENCY_EXPANDED",
                severity="info",
                printed=printed,
                expected=report.agency,
                message=f"标题中的机关名称「{printed}」为简称，已按标准简称表记为「{report.agency}」。",
            )
        )
    elif printed and change == "misspelling":
        out.append(
            Finding(
                rule="AGENCY_CORRECTED",
                severity="warning",
                printed=printed,
                expected=report.agency,
                message=f"标题中的机关名称「{printed}」含有行政区划表中没有的地名，按字形最接近且正文印证的"
                f"地名记为「{report.agency}」。请核对原文。",
            )
        )
    if doubt := meta.get("agency_candidates"):
        out.append(
            Finding(
                rule="AGENCY_UNCERTAIN",
                severity="warning",
                printed=report.agency,
                expected=" 或 ".join(doubt),
                message=f"机关名称「{report.agency}」中的地名不在行政区划表中，可能是转换时的错字，"
                f"最接近的有{'、'.join(doubt)}，无法确定，按原文记录。请核对原文。",
            )
        )
    candidates = meta.get("published_candidates") or []
    if candidates and report.published:
        out.append(_published_choice(report.published, candidates))
    for stamp in meta.get("published_stamps") or []:
        out.append(
            Finding(
                rule="PUBLISHED_STAMP",
                severity="info",
                printed=stamp["date"],
                message=f"文件中的日期{stamp['date']}（{stamp['where']}）是采集或保存文件的时间，不是报告的发布日期，未采用。",
            )
        )
    return out


def _published_choice(chosen: date, candidates: list[dict[str, str]]) -> Finding:
    others = [c for c in candidates if c["date"] != chosen.isoformat()]
    signed = [date.fromisoformat(c["date"]) for c in candidates if c["kind"] == "signature"]
    ordinary = bool(signed) and all(0 <= (chosen - d).days <= PLAUSIBLE_POSTING_DAYS for d in signed)
    listed = "；".join(f"{c['date']}（{c['where']}）" for c in others)
    return Finding(
        rule="PUBLISHED_CHOICE",
        severity="info" if ordinary else "warning",
        printed=chosen.isoformat(),
        expected=" 或 ".join(c["date"] for c in others),
        message=f"报告印有多个日期：发布日期取{chosen.isoformat()}，另有{listed}。"
        + ("（网页发布晚于文末落款，属正常情况。）" if ordinary else "请核对哪一个是报告的发布日期。"),
    )
