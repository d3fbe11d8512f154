"""Ingest on Ray (a local runtime of 2 CPUs, started once for this module): the same reports as
the process pool, a worker killed mid-run costs a retry only, a hanging file is cut off, and the
Parquet dataset loads and queries.

Needs the ray extra (``pip install -e '.[ray]'``); CI installs it.
"""

from __future__ import annotations

import csv
import io
import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

# Loopback only, nothing reported home: both are read when Ray is imported.
os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")
os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
ray = pytest.importorskip("ray", reason="the ray extra is not installed: pip install -e '.[ray]'")
pytest.importorskip("pyarrow")

from click.testing import CliRunner  # noqa: E402

from ogi.batch import ingest  # noqa: E402
from ogi.batch.limits import Limits  # noqa: E402
from ogi.batch.load import load_dataset  # noqa: E402
from ogi.batch.ray_engine import ingest_to_dataset  # noqa: E402
from ogi.cli.main import main  # noqa: E402
from ogi.store.dataset import parts, query_dataset  # noqa: E402
from ogi.store.db import Store  # noqa: E402
from ogi.store.location import locate  # noqa: E402
from ogi.store.queries import export  # noqa: E402
from tests.test_limits import CUTOFF_S, pathological, write_reports  # noqa: E402

pytestmark = pytest.mark.ray


@pytest.fixture(scope="module", autouse=True)
def runtime() -> Iterator[None]:
    if ray.is_initialized():
        pytest.skip("a Ray runtime is running in this process already")
    ray.init(num_cpus=2, object_store_memory=80 * 2**20, include_dashboard=False, log_to_driver=False,
             logging_level="warning")  # fmt: skip
    yield
    ray.shutdown()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    write_reports(folder, 500, seed=7)
    return folder


def wide_export(db: Path) -> list[tuple[str, ...]]:
    """The wide export, less the store's report ids (their order is the order results arrived)."""
    with Store.open(db, read_only=True) as store:
        out = io.StringIO()
        export(store, "csv", "wide", out)
    head, *rows = csv.reader(io.StringIO(out.getvalue()))
    drop = head.index("id")
    return sorted(tuple(v for i, v in enumerate(r) if i != drop) for r in rows)


def test_500_files_give_the_reports_the_process_pool_gives(corpus: Path, tmp_path: Path) -> None:
    pool = ingest([corpus], tmp_path / "pool.duckdb", workers=2, progress=False)
    on_ray = ingest([corpus], tmp_path / "ray.duckdb", engine="ray", batch=16, progress=False)
    written = ingest_to_dataset([corpus], tmp_path / "ds", batch=32, progress=False)
    loaded = load_dataset(tmp_path / "ds", tmp_path / "loaded.duckdb", progress=False)
    assert (pool.added, on_ray.added, written.added, loaded.added) == (500, 500, 500, 500)
    assert pool.failed == on_ray.failed == written.failed == loaded.failed == []
    expected = wide_export(tmp_path / "pool.duckdb")
    assert len(expected) == 500
    assert wide_export(tmp_path / "ray.duckdb") == expected
    assert wide_export(tmp_path / "loaded.duckdb") == expected
    # Querying the dataset in place sees the same cells.
    sql = "SELECT count(*), sum(value) FROM cells"
    with Store.open(tmp_path / "pool.duckdb", read_only=True) as store:
        assert query_dataset(str(tmp_path / "ds"), sql).rows == store.con.execute(sql).fetchall()


def test_an_interrupted_run_does_only_what_is_missing(corpus: Path, tmp_path: Path) -> None:
    files = sorted(corpus.iterdir())
    first = ingest_to_dataset(files[:120], tmp_path / "ds", batch=32, progress=False)
    where = locate(tmp_path / "ds")
    committed, _ = parts(where)
    # A batch killed half-way leaves parts with no documents part: invisible, then removed.
    stray = tmp_path / "ds" / "cells" / "year=2020" / "part-19990101T000000-dead00-000000.parquet"
    stray.write_bytes(next((tmp_path / "ds" / "cells").rglob("*.parquet")).read_bytes())
    again = ingest_to_dataset(files, tmp_path / "ds", batch=32, progress=False)
    assert (first.added, again.added, again.unchanged) == (120, 380, 120)
    assert not stray.exists()
    counts = query_dataset(str(tmp_path / "ds"), "SELECT count(*), count(DISTINCT sha256) FROM documents").rows
    assert counts == [(500, 500)]
    assert set(committed) <= set(parts(where)[0])


