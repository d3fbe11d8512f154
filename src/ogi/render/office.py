"""PDF and DOC renditions through LibreOffice (``soffice --headless``).

Starting LibreOffice is the slow part (about a second), so :func:`convert_many` converts a whole
batch in one start. The PDFs are LibreOffice's export of the DOCX rendition: table rulings are
vector lines, as in Word's PDFs, and the fonts are embedded — 仿宋/黑体 where the machine has them,
Noto Serif/Sans CJK SC otherwise (:mod:`ogi.render.style`).
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path

from ogi.readers.doc import INSTALL, TIMEOUT, convert, soffice_path
from ogi.render.style import fontconfig_file

PDF = "pdf:writer_pdf_Export"
DOC = "doc:MS Word 97"
# Load HTML into Writer proper: Writer/Web would export through a different filter.
HTML_FILTER = "HTML (StarWriter)"
SECONDS_PER_FILE = 10


class OfficeError(RuntimeError):
    """LibreOffice is missing, hung, or produced no output."""


def available() -> bool:
    return soffice_path() is not None


def convert_many(sources: Sequence[bytes], target: str = PDF, *, suffix: str = ".docx") -> list[bytes]:
    """Convert DOCX files (or HTML pages with ``suffix=".html"``) in one LibreOffice run; the
    outputs in the order of ``sources``."""
    if not sources:
        return []
    ext = target.split(":")[0]
    with tempfile.TemporaryDirectory(prefix="ogi-render-") as tmp:
        paths = []
        for i, data in enumerate(sources):
            path = Path(tmp) / f"{i}{suffix}"
            path.write_bytes(data)
            paths.append(path)
        out = Path(tmp) / "out"
        try:
            convert(
                paths,
                target,
                out,
                timeout=TIMEOUT + SECONDS_PER_FILE * len(paths),
                infilter=HTML_FILTER if suffix == ".html" else None,
                env={"FONTCONFIG_FILE": str(fontconfig_file())},
            )
        except FileNotFoundError as e:
            raise OfficeError(INSTALL.replace("read DOC/WPS files", "write PDF files")) from e
        except TimeoutError as e:
            raise OfficeError(str(e)) from e
        results = []
        for path in paths:
            produced = out / f"{path.stem}.{ext}"
            if not produced.exists() or not produced.stat().st_size:
                raise OfficeError(f"LibreOffice produced no {ext} file for report {int(path.stem) + 1} of the batch")
            results.append(produced.read_bytes())
        return results


def render_pdf(data: bytes | str) -> bytes:
    """PDF bytes from DOCX bytes or an HTML page (bytes or text)."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    return convert_many([data], PDF, suffix=".docx" if data.startswith(b"PK") else ".html")[0]


def render_doc(docx_bytes: bytes) -> bytes:
    """A Word 97–2003 .doc (OLE) file from DOCX bytes."""
    return convert_many([docx_bytes], DOC)[0]
