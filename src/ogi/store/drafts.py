"""填报 drafts in the store: every save of a draft is a new version, and every version is kept.

A draft (:class:`ogi.fill.Draft`) is stored as its JSON with exact numbers: an amount is written as
its digits, never through a float, and read back with ``parse_float=Decimal``. Each version records
who saved it and when, what the checks said of it then (broken identities, empty cells), how the
draft was started (``origin``: blank, from last year's report, from an uploaded file, with the cells
that file's parse flagged), and for a submitted version the report it became.

Saving is optimistic: a save names the version it was edited from (``base``), and a save on top of
a version that is no longer the latest is refused (:class:`DraftConflict`), so two people editing
one draft never silently overwrite each other.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

import duckdb

from ogi.errors import StoreError
from ogi.fill import Draft, check_draft
from ogi.model.report import Number
from ogi.store.db import Store
from ogi.units import normalise_agency

MAX_WHO = 100


class DraftConflict(StoreError):
    """A save on top of a version that is no longer the draft's latest."""

    def __init__(self, message: str, latest: int) -> None:
        super().__init__(message)
        self.latest = latest


@dataclass(frozen=True, slots=True)
class DraftVersion:
    draft_id: int
    version: int
    who: str
    saved_at: datetime
    draft: Draft
    origin: dict[str, Any] = field(default_factory=dict)
    errors: int = 0
    """Broken identities when this version was saved."""
    unfilled: int = 0
    """Template cells still empty when this version was saved."""
    report_id: int | None = None
    """The report this version was submitted as."""

    def summary(self) -> dict[str, Any]:
        """The version without its draft: for listings and histories."""
        return {
            "id": self.draft_id,
            "version": self.version,
            "agency": self.draft.agency,
            "year": self.draft.year,
            "template": self.draft.template,
            "who": self.who,
            "saved_at": self.saved_at,
            "errors": self.errors,
            "unfilled": self.unfilled,
            "report_id": self.report_id,
        }


def _number(value: Number) -> str:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value != value.to_integral_value() else str(int(value))
    return str(value)


def draft_text(draft: Draft) -> str:
    """The draft's JSON with every number exact (``Draft.to_json`` writes amounts as floats)."""
    head = draft.to_json()
    del head["cells"]
    cells = ", ".join(
        f"{json.dumps(k, ensure_ascii=False)}: {'null' if v is None else _number(v)}" for k, v in draft.cells.items()
    )
    return json.dumps(head, ensure_ascii=False)[:-1] + f', "cells": {{{cells}}}}}'


def draft_of_text(text: str, source: str = "draft") -> Draft:
    return Draft.from_json(json.loads(text, parse_float=Decimal), source)


_COLUMNS = "draft_id, version, who, saved_at, draft, origin, errors, unfilled, report_id"


def _version(row: tuple[Any, ...]) -> DraftVersion:
    draft_id, version, who, saved_at, text, origin, errors, unfilled, report_id = row
    return DraftVersion(draft_id, version, who, saved_at, draft_of_text(text, f"draft {draft_id} v{version}"),
                        json.loads(origin) if origin else {}, errors, unfilled, report_id)  # fmt: skip


def get_draft(con: duckdb.DuckDBPyConnection, draft_id: int, version: int | None = None) -> DraftVersion | None:
    """A draft's latest version, or the version asked for; None when there is none."""
    if version is None:
        sql = f"SELECT {_COLUMNS} FROM drafts WHERE draft_id = ? ORDER BY version DESC LIMIT 1"
        row = con.execute(sql, [draft_id]).fetchone()
    else:
        row = con.execute(f"SELECT {_COLUMNS} FROM drafts WHERE draft_id = ? AND version = ?",
                          [draft_id, version]).fetchone()  # fmt: skip
    return _version(row) if row else None


def draft_history(con: duckdb.DuckDBPyConnection, draft_id: int) -> list[dict[str, Any]]:
    """Every version of a draft, newest first, without the drafts themselves."""
    rows = con.execute(
        "SELECT version, who, saved_at, errors, unfilled, report_id FROM drafts WHERE draft_id = ? "
        "ORDER BY version DESC",
        [draft_id],
    ).fetchall()
    names = ("version", "who", "saved_at", "errors", "unfilled", "report_id")
    return [dict(zip(names, r, strict=True)) for r in rows]


