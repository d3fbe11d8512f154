"""`ogi collect` end to end against the fixture portals on 127.0.0.1: every report entry once,
robots.txt and the rate obeyed, the manifest, resuming after a kill, a second run that fetches
nothing new, and --ingest with each document's source URL."""

from __future__ import annotations

import csv
import io
import itertools
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

import ogi
from ogi.cli.main import main
from ogi.collect import CollectResult, collect
from ogi.collect.ingest import ingest_collected
from ogi.collect.manifest import Manifest
from ogi.store.db import Store
from ogi.store.queries import export
from ogi.store.sources import sources_of_report
from tests.conftest import ROOT
from tests.portal_site import NB, TRS, Hit, PortalSite
from tests.test_collect_fetch import TIMEOUT, FakeClock, fetcher

DONE = {
    NB + "202403/t20240305_1001.html": ["page.html"],  # the report in the page
    NB + "202403/t20240310_1002.html": ["page.html", "P020240310_1.pdf", "P020240310_2.pdf"],
    NB + "202402/t20240220_1004.html": ["page.html", "某县财政局2023年度政府信息公开工作年度报告.html"],  # .doc: a page
    NB + "202302/t20230215_1005.html": ["page.html", "P020230215.docx"],  # a Word file as .wps
    NB + "202202/t20220210_1007.html": ["page.html"],  # GBK
    **{TRS + p: ["page.html"] for p in ("202603/t20260313_105587.htm", "202503/t20250310_97791.htm",
                                         "202403/t20240308_87885.htm", "202302/t20230220_80629.htm",
                                         "202202/t20220208_80613.htm")},
}  # fmt: skip
REPORT_FILES = 10
SKIPPED = {
    NB + "202403/t20240312_1003.html": "about a report, not the report (解读)",
    NB + "202302/t20230210_1006.html": "the page holds no report",
    "/private/t20220214_1011.html": "robots.txt disallows /private/",
    NB + "202403/t20240305_1001.html": "listed again",
    TRS + "202603/t20260313_105587.htm": "listed again",
}
FAILED = {
    NB + "202202/t20220211_1008.html": "HTTP 404 Not Found",
    "/loop/t20220212_1009.html": "redirect loop",
    "/slow/t20220213_1010.html": f"timed out after {TIMEOUT:g} s",
}


def _run(site: PortalSite, out: Path, **kw: object) -> ogi.collect.CollectResult:
    with fetcher(**{"timeout": TIMEOUT, "retries": 1, "backoff": 0.01, **kw}) as f:  # type: ignore[arg-type]
        return collect([site.url("/"), site.url(TRS)], out, f, progress=False)


def _local(result: list[tuple[str, str]], site: PortalSite) -> dict[str, str]:
    return {url.removeprefix(site.base): reason for url, reason in result}


@pytest.fixture(scope="module")
def site() -> Iterator[PortalSite]:
    with PortalSite() as s:
        yield s


@pytest.fixture(scope="module")
def first(site: PortalSite, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, CollectResult, list[Hit]]:
    """The first run: its folder (tests that run again work on a copy), its result and the requests
    it made (the site is shared by the module's tests, whichever ran before)."""
    out = tmp_path_factory.mktemp("collected")
    before = len(site.hits)
    result = _run(site, out)
    return out, result, site.hits[before:]


def _copy(out: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(out, tmp_path / "collected"))


def test_every_report_entry_is_fetched_once(site: PortalSite, first: tuple) -> None:
    out, result, hits = first
    gets = Counter(h.path for h in hits if h.method == "GET")
    assert all(gets[path] == 1 for path in DONE), {p: gets[p] for p in DONE}
    assert (result.sites, result.entries, result.fetched, result.known) == (2, 16, len(DONE), 0)
    manifest = Manifest(out)
    done = {u.removeprefix(site.base): e for u, e in manifest.entries.items() if e.state == "done"}
    assert set(done) == set(DONE)
    for url, names in DONE.items():
        assert [Path(p).name for p in done[url].files] == names, url
        assert all((out / p).is_file() for p in done[url].files)
    # The site root led to the column through 政务公开 → 政府信息公开年报; its news are not entries.
    assert gets["/"] == gets["/xxgk/index.html"] == 1 and not any(p.startswith("/xwzx/") for p in gets)
    # Page 2 of the TRS column came from the list API, asked once with the script's arguments.
    (api,) = [h for h in hits if h.method == "POST"]
    assert api.path == "/fjdzapp/search" and api.form["page"] == "2" and api.form["channelid"] == "200210"


