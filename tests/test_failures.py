"""Failure paths: a store that is missing, locked, read-only, not DuckDB or newer than this ogi; parse
workers that die; inputs that are directories, unreadable, UTF-16, images, archives or unknown. Each
gets one clear line naming the file and the reason, and a batch goes on where it can."""

from __future__ import annotations

import importlib
import multiprocessing
import os
import subprocess
import sys
import zipfile
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

import ogi
from ogi.batch import ingest
from ogi.batch.limits import parse_limited
from ogi.cli.main import main as cli
from ogi.errors import InputError, OgiError, StoreError
from ogi.readers import ParseOptions
from ogi.store.db import Store
from ogi.store.queries import query
from ogi.store.schema import SCHEMA_VERSION
from tests.conftest import EXAMPLES

EXAMPLE = EXAMPLES / "2021_tsv.txt"
ingest_module = importlib.import_module("ogi.batch.ingest")
TEXTS = sorted(p for p in EXAMPLES.iterdir() if p.suffix in (".txt", ".md"))


def _cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def _store(path: Path) -> Path:
    with Store.open(path) as store:
        store.add(EXAMPLE, None, ogi.parse(EXAMPLE))
    return path


# --- the store ---------------------------------------------------------------------------------------


def test_a_missing_store_is_named_with_what_to_do(tmp_path: Path) -> None:
    db = tmp_path / "nope.duckdb"
    with pytest.raises(StoreError, match=r"no store here yet; run `ogi ingest FOLDER --db"):
        Store.open(db, read_only=True)
    code, out = _cli("query", "SELECT 1", "--db", str(db))
    assert code == 1 and out.startswith(f"ogi: {db}: no store here yet") and "Traceback" not in out
    assert not db.exists()  # a reader never creates the store


