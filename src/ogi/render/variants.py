"""Local variants of synthetic reports (format.md §4.5): what provincial templates add to the
national format, with values that satisfy their own identities (I7, I8).

- the 法人或其他组织 小计 column: ``requests.<row>.legal_subtotal`` = the five organisation columns;
- group subtotal rows: ``requests.<group>.subtotal.<column>`` = the group's numbered rows;
- extra lines under table 二 (``active.extra.<slug>``), outside every identity, such as
  SEED1's "2020年本行政区域（或本部门）政府信息公开发布总数量（非新闻类、消息类）：4267".
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Iterable

from ogi.model.template import get_template
from ogi.render.synth import Number, SynthReport

ORGANISATIONS = ("commercial", "research", "nonprofit", "legal", "other_org")
# The parser names an extra line by the template's slug for it, else line_<n> in printed order.
EXTRA_LINES = (
    ("published_total", "{year}年本行政区域（或本部门）政府信息公开发布总数量（非新闻类、消息类）"),
    ("line_2", "{year}年政务新媒体发布信息数量"),
)


def with_variants(
    report: SynthReport,
    *,
    legal_subtotal: bool = False,
    subtotal_groups: Iterable[str] = (),
    extra_lines: int = 0,
    rng: random.Random | None = None,
) -> SynthReport:
    """``report`` printing the chosen local variants; ``rng`` draws the extra lines' values."""
    t = get_template(report.template)
    cells: dict[str, Number] = dict(report.cells)
    rows = [r.key for r in t.rows_of("requests")]
    if legal_subtotal:
        for r in rows:
            cells[f"requests.{r}.legal_subtotal"] = sum(int(cells[f"requests.{r}.{c}"]) for c in ORGANISATIONS)
    columns = [c.key for c in t.requests_columns] + (["legal_subtotal"] if legal_subtotal else [])
    for group in subtotal_groups:
        members = [r for r in rows if r.startswith(group + ".")]
        if not members:
            raise ValueError(f"the {report.template} template has no group {group!r} of numbered rows")
        for c in columns:
            cells[f"requests.{group}.subtotal.{c}"] = sum(int(cells[f"requests.{r}.{c}"]) for r in members)
    labels = dict(report.labels)
    draw = rng or random.Random(f"{report.agency}|{report.year}")
    for slug, label in EXTRA_LINES[:extra_lines]:
        key = f"active.extra.{slug}"
        cells[key] = draw.randint(0, 20000)
        labels[key] = label.format(year=report.year)
    return dataclasses.replace(report, cells=cells, labels=labels)


def random_variants(report: SynthReport, rng: random.Random) -> SynthReport:
    """``report`` with the variants real local templates print, each drawn at a realistic rate:
    the 小计 column in a quarter of reports, subtotal rows in a quarter, extra lines in a fifth."""
    groups = [g["key"] for g in get_template(report.template).requests_groups]
    chosen = [g for g in groups if rng.random() < 0.7] if rng.random() < 0.25 else []
    return with_variants(
        report,
        legal_subtotal=rng.random() < 0.25,
        subtotal_groups=chosen,
        extra_lines=rng.choice((1, 2)) if rng.random() < 0.2 else 0,
        rng=rng,
    )
