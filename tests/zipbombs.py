"""ZIP files built byte by byte, for the tests of the ZIP limits: members whose directory declares
any size, compression methods zipfile would not write, and deflate bombs built in milliseconds."""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

MiB = 1 << 20


@dataclass(frozen=True)
class Member:
    name: str
    payload: bytes
    """The stored bytes (compressed already, unless ``method`` is 0)."""
    size: int
    """The uncompressed size the directory declares."""
    crc: int = 0
    method: int = 8


def deflated(data: bytes) -> Member:
    """A true member from ``data`` (name set by the caller with ``named``)."""
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    return Member("", c.compress(data) + c.flush(), len(data), zlib.crc32(data))


def named(member: Member, name: str) -> Member:
    return Member(name, member.payload, member.size, member.crc, member.method)


def spaces_bomb(mib: int) -> bytes:
    """A raw deflate stream that inflates to ``mib`` MiB of spaces: the compressed MiB repeated
    (a full flush resets the compressor, so every MiB compresses to the same bytes)."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = c.compress(b" " * MiB) + c.flush(zlib.Z_FULL_FLUSH)
    end = zlib.compressobj(9, zlib.DEFLATED, -15)
    return block * mib + end.compress(b"") + end.flush()


def build(members: list[Member]) -> bytes:
    """A ZIP archive of ``members``, their sizes as declared."""
    out = bytearray()
    central = bytearray()
    for m in members:
        name = m.name.encode()
        offset = len(out)
        fields = (20, 0x800, m.method, 0, 0x21, m.crc, len(m.payload), m.size, len(name), 0)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, *fields) + name + m.payload
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0x800, m.method, 0, 0x21, m.crc,
                               len(m.payload), m.size, len(name), 0, 0, 0, 0, 0, offset) + name  # fmt: skip
    start = len(out)
    out += central
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), start, 0)
    return bytes(out)


def docx_with(document_xml: Member, source: bytes) -> bytes:
    """The Word file ``source`` with its ``word/document.xml`` replaced."""
    import io
    import zipfile

    members = []
    with zipfile.ZipFile(io.BytesIO(source)) as z:
        for info in z.infolist():
            if info.filename == "word/document.xml":
                members.append(named(document_xml, info.filename))
            else:
                members.append(named(deflated(z.read(info)), info.filename))
    return build(members)
