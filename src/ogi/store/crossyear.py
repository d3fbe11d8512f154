"""Checks across years: a publisher's report against its own report of the year before.

Run over :sql:`unit_reports` (one report per publisher and year), for every publisher whose
neighbouring year is stored. The rules, all from identity 6 of ``cell-keys.md`` and the format:

- ``X_CARRY_OVER`` (warning): 二、上年结转 of year t = 四、结转下年度继续办理 of year t−1, per applicant column;
- ``X_PREV_COUNT`` (warning, 2019 template both years): 上一年项目数量 of t = that of t−1 plus 本年增/减 of t−1;
- ``X_IN_FORCE`` (warning, 2021 template both years): 现行有效件数 of t = that of t−1 + 本年制发 − 本年废止
  (documents also lapse at the end of their term, so a shortfall can be legitimate: the message says so);
- ``X_TEXT_REUSE`` (info, warning from 0.98): a section's text nearly the same as last year's.

Findings replace the stored ones of the publishers checked, in one transaction.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from ogi.model.template import get_template
from ogi.store import crosssql
from ogi.store.append import append
from ogi.store.columns import FINDING_TYPES
from ogi.store.crosssql import APPLICANTS, IN_FORCE_ROWS, PREV_COUNT_ROWS
from ogi.store.db import Store

TEXT_REUSE_THRESHOLD = 0.9
_NEAR_COPY = 0.98
_MIN_TEXT = 60  # shorter sections ("无。") are alike every year by nature
_SHINGLE = 4
# Years and counts change every year even in copied text; compare the words around them.
_NOISE = re.compile(r"[\s\d０-９]+")


@dataclass(frozen=True, slots=True)
class CrossFinding:
    report_id: int
    prev_report_id: int
    agency_id: str
    year: int
    rule: str
    severity: str
    keys: list[str]
    message: str
    expected: str | None = None
    printed: str | None = None


@dataclass(frozen=True, slots=True)
class _Pair:
    cur: int
    prev: int
    agency_id: str
    year: int
    template: str | None
    prev_template: str | None


def _n(v: Decimal) -> str:
    return format(v.normalize(), "f") if v == v.to_integral_value() else format(v, "f").rstrip("0")


def _label(template: str | None, key: str) -> str:
    return get_template(template or "2021").label_of(key)


def similarity(a: str, b: str) -> float:
    """Jaccard similarity of the texts' 4-character shingles, digits and spaces removed: linear
    time, where difflib's ratio is quadratic on long sections."""
    a, b = _NOISE.sub("", a), _NOISE.sub("", b)
    sa = {a[i : i + _SHINGLE] for i in range(max(1, len(a) - _SHINGLE + 1))}
    sb = {b[i : i + _SHINGLE] for i in range(max(1, len(b) - _SHINGLE + 1))}
    return len(sa & sb) / len(sa | sb) if sa or sb else 1.0


@dataclass(frozen=True, slots=True)
class _Val:
    value: Decimal
    flag: str | None
    alternatives: tuple[Decimal, ...]


Cells = dict[str, _Val]


def _note(v: _Val, expected: Decimal, inputs: Iterable[_Val | None]) -> str:
    """What a reviewer should know about the readings: a misread run-together number is the
    commonest cause of a cross-year break, and last year's figure often says which reading is right."""
    note = ""
    if v.flag == "uncertain" and v.alternatives:
        fit = f"，其中{_n(expected)}与上年报告相符，宜取此数" if expected in v.alternatives else ""
        note = f"（此数是不确定读数，另可读作{'、'.join(_n(a) for a in v.alternatives)}{fit}）"
    elif v.flag == "inferred":
        note = "（此数原文未印，是按表内勾稽关系推算的）"
    if any(i is not None and i.flag == "uncertain" for i in inputs):
        note += "（上年报告的相关数字也是不确定读数）"
    return note


def _finding(p: _Pair, rule: str, keys: list[str], v: _Val, expected: Decimal, msg: str) -> CrossFinding:
    return CrossFinding(p.cur, p.prev, p.agency_id, p.year, rule, "warning", keys, msg, _n(expected), _n(v.value))


