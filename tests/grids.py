"""Read a document's grids against known cell values: table 三's values sit in grid columns 4–10 of
the row labelled like the template row, table 四's fifteen values in the last row, table 二's in
the origin cells right of the row label."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from rapidfuzz import fuzz

from ogi.model import Document, Table, get_template


def _norm(s: str) -> str:
    s = "".join(unicodedata.normalize("NFKC", s).split())
    return re.sub(r"^(\d+)、", r"\1.", s).replace("“", '"').replace("”", '"')


def _number(text: str) -> Decimal | None:
    try:
        return Decimal(text) if text else None
    except InvalidOperation:
        return Decimal("NaN")


def _same(text: str, expected: object) -> bool:
    got = _number(text)
    if expected is None or got is None:
        return got is None and expected is None
    return got == Decimal(str(expected))


def find_table(doc: Document, width: int) -> Table:
    return next(t for t in doc.tables if len(t.rows[0]) == width)


def check_grids(doc: Document, template_id: str, truth: dict[str, object], *, active: bool = True) -> None:
    t = get_template(template_id)
    requests, appeals = find_table(doc, 10), find_table(doc, 15)
    groups = {g["key"]: g["ordinal"] + g["text"] for g in t.requests_groups}
    rows = requests.rows  # the header rows match no row label; a page break may split them off
    for spec in t.rows_of("requests"):
        expected = [truth.get(k) for k in spec.cell_keys]
        want = _norm(groups.get(spec.group or "", "") + spec.official_label)

        def label(row: list) -> str:
            return _norm((row[1].text if row[1].text != row[2].text else "") + row[2].text)

        best = max(rows, key=lambda row, w=want: fuzz.ratio(label(row), w))
        if fuzz.ratio(label(best), want) < 80:
            assert all(v is None for v in expected), f"no row for {spec.key}"
            continue  # a row the document does not print (its truth is null)
        got = [c.text for c in best[3:10]]
        assert all(_same(g, e) for g, e in zip(got, expected, strict=True)), (spec.key, got, expected)
    keys = [k for spec in t.rows_of("appeals") for k in spec.cell_keys]
    got = [c.text for c in appeals.rows[-1]]
    assert all(_same(g, truth.get(k)) for g, k in zip(got, keys, strict=True)), got
    if not active:
        return
    table = find_table(doc, 4)
    for spec in t.rows_of("active"):
        row = next(r for r in table.rows if _norm(r[0].text) == _norm(spec.label))
        values = [c.text for c in row[1:] if c.origin is None]
        assert len(values) >= len(spec.columns), spec.key
        for key, text in zip(spec.cell_keys, values, strict=False):
            if not text.endswith("元"):
                assert _same(text, truth.get(key)), (key, text, truth.get(key))
