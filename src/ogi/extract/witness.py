"""Counts the narrative states, as witnesses for the solver.

A report's text often states the numbers of its tables: ``共受理政府信息公开申请1295件``,
``不予公开20件``, ``全年主动公开市政府规章22件``. Where the identities leave a choice open (two
placements of label-less rows, a loose cell with no column of its own), a statement that agrees with
one reading and not the others decides (:func:`ogi.extract.solve.solve`). A statement never
overrides a printed cell: it only chooses among readings, and a disagreement with the table stays a
``NARRATIVE_MISMATCH`` finding of :mod:`ogi.check.narrative`.

Each statement names the cells it may mean as options (``受理`` can mean this year's new requests
or those plus last year's carried over); it agrees when one option sums to the stated number.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ogi.extract.solve import Witness
from ogi.model.template import Template

GAP = r"[^。；;，,、\d%％]{0,6}?"
COUNT = r"\s*(\d{1,7})\s*件"


def _rows(template: Template, group: str) -> tuple[str, ...]:
    return tuple(f"requests.{r.key}.total" for r in template.rows_of("requests") if r.group == group)


def _statements(template: Template) -> list[tuple[re.Pattern[str], tuple[tuple[str, ...], ...]]]:
    other = _rows(template, "other") or ("requests.other.total",)
    made = ("made",) if template.id == "2021" else ("new_made", "new_published")
    out: list[tuple[str, tuple[tuple[str, ...], ...]]] = [
        (
            r"(?:新收|收到|受理)" + GAP + r"申请" + GAP + COUNT,
            (("requests.new.total",), ("requests.new.total", "requests.carried_over.total")),
        ),
        (r"上年结转" + GAP + COUNT, (("requests.carried_over.total",),)),
        (r"(?:办结|答复)" + GAP + COUNT, (("requests.total.total",),)),
        (
            r"予以公开(?:及|和|与|、)部分公开" + GAP + COUNT,
            (("requests.granted.total", "requests.partial.total"),),
        ),
        (r"(?<!部分公开)(?<!及)予以公开(?!及|和|与|、)" + GAP + COUNT, (("requests.granted.total",),)),
        (r"(?<!及|和|与|、)部分公开" + GAP + COUNT, (("requests.partial.total",),)),
        (r"不予公开" + GAP + COUNT, (_rows(template, "denied"), ("requests.denied.subtotal.total",))),
        (r"无法提供" + GAP + COUNT, (_rows(template, "unable"), ("requests.unable.subtotal.total",))),
        (r"不予处理" + GAP + COUNT, (_rows(template, "rejected"), ("requests.rejected.subtotal.total",))),
        (r"其他处理" + GAP + COUNT, (other, ("requests.other.subtotal.total",))),
        (r"结转下(?:一)?年度?" + GAP + COUNT, (("requests.carried_forward.total",),)),
        (r"(?<!未经)行政复议(?:案件)?" + GAP + r"\s*(\d{1,7})\s*(?:件|起)", (("appeals.review.total",),)),
        (
            r"行政诉讼(?:案件)?" + GAP + r"\s*(\d{1,7})\s*(?:件|起)",
            (("appeals.suit_direct.total", "appeals.suit_after_review.total"), ("appeals.suit_direct.total",)),
        ),
        (r"(?<!行政)(?<!部门)(?<!有效)(?<!废止)(?<!失效)规章" + COUNT, tuple((f"active.rules.{c}",) for c in made)),
        (r"(?<!有效)(?<!废止)(?<!失效)规范性文件" + COUNT, tuple((f"active.normative.{c}",) for c in made)),
    ]
    return [(re.compile(p), options) for p, options in out]


def witnesses(template: Template, texts: Iterable[str]) -> list[Witness]:
    """The statements of ``texts`` that name a count of the tables, first mention of each kind only
    (a later one often counts something narrower, ``其中…``)."""
    text = "".join("".join(t.split()) for t in texts)
    out: list[Witness] = []
    for pattern, options in _statements(template):
        m = pattern.search(text)
        if m:
            out.append(Witness(options, int(m.group(1)), m.group(0)))
    return out
