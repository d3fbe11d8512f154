"""HTTP for the collector: one client, polite by construction.

Every request goes through :class:`Fetcher`: robots.txt is checked for its URL and for each
redirect hop, the per-host rate limit takes its turn, 5xx/429 answers and timeouts are retried
with exponential backoff (``Retry-After`` honoured), redirects are followed by hand so that a loop
is named and every hop is checked, and bodies are streamed under a size limit.
"""

from __future__ import annotations

import email.utils
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal
from urllib.parse import urljoin, urlsplit

import httpx

from ogi.collect.ratelimit import Clock, HostRateLimiter, Sleep
from ogi.collect.robots import Rules, rules_from
from ogi.errors import OgiError

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
MAX_RETRY_WAIT = 120.0
"""A ``Retry-After`` longer than this is cut to it: a run should not stall for hours on one file."""

FailureKind = Literal["robots", "http", "timeout", "network", "redirect", "too_large", "url"]


class FetchError(OgiError):
    """A URL could not be fetched: ``kind`` says why (``robots`` is a refusal, not a failure)."""

    def __init__(self, url: str, reason: str, *, kind: FailureKind, status: int | None = None) -> None:
        self.url = url
        self.reason = reason
        self.kind = kind
        self.status = status
        super().__init__(f"{url}: {reason}")


@dataclass(frozen=True, slots=True)
class Politeness:
    """How the collector treats a portal. ``rate`` is requests per second per host."""

    user_agent: str
    rate: float = 1.0
    timeout: float = 30.0
    retries: int = 3
    backoff: float = 2.0
    """Seconds before the first retry; each further retry waits twice as long."""
    max_redirects: int = 5
    max_bytes: int = 200 * 2**20


