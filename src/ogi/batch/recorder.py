"""Recording a batch's outcomes in the store, whatever engine parsed them.

The process pool and Ray (without ``--out``) both hand each file's outcome to a
:class:`StoreRecorder`: it decides what is already known (by content hash), buffers the rest and
writes them ``batch`` files to a transaction, counts, and keeps the progress bar.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from ogi.batch.limits import Died
from ogi.store.db import Entry, Store
from ogi.store.rows import ReportRows

BATCH_FILES = 64
BATCH_SECONDS = 1.0

Outcome = list[ReportRows] | str | Died
"""What parsing one file gave: the rows of each report it holds, the reason it failed, or the
death of its process."""


@dataclass
class IngestResult:
    added: int = 0
    unchanged: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    new_versions: int = 0
    """Of ``added``: reports that replaced an older version of the same file."""


def progress_bar(label: str, enabled: bool, unit: str = "") -> Progress:
    """A bar counting in ``unit`` (files when not named)."""
    return Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn(unit),
        TimeRemainingColumn(),
        TextColumn("{task.description}"),
        console=Console(stderr=True),
        disable=not enabled,
    )


class StoreRecorder:
    """Outcomes into ``store``; :meth:`finish` writes the rest and rechecks the touched publishers."""

    def __init__(self, store: Store, bar: Progress, *, retry_failed: bool = False, batch: int = BATCH_FILES) -> None:
        self.store = store
        self.bar = bar
        self.batch = max(1, batch)
        self.retry_failed = retry_failed
        self.known = store.known()
        self.result = IngestResult()
        self.seen: set[str] = set()
        self.touched: set[str] = set()
        self.buffer: list[Entry] = []
        self.flushed_at = time.monotonic()
        self.task = bar.add_task("", total=None)
        self.total = 0
        self.weights: dict[str, int] = {}

    def expect(self, files: int) -> None:
        """Size the bar: one step a file until :meth:`weigh` says a file has more pages."""
        self.total = files
        self.bar.update(self.task, total=files)

    def weigh(self, path: str, pages: int) -> None:
        """Count the file at ``path`` as its ``pages`` on the bar: a scan's pages take seconds each
        to OCR, so pages, not files, tell the time left."""
        if pages > 1:
            self.weights[path] = pages
            self.total += pages - 1
            self.bar.update(self.task, total=self.total)

    def to_skip(self) -> set[str]:
        """The hashes not to parse: stored as parsed, and stored as failed unless retrying those."""
        return {sha for sha, (status, _) in self.known.items() if status == "ok" or not self.retry_failed}

    def skip(self, path: str, sha: str) -> bool:
        """Count a file whose bytes need no parsing (stored, or seen earlier in this run) and say
        so; False for a file to parse."""
        stored = self.known.get(sha)
        if sha in self.seen or (stored and (stored[0] == "ok" or not self.retry_failed)):
            self.done_without_parse(path, failure=stored[1] or "failed" if stored and stored[0] == "failed" else "")
            return True
        self.seen.add(sha)
        return False

    def done_without_parse(self, path: str, failure: str) -> None:
        if failure:
            self.result.failed.append((path, failure))
        else:
            self.result.unchanged += 1
        self.bar.advance(self.task)

    def collect(self, path: str, sha: str, data: bytes, outcome: Outcome) -> None:
        if isinstance(outcome, Died):
            self.result.failed.append((path, outcome.reason))
        elif isinstance(outcome, str):
            self.buffer.append(Entry(path, sha, data, None, outcome))
        else:
            self.buffer.append(Entry(path, sha, data, outcome))
        self.bar.advance(self.task, self.weights.pop(path, 1))

    def due(self) -> bool:
        return len(self.buffer) >= self.batch or time.monotonic() - self.flushed_at >= BATCH_SECONDS

    def flush(self) -> None:
        if self.buffer:
            for entry, added in zip(self.buffer, self.store.add_many(self.buffer), strict=True):
                if added.status == "added":
                    self.result.added += 1
                    self.touched.update(r.report["agency_id"] for r in entry.rows or [] if r.report["agency_id"])
                    self.result.new_versions += (added.version or 1) > 1
                elif added.status == "failed":
                    self.result.failed.append((entry.path, entry.error or "failed"))
                else:
                    self.result.unchanged += 1
            self.buffer.clear()
        r = self.result
        self.bar.update(self.task, description=f"{r.added} added, {r.unchanged} unchanged, {len(r.failed)} failed")
        self.flushed_at = time.monotonic()

    def finish(self) -> IngestResult:
        self.flush()
        self.result.failed.sort()
        if self.touched:
            # New reports change their publishers' year-to-year pairs; recheck just those.
            from ogi.store.crossyear import check_cross_year

            check_cross_year(self.store, agency_ids=self.touched)
        return self.result
