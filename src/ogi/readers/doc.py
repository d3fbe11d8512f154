"""DOC/WPS reader: LibreOffice converts the legacy binary file to DOCX, the DOCX reader reads it.

Each call runs ``soffice --headless`` with its own throw-away user profile, so parallel calls
(batch workers, tests) do not fight over one profile lock. :func:`convert_many` converts a whole
batch in one soffice start, which is the slow part (seconds).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from ogi.errors import InputError
from ogi.model import Document
from ogi.readers import docx as docx_reader

TIMEOUT = 120
INSTALL = "LibreOffice is needed to read DOC/WPS files: apt-get install libreoffice-writer-nogui"
_CANDIDATES = (
    "soffice",
    "libreoffice",
    "/usr/lib/libreoffice/program/soffice",
    "/opt/libreoffice/program/soffice",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
)


def soffice_path() -> str | None:
    """The LibreOffice binary, or None when it is not installed."""
    for name in _CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def convert(
    paths: list[Path],
    target: str,
    outdir: Path,
    *,
    timeout: float = TIMEOUT,
    infilter: str | None = None,
    env: Mapping[str, str] | None = None,
) -> None:
    """Run one ``soffice --convert-to target`` over ``paths`` into ``outdir``.

    ``env`` adds environment variables (the renderer's fontconfig file). Raises FileNotFoundError
    when LibreOffice is missing and TimeoutError when it hangs; files it could not convert are
    simply missing from ``outdir``.
    """
    binary = soffice_path()
    if binary is None:
        raise FileNotFoundError(INSTALL)
    profile = Path(tempfile.mkdtemp(prefix="ogi-lo-profile-"))
    cmd = [binary, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore", "--nolockcheck"]
    if infilter:
        cmd.append(f"--infilter={infilter}")
    cmd += ["--convert-to", target, "--outdir", str(outdir), *map(str, paths)]
    # soffice forks soffice.bin; a new session lets a timeout kill the whole group.
    proc = subprocess.Popen(
        cmd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        env={**os.environ, **env} if env else None,
    )
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        raise TimeoutError(f"LibreOffice did not finish within {timeout:.0f} s") from exc
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def convert_many(paths: Iterable[str | Path], *, timeout: float | None = None) -> dict[Path, bytes | None]:
    """Convert many DOC/WPS files to DOCX in one LibreOffice run: input path → DOCX bytes, or None
    for a file LibreOffice could not convert."""
    inputs = [Path(p) for p in paths]
    if not inputs:
        return {}
    with tempfile.TemporaryDirectory(prefix="ogi-doc-") as tmp:
        work, out = Path(tmp) / "in", Path(tmp) / "out"
        work.mkdir()
        # Copies under numbered names: two inputs called 2023.doc in different folders would
        # otherwise overwrite each other's output.
        staged = []
        for i, p in enumerate(inputs):
            target = work / f"{i}{p.suffix.lower() or '.doc'}"
            shutil.copyfile(p, target)
            staged.append(target)
        convert(staged, "docx:MS Word 2007 XML", out, timeout=timeout or TIMEOUT + 10 * len(inputs))
        result: dict[Path, bytes | None] = {}
        for p, s in zip(inputs, staged, strict=True):
            produced = out / f"{s.stem}.docx"
            result[p] = produced.read_bytes() if produced.exists() and produced.stat().st_size else None
        return result


def read(data: bytes, source: str) -> Document:
    if not data.strip():
        raise InputError(source, "the file is empty")
    suffix = ".wps" if source.lower().endswith(".wps") else ".doc"
    with tempfile.TemporaryDirectory(prefix="ogi-doc-") as tmp:
        path = Path(tmp) / f"input{suffix}"
        path.write_bytes(data)
        try:
            converted = convert_many([path], timeout=TIMEOUT)[path]
        except FileNotFoundError as exc:
            raise InputError(source, INSTALL) from exc
        except TimeoutError as exc:
            raise InputError(source, f"{exc}: the DOC/WPS file may be damaged") from exc
    if converted is None:
        raise InputError(source, "LibreOffice could not convert this DOC/WPS file: it is damaged or not a Word file")
    doc = docx_reader.read(converted, source)
    doc.format = "doc"
    doc.notes.append("converted to DOCX with LibreOffice")
    return doc
