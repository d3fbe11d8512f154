"""Detect a file's format from its content first, its name second.

Portals serve HTML named ``.doc`` and PDFs named ``.html``; the bytes decide.
"""

from __future__ import annotations

import zipfile
from io import BytesIO
from pathlib import PurePath

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
EXTENSIONS = {
    ".txt": "text",
    ".md": "text",
    ".markdown": "text",
    ".text": "text",
    ".html": "html",
    ".htm": "html",
    ".shtml": "html",
    ".xhtml": "html",
    ".docx": "docx",
    ".xlsx": "xlsx",
    ".doc": "doc",
    ".wps": "doc",
    ".pdf": "pdf",
    ".png": "image",
    ".jpg": "image",
    ".jpeg": "image",
    ".tif": "image",
    ".tiff": "image",
    ".bmp": "image",
    ".gif": "image",
    ".webp": "image",
}
IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*", b"GIF8", b"BM", b"RIFF")


def sniff(data: bytes, name: str = "") -> str:
    """One of ``text``, ``html``, ``docx``, ``xlsx``, ``doc``, ``pdf``, ``image``, ``zip`` or ``unknown``."""
    head = data[:2048]
    lowered = head.lower()
    looks_like_markup = any(tag in lowered for tag in (b"<html", b"<!doctype", b"<body", b"<table"))
    # The PDF header may follow up to 1 KB of junk, but a web page that mentions "%PDF-" is a web page.
    if head.lstrip()[:5] == b"%PDF-" or (head[:1024].find(b"%PDF-") != -1 and not looks_like_markup):
        return "pdf"
    if head.startswith(OLE_MAGIC):
        return "doc"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(BytesIO(data)) as z:
                names = set(z.namelist())
        except zipfile.BadZipFile:
            return "zip"
        if "word/document.xml" in names:
            return "docx"
        return "xlsx" if "xl/workbook.xml" in names else "zip"
    if head.startswith(IMAGE_MAGIC):
        return "image"
    if any(tag in lowered for tag in (b"<html", b"<!doctype html", b"<table", b"<body", b"<div", b"<p>", b"<p ")):
        return "html"
    ext = EXTENSIONS.get(PurePath(name).suffix.lower())
    return ext or "text"
