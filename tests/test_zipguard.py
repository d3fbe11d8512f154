"""ZIP limits in the readers: a bomb inside a DOCX is refused from the archive's directory before
any XML is read, for ``ogi parse`` and ``ogi ingest`` alike; inflating never passes a member's
declared size."""

from __future__ import annotations

import contextlib
import tracemalloc
import zlib
from pathlib import Path

import pytest

import ogi
from ogi.batch import ingest
from ogi.readers.zipguard import MiB, read_members, unsafe_name
from tests.zipbombs import Member, build, deflated, docx_with, named, spaces_bomb

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
WORD = (EXAMPLES / "2019_word.docx").read_bytes()


def _peak_mib(fn: object) -> float:
    tracemalloc.start()
    with contextlib.suppress(ogi.InputError):
        fn()  # type: ignore[operator]
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / MiB


def test_a_docx_bomb_is_refused_from_its_directory() -> None:
    # 1.5 MB on disk, 1.5 GB inflated: the case.
    bomb = docx_with(Member("", spaces_bomb(1536), 1536 * MiB), WORD)
    assert len(bomb) < 2 * MiB
    with pytest.raises(ogi.InputError, match=r"inflates to 1536 MB \(at most 64 MB\)"):
        ogi.parse_bytes(bomb, "bomb.docx")
    assert _peak_mib(lambda: ogi.parse_bytes(bomb, "bomb.docx")) < 16


def test_a_high_ratio_member_is_refused() -> None:
    bomb = docx_with(Member("", spaces_bomb(20), 20 * MiB), WORD)
    with pytest.raises(ogi.InputError, match=r"compressed \d+× .*a ZIP bomb"):
        ogi.parse_bytes(bomb, "ratio.docx")


def test_inflating_stops_at_the_declared_size() -> None:
    # The directory says 4 KB; the data inflates to 50 MB. zipfile would inflate all of it in
    # one call before cutting it to 4 KB; the guard stops one bounded step past the declared size.
    lying = docx_with(Member("", spaces_bomb(50), 4096, crc=0), WORD)
    with pytest.raises(ogi.InputError, match="inflates past the size its directory declares"):
        ogi.parse_bytes(lying, "lying.docx")
    assert _peak_mib(lambda: ogi.parse_bytes(lying, "lying.docx")) < 16


def test_only_stored_and_deflated_members() -> None:
    import bz2

    xml = b"<w:document/>" * 100
    bzipped = Member("word/document.xml", bz2.compress(xml), len(xml), zlib.crc32(xml), method=12)
    data = docx_with(bzipped, WORD)
    with pytest.raises(ogi.InputError, match="unsupported compression method"):
        ogi.parse_bytes(data, "bz.docx")


def test_ingest_records_the_bomb_as_failed(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "bomb.docx").write_bytes(docx_with(Member("", spaces_bomb(200), 200 * MiB), WORD))
    result = ingest([tmp_path / "in"], tmp_path / "s.duckdb", workers=1, progress=False)
    assert result.added == 0 and len(result.failed) == 1 and "inflates to 200 MB" in result.failed[0][1]


def test_members_with_unsafe_names() -> None:
    assert unsafe_name("reports/a.txt") is None
    assert unsafe_name("/etc/passwd") == "an absolute path"
    assert unsafe_name("C:\\x.txt") == "an absolute path"
    assert unsafe_name("a/../../x.txt") == "a path that climbs out of the archive (..)"
    assert unsafe_name("a\\..\\x.txt") == "a path that climbs out of the archive (..)"
    archive = build([named(deflated(b"one"), "ok.txt"), named(deflated(b"two"), "../up.txt"),
                     named(deflated(b"three"), "/abs.txt")])  # fmt: skip
    got = [(name, body, why) for name, body, why in read_members(archive, "a.zip")]
    assert got[0] == ("ok.txt", b"one", None)
    assert got[1][1] is None and ".." in got[1][2] and got[2][2] == "refused: an absolute path"
