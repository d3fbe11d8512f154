"""Limits for ZIP containers (DOCX, and the uploads that are archives), checked before anything
inside is read.

A ZIP declares every member's sizes in its central directory. Those are checked first — the
number of members, each member's and the total uncompressed size, each member's compression
ratio, the compression method — so a bomb is refused after reading the directory alone. Reading
stays bounded afterwards: :mod:`zipfile` never inflates a stored or deflated member past its
declared size (a member holding more fails its CRC check), and only those two methods are
accepted, because bzip2 and LZMA members inflate a whole input chunk at once, however large.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO
from pathlib import PurePosixPath, PureWindowsPath

from ogi.errors import InputError

MiB = 1 << 20


@dataclass(frozen=True, slots=True)
class ZipLimits:
    max_members: int = 10_000
    max_member: int = 64 * MiB
    """Uncompressed size of any one member (a report's ``document.xml`` is a few MB)."""
    max_total: int = 256 * MiB
    max_ratio: float = 100.0
    """Uncompressed / compressed. Word's XML compresses 10–30×; bombs reach thousands."""
    ratio_from: int = 1 * MiB
    """Members smaller than this are not held to the ratio: a few KB of blank XML may compress 500×."""


DEFAULT_LIMITS = ZipLimits()
_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)


def _mb(n: float) -> str:
    return f"{n / MiB:.0f} MB"


def check_members(z: zipfile.ZipFile, source: str, limits: ZipLimits = DEFAULT_LIMITS) -> list[zipfile.ZipInfo]:
    """The archive's members after checking what its directory declares; raises
    :class:`~ogi.errors.InputError` naming the first limit broken."""
    members = z.infolist()
    if len(members) > limits.max_members:
        raise InputError(source, f"the ZIP container holds {len(members)} members (at most {limits.max_members})")
    total = 0
    for m in members:
        if m.compress_type not in _METHODS:
            raise InputError(source, f"the ZIP member {m.filename!r} uses an unsupported compression method")
        if m.file_size > limits.max_member:
            limit = _mb(limits.max_member)
            raise InputError(source, f"the ZIP member {m.filename!r} inflates to {_mb(m.file_size)} (at most {limit})")
        if m.file_size >= limits.ratio_from and m.file_size > limits.max_ratio * max(m.compress_size, 1):
            ratio = m.file_size / max(m.compress_size, 1)
            raise InputError(
                source, f"the ZIP member {m.filename!r} is compressed {ratio:.0f}× (at most {limits.max_ratio:.0f}×): "
                "a ZIP bomb, not a document"
            )
        total += m.file_size
    if total > limits.max_total:
        raise InputError(source, f"the ZIP container inflates to {_mb(total)} (at most {_mb(limits.max_total)})")
    return members


def open_checked(data: bytes, source: str, limits: ZipLimits = DEFAULT_LIMITS) -> zipfile.ZipFile:
    """Open ``data`` as a ZIP whose directory passed :func:`check_members`."""
    try:
        z = zipfile.ZipFile(BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as e:
        raise InputError(source, f"not a readable ZIP container ({e})") from e
    try:
        check_members(z, source, limits)
    except BaseException:
        z.close()
        raise
    return z


def unsafe_name(name: str) -> str | None:
    """Why a member name cannot be used as a relative path (absolute, a drive, ``..``), or None."""
    if not name or "\x00" in name:
        return "an empty or binary name"
    windows = PureWindowsPath(name)
    if name.startswith(("/", "\\")) or windows.drive or PurePosixPath(name).is_absolute():
        return "an absolute path"
    if ".." in PurePosixPath(name.replace("\\", "/")).parts:
        return "a path that climbs out of the archive (..)"
    return None


def read_members(
    data: bytes, source: str, limits: ZipLimits = DEFAULT_LIMITS
) -> Iterator[tuple[str, bytes | None, str | None]]:
    """Each file member of an archive as (name, bytes, None), or (name, None, why it was refused).
    Raises :class:`~ogi.errors.InputError` when the archive as a whole breaks a limit."""
    with open_checked(data, source, limits) as z:
        for m in z.infolist():
            if m.is_dir():
                continue
            why = unsafe_name(m.filename)
            if why is not None:
                yield m.filename, None, f"refused: {why}"
                continue
            if m.flag_bits & 0x1:
                yield m.filename, None, "encrypted: unpack it with its password first"
                continue
            try:
                with z.open(m) as fh:
                    body = fh.read(m.file_size + 1)
            except (zipfile.BadZipFile, OSError, EOFError, ValueError) as e:
                yield m.filename, None, f"damaged in the archive ({e})"
                continue
            yield m.filename, body, None
