"""The cross-year rules in SQL (ogi.store.crosssql) find exactly what the Python rules find.

``check_cross_year`` checks a corpus in DuckDB; ``compare_years`` (the 填报 form) runs the Python
rules on one pair. Both must give the same findings, word for word: here on the 洪泽 examples
with their cells disturbed in every way the rules read (changed, fractional, negative, missing,
inferred, uncertain with alternatives that do or do not fit last year). ``tests/test_corpus_store.py``
runs the same comparison on 平潭's five real years (both templates, a template change, uncertain
readings) where ../shared is present.
"""

from __future__ import annotations

import random
import shutil
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

from ogi.batch import ingest
from ogi.store.crosssql import KEYS
from ogi.store.crossyear import (
    CrossFinding,
    _carry_over,
    _in_force,
    _Pair,
    _prev_count,
    _Val,
    check_cross_year,
)
from ogi.store.db import Store
from tests.conftest import ROOT

HONGZE = [ROOT / "examples" / n for n in ("hongze_2023_gov.txt", "hongze_2024_gov.txt")]


def store_of(folder: Path, paths: list[Path]) -> Path:
    """A store of ``paths`` ingested in ``folder``."""
    for path in paths:
        shutil.copy(path, folder)
    db = folder / "pairs.duckdb"
    assert ingest([folder], db, workers=1, progress=False).added == len(paths)
    return db


@pytest.fixture(scope="module")
def pairs_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return store_of(tmp_path_factory.mktemp("pairs"), HONGZE)


def python_findings(store: Store) -> list[CrossFinding]:
    """The Python rules over every stored pair, in the order check_cross_year returns them."""
    cells: dict[int, dict[str, _Val]] = defaultdict(dict)
    for unit, key, value, flag, alts in store.con.execute(
        "SELECT unit_id, key, value, flag, alternatives FROM unit_cells WHERE value IS NOT NULL AND key IN "
        "(SELECT unnest($1))",
        [KEYS],
    ).fetchall():
        cells[unit][key] = _Val(value, flag, tuple(a for a in alts or () if a is not None))
    pairs = store.con.execute(
        "SELECT cur.id, prev.id, cur.agency_id, cur.year, cur.template, prev.template FROM unit_reports cur "
        "JOIN unit_reports prev ON prev.agency_id = cur.agency_id AND prev.year = cur.year - 1 "
        "ORDER BY cur.agency_id, cur.year, cur.id, prev.id"
    ).fetchall()
    found = []
    for p in (_Pair(*row) for row in pairs):
        now, then = cells[p.cur], cells[p.prev]
        found += [*_carry_over(p, now, then), *_prev_count(p, now, then), *_in_force(p, now, then)]
    return found


def numeric(found: list[CrossFinding]) -> list[CrossFinding]:
    return [f for f in found if f.rule != "X_TEXT_REUSE"]


def disturb(store: Store, rng: random.Random) -> None:
    """Change about a third of the checked cells: each kind of reading the rules' words mention."""
    con = store.con
    rows = con.execute(
        "SELECT unit_id, key, value FROM unit_cells WHERE key IN (SELECT unnest($1)) ORDER BY unit_id, key", [KEYS]
    ).fetchall()
    for unit, key, value in rows:
        roll = rng.random()
        base = value if value is not None else Decimal(rng.randint(0, 9))
        if roll < 0.06:
            sql, params = "value = NULL", []
        elif roll < 0.14:
            sql, params = "value = ?", [base + rng.choice((1, -3, Decimal("0.25"), Decimal("12.5")))]
        elif roll < 0.2:
            sql, params = "value = ?, flag = 'inferred'", [base + rng.randint(0, 2)]
        elif roll < 0.3:
            alts = [base * 10 + rng.randint(0, 9), None, base + rng.randint(-1, 1), Decimal("0.5")]
            sql, params = "value = ?, flag = 'uncertain', alternatives = ?", [base + rng.randint(0, 1), alts]
        elif roll < 0.34:
            sql, params = "value = ?, flag = 'uncertain', alternatives = []", [base]
        else:
            continue
        con.execute(f"UPDATE cells SET {sql} WHERE report_id = ? AND key = ?", [*params, unit, key])


@pytest.mark.parametrize("seed", range(6))
def test_sql_rules_agree_with_python_on_disturbed_cells(pairs_db: Path, tmp_path: Path, seed: int) -> None:
    db = shutil.copy(pairs_db, tmp_path / f"disturbed_{seed}.duckdb")
    with Store.open(db) as store:
        disturb(store, random.Random(seed))
        found = check_cross_year(store)
        expected = python_findings(store)
        stored = store.con.execute("SELECT count(*) FROM cross_findings WHERE rule <> 'X_TEXT_REUSE'").fetchone()
    assert expected  # the disturbance breaks rule items: the comparison is not of two empty lists
    assert numeric(found) == expected
    assert stored == (len(expected),)
