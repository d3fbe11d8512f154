"""robots.txt, read as RFC 9309 says and matched with protego.

- a robots.txt that answers 2xx is obeyed for every path of its host;
- 4xx (none published, or forbidden to read) means no rules: everything may be fetched;
- 5xx or no answer at all means the site cannot say, so nothing is fetched from it this run.
"""

from __future__ import annotations

from dataclasses import dataclass

from protego import Protego

AGENT = "ogi"
"""The product token matched against ``User-agent`` lines."""


@dataclass(frozen=True, slots=True)
class Rules:
    """One host's robots.txt, as read this run."""

    parser: Protego | None
    allow_all: bool = False
    reason: str = ""
    """Why everything is refused when ``parser`` is None and ``allow_all`` is false."""

    def allowed(self, url: str) -> bool:
        if self.parser is not None:
            return bool(self.parser.can_fetch(url, AGENT))
        return self.allow_all

    def crawl_delay(self) -> float | None:
        if self.parser is None:
            return None
        delay = self.parser.crawl_delay(AGENT)
        rate = self.parser.request_rate(AGENT)
        seconds = [float(delay)] if delay else []
        if rate and rate.requests:
            seconds.append(rate.seconds / rate.requests)
        return max(seconds) if seconds else None


def rules_from(status: int | None, body: bytes, error: str = "") -> Rules:
    """The rules a robots.txt answer gives: ``status`` None when the host did not answer."""
    if status is None:
        return Rules(None, reason=f"robots.txt could not be read ({error}): the site is left alone this run")
    if 200 <= status < 300:
        text = body.decode("utf-8", errors="replace").lstrip("\ufeff")
        return Rules(Protego.parse(text))
    if 400 <= status < 500:
        return Rules(None, allow_all=True)
    return Rules(None, reason=f"robots.txt answered HTTP {status}: the site is left alone this run (RFC 9309)")
