"""Per-file time and memory limits for batch workers: one file that hangs or blows up a parser
costs that file, recorded as failed with the reason, and the batch goes on.

Both engines (the process pool and Ray) parse through :func:`parse_limited`, which holds each file
to its limits in the worker process itself:

- **time**: a ``SIGALRM`` timer raises :class:`Cutoff` in the parsing code, which unwinds the
  file's parse cleanly (Python code, and native code that checks for signals, such as ``re``);
  behind it, in worker processes, a CPU-time limit (``RLIMIT_CPU``, a little above the wall limit)
  makes the kernel end a process stuck in native code that never returns to Python. Its parent
  sees the death by ``SIGXCPU`` and records the file as over time (:func:`died_reason`).
- **memory**: the address space may grow by at most ``max_memory_mb`` during the file
  (``RLIMIT_AS`` above what the worker already maps), so an allocation past it fails with
  ``MemoryError`` instead of the machine swapping or the OOM killer taking a random process.
  Free heap a worker already holds is reused first and not counted, so a worker forked from a
  large parent may let a file take somewhat more before the limit bites.

Limits are set before each file and lifted after it, so a long-lived worker serves any number of
files. Unix only; elsewhere files run unlimited.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TypeVar

from ogi.readers.options import ParseOptions
from ogi.store.rows import ReportRows, parse_file

try:
    import resource
except ImportError:  # Windows
    resource = None  # type: ignore[assignment]

T = TypeVar("T")
DEFAULT_TIMEOUT_S = 300.0
DEFAULT_MAX_MEMORY_MB = 4096
# The native-code backstop fires this much CPU time after the wall-clock limit (at most the limit
# again): the Python-level cut-off gets its chance first.
_CPU_GRACE_S = 5.0


@dataclass(frozen=True, slots=True)
class Limits:
    """What one file may cost: seconds of wall-clock time and MiB of memory; None for no limit."""

    timeout_s: float | None = DEFAULT_TIMEOUT_S
    max_memory_mb: int | None = DEFAULT_MAX_MEMORY_MB

    def time_reason(self) -> str:
        return f"took longer than the {self.timeout_s:g} s limit per file (--timeout-s); cut off"

    def memory_reason(self) -> str:
        return f"needed more than the {self.max_memory_mb} MB memory limit per file (--max-memory-mb); cut off"


UNLIMITED = Limits(None, None)


class Cutoff(BaseException):
    """Raised inside a file's parse when its time is up. A BaseException, so that readers'
    ``except Exception`` cannot swallow it."""


def _on_alarm(signum: int, frame: object) -> None:
    raise Cutoff()


def _mapped_bytes() -> int | None:
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


@contextmanager
def _rlimit(kind: int, soft: int) -> Iterator[None]:
    old_soft, hard = resource.getrlimit(kind)
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(kind, (soft, hard))
    try:
        yield
    finally:
        resource.setrlimit(kind, (old_soft, hard))


@contextmanager
def limited(limits: Limits, *, hard_stop: bool) -> Iterator[None]:
    """Hold the code inside to ``limits``. ``hard_stop`` adds the CPU-time backstop that ends the
    whole process: only for worker processes, never for the process the user started."""
    with _memory_limit(limits.max_memory_mb), _time_limit(limits.timeout_s, hard_stop):
        yield


@contextmanager
def _memory_limit(max_mb: int | None) -> Iterator[None]:
    mapped = _mapped_bytes() if max_mb and resource is not None else None
    if mapped is None:
        yield
        return
    with _rlimit(resource.RLIMIT_AS, mapped + max_mb * 2**20):  # type: ignore[operator]
        yield


@contextmanager
def _time_limit(timeout_s: float | None, hard_stop: bool) -> Iterator[None]:
    if not timeout_s or resource is None or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, timeout_s)
    try:
        if hard_stop:
            used = resource.getrusage(resource.RUSAGE_SELF)
            cpu = used.ru_utime + used.ru_stime
            with _rlimit(resource.RLIMIT_CPU, int(cpu + timeout_s + min(timeout_s, _CPU_GRACE_S)) + 1):
                yield
        else:
            yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def run_limited(fn: Callable[[], T], limits: Limits, *, hard_stop: bool = True) -> T | str:
    """``fn()``, or the reason it was cut off."""
    try:
        with limited(limits, hard_stop=hard_stop):
            return fn()
    except Cutoff:
        return limits.time_reason()
    except MemoryError:
        return limits.memory_reason()


def parse_limited(
    data: bytes, name: str, limits: Limits, hard_stop: bool = True, options: ParseOptions | None = None
) -> list[ReportRows] | str:
    """:func:`~ogi.store.rows.parse_file` (read as ``options`` say) held to ``limits``: the rows of
    each report the file holds, or why the file failed."""
    return run_limited(lambda: parse_file(data, name, options), limits, hard_stop=hard_stop)


def prepare_worker() -> None:
    """Run once in each worker process: a process the CPU backstop ends leaves no core file."""
    if resource is not None:
        resource.setrlimit(resource.RLIMIT_CORE, (0, resource.getrlimit(resource.RLIMIT_CORE)[1]))


@dataclass(frozen=True, slots=True)
class Died:
    """A file whose parsing process died, and why. Not recorded in the store or dataset: the cause
    may be the machine (memory), not the file, so the next run tries it again."""

    reason: str


def died_outcome(exitcode: int | None, limits: Limits) -> str | Died:
    """What to make of a process that parsed one file alone and ended with ``exitcode``: a
    failure of the file (the CPU backstop: it was over time), or a death to report."""
    if sys.platform != "win32" and exitcode == -signal.SIGXCPU:
        return limits.time_reason() + " (stuck in native code)"
    how = f"exit code {exitcode}"
    if exitcode and exitcode < 0:
        try:
            how = f"signal {signal.Signals(-exitcode).name}"
        except ValueError:
            how = f"signal {-exitcode}"
    return Died(f"the parsing process died on this file ({how}: a crash, or out of memory)")
