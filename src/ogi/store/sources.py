"""Where stored documents came from: the ``sources`` table written by ``ogi collect --ingest``.

One row per document (by its sha256) and URL: ``url`` (the file as linked), ``page_url`` (the
article page that linked it; the same as ``url`` when the page is the report), ``listing_url``
(the 年报 listing that listed the entry), ``title`` and ``listed_on`` (as the listing gave them),
``fetched_at``. Recording a source twice changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import date, datetime

from ogi.store.db import Store


@dataclass(frozen=True, slots=True)
class Source:
    sha256: str
    url: str
    page_url: str | None = None
    listing_url: str | None = None
    title: str | None = None
    listed_on: date | None = None
    fetched_at: datetime | None = None


_COLUMNS = [f.name for f in fields(Source)]


def record_sources(store: Store, sources: Iterable[Source]) -> int:
    """Record where documents came from; sources of documents the store does not hold are left
    out. Returns the number of new rows."""
    rows = [tuple(getattr(s, c) for c in _COLUMNS) for s in sources]
    if not rows:
        return 0
    before = store.con.execute("SELECT count(*) FROM sources").fetchone()[0]  # type: ignore[index]
    store.con.execute("CREATE OR REPLACE TEMP TABLE new_sources AS SELECT * FROM sources LIMIT 0")
    store.con.executemany(f"INSERT INTO new_sources VALUES ({', '.join('?' * len(_COLUMNS))})", rows)
    store.con.execute(
        "INSERT OR IGNORE INTO sources SELECT DISTINCT ON (sha256, url) * FROM new_sources "
        "WHERE sha256 IN (SELECT sha256 FROM documents)"
    )
    store.con.execute("DROP TABLE new_sources")
    return store.con.execute("SELECT count(*) FROM sources").fetchone()[0] - before  # type: ignore[index,no-any-return]


def sources_of_document(store: Store, sha256: str) -> list[Source]:
    """Every URL a document was collected from, first fetched first."""
    sql = f"SELECT {', '.join(_COLUMNS)} FROM sources WHERE sha256 = ? ORDER BY fetched_at NULLS LAST, url"
    return [Source(*row) for row in store.con.execute(sql, [sha256]).fetchall()]


def sources_of_report(store: Store, report_id: int) -> list[Source]:
    """Where a stored report was collected from (empty for a report ingested from local files);
    the web app links a report's page to the first one."""
    row = store.con.execute("SELECT sha256 FROM reports WHERE id = ?", [report_id]).fetchone()
    return sources_of_document(store, row[0]) if row else []


__all__ = ["Source", "record_sources", "sources_of_document", "sources_of_report"]
