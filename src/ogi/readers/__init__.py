"""Readers: one module per input format, each turning bytes into a :class:`~ogi.model.Document`.

Every reader has the same signature, ``read(data: bytes, source: str) -> Document``, and is
chosen through :data:`READERS`, keyed by the format that :func:`~ogi.readers.sniff.sniff`
detects from the content. Readers of formats that may need OCR (:data:`WITH_OPTIONS`) also take
the caller's :class:`~ogi.readers.options.ParseOptions`. Readers raise
:class:`~ogi.errors.InputError` for files they cannot read, with the reason in one line.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from importlib import import_module

from ogi.errors import InputError
from ogi.model import Document
from ogi.readers.options import ParseOptions
from ogi.readers.sniff import sniff

Reader = Callable[[bytes, str], Document]

READERS: dict[str, str] = {
    "text": "ogi.readers.text",
    "html": "ogi.readers.html",
    "docx": "ogi.readers.docx",
    "doc": "ogi.readers.doc",
    "pdf": "ogi.readers.pdf",
    "xlsx": "ogi.readers.xlsx",
    "image": "ogi.readers.image",
}
"""Format → module with a ``read`` function. Modules are imported on first use, so a missing
optional library only matters for its own format."""
WITH_OPTIONS = frozenset({"pdf", "image"})
"""Formats whose reader takes :class:`ParseOptions` (they may need OCR)."""

UNSUPPORTED = {
    "zip": "a ZIP archive that is not a Word or Excel document: unpack it and parse the files inside",
    "unknown": "an unrecognised format",
}


def reader_for(fmt: str, source: str, options: ParseOptions | None = None) -> Reader:
    if fmt in UNSUPPORTED:
        raise InputError(source, UNSUPPORTED[fmt])
    module = import_module(READERS[fmt])
    return partial(module.read, options=options or ParseOptions()) if fmt in WITH_OPTIONS else module.read


def read_document(data: bytes, source: str, options: ParseOptions | None = None) -> Document:
    """Read any supported file into a Document, the format detected from its bytes."""
    if not data or not data.strip():
        raise InputError(source, "the file is empty")
    return reader_for(sniff(data, source), source, options)(data, source)


def count_pages(data: bytes) -> int:
    """How many pages a file will be read as: a PDF's pages, an image's frames, else 1. For
    progress bars; anything unreadable counts 1 (the reader will say why)."""
    fmt = sniff(data)
    try:
        if fmt == "pdf":
            import pypdfium2 as pdfium

            pdf = pdfium.PdfDocument(data)
            try:
                return max(len(pdf), 1)
            finally:
                pdf.close()
        if fmt == "image":
            from io import BytesIO

            from PIL import Image

            with Image.open(BytesIO(data)) as image:
                return max(getattr(image, "n_frames", 1), 1)
    except Exception:  # counting is a courtesy; the reader reports a broken file properly
        return 1
    return 1


__all__ = ["READERS", "ParseOptions", "Reader", "count_pages", "read_document", "reader_for", "sniff"]