def _carry_over(p: _Pair, cur: Cells, prev: Cells) -> Iterable[CrossFinding]:
    for col in APPLICANTS:
        k_now, k_then = f"requests.carried_over.{col}", f"requests.carried_forward.{col}"
        now, then = cur.get(k_now), prev.get(k_then)
        if now is None or then is None or now.value == then.value:
            continue
        msg = (
            f"{p.year}年「{_label(p.template, k_now)}」为{_n(now.value)}，但{p.year - 1}年报告的"
            f"「{_label(p.prev_template, k_then)}」为{_n(then.value)}{_note(now, then.value, [then])}。"
            "上年结转数应等于上年报告的结转下年度数，请核对两份报告。"
        )
        yield _finding(p, "X_CARRY_OVER", [k_now, k_then], now, then.value, msg)


def _prev_count(p: _Pair, cur: Cells, prev: Cells) -> Iterable[CrossFinding]:
    if p.template != "2019" or p.prev_template != "2019":
        return
    for row in PREV_COUNT_ROWS:
        key, change = f"active.{row}.prev_count", f"active.{row}.change"
        now, base, delta = cur.get(key), prev.get(key), prev.get(change)
        if now is None or base is None or delta is None or now.value == base.value + delta.value:
            continue
        expected = base.value + delta.value
        msg = (
            f"{p.year}年「{_label('2019', key)}」为{_n(now.value)}{_note(now, expected, [base, delta])}，"
            f"但{p.year - 1}年报告的上一年项目数量{_n(base.value)}加本年增/减"
            f"{'+' if delta.value >= 0 else ''}{_n(delta.value)}应为{_n(expected)}。请核对两年的项目数量。"
        )
        yield _finding(p, "X_PREV_COUNT", [key, change], now, expected, msg)


def _in_force(p: _Pair, cur: Cells, prev: Cells) -> Iterable[CrossFinding]:
    if p.template != "2021" or p.prev_template != "2021":
        return
    for row in IN_FORCE_ROWS:
        key, made, repealed = (f"active.{row}.{c}" for c in ("in_force", "made", "repealed"))
        now, base, m, r = cur.get(key), prev.get(key), cur.get(made), cur.get(repealed)
        if now is None or base is None or m is None or r is None:
            continue
        expected = base.value + m.value - r.value
        if now.value == expected:
            continue
        msg = (
            f"{p.year}年「{_label('2021', key)}」为{_n(now.value)}{_note(now, expected, [base])}，"
            f"但按{p.year - 1}年报告的现行有效件数{_n(base.value)}加本年制发{_n(m.value)}、减本年废止{_n(r.value)}"
            f"应为{_n(expected)}（相差{_n(now.value - expected)}）。"
            "若有文件因有效期届满而失效，差额可以解释，宜在报告中说明；否则请核对。"
        )
        yield _finding(p, "X_IN_FORCE", [key, made, repealed], now, expected, msg)


def _text_reuse(
    p: _Pair, cur: dict[str, tuple[str, str]], prev: dict[str, tuple[str, str]], threshold: float
) -> Iterable[CrossFinding]:
    for key, (heading, text) in cur.items():
        if key not in prev or len(_NOISE.sub("", text)) < _MIN_TEXT:
            continue
        ratio = similarity(text, prev[key][1])
        if ratio < threshold:
            continue
        severity = "warning" if ratio >= _NEAR_COPY else "info"
        msg = (
            f"{p.year}年报告「{heading}」与{p.year - 1}年报告同一部分的文字相似度为{ratio:.2f}"
            f"（阈值{threshold:.2f}），请核对是否沿用了上年的内容而未写本年情况。"
        )
        yield CrossFinding(
            p.cur, p.prev, p.agency_id, p.year, "X_TEXT_REUSE", severity, [f"section.{key}"], msg, None, f"{ratio:.3f}"
        )