@dataclass(frozen=True, slots=True)
class Validators:
    """What a previous fetch said about a URL, for a conditional request."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True, slots=True)
class Fetched:
    url: str
    final_url: str
    method: str
    status: int
    """200 (or another 2xx), or 304 when a conditional request found the URL unchanged."""
    headers: Mapping[str, str]
    content: bytes
    fetched_at: str
    """ISO 8601, UTC."""

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")

    @property
    def content_type(self) -> str | None:
        return self.headers.get("content-type")


def user_agent(version: str, contact: str | None) -> str:
    reach = f"; +{contact}" if contact else ""
    return f"ogi/{version} (government information disclosure report collector{reach})"


def _retry_after(value: str | None, now: datetime) -> float | None:
    if not value:
        return None
    if value.strip().isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - now).total_seconds()) if when.tzinfo else None


@dataclass
class Fetcher:
    """Fetches URLs politely. ``clock``/``sleep`` drive the rate limit and the backoff (tests
    inject a fake clock); ``on_request`` is told of every request as it goes out."""

    policy: Politeness
    clock: Clock = time.monotonic
    sleep: Sleep = time.sleep
    on_request: Callable[[str, str, float], None] | None = None
    transport: httpx.BaseTransport | None = None
    requests: int = 0
    _robots: dict[str, Rules] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.limiter = HostRateLimiter(self.policy.rate, clock=self.clock, sleep=self.sleep)
        self.client = httpx.Client(
            http2=True,
            follow_redirects=False,
            timeout=httpx.Timeout(self.policy.timeout),
            headers={"User-Agent": self.policy.user_agent, "Accept-Language": "zh-CN,zh;q=0.9"},
            transport=self.transport,
        )

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- public ------------------------------------------------------------------------------

    def get(self, url: str, *, validators: Validators | None = None, referer: str | None = None) -> Fetched:
        headers = {}
        if validators and validators.etag:
            headers["If-None-Match"] = validators.etag
        if validators and validators.last_modified:
            headers["If-Modified-Since"] = validators.last_modified
        if referer:
            headers["Referer"] = referer
        return self._follow("GET", url, headers, None)

    def post(self, url: str, form: Mapping[str, str], *, referer: str | None = None) -> Fetched:
        """A form POST, as a CMS's list script sends it."""
        headers = {"X-Requested-With": "XMLHttpRequest", "Accept": "application/json, text/javascript, */*"}
        if referer:
            headers["Referer"] = referer
        return self._follow("POST", url, headers, dict(form))

    def allowed(self, url: str) -> bool:
        """Whether robots.txt lets ogi fetch ``url`` (fetching robots.txt on first use)."""
        return self._rules(url).allowed(url)

    # -- internals ---------------------------------------------------------------------------

    def _follow(self, method: str, url: str, headers: dict[str, str], form: dict[str, str] | None) -> Fetched:
        seen = [url]
        current = url
        for _ in range(self.policy.max_redirects + 1):
            parts = urlsplit(current)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise FetchError(url, f"not an http(s) URL: {current}", kind="url")
            rules = self._rules(current)
            if not rules.allowed(current):
                raise FetchError(url, rules.reason or f"robots.txt disallows {parts.path or '/'}", kind="robots")
            status, got, body = self._send(method, current, headers, form)
            if status in REDIRECT_STATUSES and "location" in got:
                target = urljoin(current, got["location"])
                if target in seen:
                    raise FetchError(url, "redirect loop: " + " → ".join([*seen, target]), kind="redirect")
                seen.append(target)
                current = target
                if status in (301, 302, 303) and method == "POST":
                    method, form = "GET", None
                continue
            if status >= 400 or status in REDIRECT_STATUSES:
                phrase = httpx.codes.get_reason_phrase(status)
                raise FetchError(url, f"HTTP {status} {phrase}".strip(), kind="http", status=status)
            stamp = datetime.now(UTC).isoformat(timespec="seconds")
            return Fetched(url, current, method, status, got, body, stamp)
        raise FetchError(url, f"more than {self.policy.max_redirects} redirects: " + " → ".join(seen), kind="redirect")

    def _send(
        self, method: str, url: str, headers: dict[str, str], form: dict[str, str] | None
    ) -> tuple[int, dict[str, str], bytes]:
        """One request with retries; the status, lower-cased headers and body."""
        host = urlsplit(url).netloc
        tries = self.policy.retries + 1
        for attempt in range(tries):
            last = attempt == tries - 1
            went = self.limiter.wait(host)
            self.requests += 1
            if self.on_request:
                self.on_request(method, url, went)
            try:
                with self.client.stream(method, url, headers=headers, data=form) as response:
                    got = {k.lower(): v for k, v in response.headers.items()}
                    if response.status_code in RETRY_STATUSES and not last:
                        wait = _retry_after(got.get("retry-after"), datetime.now(UTC))
                        self.sleep(min(wait if wait is not None else self._backoff(attempt), MAX_RETRY_WAIT))
                        continue
                    return response.status_code, got, self._read(response, url)
            except httpx.TimeoutException as e:
                if last:
                    raise FetchError(url, f"timed out after {self.policy.timeout:g} s ({tries} tries)",
                                     kind="timeout") from e  # fmt: skip
            except httpx.TransportError as e:
                if last:
                    raise FetchError(url, f"network error: {e or type(e).__name__} ({tries} tries)",
                                     kind="network") from e  # fmt: skip
            self.sleep(self._backoff(attempt))
        raise AssertionError("unreachable")

    def _backoff(self, attempt: int) -> float:
        return self.policy.backoff * 2**attempt

    def _read(self, response: httpx.Response, url: str) -> bytes:
        limit = self.policy.max_bytes
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise FetchError(url, f"{int(declared):,} bytes, over the limit of {limit:,}", kind="too_large")
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > limit:
                raise FetchError(url, f"larger than the limit of {limit:,} bytes", kind="too_large")
            chunks.append(chunk)
        return b"".join(chunks)

    def _rules(self, url: str) -> Rules:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._robots:
            self._robots[origin] = rules = self._read_robots(origin + "/robots.txt")
            delay = rules.crawl_delay()
            if delay:
                self.limiter.slow_down(parts.netloc, delay)
        return self._robots[origin]

    def _read_robots(self, url: str) -> Rules:
        current = url
        try:
            for _ in range(self.policy.max_redirects + 1):
                status, got, body = self._send("GET", current, {}, None)
                if status in REDIRECT_STATUSES and "location" in got:
                    current = urljoin(current, got["location"])
                    continue
                return rules_from(status, body)
        except FetchError as e:
            return rules_from(None, b"", e.reason)
        return rules_from(None, b"", "too many redirects")
