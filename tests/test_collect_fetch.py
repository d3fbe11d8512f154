"""The collector's HTTP: rate limit, robots.txt, retries, redirects, limits, conditional requests.

Against the fixture site on 127.0.0.1 (tests/portal_site.py). The rate limit and the backoff run
on a fake clock, so their spacing is asserted exactly without waiting.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import httpx
import pytest

from ogi.collect.fetch import Fetcher, FetchError, Politeness, Validators, user_agent
from ogi.collect.ratelimit import HostRateLimiter
from tests.portal_site import NB, PDF, PortalSite

TIMEOUT = 1.0
"""The client timeout of tests that reach the slow page: long beside any answer of the local site
(milliseconds, on a loaded machine too), so that only the slow page, which never answers in
time, times out."""


class FakeClock:
    """A clock that only moves when slept on."""

    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


class LocalOnly(httpx.HTTPTransport):
    """A transport that refuses every address but the loopback: no test reaches the world."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        assert request.url.host in ("127.0.0.1", "localhost"), f"a test tried to reach {request.url}"
        return super().handle_request(request)


def fetcher(
    clock: FakeClock | None = None, log: list[tuple[str, str, float]] | None = None, **policy: object
) -> Fetcher:
    settings = {"rate": 1000.0, "timeout": 5.0, "retries": 2, "backoff": 0.5, **policy}
    kwargs = {"clock": clock, "sleep": clock.sleep} if clock else {}
    record = (lambda m, u, t: log.append((m, u, t))) if log is not None else None
    return Fetcher(Politeness(user_agent("test", "ogi-tests@example.org"), **settings), on_request=record,  # type: ignore[arg-type]
                   transport=LocalOnly(), **kwargs)  # type: ignore[arg-type]  # fmt: skip


@pytest.fixture(scope="module")
def site() -> Iterator[PortalSite]:
    with PortalSite() as s:
        yield s


def test_limiter_spaces_each_host_alone() -> None:
    clock = FakeClock()
    limiter = HostRateLimiter(2.0, clock=clock, sleep=clock.sleep)
    times = [limiter.wait("a") for _ in range(3)]
    assert times == [0.0, 0.5, 1.0]
    assert limiter.wait("b") == 1.0  # another host does not wait for a's turn
    limiter.slow_down("a", 3.0)
    assert limiter.wait("a") == 1.5 and limiter.wait("a") == 4.5
    with pytest.raises(ValueError):
        HostRateLimiter(0)


def test_requests_to_one_host_are_spaced_by_the_rate(site: PortalSite) -> None:
    clock, log = FakeClock(), []
    with fetcher(clock, log, rate=2.0) as f:
        for path in ("/", NB + "index.html", NB + "index_1.html"):
            f.get(site.url(path))
            f.get(site.url(path).replace("127.0.0.1", "localhost"))
    by_host: dict[str, list[float]] = {}
    for _, url, at in log:
        by_host.setdefault(httpx.URL(url).host, []).append(at)
    assert set(by_host) == {"127.0.0.1", "localhost"} and all(len(t) == 4 for t in by_host.values())  # robots.txt + 3
    for times in by_host.values():
        assert all(b - a >= 0.5 for a, b in itertools.pairwise(times)), times
    # The hosts alternate without waiting for each other: 2 s for 8 requests, not 3.5.
    assert clock.now == pytest.approx(2.0)


def test_robots_crawl_delay_slows_the_host() -> None:
    clock, log = FakeClock(), []
    with (
        PortalSite(replace={"/robots.txt": (b"User-agent: *\nCrawl-delay: 3\n", "text/plain")}) as s,
        fetcher(clock, log, rate=10.0) as f,
    ):
        f.get(s.url("/"))
        f.get(s.url("/xxgk/index.html"))
    times = [t for _, _, t in log]
    assert [round(b - a, 6) for a, b in itertools.pairwise(times)] == [0.1, 3.0]


def test_robots_disallow_is_obeyed_and_not_requested(site: PortalSite) -> None:
    with fetcher() as f:
        assert not f.allowed(site.url("/private/t20220214_1011.html"))
        with pytest.raises(FetchError) as e:
            f.get(site.url("/private/t20220214_1011.html"))
    assert e.value.kind == "robots" and "robots.txt disallows /private/" in e.value.reason
    assert "/private/t20220214_1011.html" not in site.paths()


