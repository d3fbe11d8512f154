"""Reviews in the store: corrections as new report versions, and decisions on findings.

Both belong to the document (its SHA-256) and, for a file that holds several reports, to the part
(``reports.part``, 1 for most files), not to one report row: a correction makes a new version
of the report (the series of :mod:`ogi.store.writer`), and every later version of the same bytes
— the next correction, a re-parse by a newer ogi — is built from the parsed file with all of the
document's corrections applied (:func:`ogi.review.reparse`). Re-ingesting the same file changes
nothing, so the corrected version stays current. Decisions (confirmed / dismissed, with a note)
match a finding by its rule and cells, so they follow the finding from version to version.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

import duckdb

from ogi.errors import StoreError
from ogi.store.append import append
from ogi.store.db import Store
from ogi.store.rows import ReportRows
from ogi.store.writer import Entry, write_reports

DECISIONS = ("confirmed", "dismissed", "open")


@dataclass(frozen=True, slots=True)
class Correction:
    id: int
    key: str
    value: Decimal | None
    revert: bool
    parsed_value: Decimal | None
    parsed_flag: str | None
    who: str
    why: str
    made_at: datetime
    report_id: int | None
    """The report version this correction produced."""


@dataclass(frozen=True, slots=True)
class Decision:
    rule: str
    keys: tuple[str, ...]
    decision: str
    note: str
    who: str
    made_at: datetime


def corrections_of(con: duckdb.DuckDBPyConnection, sha256: str, part: int) -> list[Correction]:
    """Every correction of a document's report ``part``, oldest first."""
    rows = con.execute(
        "SELECT id, key, value, revert, parsed_value, parsed_flag, who, why, made_at, report_id FROM corrections "
        "WHERE sha256 = ? AND part = ? ORDER BY id",
        [sha256, part],
    ).fetchall()
    return [Correction(*r) for r in rows]


def active_corrections(history: list[Correction]) -> dict[str, Decimal | None]:
    """Cell key → reviewed value, from a document's correction history: the latest per key, a
    revert removing it."""
    out: dict[str, Decimal | None] = {}
    for c in history:
        if c.revert:
            out.pop(c.key, None)
        else:
            out[c.key] = c.value
    return out


def record_correction(
    store: Store,
    report_id: int,
    key: str,
    value: Decimal | int | None,
    *,
    revert: bool,
    who: str,
    why: str,
    rows: ReportRows,
) -> int:
    """Record one correction of the report ``report_id`` and ``rows``, the document parsed again with
    every active correction applied, as the report's next version; returns the new report's id.
    Runs in one transaction, in the store's writing connection."""
    con = store.con
    found = con.execute(
        "SELECT r.sha256, r.part, r.path, r.current, c.value, c.flag FROM reports r "
        "LEFT JOIN cells c ON c.report_id = r.id AND c.key = ? WHERE r.id = ?",
        [key, report_id],
    ).fetchone()
    if found is None:
        raise StoreError(f"no report {report_id}")
    sha, part, path, current, parsed_value, parsed_flag = found
    if not current:
        raise StoreError(f"report {report_id} has a newer version: correct that one")
    if rows.report["part"] != part:
        raise StoreError(f"the corrected rows are of part {rows.report['part']} of the file, report {report_id} "
                         f"of part {part}")  # fmt: skip
    now = datetime.now()
    con.begin()
    try:
        added = write_reports(con, [(Entry(path, sha, b"", [rows]), rows)], now)[sha]
        con.execute(
            "INSERT INTO corrections (id, sha256, part, key, value, revert, parsed_value, parsed_flag, who, why, "
            "made_at, report_id) VALUES (nextval('correction_id_seq'), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [sha, part, key, None if value is None else str(value), revert, parsed_value, parsed_flag, who, why, now,
             added.report_id],
        )  # fmt: skip
        con.commit()
    except BaseException as e:
        con.rollback()
        if isinstance(e, duckdb.Error):
            raise StoreError(f"{store.path}: could not record the correction ({e})") from e
        raise
    assert added.report_id is not None
    return added.report_id


def decisions_of(
    con: duckdb.DuckDBPyConnection, sha256: str, part: int
) -> dict[tuple[str, tuple[str, ...]], Decision]:
    """The latest decision on each finding (rule, cells) of a document's report ``part``."""
    out: dict[tuple[str, tuple[str, ...]], Decision] = {}
    for rule, keys, decision, note, who, made_at in con.execute(
        "SELECT rule, keys, decision, note, who, made_at FROM finding_reviews WHERE sha256 = ? AND part = ? "
        "ORDER BY made_at, rowid",
        [sha256, part],
    ).fetchall():
        out[(rule, tuple(keys))] = Decision(rule, tuple(keys), decision, note, who, made_at)
    return out


def record_decision(
    store: Store, sha256: str, rule: str, keys: list[str], decision: str, *, part: int, note: str, who: str
) -> Decision:
    """Confirm or dismiss a finding of a document's report ``part`` (``open`` takes a decision
    back); the history is kept."""
    if decision not in DECISIONS:
        raise StoreError(f"unknown decision {decision!r}: one of {', '.join(DECISIONS)}")
    now = datetime.now()
    append(
        store.con,
        "finding_reviews",
        {
            "sha256": ("VARCHAR", [sha256]),
            "part": ("INTEGER", [part]),
            "rule": ("VARCHAR", [rule]),
            "keys": ("VARCHAR[]", [keys]),
            "decision": ("VARCHAR", [decision]),
            "note": ("VARCHAR", [note]),
            "who": ("VARCHAR", [who]),
            "made_at": ("TIMESTAMP", [now]),
        },
    )
    return Decision(rule, tuple(keys), decision, note, who, now)