def _running_tasks() -> list[int]:
    """Our Ray workers executing a batch now: Ray titles the process after the task it runs."""
    me, found = os.getpid(), []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and (entry / "cmdline").read_bytes().startswith(b"ray::run_batch"):
                pid = int(entry.name)
                while pid > 1 and pid != me:  # only descendants of this test process
                    pid = int((Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[1])
                if pid == me:
                    found.append(int(entry.name))
        except (OSError, ValueError, IndexError):
            continue
    return found


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="finds Ray's worker processes through /proc")
def test_a_worker_killed_mid_run_costs_a_retry_and_nothing_is_lost_or_doubled(tmp_path: Path) -> None:
    write_reports(tmp_path / "in", 30, seed=11)
    # The largest file goes first and keeps its worker busy for seconds: the one to kill.
    (tmp_path / "in" / "dump.txt").write_bytes(pathological(300))
    killed: list[int] = []

    def kill_one() -> None:
        deadline = time.monotonic() + 60
        while not killed and time.monotonic() < deadline:
            if running := _running_tasks():
                os.kill(running[0], signal.SIGKILL)
                killed.append(running[0])
            time.sleep(0.01)

    killer = threading.Thread(target=kill_one)
    killer.start()
    result = ingest_to_dataset([tmp_path / "in"], tmp_path / "ds", batch=4, progress=False, limits=Limits(None, None))
    killer.join()
    assert killed, "no worker was running a batch to kill"
    assert (result.added, result.failed) == (31, [])
    sql = "SELECT count(*), count(DISTINCT sha256), count(DISTINCT path) FROM {}"
    assert query_dataset(str(tmp_path / "ds"), sql.format("documents")).rows == [(31, 31, 31)]
    # The dump holds its report 300 times over: a report row per part, each once.
    reports = "SELECT count(*), count(DISTINCT (sha256, part)), count(DISTINCT sha256) FROM reports"
    assert query_dataset(str(tmp_path / "ds"), reports).rows == [(330, 330, 31)]
    assert parts(locate(tmp_path / "ds"))[1] == []  # the killed attempt's parts were rewritten whole
    cells = "SELECT count(*) FROM cells GROUP BY sha256, part HAVING count(*) <> count(DISTINCT key)"
    assert query_dataset(str(tmp_path / "ds"), cells).rows == []


def test_a_hanging_file_is_cut_off_on_ray_and_the_batch_goes_on(tmp_path: Path) -> None:
    write_reports(tmp_path / "in", 6, seed=3)
    (tmp_path / "in" / "dump.txt").write_bytes(pathological(1000))
    limits = Limits(CUTOFF_S, None)
    result = ingest_to_dataset([tmp_path / "in"], tmp_path / "ds", batch=8, progress=False, limits=limits)
    reason = f"took longer than the {CUTOFF_S} s limit per file (--timeout-s); cut off"
    assert result.added == 6 and [(Path(p).name, r) for p, r in result.failed] == [("dump.txt", reason)]
    failed = query_dataset(str(tmp_path / "ds"), "SELECT path, error FROM documents WHERE status = 'failed'").rows
    assert [(Path(p).name, e) for p, e in failed] == [("dump.txt", reason)]


def test_the_cli_writes_loads_and_queries_a_dataset_from_a_url(tmp_path: Path) -> None:
    write_reports(tmp_path / "in", 5, seed=5)
    runner = CliRunner()
    url = f"file://{tmp_path / 'in'}"
    out = f"file://{tmp_path / 'ds'}"
    written = runner.invoke(main, ["ingest", url, "--engine", "ray", "--out", out, "--quiet"])
    assert written.exit_code == 0, written.output
    assert "5 added, 0 unchanged, 0 failed" in written.output
    counted = runner.invoke(main, ["query", "--dataset", out, "--csv", "SELECT count(*) AS n FROM reports"])
    assert counted.exit_code == 0 and counted.output.splitlines() == ["n", "5"]
    db = tmp_path / "s.duckdb"
    loaded = runner.invoke(main, ["load", str(tmp_path / "ds"), "--db", str(db), "--quiet"])
    assert loaded.exit_code == 0 and "5 added" in loaded.output
    with Store.open(db, read_only=True) as store:
        paths = sorted(p for (p,) in store.con.execute("SELECT path FROM reports").fetchall())
    assert paths == [f"{url}/r{i:03d}.txt" for i in range(5)]