def list_drafts(
    con: duckdb.DuckDBPyConnection, *, agency: str = "", year: int | None = None, limit: int = 100, offset: int = 0
) -> tuple[int, list[dict[str, Any]]]:
    """The latest version of each draft, most recently saved first, with the number of versions and
    the last submitted report; ``agency`` matches any part of the publisher's name."""
    where, params = ["true"], []
    if agency.strip():
        where.append("(contains(agency, ?) OR contains(agency_id, ?))")
        params += [agency.strip()] * 2
    if year is not None:
        where.append("year = ?")
        params.append(year)
    base = (
        "SELECT *, count(*) OVER w AS versions, max(report_id) OVER w AS last_report_id, "
        "row_number() OVER (PARTITION BY draft_id ORDER BY version DESC) AS n FROM drafts "
        "WINDOW w AS (PARTITION BY draft_id)"
    )
    latest = f"SELECT * FROM ({base}) WHERE n = 1 AND {' AND '.join(where)}"
    total = con.execute(f"SELECT count(*) FROM ({latest})", params).fetchone()
    res = con.execute(
        f"SELECT draft_id, version, agency, year, template, who, saved_at, errors, unfilled, versions, "
        f"last_report_id FROM ({latest}) ORDER BY saved_at DESC, draft_id DESC LIMIT ? OFFSET ?",
        [*params, limit, offset],
    )
    names = [d[0] for d in res.description]
    rows = [dict(zip(names, r, strict=True)) for r in res.fetchall()]
    for r in rows:
        r["id"] = r.pop("draft_id")
    return (total[0] if total else 0), rows


def save_draft(
    store: Store,
    draft: Draft,
    *,
    who: str,
    draft_id: int | None = None,
    base: int | None = None,
    origin: dict[str, Any] | None = None,
    report_id: int | None = None,
) -> DraftVersion:
    """Save ``draft`` as a new draft (``draft_id`` None) or as the next version of ``draft_id``,
    edited from version ``base`` (None: from the latest, whatever it is). The origin is the
    draft's first version's unless given. Runs in the store's writing connection."""
    who = who.strip()[:MAX_WHO]
    if not who:
        raise StoreError("a draft is saved by someone: give who saves it")
    con = store.con
    con.begin()
    try:
        if draft_id is None:
            draft_id = int(con.execute("SELECT nextval('draft_id_seq')").fetchone()[0])  # type: ignore[index]
            version = 1
        else:
            latest = con.execute("SELECT max(version), arg_min(origin, version) FROM drafts "
                                 "WHERE draft_id = ?", [draft_id]).fetchone()  # fmt: skip
            if latest is None or latest[0] is None:
                raise StoreError(f"no draft {draft_id}")
            if base is not None and base != latest[0]:
                raise DraftConflict(
                    f"draft {draft_id} was saved as version {latest[0]} since version {base} was opened: "
                    "reload it and apply your changes again",
                    latest[0],
                )
            version = latest[0] + 1
            if origin is None and latest[1]:
                origin = json.loads(latest[1])
        live = check_draft(draft)
        now = datetime.now()
        con.execute(
            "INSERT INTO drafts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [draft_id, version, draft.agency, (normalise_agency(draft.agency) or None) if draft.agency else None,
             draft.year, draft.template, who, now, draft_text(draft),
             json.dumps(origin, ensure_ascii=False) if origin else None, len(live.broken), len(live.unfilled),
             report_id],
        )  # fmt: skip
        con.commit()
    except BaseException as e:
        con.rollback()
        if isinstance(e, duckdb.Error):
            raise StoreError(f"{store.path}: could not save the draft ({e})") from e
        raise
    return DraftVersion(draft_id, version, who, now, draft, origin or {}, len(live.broken), len(live.unfilled),
                        report_id)  # fmt: skip
