"""One collection run: listings → entries → article pages → attachments, kept with a manifest.

For each start URL the listing is walked page by page (static pagers, TRS scripts and list APIs;
from a site root, the 年报 column is found first), then each entry whose title names an annual
report is fetched: its article page, and the report files it links to.

Resumable and incremental through the manifest: an entry done in an earlier run is not fetched
again (unless its listing row changed, or ``recheck``: then conditional requests ask whether it
changed); a file fetched before an interruption is reused from disk; an entry that failed for a
passing reason (timeout, 5xx, network) is tried again, one that failed for good (404) is not.
Listing pages are fetched every run, conditionally.
"""

from __future__ import annotations

import hashlib
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path, PurePosixPath

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn

from ogi.collect.article import Attachment, read_article
from ogi.collect.discover import MAX_HOPS, column_links
from ogi.collect.fetch import Fetched, Fetcher, FetchError, Politeness, Validators, user_agent
from ogi.collect.files import entry_folder, file_name, listing_path, write
from ogi.collect.listing import Entry, ListingPage, ListingRequest, read_listing
from ogi.collect.manifest import EntryRecord, FileRecord, Manifest
from ogi.collect.pages import parse
from ogi.collect.titles import judge
from ogi.collect.trs import read_api
from ogi.readers.sniff import sniff

DEFAULT_MAX_PAGES = 50


@dataclass
class CollectResult:
    """What a run did. ``skipped`` and ``failed`` hold (URL, reason)."""

    sites: int = 0
    listing_pages: int = 0
    entries: int = 0
    """Distinct entries seen in the listings (reports or not)."""
    fetched: int = 0
    """Entries fetched this run: new, or changed since the last."""
    unchanged: int = 0
    """Entries re-checked (conditional requests) and found unchanged."""
    known: int = 0
    """Entries collected by an earlier run and not asked for again."""
    files: int = 0
    bytes: int = 0
    requests: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)


def _transient(e: FetchError) -> bool:
    return e.kind in ("timeout", "network") or (e.status is not None and e.status >= 500)