def check_cross_year(
    store: Store, *, agency_ids: Iterable[str] | None = None, threshold: float = TEXT_REUSE_THRESHOLD
) -> list[CrossFinding]:
    """Check every stored pair of neighbouring years (of ``agency_ids`` only, when given), store
    the findings in ``cross_findings`` in place of the old ones, and return them."""
    only = sorted(set(agency_ids)) if agency_ids is not None else None
    where = "" if only is None else "AND cur.agency_id IN (SELECT unnest($1))"
    con = store.con
    con.execute(
        "CREATE OR REPLACE TEMP TABLE cross_pairs AS "
        "SELECT cur.id AS cur, prev.id AS prev, cur.agency_id, cur.year, cur.template, prev.template AS prev_template "
        "FROM unit_reports cur JOIN unit_reports prev ON prev.agency_id = cur.agency_id AND prev.year = cur.year - 1 "
        f"WHERE cur.agency_id IS NOT NULL {where}",
        [only] if only else [],
    )
    crosssql.run(con)
    texts: dict[int, dict[str, tuple[str, str]]] = defaultdict(dict)
    for rid, key, heading, text in con.execute(
        "SELECT report_id, key, heading, text FROM sections "
        "WHERE report_id IN (SELECT cur FROM cross_pairs UNION SELECT prev FROM cross_pairs)"
    ).fetchall():
        texts[rid][key] = (heading, text)
    reused: list[CrossFinding] = []
    if texts:
        for p in (_Pair(*row) for row in con.execute(
            "SELECT cur, prev, agency_id, year, template, prev_template FROM cross_pairs ORDER BY agency_id, year"
        ).fetchall()):  # fmt: skip
            if p.cur in texts and p.prev in texts:
                reused += _text_reuse(p, texts[p.cur], texts[p.prev], threshold)
    _save(store, reused, only)
    found = [CrossFinding(*row) for row in con.execute(
        f"SELECT {', '.join(_COLUMNS)} FROM cross_found {crosssql.ORDER}"
    ).fetchall()]  # fmt: skip
    for table in ("cross_found", "cross_values", "cross_flags", "cross_labels", "cross_pairs"):
        con.execute(f"DROP TABLE {table}")
    # The rules' order within a pair: the numbers first, then the texts.
    return sorted([*found, *reused], key=lambda f: (f.agency_id, f.year, f.rule == "X_TEXT_REUSE"))


def compare_years(
    cur: Mapping[str, Decimal | int | None],
    prev: Mapping[str, Decimal | int | None],
    *,
    year: int,
    template: str,
    prev_template: str | None,
    texts: Mapping[str, str] | None = None,
    prev_texts: Mapping[str, str] | None = None,
    threshold: float = TEXT_REUSE_THRESHOLD,
) -> list[CrossFinding]:
    """The same rules for one pair of reports given as values, stored nowhere (the 填报 form checks a
    draft against last year's report this way); the findings' report ids are 0."""
    p = _Pair(0, 0, "", year, template, prev_template)

    def vals(cells: Mapping[str, Decimal | int | None]) -> Cells:
        return {k: _Val(Decimal(v), None, ()) for k, v in cells.items() if v is not None}

    def sections(t: str | None, given: Mapping[str, str] | None) -> dict[str, tuple[str, str]]:
        heads = {s.key: s.ordinal + s.text for s in get_template(t or template).sections}
        return {k: (heads.get(k, k), text) for k, text in (given or {}).items()}

    now, then = vals(cur), vals(prev)
    return [
        *_carry_over(p, now, then),
        *_prev_count(p, now, then),
        *_in_force(p, now, then),
        *_text_reuse(p, sections(template, texts), sections(prev_template, prev_texts), threshold),
    ]


_COLUMNS = {
    "report_id": "BIGINT",
    "prev_report_id": "BIGINT",
    "agency_id": "VARCHAR",
    "year": "INTEGER",
    **FINDING_TYPES,  # the findings' own fields, as the findings table stores them
}


def _save(store: Store, reused: list[CrossFinding], only: list[str] | None) -> None:
    """Replace the stored findings of the publishers checked: the numeric ones straight from the
    temporary ``cross_found`` table, the text ones from Python."""
    con = store.con
    con.begin()
    try:
        if only is None:
            con.execute("DELETE FROM cross_findings")
        else:
            con.execute("DELETE FROM cross_findings WHERE agency_id IN (SELECT unnest($1))", [only])
        con.execute(
            f"INSERT INTO cross_findings ({', '.join(_COLUMNS)}, checked_at) "
            f"SELECT {', '.join(_COLUMNS)}, now() FROM cross_found {crosssql.ORDER}"
        )
        columns = {c: (t, [getattr(f, c) for f in reused]) for c, t in _COLUMNS.items()}
        append(con, "cross_findings", {**columns, "checked_at": ("TIMESTAMP", [datetime.now()] * len(reused))})
        con.commit()
    except BaseException:
        con.rollback()
        raise
