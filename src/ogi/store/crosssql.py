"""The cross-year numeric rules and their findings' words in DuckDB, over the pairs' effective cells.

The same rules and sentences as the Python ones in :mod:`ogi.store.crossyear` (which also check
single pairs given as values): a corpus of 100,000 reports is checked here instead of fetching
twenty million cells into Python. Set-based throughout, in four steps over temporary tables:

1. ``cross_values``: one row per unit-year in a pair, a column per checked cell (about thirty
   keys), so a pair is two rows joined on their ids instead of a join per cell (``max(CASE …)``
   pivots several times faster than ``FILTER`` or ``PIVOT`` here);
   ``cross_flags``: the few checked cells that are inferred or uncertain, for the messages;
2. ``cross_items``: every rule item that fails, one ``SELECT`` per item over the joined pairs;
3. ``cross_found``: the failures with their labels, flags and sentences (``ORDER`` sorts them
   as the findings are stored and returned: publisher, year, rule, item).

The caller creates ``cross_pairs`` (cur, prev, agency_id, year, template, prev_template) first.
"""

from __future__ import annotations

import duckdb

from ogi.model.template import get_template

APPLICANTS = ("natural", "commercial", "research", "nonprofit", "legal", "other_org", "total")
PREV_COUNT_ROWS = ("licensing", "other_services", "penalty", "coercion", "fees")
IN_FORCE_ROWS = ("rules", "normative")
TEMPLATES = ("2019", "2021")

# Items of each rule: (the checked key of year t, the key of year t−1 it must equal, …).
_CARRY = [(f"requests.carried_over.{c}", f"requests.carried_forward.{c}") for c in APPLICANTS]
_COUNT = [(f"active.{r}.prev_count", f"active.{r}.change") for r in PREV_COUNT_ROWS]
_FORCE = [(f"active.{r}.in_force", f"active.{r}.made", f"active.{r}.repealed") for r in IN_FORCE_ROWS]
KEYS = sorted({k for item in (*_CARRY, *_COUNT, *_FORCE) for k in item})


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _cur(key: str) -> str:
    return f'"c.{key}"'


def _prev(key: str) -> str:
    return f'"v.{key}"'


MACROS = """
CREATE OR REPLACE TEMP MACRO ogi_n(v) AS
    CASE WHEN v = trunc(v) THEN CAST(CAST(v AS HUGEINT) AS VARCHAR) ELSE rtrim(CAST(v AS VARCHAR), '0') END;
CREATE OR REPLACE TEMP MACRO ogi_note(flag, alts, expected, inputs_uncertain) AS
    (CASE WHEN flag = 'uncertain' AND len(alts) > 0 THEN
        '（此数是不确定读数，另可读作' || array_to_string(list_transform(alts, lambda a: ogi_n(a)), '、')
        || CASE WHEN list_contains(alts, expected) THEN '，其中' || ogi_n(expected) || '与上年报告相符，宜取此数'
                ELSE '' END
        || '）'
     WHEN flag = 'inferred' THEN '（此数原文未印，是按表内勾稽关系推算的）' ELSE '' END)
    || CASE WHEN inputs_uncertain THEN '（上年报告的相关数字也是不确定读数）' ELSE '' END;
"""

_PAIRED = "unit_id IN (SELECT cur FROM cross_pairs UNION SELECT prev FROM cross_pairs)"
_NUMBERS = f"(VALUES {', '.join(f'({_lit(k)}, {n})' for n, k in enumerate(KEYS))}) k(key, n)"

# Keys are tested by number (n): thirty string comparisons per cell cost more than all the rest.
VALUES = f"""
CREATE OR REPLACE TEMP TABLE cross_values AS
SELECT c.unit_id, {", ".join(f'max(CASE WHEN k.n = {n} THEN c.value END) AS "{key}"' for n, key in enumerate(KEYS))}
FROM unit_cells c JOIN {_NUMBERS} ON k.key = c.key
WHERE c.value IS NOT NULL AND c.key IN ({", ".join(map(_lit, KEYS))}) AND c.{_PAIRED}
GROUP BY c.unit_id;
CREATE OR REPLACE TEMP TABLE cross_flags AS
SELECT unit_id, key, flag,
    CASE WHEN flag = 'uncertain' THEN list_filter(alternatives, lambda a: a IS NOT NULL) ELSE [] END AS alts
FROM unit_cells
WHERE value IS NOT NULL AND flag IN ('uncertain', 'inferred') AND key IN ({", ".join(map(_lit, KEYS))}) AND {_PAIRED};
"""


def _item(rule: int, n: int, keys: list[str], a: str, b: str, c: str, d: str, fails: str, note: str) -> str:
    """One rule item over the joined pairs: where it ``fails``, with the values a (year t), b (year
    t−1) and the other inputs c, d of the expected value; ``note`` names the year t−1 cell whose
    uncertain reading the message also mentions, besides b. A comparison with a missing cell is
    NULL, so not a failure: a null cell is not assessed."""
    return (
        f"SELECT {rule} AS o_rule, {n} AS o_item, cur, prev, agency_id, year, template, prev_template, "
        f"[{', '.join(map(_lit, keys))}] AS keys, {a} AS a, {b} AS b, {c} AS c, {d} AS d, {note} AS note_key "
        f"FROM cross_wide WHERE {fails}"
    )


