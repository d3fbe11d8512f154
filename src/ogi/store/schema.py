"""The corpus database's tables, as DDL, and the migrations between schema versions.

``docs/store.md`` describes every table for users; this module is the one place the DDL lives.
Cell values are ``DECIMAL(38,10)`` so 万元 amounts converted from 元 stay exact and counts sum
without float error. ``cells``, ``findings`` and ``sections`` carry no index: they are written
and read by report id, in insertion order, which DuckDB's zone maps already prune by.
"""

from __future__ import annotations

from collections.abc import Callable

import duckdb

SCHEMA_VERSION = 6

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

# Where each document was collected from (``ogi collect --ingest``): one row per document and URL,
# so the same bytes published at two addresses keep both.
_V2 = """
CREATE TABLE sources (
    sha256      VARCHAR NOT NULL,
    url         VARCHAR NOT NULL,
    page_url    VARCHAR,
    listing_url VARCHAR,
    title       VARCHAR,
    listed_on   DATE,
    fetched_at  TIMESTAMP,
    PRIMARY KEY (sha256, url)
);
"""

# Review (the web app): where each cell sits on its page, corrections as new report versions that
# keep the parsed value, and reviewers' decisions on findings. Corrections and decisions belong to
# the document (its hash), so they outlive the report versions they produce.
_V3_REVIEW = """
ALTER TABLE cells ADD COLUMN page INTEGER;
ALTER TABLE cells ADD COLUMN box DOUBLE[];
ALTER TABLE cells ADD COLUMN confidence DOUBLE;
ALTER TABLE cells ADD COLUMN reviewed BOOLEAN DEFAULT false;
ALTER TABLE cells ADD COLUMN parsed_value DECIMAL(38, 10);
ALTER TABLE cells ADD COLUMN parsed_flag VARCHAR;
ALTER TABLE reports ADD COLUMN reviewed_cells INTEGER DEFAULT 0;
CREATE SEQUENCE correction_id_seq;
CREATE TABLE corrections (
    id           BIGINT PRIMARY KEY,
    sha256       VARCHAR NOT NULL,
    key          VARCHAR NOT NULL,
    value        DECIMAL(38, 10),
    revert       BOOLEAN NOT NULL,
    parsed_value DECIMAL(38, 10),
    parsed_flag  VARCHAR,
    who          VARCHAR NOT NULL,
    why          VARCHAR NOT NULL,
    made_at      TIMESTAMP NOT NULL,
    report_id    BIGINT
);
CREATE TABLE finding_reviews (
    sha256   VARCHAR NOT NULL,
    rule     VARCHAR NOT NULL,
    keys     VARCHAR[] NOT NULL,
    decision VARCHAR NOT NULL CHECK (decision IN ('confirmed', 'dismissed', 'open')),
    note     VARCHAR NOT NULL,
    who      VARCHAR NOT NULL,
    made_at  TIMESTAMP NOT NULL
);
"""

