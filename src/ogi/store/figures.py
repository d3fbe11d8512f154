"""The dashboard's figures per unit-year, kept in ``unit_figures`` so the dashboard sums 100,000
rows instead of scanning twenty million cells.

Each figure is a sum of the unit-year's effective cells (``unit_cells``), null when none of them
gives a value, with how many of those cells were inferred (``<figure>_derived``) or uncertain
(``<figure>_uncertain``). Refreshed with the reconciliation (:func:`ogi.store.reconcile.refresh_units`):
rows of reports that are no longer units go, the touched publishers' rows are rebuilt, and every
unit without a row gets one.
"""

from __future__ import annotations

from collections.abc import Iterable

import duckdb

from ogi.store.schema import FIGURES

DENIED = ("state_secret", "law_prohibited", "safety_stability", "third_party", "internal_affairs", "process_info",
          "enforcement_file", "admin_query")  # fmt: skip
OTHER_2021 = ("requests.other.no_correction.total", "requests.other.no_fee.total", "requests.other.other.total")
FIGURE_KEYS: dict[str, tuple[str, ...]] = {
    "applications": ("requests.new.total",),
    "handled": ("requests.total.total",),
    "granted": ("requests.granted.total",),
    "partial": ("requests.partial.total",),
    "denied": tuple(f"requests.denied.{r}.total" for r in DENIED),
    "unable": tuple(f"requests.unable.{r}.total" for r in ("not_held", "needs_creation", "unclear")),
    "rejected": tuple(
        f"requests.rejected.{r}.total" for r in ("petition", "duplicate", "publication", "excessive", "confirmation")
    ),
    # The 2019 single row, the 2021 parts, or (a 2021 report printing the 2019 row) its subtotal.
    "other": ("requests.other.total", *OTHER_2021, "requests.other.subtotal.total"),
    **{f"denied_{r}": (f"requests.denied.{r}.total",) for r in DENIED},
    "review": ("appeals.review.total",),
    "review_corrected": ("appeals.review.corrected",),
    "suit": ("appeals.suit_direct.total", "appeals.suit_after_review.total"),
    "suit_corrected": ("appeals.suit_direct.corrected", "appeals.suit_after_review.corrected"),
}
assert tuple(FIGURE_KEYS) == FIGURES


def _in(keys: Iterable[str]) -> str:
    return "key IN (" + ", ".join(f"'{k}'" for k in keys) + ")"


def _columns() -> str:
    out = []
    for name, keys in FIGURE_KEYS.items():
        if name == "other":
            parts = [k for k in keys if k != "requests.other.subtotal.total"]
            value = (f"coalesce(sum(value) FILTER ({_in(parts)}), "
                     "sum(value) FILTER (key = 'requests.other.subtotal.total'))")  # fmt: skip
        else:
            value = f"sum(value) FILTER ({_in(keys)})"
        out += [f"{value} AS {name}",
                f"count(*) FILTER ({_in(keys)} AND flag = 'inferred') AS {name}_derived",
                f"count(*) FILTER ({_in(keys)} AND flag = 'uncertain') AS {name}_uncertain"]  # fmt: skip
    return ",\n    ".join(out)


_ALL_KEYS = sorted({k for keys in FIGURE_KEYS.values() for k in keys})
_INSERT = f"""
INSERT INTO unit_figures
SELECT u.id, u.agency, u.agency_id, u.year, u.region_code, u.level, u.template, u.published, u.errors, u.warnings,
    {_columns()}
FROM fig_new u LEFT JOIN (
    SELECT unit_id, key, value, flag FROM unit_cells
    WHERE {_in(_ALL_KEYS)} AND unit_id IN (SELECT id FROM fig_new)
) c ON c.unit_id = u.id
GROUP BY ALL
"""


def refresh_figures(con: duckdb.DuckDBPyConnection, agency_ids: Iterable[str] | None = None) -> None:
    """Bring ``unit_figures`` up to date, inside the caller's transaction: every row when
    ``agency_ids`` is None, else the rows of those publishers and of units that have none."""
    if agency_ids is None:
        con.execute("DELETE FROM unit_figures")
    else:
        con.execute(
            "DELETE FROM unit_figures WHERE agency_id IN (SELECT unnest(?)) "
            "OR unit_id NOT IN (SELECT id FROM reports WHERE unit)",
            [sorted(set(agency_ids))],
        )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE fig_new AS SELECT * FROM reports "
        "WHERE unit AND id NOT IN (SELECT unit_id FROM unit_figures)"
    )
    con.execute(_INSERT)
    con.execute("DROP TABLE fig_new")


def figures_stale(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether some unit has no figures row (a store from before the table existed)."""
    row = con.execute(
        "SELECT (SELECT count(*) FROM reports WHERE unit) <> (SELECT count(*) FROM unit_figures)"
    ).fetchone()
    return bool(row and row[0])


__all__ = ["FIGURE_KEYS", "figures_stale", "refresh_figures"]