def _items() -> str:
    none = "NULL::DECIMAL(38, 10)"
    carry = [
        _item(1, n, [now, then], _cur(now), _prev(then), none, none, f"{_cur(now)} <> {_prev(then)}", "NULL")
        for n, (now, then) in enumerate(_CARRY)
    ]
    counts = [
        _item(2, n, [key, change], _cur(key), _prev(key), _prev(change), none,
              f"p_2019 AND {_cur(key)} <> {_prev(key)} + {_prev(change)}", _lit(change))
        for n, (key, change) in enumerate(_COUNT)
    ]  # fmt: skip
    force = [
        _item(3, n, [key, made, gone], _cur(key), _prev(key), _cur(made), _cur(gone),
              f"p_2021 AND {_cur(key)} <> {_prev(key)} + {_cur(made)} - {_cur(gone)}", "NULL")
        for n, (key, made, gone) in enumerate(_FORCE)
    ]  # fmt: skip
    return "\nUNION ALL ".join([*carry, *counts, *force])


ITEMS = f"""
CREATE OR REPLACE TEMP TABLE cross_wide AS
SELECT p.*, p.template = '2019' AND p.prev_template = '2019' AS p_2019,
    p.template = '2021' AND p.prev_template = '2021' AS p_2021,
    {", ".join(f'c."{k}" AS {_cur(k)}, v."{k}" AS {_prev(k)}' for k in KEYS)}
FROM cross_pairs p JOIN cross_values c ON c.unit_id = p.cur JOIN cross_values v ON v.unit_id = p.prev;
CREATE OR REPLACE TEMP TABLE cross_items AS
{_items()};
DROP TABLE cross_wide;
"""

# Each rule's finding: (rule, the message, the expected value), over a failed item ``i`` with the
# label of its key (``la``; ``lb`` the year t−1 key's), its flag (``fa``) and those of its year t−1
# inputs (``fb``, ``fc``).
_WORDS = {
    1: (
        "X_CARRY_OVER",
        """i.year || '年「' || la.label || '」为' || ogi_n(i.a) || '，但' || (i.year - 1) || '年报告的「'
        || lb.label || '」为' || ogi_n(i.b) || ogi_note(fa.flag, fa.alts, i.b, fb.flag = 'uncertain')
        || '。上年结转数应等于上年报告的结转下年度数，请核对两份报告。'""",
        "i.b",
    ),
    2: (
        "X_PREV_COUNT",
        """i.year || '年「' || la.label || '」为' || ogi_n(i.a)
        || ogi_note(fa.flag, fa.alts, i.b + i.c, fb.flag = 'uncertain' OR fc.flag = 'uncertain')
        || '，但' || (i.year - 1) || '年报告的上一年项目数量' || ogi_n(i.b) || '加本年增/减'
        || CASE WHEN i.c >= 0 THEN '+' ELSE '' END || ogi_n(i.c) || '应为' || ogi_n(i.b + i.c)
        || '。请核对两年的项目数量。'""",
        "i.b + i.c",
    ),
    3: (
        "X_IN_FORCE",
        """i.year || '年「' || la.label || '」为' || ogi_n(i.a)
        || ogi_note(fa.flag, fa.alts, i.b + i.c - i.d, fb.flag = 'uncertain')
        || '，但按' || (i.year - 1) || '年报告的现行有效件数' || ogi_n(i.b) || '加本年制发' || ogi_n(i.c)
        || '、减本年废止' || ogi_n(i.d) || '应为' || ogi_n(i.b + i.c - i.d) || '（相差'
        || ogi_n(i.a - (i.b + i.c - i.d)) || '）。'
        || '若有文件因有效期届满而失效，差额可以解释，宜在报告中说明；否则请核对。'""",
        "i.b + i.c - i.d",
    ),
}


def _found(rule: int) -> str:
    name, message, expected = _WORDS[rule]
    then = 2 if rule == 1 else 1  # the year t−1 cell compared: 结转下年度, or the same key
    return f"""
    SELECT i.o_rule, i.o_item, i.cur AS report_id, i.prev AS prev_report_id, i.agency_id, i.year, '{name}' AS rule,
        'warning' AS severity, i.keys, {message} AS message, ogi_n({expected}) AS expected, ogi_n(i.a) AS printed
    FROM cross_items i
    JOIN cross_labels la ON la.template = coalesce(i.template, '2021') AND la.key = i.keys[1]
    JOIN cross_labels lb ON lb.template = coalesce(i.prev_template, '2021') AND lb.key = i.keys[{then}]
    LEFT JOIN cross_flags fa ON fa.unit_id = i.cur AND fa.key = i.keys[1]
    LEFT JOIN cross_flags fb ON fb.unit_id = i.prev AND fb.key = i.keys[{then}]
    LEFT JOIN cross_flags fc ON fc.unit_id = i.prev AND fc.key = i.note_key
    WHERE i.o_rule = {rule}"""


FOUND = f"""
CREATE OR REPLACE TEMP TABLE cross_found AS
SELECT * FROM ({" UNION ALL ".join(_found(rule) for rule in _WORDS)});
DROP TABLE cross_items;
"""
# The findings' order: publisher, year, rule, item; two units of one publisher and year (a
# duplicate name) by their ids.
ORDER = "ORDER BY agency_id, year, o_rule, o_item, report_id, prev_report_id"


def labels() -> tuple[list[str], list[str], list[str]]:
    """(template, key, label) of every cell the numeric rules read, for ``cross_labels``."""
    rows = [(t, k, get_template(t).label_of(k)) for t in TEMPLATES for k in KEYS]
    return [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows]


def run(con: duckdb.DuckDBPyConnection) -> None:
    """Compute ``cross_found`` from ``cross_pairs`` (the caller's connection and temporary tables)."""
    con.execute("CREATE OR REPLACE TEMP TABLE cross_labels (template VARCHAR, key VARCHAR, label VARCHAR)")
    con.execute("INSERT INTO cross_labels SELECT unnest($1), unnest($2), unnest($3)", list(labels()))
    for sql in (MACROS, VALUES, ITEMS, FOUND):
        con.execute(sql)