# One report from several sources (ogi.store.reconcile): the documents of one publisher and year
# linked, each cell's winning reading and the source it came from, and the disagreements found;
# the expected units of a region for coverage (ogi.units.expected). ``unit_cells`` is the one
# notion of a unit-year's effective cells: the reconciled cells where a unit has several sources,
# else its own report's cells. Every count, sum, export and check reads it.
_V4_UNITS = """
CREATE TABLE unit_sources (
    unit_id   BIGINT PRIMARY KEY,
    agency_id VARCHAR NOT NULL,
    year      INTEGER,
    sources   BIGINT[] NOT NULL
);
CREATE TABLE reconciled_cells (
    unit_id      BIGINT NOT NULL,
    key          VARCHAR NOT NULL,
    value        DECIMAL(38, 10),
    semantic     VARCHAR NOT NULL,
    flag         VARCHAR,
    alternatives DECIMAL(38, 10)[],
    provenance   VARCHAR,
    source_id    BIGINT NOT NULL,
    how          VARCHAR NOT NULL
);
CREATE TABLE source_findings (
    unit_id   BIGINT NOT NULL,
    agency_id VARCHAR NOT NULL,
    year      INTEGER,
    rule      VARCHAR NOT NULL,
    severity  VARCHAR NOT NULL,
    keys      VARCHAR[] NOT NULL,
    message   VARCHAR NOT NULL,
    sources   BIGINT[] NOT NULL,
    readings  VARCHAR[] NOT NULL
);
CREATE TABLE expected_units (
    region_code VARCHAR NOT NULL,
    name        VARCHAR NOT NULL,
    agency_id   VARCHAR NOT NULL,
    code        VARCHAR,
    source      VARCHAR,
    imported_at TIMESTAMP NOT NULL,
    PRIMARY KEY (region_code, agency_id)
);
CREATE TABLE unit_figures (
    unit_id     BIGINT PRIMARY KEY,
    agency      VARCHAR,
    agency_id   VARCHAR,
    year        INTEGER,
    region_code VARCHAR,
    level       VARCHAR,
    template    VARCHAR,
    published   DATE,
    errors      INTEGER,
    warnings    INTEGER,
    FIGURE_COLUMNS
);
CREATE VIEW unit_cells AS
SELECT c.report_id AS unit_id, c.key, c.value, c.semantic, c.flag, c.alternatives, c.provenance,
       c.report_id AS source_id, CASE WHEN c.reviewed THEN 'reviewed' ELSE 'parsed' END AS how
FROM cells c
WHERE c.report_id IN (SELECT id FROM reports WHERE unit) AND c.report_id NOT IN (SELECT unit_id FROM unit_sources)
UNION ALL
SELECT unit_id, key, value, semantic, flag, alternatives, provenance, source_id, how FROM reconciled_cells;
"""

# The dashboard's figures per unit-year (ogi.store.figures): each a sum of effective cells, with how
# many of its cells were derived (inferred) or uncertain; refreshed with the reconciliation.
FIGURES: tuple[str, ...] = (
    "applications", "handled", "granted", "partial", "denied", "unable", "rejected", "other",
    "denied_state_secret", "denied_law_prohibited", "denied_safety_stability", "denied_third_party",
    "denied_internal_affairs", "denied_process_info", "denied_enforcement_file", "denied_admin_query",
    "review", "review_corrected", "suit", "suit_corrected",
)  # fmt: skip
_V4_UNITS = _V4_UNITS.replace(
    "FIGURE_COLUMNS",
    ",\n    ".join(f"{f} DECIMAL(38, 10), {f}_derived INTEGER, {f}_uncertain INTEGER" for f in FIGURES),
)

# A file may hold several reports (a compiled volume, a crawler dump of a column): each report row
# says which part of its document it is and where it lies (``lines 12–240``, ``pages 3–9``), and a
# review belongs to the document and the part, so one report's corrections never reach its neighbours.
_V5_PARTS = """
ALTER TABLE reports ADD COLUMN part INTEGER DEFAULT 1;
ALTER TABLE reports ADD COLUMN parts INTEGER DEFAULT 1;
ALTER TABLE reports ADD COLUMN source_range VARCHAR;
ALTER TABLE corrections ADD COLUMN part INTEGER DEFAULT 1;
ALTER TABLE finding_reviews ADD COLUMN part INTEGER DEFAULT 1;
"""

# 填报 (the web app's form): each save of a draft is a new version, kept; ``draft`` is the draft's
# JSON with exact numbers (ogi.store.drafts), ``origin`` how it was started, ``errors`` and
# ``unfilled`` what the checks said at that save, ``report_id`` the report a submitted version became.
_V6_DRAFTS = """
CREATE SEQUENCE draft_id_seq;
CREATE TABLE drafts (
    draft_id  BIGINT NOT NULL,
    version   INTEGER NOT NULL,
    agency    VARCHAR,
    agency_id VARCHAR,
    year      INTEGER,
    template  VARCHAR NOT NULL,
    who       VARCHAR NOT NULL,
    saved_at  TIMESTAMP NOT NULL,
    draft     VARCHAR NOT NULL,
    origin    VARCHAR,
    errors    INTEGER NOT NULL,
    unfilled  INTEGER NOT NULL,
    report_id BIGINT,
    PRIMARY KEY (draft_id, version)
);
"""

# Index i migrates a version-i database to version i + 1; version 0 is an empty file.
MIGRATIONS: tuple[str, ...] = (_V1, _V2, _V3_REVIEW, _V4_UNITS, _V5_PARTS, _V6_DRAFTS)


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