@dataclass
class _Got:
    """A URL's bytes for this run: fetched anew (``fetched``), or reused from an earlier fetch
    (``previous``; unchanged under a conditional request, or kept from an interrupted run)."""

    data: bytes
    fetched: Fetched | None
    previous: FileRecord | None

    @property
    def url(self) -> str:
        if self.fetched:
            return self.fetched.final_url
        return (self.previous.final_url or self.previous.url) if self.previous else ""

    @property
    def content_type(self) -> str | None:
        return self.fetched.content_type if self.fetched else self.previous.content_type if self.previous else None

    @cached_property
    def sha256(self) -> str:
        return _sha(self.data)

    @property
    def changed(self) -> bool:
        return self.fetched is not None and (self.previous is None or self.previous.sha256 != self.sha256)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Collector:
    """Collects from portals into ``out`` with ``fetcher``; one instance per run."""

    def __init__(
        self,
        out: Path,
        fetcher: Fetcher,
        *,
        max_pages: int = DEFAULT_MAX_PAGES,
        recheck: bool = False,
        progress: bool = True,
    ) -> None:
        self.out = out
        self.fetcher = fetcher
        self.manifest = Manifest.open(out)
        self.max_pages = max_pages
        self.recheck = recheck
        self.result = CollectResult()
        self.bar = Progress(
            SpinnerColumn(),
            TextColumn("collect"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.description}"),
            console=Console(stderr=True),
            disable=not progress,
        )
        self.task = self.bar.add_task("", total=None)

    # -- the run -------------------------------------------------------------------------------

    def run(self, urls: Iterable[str]) -> CollectResult:
        with self.bar:
            for url in urls:
                self.result.sites += 1
                entries = self._listings(url)
                self.bar.update(self.task, total=(self.bar.tasks[0].total or 0) + len(entries))
                for entry in entries:
                    self._entry(entry)
                    self.bar.advance(self.task)
                    self._describe()
        self.result.requests = self.fetcher.requests
        return self.result

    def _describe(self) -> None:
        r = self.result
        self.bar.update(
            self.task,
            description=f"{r.listing_pages} listing pages · {r.entries} entries · {r.fetched} fetched · "
            f"{r.known + r.unchanged} already here · {len(r.skipped)} skipped · {len(r.failed)} failed",
        )

    # -- listings ------------------------------------------------------------------------------

    def _listings(self, start: str) -> list[Entry]:
        queue = deque([ListingRequest(start)])
        hops = {queue[0].key: 0}
        found: dict[str, Entry] = {}
        contents: set[str] = set()
        pages = 0
        while queue and pages < self.max_pages:
            request = queue.popleft()
            pages += 1
            self.result.listing_pages += 1
            page, root_links, sha = self._listing(request)
            self._describe()
            if page is None or sha in contents:
                continue  # failed, or the same page under another address (index.html and ./)
            contents.add(sha)
            has_reports = any(judge(e.title).is_report for e in page.entries)
            # A page without reports (a site root, a section page) is not the listing: its dated
            # links are news, not entries.
            for entry in page.entries if has_reports else ():
                if entry.url not in found:
                    found[entry.url] = entry
                elif judge(entry.title).is_report:
                    self.result.skipped.append((entry.url, f"listed again (on {entry.listing}): collected once"))
            more = list(page.more)
            if not has_reports and hops[request.key] < MAX_HOPS:
                more += [ListingRequest(u, referer=request.url) for u in root_links]
            for nxt in more:
                if nxt.key not in hops:
                    hops[nxt.key] = hops[request.key] + (nxt.url in root_links)
                    queue.append(nxt)
        if queue:
            left = f"more than {self.max_pages} listing pages: the rest were left (--max-pages)"
            self.result.skipped.append((start, left))
        self.result.entries += len(found)
        return list(found.values())

    def _listing(self, request: ListingRequest) -> tuple[ListingPage | None, list[str], str]:
        """One listing page's entries and further pages, the 年报 column links it offers, and
        its content's hash."""
        try:
            if request.method == "POST":
                form = dict(request.form)
                fetched = self.fetcher.post(request.url, form, referer=request.referer)
                previous = self.manifest.file(request.url, "POST", form)
                got = _Got(fetched.content, None if previous and previous.sha256 == _sha(fetched.content) else fetched,
                           previous)  # fmt: skip
            else:
                got = self._get(request.url, conditional=True, referer=request.referer)
        except FetchError as e:
            (self.result.skipped if e.kind == "robots" else self.result.failed).append((e.url, e.reason))
            return None, [], ""
        fmt = "json" if request.api else "html"
        if got.fetched is not None:
            path = write(self.out, listing_path(request.url, repr(request.key), fmt), got.data)
            form = dict(request.form) or None
            self._keep(got, path, FileRecord(request.url, "listing", form=form, referrer=request.referer))
        try:
            if request.api:
                return read_api(got.data, got.content_type, request, self.max_pages), [], got.sha256
            root = parse(got.data, got.url, got.content_type)
        except ValueError as e:
            self.result.failed.append((request.url, f"not a list API answer ({e})"))
            return None, [], ""
        columns, sections = column_links(root, got.url)
        return read_listing(root, got.url, self.max_pages), columns or sections, got.sha256

    # -- fetching and keeping ------------------------------------------------------------------

    def _get(self, url: str, *, conditional: bool, referer: str | None) -> _Got:
        """``url``'s bytes: from disk when an earlier fetch is kept and no re-check is asked for;
        else fetched, conditionally when a copy is kept."""
        previous = self.manifest.file(url)
        if previous and previous.path and not conditional:
            return _Got((self.out / previous.path).read_bytes(), None, previous)
        validators = Validators(previous.etag, previous.last_modified) if previous else None
        fetched = self.fetcher.get(url, validators=validators, referer=referer)
        if fetched.status == 304 and previous and previous.path:
            return _Got((self.out / previous.path).read_bytes(), None, previous)
        return _Got(fetched.content, fetched, previous)

    def _keep(self, got: _Got, path: PurePosixPath, record: FileRecord) -> FileRecord:
        """Record a fetched file kept at ``path`` (unchanged ones keep their record)."""
        if got.fetched is None:
            assert got.previous is not None
            return got.previous
        f = got.fetched
        record.final_url = f.final_url if f.final_url != record.url else None
        record.method, record.fetched_at, record.status = f.method, f.fetched_at, f.status
        record.etag, record.last_modified, record.content_type = f.etag, f.last_modified, f.content_type
        record.size, record.sha256, record.path = len(got.data), got.sha256, path.as_posix()
        record.format = record.format or sniff(got.data, path.name)
        self.manifest.add(record)
        self.result.files += 1
        self.result.bytes += len(got.data)
        return record

    # -- entries -------------------------------------------------------------------------------

    def _entry(self, entry: Entry) -> None:
        verdict = judge(entry.title)
        if not verdict.is_report:
            self.result.skipped.append((entry.url, verdict.reason))
            return
        before = self.manifest.entries.get(entry.url)
        same_row = before is not None and (before.title, before.date) == (entry.title, entry.date)
        if before and same_row and not self.recheck and (before.state != "failed" or not before.retry):
            if before.state == "done":
                self.result.known += 1
            else:
                (self.result.skipped if before.state == "skipped" else self.result.failed).append(
                    (entry.url, f"{before.reason} (as found on {before.at[:10]}; --recheck to try again)")
                )
            return
        record = EntryRecord(entry.url, entry.listing, entry.title, entry.date, verdict.year, "done")
        try:
            changed = self._fetch_entry(entry, record, conditional=before is not None)
        except FetchError as e:
            if e.kind == "robots":
                self.result.skipped.append((entry.url, e.reason))
                return
            record.state, record.reason, record.retry = "failed", e.reason, _transient(e)
            changed = True
        except OSError as e:
            record.state, record.reason, record.retry = "failed", f"could not keep it ({e})", True
            changed = True
        if record.state == "done":
            if changed or before is None or before.state != "done":
                self.result.fetched += 1
            else:
                self.result.unchanged += 1
        else:
            (self.result.skipped if record.state == "skipped" else self.result.failed).append(
                (entry.url, record.reason or "")
            )
        self.manifest.add(record)

    def _fetch_entry(self, entry: Entry, record: EntryRecord, *, conditional: bool) -> bool:
        """Fetch one entry's page and report files into ``record``; whether anything changed."""
        folder = entry_folder(entry.url, record.year)
        page = self._get(entry.url, conditional=conditional or self.recheck, referer=entry.listing)
        base = FileRecord(entry.url, "page", entry=entry.url, referrer=entry.listing, listing=entry.listing,
                          title=entry.title, date=entry.date, year=record.year)  # fmt: skip
        name, fmt = file_name(page.url, entry.title, page.data)
        if fmt != "html":
            # The listing links the report file itself.
            base.report, base.format = True, fmt
            record.files = [self._keep(page, self._place(page, folder / name), base).path or ""]
            return page.changed
        root = parse(page.data, page.url, page.content_type)
        article = read_article(root, len(page.data))
        if article.gone:
            record.state, record.reason = "skipped", article.gone
            return page.changed
        base.report, base.format = article.body_is_report, "html"
        record.files = [self._keep(page, self._place(page, folder / "page.html"), base).path or ""]
        changed = page.changed
        problems: list[str] = []
        for attachment in article.attachments:
            try:
                kept, new = self._attachment(entry, attachment, page.url, folder, record.year, conditional)
            except FetchError as e:
                if attachment.is_report:
                    raise
                problems.append(f"attachment {attachment.url} not kept: {e.reason}")
                continue
            record.files.append(kept.path or "")
            changed = changed or new
        if not article.body_is_report and not article.reports:
            record.state = "skipped"
            problems.insert(0, "the page holds no report: no report text, no PDF/DOC/DOCX/WPS file, no scan")
        record.reason = "; ".join(problems) or None
        return changed

    def _attachment(
        self, entry: Entry, attachment: Attachment, page_url: str, folder: PurePosixPath, year: int | None,
        conditional: bool,
    ) -> tuple[FileRecord, bool]:  # fmt: skip
        got = self._get(attachment.url, conditional=conditional or self.recheck, referer=page_url)
        name, fmt = file_name(got.url, attachment.name, got.data)
        record = FileRecord(attachment.url, "attachment", report=attachment.is_report, entry=entry.url,
                            referrer=page_url, listing=entry.listing, title=entry.title, date=entry.date,
                            year=year, format=fmt)  # fmt: skip
        return self._keep(got, self._place(got, folder / name), record), got.changed

    def _place(self, got: _Got, path: PurePosixPath) -> PurePosixPath:
        if got.fetched is None and got.previous and got.previous.path:
            return PurePosixPath(got.previous.path)
        return write(self.out, path, got.data)


def collect(
    urls: Iterable[str],
    out: str | Path,
    fetcher: Fetcher | None = None,
    *,
    max_pages: int = DEFAULT_MAX_PAGES,
    recheck: bool = False,
    progress: bool = True,
) -> CollectResult:
    """Collect the annual reports listed at ``urls`` (年报 listing pages or site roots) into
    ``out``, with ``fetcher`` (default: one request a second per host, no contact); see
    :mod:`ogi.collect`."""
    if fetcher is None:
        from ogi import __version__

        with Fetcher(Politeness(user_agent(__version__, None))) as own:
            return collect(urls, out, own, max_pages=max_pages, recheck=recheck, progress=progress)
    return Collector(Path(out), fetcher, max_pages=max_pages, recheck=recheck, progress=progress).run(urls)
