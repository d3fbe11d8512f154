"""Where collected files go under the output folder, and how they are written.

``OUT/<host>/<year>/<page name>-<hash>/`` holds one entry: ``page.html`` (the article page) and
its attachments under their own names. Listing pages go to ``OUT/<host>/_listings/``. A file's
extension follows its content, not the URL: a "报告.doc" that is a web page is kept as
"报告.html". Files are written to a temporary name and renamed, so a file is whole or absent; a
name already taken by other bytes (a changed file, two attachments called 附件.pdf) gets the
content's hash added instead of overwriting.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from ogi.collect.article import DOCUMENT_EXTENSIONS, IMAGE_EXTENSIONS
from ogi.readers.sniff import sniff

_EXTENSION = {"pdf": ".pdf", "docx": ".docx", "doc": ".doc", "html": ".html", "zip": ".zip"}
_UNSAFE = re.compile(r"[\\/:*?\"<>|\x00-\x1f]+")
_MAX_NAME = 120


def short_hash(text: str | bytes, n: int = 8) -> str:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return hashlib.sha256(data).hexdigest()[:n]


def _safe(name: str) -> str:
    name = _UNSAFE.sub("_", name).strip(" .")
    if len(name) > _MAX_NAME:
        stem, dot, ext = name.rpartition(".")
        name = stem[: _MAX_NAME - len(ext) - 1] + dot + ext if dot and len(ext) <= 8 else name[:_MAX_NAME]
    return name or "file"


def _host(url: str) -> str:
    return _safe(urlsplit(url).netloc.replace(":", "_"))


def entry_folder(url: str, year: int | None) -> PurePosixPath:
    """The folder of one entry, relative to the output folder."""
    stem = PurePosixPath(unquote(urlsplit(url).path)).stem or "index"
    return PurePosixPath(_host(url), str(year) if year else "undated", f"{_safe(stem)[:60]}-{short_hash(url, 6)}")


def listing_path(url: str, key: str, fmt: str) -> PurePosixPath:
    return PurePosixPath(_host(url), "_listings", f"{short_hash(key, 12)}.{'json' if fmt == 'json' else 'html'}")


def file_name(url: str, label: str, data: bytes) -> tuple[str, str]:
    """A file's name (extension from its content) and its sniffed format."""
    base = PurePosixPath(unquote(urlsplit(url).path)).name
    known = DOCUMENT_EXTENSIONS | IMAGE_EXTENSIONS
    name = next((n for n in (base, label.strip()) if PurePosixPath(n).suffix.lower() in known), base or label)
    fmt = sniff(data, name)
    path = PurePosixPath(_safe(name))
    ext = _EXTENSION.get(fmt)
    # OLE files are .doc or .wps alike; a WPS file keeps its own extension.
    if ext and path.suffix.lower() != ext and not (fmt == "doc" and path.suffix.lower() == ".wps"):
        replaced = path.suffix.lower() in known | {".htm", ".shtml", ".jsp"}
        path = path.with_name((path.stem if replaced else path.name) + ext)
    return path.name, fmt


def write(out: Path, relative: PurePosixPath, data: bytes) -> PurePosixPath:
    """Write ``data`` at ``out/relative`` (whole or not at all); returns where it went, which is
    another name when ``relative`` already holds other bytes."""
    target = out / relative
    if target.exists():
        if target.read_bytes() == data:
            return relative
        relative = relative.with_name(f"{relative.stem}-{short_hash(data)}{relative.suffix}")
        target = out / relative
        if target.exists() and target.read_bytes() == data:
            return relative
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, target)
    return relative
