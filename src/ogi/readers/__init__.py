"""Readers: one module per input format, each turning bytes into a :class:`~ogi.model.Document`.

Every reader has the same signature, ``read(data: bytes, source: str) -> Document``, and is
chosen through :data:`READERS`, keyed by the format that :func:`~ogi.readers.sniff.sniff`
detects from the content. Readers raise :class:`~ogi.errors.InputError` for files they cannot
read, with the reason in one line.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module

from ogi.errors import InputError
from ogi.model import Document
from ogi.readers.sniff import sniff

Reader = Callable[[bytes, str], Document]

READERS: dict[str, str] = {
    "text": "ogi.readers.text",
    "html": "ogi.readers.html",
    "docx": "ogi.readers.docx",
    "doc": "ogi.readers.doc",
    "pdf": "ogi.readers.pdf",
    "xlsx": "ogi.readers.xlsx",
}
"""Format → module with a ``read`` function. Modules are imported on first use, so a missing
optional library only matters for its own format."""

UNSUPPORTED = {
    "image": "an image: OCR of scanned reports is not supported yet",
    "zip": "a ZIP archive that is not a Word or Excel document: unpack it and parse the files inside",
    "unknown": "an unrecognised format",
}


def reader_for(fmt: str, source: str) -> Reader:
    if fmt in UNSUPPORTED:
        raise InputError(source, UNSUPPORTED[fmt])
    module = import_module(READERS[fmt])
    return module.read


def read_document(data: bytes, source: str) -> Document:
    """Read any supported file into a Document, the format detected from its bytes."""
    if not data or not data.strip():
        raise InputError(source, "the file is empty")
    return reader_for(sniff(data, source), source)(data, source)


__all__ = ["READERS", "Reader", "read_document", "reader_for", "sniff"]
