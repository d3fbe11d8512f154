"""The collection's manifest: ``OUT/manifest.jsonl``, one JSON object a line, only ever appended.

Two kinds of line:

- ``"record": "file"`` — one file fetched: ``url`` (as linked), ``final_url`` (after redirects, when
  different), ``method`` (and ``form`` for a POST), ``role`` (``listing``, ``page``, ``attachment``),
  ``report`` (whether the file is the report), ``entry`` (the article page it belongs to), ``referrer`` (the page that
  linked it), ``listing`` (the 年报 listing the entry was found on), ``title``/``date``/``year``
  (from the listing), ``fetched_at``, ``status`` (HTTP), ``etag``, ``last_modified``,
  ``content_type``, ``size``, ``sha256``, ``format`` (sniffed from the bytes), ``path`` (relative
  to OUT). A conditional request answered 304 writes no line: the file is as recorded.
- ``"record": "entry"`` — an entry's outcome: ``url``, ``listing``, ``title``, ``date``, ``year``,
  ``state`` (``done``, ``skipped`` or ``failed``), ``reason``, ``retry`` (a failure that may pass),
  ``files`` (paths), ``at``.

The latest line for a URL wins. A file's line is written after the file is in place, and each
line is flushed to disk, so a killed run leaves a manifest that the next run continues from; a
line cut off by the kill is dropped when the manifest is opened again.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

MANIFEST = "manifest.jsonl"


@dataclass
class FileRecord:
    url: str
    role: Literal["listing", "page", "attachment"]
    final_url: str | None = None
    method: str = "GET"
    form: dict[str, str] | None = None
    """A POST's form (a CMS list API call)."""
    report: bool = False
    entry: str | None = None
    referrer: str | None = None
    listing: str | None = None
    title: str | None = None
    date: str | None = None
    year: int | None = None
    fetched_at: str | None = None
    status: int | None = None
    etag: str | None = None
    last_modified: str | None = None
    content_type: str | None = None
    size: int | None = None
    sha256: str | None = None
    format: str | None = None
    path: str | None = None
    record: str = "file"


@dataclass
class EntryRecord:
    url: str
    listing: str
    title: str
    date: str | None
    year: int | None
    state: Literal["done", "skipped", "failed"]
    reason: str | None = None
    retry: bool = False
    """A failure that may pass (timeout, 5xx): the next run tries again."""
    files: list[str] = field(default_factory=list)
    at: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    record: str = "entry"


def _load(record: dict[str, Any]) -> FileRecord | EntryRecord | None:
    kinds: dict[str, type[FileRecord] | type[EntryRecord]] = {"file": FileRecord, "entry": EntryRecord}
    cls = kinds.get(record.get("record", ""))
    if cls is None:
        return None
    names = cls.__dataclass_fields__
    try:
        return cls(**{k: v for k, v in record.items() if k in names})
    except TypeError:
        return None


def _key(method: str, url: str, form: dict[str, str] | None) -> tuple[str, str, str]:
    return method, url, json.dumps(form, sort_keys=True) if form else ""


class Manifest:
    """The manifest of one output folder: the latest record per URL, and appends."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.path = out / MANIFEST
        self.files: dict[tuple[str, str, str], FileRecord] = {}
        self.entries: dict[str, EntryRecord] = {}
        if self.path.exists():
            self._read()

    @classmethod
    def open(cls, out: Path) -> Manifest:
        out.mkdir(parents=True, exist_ok=True)
        return cls(out)

    def _read(self) -> None:
        raw = self.path.read_bytes()
        if raw and not raw.endswith(b"\n"):
            # The last line was cut off by a kill: drop it, so the next append starts clean.
            keep = raw[: raw.rfind(b"\n") + 1]
            with open(self.path, "r+b") as fh:
                fh.truncate(len(keep))
            raw = keep
        for line in raw.decode("utf-8", errors="replace").splitlines():
            try:
                record = _load(json.loads(line))
            except json.JSONDecodeError:
                continue
            self._remember(record)

    def _remember(self, record: FileRecord | EntryRecord | None) -> None:
        if isinstance(record, FileRecord):
            self.files[_key(record.method, record.url, record.form)] = record
        elif isinstance(record, EntryRecord):
            self.entries[record.url] = record

    def file(self, url: str, method: str = "GET", form: dict[str, str] | None = None) -> FileRecord | None:
        """The latest fetch of ``url`` whose file is still on disk."""
        record = self.files.get(_key(method, url, form))
        if record and record.path and (self.out / record.path).exists():
            return record
        return None

    def add(self, record: FileRecord | EntryRecord) -> None:
        line = json.dumps(asdict(record), ensure_ascii=False) + "\n"
        with open(self.path, "a", encoding="utf-8") as fh:
            fh.write(line)
            fh.flush()
            os.fsync(fh.fileno())
        self._remember(record)

    def latest_files(self) -> list[FileRecord]:
        return list(self.files.values())
