"""PDF and DOC renditions through LibreOffice, for testing the PDF and DOC readers end to end.

LibreOffice's PDF export draws table rulings as vector lines, like Word's, so the PDF reader's
table finder is exercised on real output. Needs ``soffice`` on PATH.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from ogi.readers.doc import convert

# Load HTML into Writer proper: Writer/Web would export through a different filter.
HTML_FILTER = "HTML (StarWriter)"


def _run(data: bytes, suffix: str, target: str, infilter: str | None = None) -> bytes:
    with tempfile.TemporaryDirectory(prefix="ogi-render-") as tmp:
        src = Path(tmp) / f"report{suffix}"
        src.write_bytes(data)
        out = Path(tmp) / "out"
        convert([src], target, out, infilter=infilter)
        produced = out / f"report.{target.split(':')[0]}"
        if not produced.exists():
            raise RuntimeError(f"LibreOffice produced no {target.split(':')[0]} file")
        return produced.read_bytes()


def render_pdf(data: bytes) -> bytes:
    """PDF bytes from DOCX bytes or an HTML page (bytes or text)."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    if data.startswith(b"PK"):
        return _run(data, ".docx", "pdf:writer_pdf_Export")
    return _run(data, ".html", "pdf:writer_pdf_Export", HTML_FILTER)


def render_doc(docx_bytes: bytes) -> bytes:
    """A Word 97–2003 .doc (OLE) file from DOCX bytes."""
    return _run(docx_bytes, ".docx", "doc:MS Word 97")
