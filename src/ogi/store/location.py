"""Where files and datasets live: a local path, or a URL of any file system pyarrow knows
(``s3://``, ``gs://``, ``hdfs://``, ``file://``) or, when installed, fsspec does (``az://``,
``memory://``, …). Ray workers, ``ogi load`` and ``ogi query --dataset`` all go through here, so
a dataset in object storage is read and written exactly like a folder.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from ogi.errors import InputError, OgiError

if TYPE_CHECKING:
    import pyarrow.fs

_URL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]+://")
INSTALL_HINT = "pip install 'ogi[ray]'"


def is_url(name: str | Path) -> bool:
    return isinstance(name, str) and bool(_URL.match(name))


def require_pyarrow() -> None:
    try:
        import pyarrow  # noqa: F401
    except ImportError as e:
        raise OgiError(f"Parquet datasets and object-store URLs need pyarrow: {INSTALL_HINT}") from e


@dataclass(frozen=True, slots=True)
class Location:
    """A folder (or single file) on a file system: ``root`` is the path within ``fs``; ``url``
    is how the user named it, and how it is recorded."""

    fs: pyarrow.fs.FileSystem
    root: str
    url: str

    @property
    def local(self) -> bool:
        import pyarrow.fs

        return isinstance(self.fs, pyarrow.fs.LocalFileSystem)

    def join(self, *parts: str) -> str:
        return "/".join([self.root.rstrip("/"), *parts])


@cache
def _filesystem(scheme_and_host: str) -> pyarrow.fs.FileSystem:
    import pyarrow.fs

    try:
        return pyarrow.fs.FileSystem.from_uri(scheme_and_host + "/")[0]
    except (pyarrow.ArrowInvalid, pyarrow.ArrowNotImplementedError, OSError) as arrow_error:
        try:
            import fsspec
        except ImportError:
            raise arrow_error from None
        protocol = scheme_and_host.split("://", 1)[0]
        return pyarrow.fs.PyFileSystem(pyarrow.fs.FSSpecHandler(fsspec.filesystem(protocol)))


def locate(name: str | Path) -> Location:
    """The file system and path of a local path or URL (file systems are made once per process)."""
    require_pyarrow()
    import pyarrow.fs

    if not is_url(name):
        return Location(pyarrow.fs.LocalFileSystem(), str(Path(name).resolve()), str(Path(name).resolve()))
    url = str(name)
    scheme, rest = url.split("://", 1)
    if scheme == "file":
        return Location(pyarrow.fs.LocalFileSystem(), "/" + rest.lstrip("/"), url)
    host, _, path = rest.partition("/")
    fs = _filesystem(f"{scheme}://{host}")
    if isinstance(fs, pyarrow.fs.PyFileSystem):  # fsspec keeps the host in the path
        return Location(fs, f"{host}/{path}".rstrip("/"), url)
    return Location(fs, f"{host}/{path}".rstrip("/") if scheme in ("s3", "gs", "gcs") else "/" + path, url)


def read_bytes(name: str) -> bytes:
    """The bytes of a local file or a URL; :class:`InputError` when they cannot be read."""
    try:
        if not is_url(name):
            return Path(name).read_bytes()
        where = locate(name)
        with where.fs.open_input_stream(where.root) as stream:
            return stream.read()  # type: ignore[no-any-return]
    except (OSError, ValueError) as e:
        raise InputError(name, f"cannot be read ({getattr(e, 'strerror', None) or e})") from e
