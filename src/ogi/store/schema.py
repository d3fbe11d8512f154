"""The corpus database's tables, as DDL, and the migrations between schema versions.

``docs/store.md`` describes every table for users; this module is the one place the DDL lives.
Cell values are ``DECIMAL(38,10)`` so 万元 amounts converted from 元 stay exact and counts sum
without float error. ``cells``, ``findings`` and ``sections`` carry no index: they are written
and read by report id, in insertion order, which DuckDB's zone maps already prune by.
"""

from __future__ import annotations

from collections.abc import Callable

import duckdb

SCHEMA_VERSION = 1

_V1 = """
CREATE TABLE documents (
    sha256      VARCHAR PRIMARY KEY,
    path        VARCHAR NOT NULL,
    stored      VARCHAR NOT NULL,
    format      VARCHAR,
    size        BIGINT NOT NULL,
    ingested_at TIMESTAMP NOT NULL,
    status      VARCHAR NOT NULL CHECK (status IN ('ok', 'failed')),
    error       VARCHAR
);
CREATE SEQUENCE report_id_seq;
CREATE TABLE reports (
    id                BIGINT PRIMARY KEY,
    sha256            VARCHAR NOT NULL,
    path              VARCHAR NOT NULL,
    format            VARCHAR NOT NULL,
    agency            VARCHAR,
    agency_id         VARCHAR,
    level             VARCHAR,
    region_code       VARCHAR,
    region_name       VARCHAR,
    region_level      VARCHAR,
    region_ambiguous  BOOLEAN NOT NULL,
    region_candidates VARCHAR[],
    region_reason     VARCHAR,
    year              INTEGER,
    template          VARCHAR,
    published         DATE,
    title             VARCHAR,
    errors            INTEGER NOT NULL,
    warnings          INTEGER NOT NULL,
    null_cells        INTEGER NOT NULL,
    version           INTEGER NOT NULL,
    current           BOOLEAN NOT NULL,
    unit              BOOLEAN NOT NULL,
    meta              VARCHAR,
    ingested_at       TIMESTAMP NOT NULL
);
CREATE TABLE cells (
    report_id    BIGINT NOT NULL,
    key          VARCHAR NOT NULL,
    value        DECIMAL(38, 10),
    semantic     VARCHAR NOT NULL,
    flag         VARCHAR,
    alternatives DECIMAL(38, 10)[],
    provenance   VARCHAR
);
CREATE TABLE findings (
    report_id BIGINT NOT NULL,
    rule      VARCHAR NOT NULL,
    severity  VARCHAR NOT NULL,
    keys      VARCHAR[] NOT NULL,
    message   VARCHAR NOT NULL,
    expected  VARCHAR,
    printed   VARCHAR
);
CREATE TABLE sections (
    report_id BIGINT NOT NULL,
    key       VARCHAR NOT NULL,
    heading   VARCHAR NOT NULL,
    text      VARCHAR NOT NULL,
    "where"   VARCHAR
);
CREATE TABLE cross_findings (
    report_id      BIGINT NOT NULL,
    prev_report_id BIGINT NOT NULL,
    agency_id      VARCHAR NOT NULL,
    year           INTEGER NOT NULL,
    rule           VARCHAR NOT NULL,
    severity       VARCHAR NOT NULL,
    keys           VARCHAR[] NOT NULL,
    message        VARCHAR NOT NULL,
    expected       VARCHAR,
    printed        VARCHAR,
    checked_at     TIMESTAMP NOT NULL
);
-- One report per publisher and year (``unit`` is kept up to date by every write; see writer.py).
CREATE VIEW unit_reports AS SELECT * FROM reports WHERE unit;
"""

# Index i migrates a version-i database to version i + 1; version 0 is an empty file.
MIGRATIONS: tuple[str, ...] = (_V1,)


def current_version(con: duckdb.DuckDBPyConnection) -> int:
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version' AND table_schema = 'main'"
    ).fetchone()
    if not exists or not exists[0]:
        return 0
    row = con.execute("SELECT max(version) FROM schema_version").fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def migrate(con: duckdb.DuckDBPyConnection, on_newer: Callable[[int], Exception]) -> int:
    """Bring the database to :data:`SCHEMA_VERSION`, all steps in one transaction; returns the
    version found. ``on_newer`` builds the error raised for a file written by a newer ogi."""
    found = current_version(con)
    if found > SCHEMA_VERSION:
        raise on_newer(found)
    if found == SCHEMA_VERSION:
        return found
    con.begin()
    try:
        if found == 0:
            con.execute("CREATE TABLE schema_version (version INTEGER NOT NULL, applied_at TIMESTAMP NOT NULL)")
        for version in range(found, SCHEMA_VERSION):
            con.execute(MIGRATIONS[version])
            con.execute("INSERT INTO schema_version VALUES (?, current_timestamp)", [version + 1])
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return found
