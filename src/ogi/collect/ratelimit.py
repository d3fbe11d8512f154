"""Per-host request spacing: at most ``rate`` requests a second to any one host.

The clock and the sleep are injected so that tests check the spacing exactly without waiting:
a fake clock whose ``sleep`` advances it shows every wait the limiter asks for.
"""

from __future__ import annotations

import time
from collections.abc import Callable

Clock = Callable[[], float]
Sleep = Callable[[float], None]


class HostRateLimiter:
    """Spaces requests to each host ``1 / rate`` seconds apart (or more, where robots.txt asks
    for a longer ``Crawl-delay``). Hosts are independent: waiting on one never delays another."""

    def __init__(self, rate: float, *, clock: Clock = time.monotonic, sleep: Sleep = time.sleep) -> None:
        if rate <= 0:
            raise ValueError(f"rate must be positive, not {rate}")
        self.interval = 1.0 / rate
        self.clock = clock
        self.sleep = sleep
        self._next: dict[str, float] = {}
        self._slower: dict[str, float] = {}

    def slow_down(self, host: str, seconds: float) -> None:
        """Space requests to ``host`` at least ``seconds`` apart (a robots.txt ``Crawl-delay``)."""
        self._slower[host] = max(self._slower.get(host, 0.0), seconds)

    def interval_for(self, host: str) -> float:
        return max(self.interval, self._slower.get(host, 0.0))

    def wait(self, host: str) -> float:
        """Block until a request to ``host`` may go; returns the clock time it goes at."""
        now = self.clock()
        due = self._next.get(host, now)
        if due > now:
            self.sleep(due - now)
            now = self.clock()
        self._next[host] = max(now, due) + self.interval_for(host)
        return now
