"""The corpus store: an embedded DuckDB file and, beside it, every ingested file kept by content.

``reports.duckdb`` keeps its raw files under ``reports.files/ab/cdef….<ext>`` (the sha256 of the
bytes), so nothing ingested is ever lost and a failed file can be parsed again by a later ogi.

Write order, for crash safety: raw files first (:mod:`ogi.store.files`: a file under its hash is
complete or absent, and durable), then one transaction per batch holding every row of its documents.
A kill at any point leaves either the whole batch or none of it; a re-run finds the missing
hashes unknown and ingests them again, reusing any raw file already in place.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import Self

import duckdb

from ogi.errors import StoreError
from ogi.model import Report
from ogi.store.files import RawFiles
from ogi.store.rows import report_rows
from ogi.store.schema import SCHEMA_VERSION, current_version, migrate
from ogi.store.writer import Added, Entry, write_batch

DEFAULT_DB = "ogi.duckdb"
_SUFFIX = re.compile(r"^\.[a-z0-9]{1,8}$")


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _stored_name(sha: str, path: str) -> str:
    suffix = Path(path).suffix.lower()
    return f"{sha[:2]}/{sha[2:]}{suffix if _SUFFIX.match(suffix) else '.bin'}"


class Store:
    """An open corpus database. Use :meth:`open`; close it, or use it as a context manager."""

    def __init__(self, path: Path, con: duckdb.DuckDBPyConnection, read_only: bool) -> None:
        self.path = path
        self.con = con
        self.read_only = read_only
        self.files_dir = path.with_name(path.stem + ".files")
        self.files = RawFiles(self.files_dir)

    @classmethod
    def open(cls, path: str | Path = DEFAULT_DB, *, read_only: bool = False) -> Store:
        """Open (creating and migrating as needed) the store at ``path``."""
        p = Path(path).resolve()
        if read_only and not p.exists():
            raise StoreError(f"{p}: no store here yet; run `ogi ingest FOLDER --db {path}` first")
        try:
            con = duckdb.connect(str(p), read_only=read_only)
        except duckdb.IOException as e:
            if "lock" in str(e).lower():
                raise StoreError(f"{p} is open for writing in another process (an `ogi ingest`?): wait for it") from e
            raise StoreError(f"{p}: cannot open the store ({e})") from e
        except duckdb.Error as e:
            raise StoreError(f"{p}: not a DuckDB file ogi can read ({e})") from e
        store = cls(p, con, read_only)

        def newer(version: int) -> StoreError:
            return StoreError(f"{p} has schema version {version}, newer than this ogi's; upgrade ogi")

        try:
            if not read_only:
                migrate(con, newer)
                store.files.clean()
            elif (found := current_version(con)) > SCHEMA_VERSION:
                raise newer(found)
        except BaseException:
            con.close()
            raise
        return store

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        row = self.con.execute("SELECT max(version) FROM schema_version").fetchone()
        return int(row[0]) if row and row[0] is not None else SCHEMA_VERSION

    def own_paths(self) -> tuple[Path, ...]:
        """The store's own files, which a folder walk must not ingest."""
        return (self.path, self.path.with_name(self.path.name + ".wal"), self.files_dir)

    # -- raw files -------------------------------------------------------------------------

    def raw_path(self, sha: str) -> Path:
        row = self.con.execute("SELECT stored FROM documents WHERE sha256 = ?", [sha]).fetchone()
        if not row:
            raise StoreError(f"no document {sha} in {self.path}")
        return self.files_dir / row[0]

    # -- writing ---------------------------------------------------------------------------

    def known(self) -> dict[str, tuple[str, str | None]]:
        """Every stored hash → (status, error)."""
        return {
            sha: (status, error)
            for sha, status, error in self.con.execute("SELECT sha256, status, error FROM documents").fetchall()
        }

    def add(self, path: str | Path, data: bytes | None, result: Report | list[Report] | BaseException | str) -> Added:
        """Record one file (``data``, or read from ``path`` when None): its parsed report (or the
        reports of each of its parts), or why it could not be parsed."""
        if data is None:
            data = Path(path).read_bytes()
        sha = sha256_of(data)
        if isinstance(result, Report):
            entry = Entry(str(path), sha, data, [report_rows(result)])
        elif isinstance(result, list):
            entry = Entry(str(path), sha, data, [report_rows(r) for r in result])
        else:
            entry = Entry(str(path), sha, data, None, str(result))
        return self.add_many([entry])[0]

    def add_many(self, entries: Sequence[Entry]) -> list[Added]:
        """Record several files in one transaction. A hash stored as parsed is left as it is; one
        stored as failed is recorded afresh (a newer ogi may read it)."""
        if self.read_only:
            raise StoreError(f"{self.path} was opened read-only")
        known = self.status_of([e.sha256 for e in entries])
        fresh: dict[str, Entry] = {}
        for e in entries:
            if known.get(e.sha256) != "ok":
                fresh.setdefault(e.sha256, e)
        if not fresh:
            return [Added(e.sha256, "unchanged") for e in entries]
        self.files.keep([(_stored_name(e.sha256, e.path), e.data) for e in fresh.values()])
        retried = [sha for sha in fresh if sha in known]
        self.con.begin()
        try:
            if retried:
                self.con.execute("DELETE FROM documents WHERE sha256 IN (SELECT unnest(?))", [retried])
            done = write_batch(self.con, list(fresh.values()), _stored_name)
            self.con.commit()
        except BaseException as e:
            self.con.rollback()
            if isinstance(e, duckdb.Error):
                raise StoreError(f"{self.path}: could not write ({e})") from e
            raise
        # A hash twice in one batch is recorded once: the later copies are unchanged.
        return [done[e.sha256] if fresh.get(e.sha256) is e else Added(e.sha256, "unchanged") for e in entries]

    def status_of(self, shas: Sequence[str]) -> dict[str, str]:
        """Stored hashes among ``shas`` → their status (``ok`` or ``failed``)."""
        sql = "SELECT sha256, status FROM documents WHERE sha256 IN (SELECT unnest(?))"
        return dict(self.con.execute(sql, [list(shas)]).fetchall())


__all__ = ["DEFAULT_DB", "Added", "Entry", "Store", "sha256_of"]
