"""One unit across all its years: every cell by year, the carry-over chain, the cross-year findings
and each section's text against the year before.

A unit is a publisher (``agency_id``); each year is its unit-year (``unit_reports``) with its
effective cells (``unit_cells``). The text comparison of one year (``text_year``, the latest by
default) comes with its reused passages marked; the other years give their similarities only.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from itertools import pairwise
from typing import Any

from ogi.errors import StoreError
from ogi.overview.charts import Chart
from ogi.overview.reuse import passages
from ogi.store.crossyear import APPLICANTS, similarity
from ogi.store.db import Store
from ogi.store.keys import cell_labels, ordered

MAX_PANELS = 24
_HEADLINE = (
    "requests.new.total",
    "requests.carried_over.total",
    "requests.granted.total",
    "requests.total.total",
    "requests.carried_forward.total",
    "appeals.review.total",
    "appeals.suit_direct.total",
)


def _plain(v: Any) -> Any:
    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral_value() else float(v)
    return v


def history(store: Store, agency_id: str, *, text_year: int | None = None) -> dict[str, Any]:
    """The unit's history as plain JSON-able data (raises StoreError for an unknown unit)."""
    con = store.con.cursor()
    years = con.execute(
        "SELECT u.id, u.year, u.agency, u.level, u.region_code, u.region_name, u.template, u.published, u.errors, "
        "u.warnings, coalesce(s.sources, [u.id]) FROM unit_reports u LEFT JOIN unit_sources s ON s.unit_id = u.id "
        "WHERE u.agency_id = ? ORDER BY u.year",
        [agency_id],
    ).fetchall()
    if not years:
        raise StoreError(
            f'no reports of {agency_id!r} in the store (agency ids are in `ogi query "SELECT DISTINCT '
            'agency_id FROM reports"`)'
        )
    ids = [y[0] for y in years]
    year_of = {y[0]: y[1] for y in years}
    values: dict[str, dict[int, Any]] = defaultdict(dict)
    flags: dict[str, dict[int, str]] = defaultdict(dict)
    for uid, key, value, flag in con.execute(
        "SELECT unit_id, key, value, flag FROM unit_cells WHERE unit_id IN (SELECT unnest(?))", [ids]
    ).fetchall():
        if value is not None:
            values[key][year_of[uid]] = value
        if flag and flag != "missing":
            flags[key][year_of[uid]] = flag
    keys = ordered(values)
    labels = cell_labels(keys)
    year_list = [y[1] for y in years]
    sources = {
        sid: (path, fmt)
        for sid, path, fmt in con.execute(
            "SELECT id, path, format FROM reports WHERE id IN (SELECT unnest(?))", [[i for y in years for i in y[10]]]
        ).fetchall()
    }
    findings = con.execute(
        "SELECT year, rule, severity, keys, message FROM cross_findings WHERE agency_id = ? ORDER BY year, rule",
        [agency_id],
    ).fetchall()
    texts: dict[int, dict[str, tuple[str, str]]] = defaultdict(dict)
    for rid, key, heading, text in con.execute(
        "SELECT report_id, key, heading, text FROM sections WHERE report_id IN (SELECT unnest(?))", [ids]
    ).fetchall():
        texts[year_of[rid]][key] = (heading, text)
    latest = year_list[-1]
    chosen = text_year if text_year in year_of.values() else latest
    last = years[-1]
    return {
        "agency_id": agency_id,
        "agency": last[2],
        "level": last[3],
        "region_code": last[4],
        "region_name": last[5],
        "years": [
            {
                "year": y,
                "id": i,
                "template": t,
                "published": p.isoformat() if p else None,
                "errors": e,
                "warnings": w,
                "sources": [
                    {"id": s, "path": sources.get(s, ("", ""))[0], "format": sources.get(s, ("", ""))[1]} for s in src
                ],
            }
            for i, y, _, _, _, _, t, p, e, w, src in years
        ],
        "cells": {
            "columns": ["key", "label", *map(str, year_list)],
            "rows": [[k, labels[k], *(_plain(values[k].get(y)) for y in year_list)] for k in keys],
            "flags": {k: {str(y): f for y, f in flags[k].items()} for k in keys if k in flags},
        },
        "carry_over": _chain(values, year_list),
        "findings": [{"year": y, "rule": r, "severity": s, "keys": k, "message": m} for y, r, s, k, m in findings],
        "text": _texts(texts, year_list, chosen),
        "charts": {c.name: c.table() for c in _charts(values, labels, year_list)},
    }


def _chain(values: dict[str, dict[int, Any]], years: list[int]) -> list[dict[str, Any]]:
    """Each year's 上年结转 against the year before's 结转下年度, per applicant column."""
    chain = []
    for prev, cur in pairwise(years):
        if cur != prev + 1:
            continue
        for col in APPLICANTS:
            forward = values.get(f"requests.carried_forward.{col}", {}).get(prev)
            over = values.get(f"requests.carried_over.{col}", {}).get(cur)
            if forward is None and over is None:
                continue
            chain.append(
                {
                    "year": cur,
                    "column": col,
                    "carried_forward_prev": _plain(forward),
                    "carried_over": _plain(over),
                    "ok": None if forward is None or over is None else forward == over,
                }
            )
    return chain


def _texts(texts: dict[int, dict[str, tuple[str, str]]], years: list[int], chosen: int) -> list[dict[str, Any]]:
    out = []
    for year in years:
        prev = texts.get(year - 1, {})
        sections = []
        for key, (heading, text) in texts.get(year, {}).items():
            ratio = similarity(text, prev[key][1]) if key in prev else None
            item: dict[str, Any] = {"key": key, "heading": heading, "similarity": ratio, "length": len(text)}
            if year == chosen:
                item["text"] = text
                item["passages"] = passages(text, prev[key][1]) if key in prev else []
            sections.append(item)
        out.append({"year": year, "against": year - 1 if prev else None, "sections": sections})
    return out


def _charts(values: dict[str, dict[int, Any]], labels: dict[str, str], years: list[int]) -> list[Chart]:
    varying = [k for k in ordered(values) if len(set(values[k].values())) > 1 and any(values[k].values())]
    panels = [k for k in _HEADLINE if k in values] + [k for k in varying if k not in _HEADLINE]
    rows = [(labels[k], str(y), values[k].get(y)) for k in panels[:MAX_PANELS] for y in years]
    note = f"共{len(values)}项有数；图中{min(len(panels), MAX_PANELS)}项，全部数字见表格"
    chain = [(str(y), values.get("requests.carried_over.total", {}).get(y)) for y in years]
    return [
        Chart("cells", "各项数字逐年变化", "multiples", ["项目", "年度", "数值"], rows, note),
        Chart("carry_over", "上年结转（总计）", "line", ["年度", "上年结转"], chain),
    ]


__all__ = ["history"]
