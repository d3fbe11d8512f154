"""Per-file time and memory limits: a file that hangs or blows up a parser is cut off, recorded as
failed with its reason, and the batch goes on (the process pool; Ray in tests/test_ray.py)."""

from __future__ import annotations

import multiprocessing
import random
import signal
from pathlib import Path

import pytest

from ogi.batch import ingest
from ogi.batch.ingest import parse_isolated
from ogi.batch.limits import Died, Limits, died_outcome, parse_limited, prepare_worker, run_limited
from ogi.render.synth import synth_report
from ogi.render.text import SHAPES, render_text
from ogi.store.db import Store
from ogi.store.queries import query


def write_reports(folder: Path, n: int, seed: int = 0) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    paths = []
    for i in range(n):
        path = folder / f"r{i:03d}.txt"
        path.write_text(render_text(synth_report(rng.choice(("2019", "2021")), rng), SHAPES[i % len(SHAPES)], seed=i))
        paths.append(path)
    return paths


def pathological(copies: int) -> bytes:
    """A crawler dump that holds one report ``copies`` times over: parsing it takes time and
    memory far beyond any real report's (35 s and 320 MB for 1000 copies on the 2-core box)."""
    one = render_text(synth_report("2021", random.Random(1)), "tsv", seed=1)
    return "\n".join([one] * copies).encode()


CUTOFF_S = 3
"""The time limit where a hanging file is cut off beside normal ones: far above a normal report's
parse (tens of ms; a loaded CI machine, a worker's first file included) and far below the dump's."""


def _failures(db: Path) -> dict[str, str]:
    with Store.open(db, read_only=True) as store:
        rows = query(store, "SELECT path, error FROM documents WHERE status = 'failed'").rows
        assert query(store, "SELECT count(*) FROM reports").rows == [(8,)]
    return {Path(p).name: e for p, e in rows}


def test_a_file_that_hangs_is_cut_off_and_the_batch_goes_on(tmp_path: Path) -> None:
    write_reports(tmp_path / "in", 8)
    (tmp_path / "in" / "dump.txt").write_bytes(pathological(1000))
    limits = Limits(CUTOFF_S, None)
    result = ingest([tmp_path / "in"], tmp_path / "s.duckdb", workers=2, progress=False, limits=limits)
    assert result.added == 8
    reason = f"took longer than the {CUTOFF_S} s limit per file (--timeout-s); cut off"
    assert [(Path(p).name, r) for p, r in result.failed] == [("dump.txt", reason)]
    assert _failures(tmp_path / "s.duckdb") == {"dump.txt": reason}


def test_a_file_past_its_memory_limit_is_cut_off() -> None:
    # In a fresh worker process: one forked from a large parent reuses the parent's free heap
    # before its address space grows, so the limit there counts from later (see limits.py).
    reason = "needed more than the 16 MB memory limit per file (--max-memory-mb); cut off"
    assert parse_isolated(pathological(3000), "dump.txt", Limits(None, 16)) == reason


def test_within_its_limits_a_file_parses_as_without_them() -> None:
    data = pathological(1)
    limited = parse_limited(data, "one.txt", Limits(60, 512))
    assert not isinstance(limited, str)
    assert limited == parse_limited(data, "one.txt", Limits(None, None))


def _spin_in_native_code() -> None:
    prepare_worker()
    # sum() over a range runs in C and never looks at signals: only the kernel can stop it.
    run_limited(lambda: sum(range(10**12)), Limits(1, None))


@pytest.mark.skipif(not hasattr(signal, "SIGXCPU"), reason="CPU-time limits are a Unix feature")
def test_native_code_past_its_time_is_ended_by_the_kernel_and_recorded_as_over_time() -> None:
    process = multiprocessing.get_context("forkserver").Process(target=_spin_in_native_code)
    process.start()
    process.join(120)
    assert process.exitcode == -signal.SIGXCPU
    outcome = died_outcome(process.exitcode, Limits(1, None))
    assert outcome == "took longer than the 1 s limit per file (--timeout-s); cut off (stuck in native code)"


def test_a_file_retried_alone_gets_its_reason_and_other_deaths_are_not_recorded() -> None:
    assert parse_isolated(pathological(1000), "dump.txt", Limits(1, None)) == Limits(1, None).time_reason()
    crash = died_outcome(-signal.SIGSEGV, Limits())
    assert isinstance(crash, Died) and "SIGSEGV" in crash.reason


def test_the_cli_states_the_library_defaults() -> None:
    from ogi.cli.scale_commands import MAX_MEMORY_MB, TIMEOUT_S

    assert (Limits().timeout_s, Limits().max_memory_mb) == (TIMEOUT_S, MAX_MEMORY_MB)