def test_missing_robots_allows_and_failing_robots_refuses() -> None:
    with PortalSite() as s:
        del s.routes["/robots.txt"]
        with fetcher() as f:
            assert f.get(s.url("/private/t20220214_1011.html")).status == 200
        s.failures["/robots.txt"] = 100
        with fetcher(FakeClock(), retries=1) as f, pytest.raises(FetchError) as e:
            f.get(s.url("/"))
        assert e.value.kind == "robots" and "HTTP 503" in e.value.reason and "RFC 9309" in e.value.reason
        assert s.paths().count("/") == 0


def test_5xx_is_retried_with_backoff_and_retry_after(site: PortalSite) -> None:
    clock = FakeClock()
    site.failures[NB + "202403/P020240310_1.pdf"] = 2
    with fetcher(clock, retries=3, backoff=0.5) as f:
        got = f.get(site.url(NB + "202403/P020240310_1.pdf"))
    assert got.content == PDF and got.content_type == "application/pdf"
    assert clock.slept.count(1.0) == 2  # the server's Retry-After: 1, twice
    site.failures[NB + "index.html"] = 5
    with fetcher(clock, retries=2, backoff=0.5) as f, pytest.raises(FetchError) as e:
        f.get(site.url(NB + "index.html"))
    assert (e.value.kind, e.value.status, e.value.reason) == ("http", 503, "HTTP 503 Service Unavailable")
    site.failures.clear()


def test_timeout_is_retried_then_fails(site: PortalSite) -> None:
    clock = FakeClock()
    with fetcher(clock, timeout=TIMEOUT, retries=1, backoff=0.25) as f, pytest.raises(FetchError) as e:
        f.get(site.url("/slow/t20220213_1010.html"))
    assert e.value.kind == "timeout" and e.value.reason == f"timed out after {TIMEOUT:g} s (2 tries)"
    assert 0.25 in clock.slept


def test_redirect_loop_and_404_are_named(site: PortalSite) -> None:
    with fetcher() as f:
        with pytest.raises(FetchError) as loop:
            f.get(site.url("/loop/t20220212_1009.html"))
        with pytest.raises(FetchError) as missing:
            f.get(site.url(NB + "202202/t20220211_1008.html"))
    assert loop.value.kind == "redirect" and loop.value.reason.startswith("redirect loop: ")
    assert loop.value.reason.count("→") == 2
    assert (missing.value.kind, missing.value.status) == ("http", 404)


def test_downloads_are_size_limited_declared_or_streamed(site: PortalSite) -> None:
    path = NB + "202403/P020240310_1.pdf"
    with fetcher(max_bytes=10_000) as f:
        with pytest.raises(FetchError) as declared:
            f.get(site.url(path))
        with pytest.raises(FetchError) as streamed:
            f.get(site.url("/stream" + path))
    assert declared.value.kind == streamed.value.kind == "too_large"
    assert "over the limit of 10,000" in declared.value.reason and "larger than the limit" in streamed.value.reason
    with fetcher() as f:
        assert f.get(site.url("/stream" + path)).content == PDF


def test_conditional_request_answers_304(site: PortalSite) -> None:
    with fetcher() as f:
        first = f.get(site.url(NB + "index.html"), referer=site.url("/"))
        again = f.get(site.url(NB + "index.html"), validators=Validators(first.etag, first.last_modified))
    assert first.status == 200 and first.etag and first.last_modified
    assert again.status == 304 and again.content == b""
    sent = [h for h in site.hits if h.path == NB + "index.html"][-2:]
    assert sent[0].headers["Referer"] == site.url("/")
    assert sent[1].headers["If-None-Match"] == first.etag
    agent = "ogi/test (government information disclosure report collector; +ogi-tests@example.org)"
    assert sent[0].headers["User-Agent"] == agent


def test_only_http_urls() -> None:
    with fetcher() as f, pytest.raises(FetchError) as e:
        f.get("file:///etc/passwd")
    assert e.value.kind == "url"