def test_skips_and_failures_say_why(site: PortalSite, first: tuple) -> None:
    _, result, hits = first
    skipped, failed = _local(result.skipped, site), _local(result.failed, site)
    assert set(skipped) == set(SKIPPED) and set(failed) == set(FAILED)
    for url, why in {**SKIPPED, **FAILED}.items():
        assert why in {**skipped, **failed}[url], url
    assert not any(h.path.startswith("/private/") for h in hits)  # robots.txt obeyed


def test_manifest_records_provenance(site: PortalSite, first: tuple) -> None:
    out, _, _ = first
    lines = [json.loads(line) for line in (out / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]
    files = {r["url"].removeprefix(site.base): r for r in lines if r["record"] == "file"}
    page = files[NB + "202403/t20240305_1001.html"]
    assert page["date"] == "2023-03-06"  # the listing's date, not the URL's 20240305
    assert page["title"] == "赣州市赣县区人民政府2022年政府信息公开工作年度报告" and page["year"] == 2022
    assert page["referrer"] == page["listing"] == site.url(NB + "index.html") and page["report"]
    assert (
        page["status"] == 200
        and page["etag"]
        and page["last_modified"]
        and page["content_type"].startswith("text/html")
    )
    assert page["sha256"] and page["size"] == (out / page["path"]).stat().st_size and page["fetched_at"]
    pdf = files[NB + "202403/P020240310_1.pdf"]
    assert (pdf["role"], pdf["report"], pdf["format"], pdf["referrer"]) == (
        "attachment", True, "pdf", site.url(NB + "202403/t20240310_1002.html"))  # fmt: skip
    assert not files[NB + "202403/P020240310_2.pdf"]["report"]  # 一图读懂: kept, not the report
    assert not files[NB + "202403/t20240310_1002.html"]["report"]  # the page only links the report
    doc = next(r for u, r in files.items() if u.startswith("/module/download/downfile.jsp"))
    assert (doc["format"], doc["content_type"], Path(doc["path"]).suffix) == ("html", "application/msword", ".html")
    assert files[NB + "202302/P020230215.wps"]["format"] == "docx"
    gbk = files[NB + "202202/t20220210_1007.html"]
    assert gbk["report"] and "某街道办事处" in (out / gbk["path"]).read_bytes().decode("gb18030")
    trs = files[TRS + "202202/t20220208_80613.htm"]
    assert trs["date"] == "2022-02-08" and trs["listing"] == site.url(TRS)  # from the API, listed on the column
    api = next(r for r in lines if r.get("method") == "POST")
    assert api["role"] == "listing" and api["form"]["page"] == "2" and api["path"].endswith(".json")


def test_second_run_fetches_nothing_new(site: PortalSite, first: tuple, tmp_path: Path) -> None:
    out = _copy(first[0], tmp_path)
    before = len(site.hits)
    again = _run(site, out)
    hits = site.hits[before:]
    fetched = {h.path for h in hits} - {"/robots.txt", "/", "/xxgk/index.html", "/fjdzapp/search", TRS}
    fetched -= {NB + f"index{s}.html" for s in ("", "_1", "_2")}
    assert fetched == {"/slow/t20220213_1010.html"}  # a timeout may pass: tried again; a 404 is not
    assert (again.fetched, again.known, again.files) == (0, len(DONE), 0)
    listings = [h for h in hits if h.path.startswith(NB + "index")]
    assert listings and all("If-None-Match" in h.headers for h in listings)  # conditional: 304s
    assert "HTTP 404" in _local(again.failed, site)[NB + "202202/t20220211_1008.html"]


def test_a_changed_listing_row_is_rechecked_conditionally(site: PortalSite, first: tuple, tmp_path: Path) -> None:
    out = _copy(first[0], tmp_path)
    path = NB + "index.html"
    original = site.routes[path]
    site.routes[path] = (original[0].replace(b"2024-03-10", b"2024-03-11"), original[1])
    try:
        before = len(site.hits)
        again = _run(site, out)
    finally:
        site.routes[path] = original
    entry = [h for h in site.hits[before:] if h.path == NB + "202403/t20240310_1002.html"]
    assert len(entry) == 1 and "If-None-Match" in entry[0].headers
    assert (again.unchanged, again.fetched) == (1, 0)
    assert Manifest(out).entries[site.url(NB + "202403/t20240310_1002.html")].date == "2024-03-11"


def test_rate_is_kept_for_a_whole_run(site: PortalSite, tmp_path: Path) -> None:
    clock, log = FakeClock(), []
    with fetcher(clock, log, rate=1.0, timeout=TIMEOUT, retries=0) as f:
        collect([site.url(NB + "index.html")], tmp_path, f, progress=False)
    times = [t for _, _, t in log]
    assert len(times) > 10 and all(b - a >= 1.0 for a, b in itertools.pairwise(times))


def test_rate_spacing_seen_by_the_server(site: PortalSite, tmp_path: Path) -> None:
    before = len(site.hits)
    with fetcher(rate=5.0, timeout=TIMEOUT, retries=0) as f:
        collect([site.url(TRS)], tmp_path, f, progress=False)
    times = [h.at for h in site.hits[before:]]
    # 200 ms between requests: the run lasts at least (n - 1) x 200 ms as the server sees it, less a
    # slack for when a loaded machine logs the first request late (unlimited, it takes ~20 ms).
    assert len(times) >= 7 and times[-1] - times[0] >= (len(times) - 1) * 0.2 - 0.5


def test_an_interrupted_run_continues_where_it_stopped(site: PortalSite, tmp_path: Path) -> None:
    calls = itertools.count()

    def interrupt(method: str, url: str, at: float) -> None:
        if next(calls) == 12:
            raise KeyboardInterrupt

    with fetcher(timeout=TIMEOUT, retries=0) as f, pytest.raises(KeyboardInterrupt):
        f.on_request = interrupt
        collect([site.url("/")], tmp_path, f, progress=False)
    kept = {r.url for r in Manifest(tmp_path).latest_files() if r.role != "listing"}
    assert kept
    before = len(site.hits)
    with fetcher(timeout=TIMEOUT, retries=0) as f:
        result = collect([site.url("/")], tmp_path, f, progress=False)
    again = {site.url(h.path) for h in site.hits[before:]}
    assert not kept & again  # nothing kept before the interruption is fetched again
    assert {u.removeprefix(site.base) for u, e in Manifest(tmp_path).entries.items() if e.state == "done"} == {
        u for u in DONE if u.startswith(NB)
    }
    assert result.fetched + result.known == 5


def test_a_killed_process_resumes(site: PortalSite, tmp_path: Path) -> None:
    """kill -9 in the middle of a run: the manifest stays readable and the next run finishes."""
    out = tmp_path / "out"
    args = [sys.executable, "-m", "ogi", "collect", site.url("/"), "--out", str(out), "--rate", "1000",
            "--timeout", str(TIMEOUT), "--retries", "0", "--quiet", "--contact", "tests"]  # fmt: skip
    manifest = out / "manifest.jsonl"
    running: list[subprocess.Popen[bytes]] = []
    killed = threading.Event()

    def kill_after_two_pages(hit: Hit) -> None:
        # Here the run waits for this answer, and each of its records is on disk before it asks
        # for more: killed now, it has recorded exactly the pages it had, however loaded the machine.
        pages = manifest.read_bytes().count(b'"role": "page"') if manifest.exists() else 0
        if running and not killed.is_set() and pages >= 2:
            running[0].send_signal(signal.SIGKILL)
            killed.set()

    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    site.on_request = kill_after_two_pages
    proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    running.append(proc)
    try:
        deadline = time.monotonic() + 120
        while not killed.wait(0.05) and proc.poll() is None and time.monotonic() < deadline:
            pass
        assert killed.is_set(), "the run ended before it could be interrupted"
        proc.wait(timeout=30)
    finally:
        site.on_request = None
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    partial = Manifest(out)
    assert 2 <= sum(1 for r in partial.latest_files() if r.role == "page") < 5
    result = CliRunner().invoke(main, [*args[3:], "--rate", "1000"])
    assert result.exit_code == 1, result.output  # the 404, the loop and the slow page
    done = {u.removeprefix(site.base) for u, e in Manifest(out).entries.items() if e.state == "done"}
    assert done == {u for u in DONE if u.startswith(NB)}


def test_ingest_gives_reports_with_their_urls(site: PortalSite, first: tuple, tmp_path: Path) -> None:
    out, _, _ = first
    db = tmp_path / "corpus.duckdb"
    done = ingest_collected(out, db, workers=1, progress=False)
    assert (done.ingest.added, done.ingest.failed, done.sources) == (REPORT_FILES, [], REPORT_FILES)
    with Store.open(db, read_only=True) as store:
        rows = store.con.execute("SELECT id, format FROM reports ORDER BY id").fetchall()
        assert Counter(f for _, f in rows) == {"html": 8, "pdf": 1, "docx": 1}
        urls = {s.url for rid, _ in rows for s in sources_of_report(store, rid)}
        assert urls == {site.url(p) for p in DONE if len(DONE[p]) == 1} | {
            site.url(NB + "202403/P020240310_1.pdf"),
            site.url(NB + "202302/P020230215.wps"),
            site.url("/module/download/downfile.jsp?classid=0&filename=P020240220.doc"),
        }
        pdf = next(s for rid, f in rows if f == "pdf" for s in sources_of_report(store, rid))
        assert pdf.page_url == site.url(NB + "202403/t20240310_1002.html")
        assert pdf.listing_url == site.url(NB + "index.html") and str(pdf.listed_on) == "2024-03-10"
        buf = io.StringIO()
        export(store, "csv", "wide", buf)
    exported = list(csv.DictReader(io.StringIO(buf.getvalue())))
    assert {r["source_url"] for r in exported} == urls
    again = ingest_collected(out, db, workers=1, progress=False)
    assert (again.ingest.added, again.ingest.unchanged, again.sources) == (0, REPORT_FILES, 0)


def test_cli_collects_reports_skips_and_fails_with_reasons(site: PortalSite, tmp_path: Path) -> None:
    sites = tmp_path / "sites.csv"
    sites.write_text(f"name,url\n平潭,{site.url(TRS)}\n", encoding="utf-8")
    db = tmp_path / "c.duckdb"
    args = ["collect", "--sites", str(sites), "--out", str(tmp_path / "out"), "--rate", "1000", "--quiet",
            "--ingest", "--db", str(db), "--workers", "1"]  # fmt: skip
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "1 site, 2 listing pages, 5 entries: 5 fetched" in result.output
    assert "listed again: 1" in result.output and "5 added, 0 unchanged, 0 failed; 5 new source URLs" in result.output
    assert "no --contact given" in result.output
    args = ["collect", site.url(NB + "index_2.html"), "--out", str(tmp_path / "o2"), "--rate", "1000",
            "--timeout", str(TIMEOUT), "--retries", "0", "--quiet"]  # fmt: skip
    failing = CliRunner().invoke(main, args)
    assert failing.exit_code == 1
    assert "HTTP 404 Not Found" in failing.output and "redirect loop" in failing.output
    assert CliRunner().invoke(main, ["collect", "--out", str(tmp_path / "o3")]).exit_code == 2


def test_a_version_1_store_gains_the_sources_table(tmp_path: Path) -> None:
    import duckdb

    from ogi.store.schema import MIGRATIONS, SCHEMA_VERSION

    db = tmp_path / "old.duckdb"
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE schema_version (version INTEGER NOT NULL, applied_at TIMESTAMP NOT NULL)")
    con.execute(MIGRATIONS[0])
    con.execute("INSERT INTO schema_version VALUES (1, current_timestamp)")
    con.close()
    with Store.open(db) as store:
        assert store.schema_version == SCHEMA_VERSION
        assert store.con.execute("SELECT count(*) FROM sources").fetchone() == (0,)
