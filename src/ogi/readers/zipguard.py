"""Limits for ZIP containers (DOCX, and the uploads that are archives), checked before anything
inside is read.

A ZIP declares every member's sizes in its central directory. Those are checked first — the
number of members, each member's and the total uncompressed size, each member's compression
ratio, the compression method (stored or deflated only) — so an honest bomb is refused after
reading the directory alone. A lying directory is caught next: every member is inflated here
in bounded steps, and one that inflates past its declared size (or short of it) is refused the
moment it does. :mod:`zipfile` cannot be trusted with that: reading a member whole, it inflates
all of its compressed bytes in one call and only then cuts the output to the declared size.
After these checks, the declared sizes are the real ones, so the readers' own inflating is bounded.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
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


_STEP = 1 << 20


def _stored_bytes(data: bytes, m: zipfile.ZipInfo, source: str) -> memoryview:
    """A member's bytes as stored (compressed), located through its local header."""
    at = m.header_offset
    if data[at : at + 4] != b"PK\x03\x04":
        raise InputError(source, f"the ZIP member {m.filename!r} is damaged (no local header)")
    name_len, extra_len = struct.unpack("<HH", data[at + 26 : at + 30])
    start = at + 30 + name_len + extra_len
    if start + m.compress_size > len(data):
        raise InputError(source, f"the ZIP member {m.filename!r} is truncated")
    return memoryview(data)[start : start + m.compress_size]


def inflate(data: bytes, m: zipfile.ZipInfo, source: str, *, keep: bool = True) -> bytes:
    """The member's bytes, inflated in bounded steps: refused the moment it passes its declared
    size, or when it ends short of it. ``keep=False`` only checks (nothing is held)."""
    raw = _stored_bytes(data, m, source)
    if m.flag_bits & 0x1:
        raise InputError(source, f"the ZIP member {m.filename!r} is encrypted: unpack it with its password first")
    if m.compress_type == zipfile.ZIP_STORED:
        if len(raw) != m.file_size:
            raise InputError(source, f"the ZIP member {m.filename!r} is damaged (sizes differ)")
        return bytes(raw) if keep else b""
    inflater = zlib.decompressobj(-15)
    parts: list[bytes] = []
    total = 0
    pending: bytes | memoryview = raw
    try:
        while pending and not inflater.eof:
            out = inflater.decompress(pending, _STEP)
            total += len(out)
            if total > m.file_size:
                raise InputError(
                    source, f"the ZIP member {m.filename!r} inflates past the size its directory declares: "
                    "a ZIP bomb or a damaged file"
                )
            if keep:
                parts.append(out)
            pending = inflater.unconsumed_tail
    except zlib.error as e:
        raise InputError(source, f"the ZIP member {m.filename!r} is damaged ({e})") from e
    if not inflater.eof or total != m.file_size:
        raise InputError(source, f"the ZIP member {m.filename!r} is damaged (shorter than declared)")
    body = b"".join(parts)
    if keep and zlib.crc32(body) != m.CRC:
        raise InputError(source, f"the ZIP member {m.filename!r} is damaged (CRC mismatch)")
    return body


def check_container(data: bytes, source: str, limits: ZipLimits = DEFAULT_LIMITS) -> None:
    """Check a ZIP container before a reader opens it: its directory, then every member's real size.
    Data that is not a readable ZIP passes: the reader says what it is."""
    try:
        z = zipfile.ZipFile(BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        return
    with z:
        for m in check_members(z, source, limits):
            inflate(data, m, source, keep=False)


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
            try:
                yield m.filename, inflate(data, m, source), None
            except InputError as e:
                yield m.filename, None, e.reason