def test_a_store_locked_by_another_process(tmp_path: Path) -> None:
    db = _store(tmp_path / "locked.duckdb")
    holder = subprocess.Popen(
        [sys.executable, "-c", f"import duckdb, sys; c = duckdb.connect({str(db)!r}); print('ready', flush=True); "
         "sys.stdin.read()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        with pytest.raises(StoreError, match=r"is open for writing in another process \(an `ogi ingest`\?\): wait"):
            Store.open(db)
        code, out = _cli("stats", "--db", str(db))
        assert code == 1 and "open for writing in another process" in out and len(out.strip().splitlines()) == 1
        ingest_code, ingest_out = _cli("ingest", str(EXAMPLE), "--db", str(db), "--quiet")
        assert ingest_code == 1 and "open for writing in another process" in ingest_out
    finally:
        holder.communicate("", timeout=60)
    with Store.open(db, read_only=True) as store:  # released: readable again, nothing lost
        assert query(store, "SELECT count(*) FROM reports").rows == [(1,)]


def test_a_store_opened_read_only_refuses_writes(tmp_path: Path) -> None:
    db = _store(tmp_path / "ro.duckdb")
    with Store.open(db, read_only=True) as store:
        with pytest.raises(StoreError, match="was opened read-only"):
            store.add("b.txt", b"x", "failed")
        with pytest.raises(StoreError, match=r"query failed: .*read-only"):
            query(store, "DELETE FROM reports")
    code, out = _cli("query", "DROP TABLE cells", "--db", str(db))
    assert code == 1 and "read-only" in out
    with Store.open(db, read_only=True) as store:
        assert query(store, "SELECT count(*) FROM cells").rows == [(200,)]


def test_a_file_that_is_not_duckdb(tmp_path: Path) -> None:
    for name, data in (("text.duckdb", b"these are not the tables you are looking for\n" * 100),
                       ("sqlite.duckdb", b"SQLite format 3\x00" + bytes(4080))):  # fmt: skip
        db = tmp_path / name
        db.write_bytes(data)
        for read_only in (True, False):
            with pytest.raises(StoreError, match=r"not a DuckDB file ogi can read|cannot open the store"):
                Store.open(db, read_only=read_only)
        assert db.read_bytes() == data  # never overwritten


def test_a_store_written_by_a_newer_ogi(tmp_path: Path) -> None:
    db = _store(tmp_path / "new.duckdb")
    con = duckdb.connect(str(db))
    con.execute("INSERT INTO schema_version VALUES (?, current_timestamp)", [SCHEMA_VERSION + 1])
    con.close()
    for read_only in (False, True):
        with pytest.raises(StoreError, match=rf"schema version {SCHEMA_VERSION + 1}, newer than this ogi's; upgrade"):
            Store.open(db, read_only=read_only)
    code, out = _cli("ingest", str(EXAMPLE), "--db", str(db), "--quiet")
    assert code == 1 and "upgrade ogi" in out


# --- parse workers that die ----------------------------------------------------------------------------


def die(data: bytes, name: str, *limits: object, **options: object) -> object:
    """A parse whose process dies (as on a segfault or the OOM killer)."""
    os._exit(3)


def die_on_marker(data: bytes, name: str, *limits: object, **options: object) -> object:
    if b"KILLME" in data:
        os._exit(3)
    return parse_limited(data, name, *limits, **options)  # type: ignore[arg-type]


class _ForkOnly:
    """Stands in for ``multiprocessing`` in ogi.batch.ingest: every process it starts (the pool, its
    replacement after a crash, the fresh process a file is retried alone in) is forked from this one,
    so it runs the parse function patched here; a forkserver would start from a clean import."""

    def __getattr__(self, name: str) -> object:
        return getattr(multiprocessing, name)

    def get_context(self, method: str | None = None) -> object:
        return multiprocessing.get_context("fork")


@pytest.fixture
def dying(monkeypatch: pytest.MonkeyPatch) -> Callable[[Callable[..., object]], None]:
    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("needs the fork start method (Linux)")

    def patch(parse: Callable[..., object]) -> None:
        monkeypatch.setattr(ingest_module, "multiprocessing", _ForkOnly())
        monkeypatch.setattr(ingest_module, "parse_limited", parse)

    return patch


def test_workers_dying_on_every_file_stop_the_batch_with_a_clear_error(tmp_path: Path, dying) -> None:  # type: ignore[no-untyped-def]
    dying(die)
    db = tmp_path / "dead.duckdb"
    with pytest.raises(OgiError, match=r"parsing processes die on every file .*Try again with --workers 1"):
        ingest(TEXTS, db, workers=2, progress=False)
    with Store.open(db, read_only=True) as store:
        assert query(store, "SELECT count(*) FROM documents").rows == [(0,)]


def test_a_file_that_kills_its_worker_fails_alone(tmp_path: Path, dying) -> None:  # type: ignore[no-untyped-def]
    dying(die_on_marker)
    folder = tmp_path / "in"
    folder.mkdir()
    for p in TEXTS:
        (folder / p.name).write_bytes(p.read_bytes())
    (folder / "killer.txt").write_bytes(EXAMPLE.read_bytes() + b"\nKILLME\n")
    db = tmp_path / "k.duckdb"
    result = ingest([folder], db, workers=2, progress=False)
    assert result.added == len(TEXTS)
    assert result.failed == [
        (str(folder / "killer.txt"), "the parsing process died on this file (exit code 3: a crash, or out of memory)")
    ]
    with Store.open(db, read_only=True) as store:
        # Not recorded: the next run tries it again (the machine, not the file, may have been at fault).
        assert query(store, "SELECT count(*) FROM documents WHERE path LIKE '%killer.txt'").rows == [(0,)]


# --- inputs ------------------------------------------------------------------------------------------


def test_a_directory_as_input(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a directory, not a file"):
        ogi.parse(tmp_path)
    code, out = _cli("parse", str(tmp_path), str(EXAMPLE), "--json")
    assert code == 1 and f"ogi: {tmp_path}: is a directory, not a file" in out and '"cells"' in out


def test_unreadable_files(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    loop = tmp_path / "loop.txt"
    loop.symlink_to(loop)  # unreadable for everyone, root included
    with pytest.raises(InputError, match=r"cannot be read \(Too many levels of symbolic links\)"):
        ogi.parse(loop)
    with pytest.raises(InputError, match="cannot be read"):
        ogi.parse(EXAMPLE / "inside-a-file.txt")
    # Ingest reads the folder's files itself: the loop is listed as failed, the rest ingested.
    (tmp_path / "good.txt").write_bytes(EXAMPLE.read_bytes())
    result = ingest([tmp_path], tmp_path / "s.duckdb", workers=1, progress=False)
    assert result.added == 1 and result.failed == [(str(loop), "Too many levels of symbolic links")]
    # Permission denied, as a non-root user sees it.
    secret = tmp_path / "secret.txt"
    secret.write_bytes(b"x")
    real = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == "secret.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    with pytest.raises(InputError, match="permission denied"):
        ogi.parse(secret)


def test_utf16_text(tmp_path: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    utf8 = ogi.parse(EXAMPLE)
    for encoding in ("utf-16", "utf-16-be"):
        data = text.encode(encoding)
        if encoding == "utf-16-be":
            data = b"\xfe\xff" + data
        assert ogi.parse_bytes(data, "u16.txt").values() == utf8.values(), encoding
    with pytest.raises(InputError, match=r"broken UTF-16 text .*save it again as UTF-8"):
        ogi.parse_bytes(text.encode("utf-16")[:-1], "odd.txt")
    # Without a byte-order mark, UTF-16 is refused as binary rather than guessed at.
    with pytest.raises(InputError, match="binary data, not text"):
        ogi.parse_bytes(text.encode("utf-16-le"), "nobom.txt")


def _png() -> bytes:
    from PIL import Image

    buf = BytesIO()
    Image.new("RGB", (40, 20), "white").save(buf, "PNG")
    return buf.getvalue()


def _jpeg() -> bytes:
    from PIL import Image

    buf = BytesIO()
    Image.new("RGB", (40, 20), "white").save(buf, "JPEG")
    return buf.getvalue()


IMAGE = "an image: it can only be read by OCR, which --ocr never turned off"


def _zip(names: tuple[str, ...]) -> bytes:
    buf = BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for n in names:
            z.writestr(n, "x")
    return buf.getvalue()


@pytest.mark.parametrize(
    ("name", "make", "reason"),
    [
        # Images: refused until OCR lands (issue 11); then this case becomes a parse of the image.
        ("scan.png", _png, IMAGE),
        ("scan.jpg", _jpeg, IMAGE),
        ("named.txt", _png, IMAGE),  # content decides
        ("reports.zip", lambda: _zip(("a.txt", "b.pdf")),
         "a ZIP archive that is not a Word or Excel document: unpack it and parse the files inside"),
        # A workbook's parts without its content types: an Excel file that cannot be read.
        ("sheet.xlsx", lambda: _zip(("xl/workbook.xml",)), "not a readable Excel workbook ("),
        ("program.bin", lambda: b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 8, "binary data, not text"),
    ],
)
def test_formats_ogi_does_not_read_are_refused(name: str, make, reason: str) -> None:  # type: ignore[no-untyped-def]
    """Refused with OCR turned off (an image is read by OCR where the extra is installed: test_ocr.py)."""
    with pytest.raises(InputError) as err:
        ogi.parse_bytes(make(), name, ParseOptions(ocr="never"))
    assert err.value.reason.startswith(reason) and err.value.file == name
    assert str(err.value) == f"{name}: {err.value.reason}" and "\n" not in str(err.value)
