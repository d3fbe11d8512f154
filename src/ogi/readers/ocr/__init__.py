"""OCR of scanned pages and page images into the same blocks every reader produces.

Needs the ``ocr`` extra (rapidocr's PP-OCR models, shipped in its wheel, run by onnxruntime;
OpenCV): ``pip install 'ogi[ocr]'``. Nothing here is imported until a page needs OCR.

- :mod:`~ogi.readers.ocr.engine`: the model session, one per process;
- :mod:`~ogi.readers.ocr.decode`: recogniser output → text, confidence, alternative readings;
- :mod:`~ogi.readers.ocr.preprocess`: ink, light, rotation and skew;
- :mod:`~ogi.readers.ocr.grid`: ruled tables from the page image;
- :mod:`~ogi.readers.ocr.page`: one page → tables and lines;
- :mod:`~ogi.readers.ocr.assemble`: pages → blocks;
- :mod:`~ogi.readers.ocr.pdf`: scanned pages of a PDF.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from importlib.util import find_spec
from typing import TYPE_CHECKING

from ogi.errors import InputError
from ogi.model.document import Block
from ogi.readers.options import ParseOptions

if TYPE_CHECKING:
    import numpy as np

INSTALL_HINT = "install OCR with: pip install 'ogi[ocr]'"
NEEDED = ("rapidocr", "onnxruntime", "cv2")


@dataclass(slots=True)
class PageImage:
    number: int
    """1-based page (or frame) number."""
    rgb: np.ndarray
    px_per_pt: float
    """Image pixels per point of the printed page: sizes rulings and gaps."""
    unit_per_px: float
    """Output units per pixel for boxes: 72/dpi for PDF points, 1 for image pixels."""


def missing() -> list[str]:
    """The OCR libraries that are not installed."""
    return [m for m in NEEDED if find_spec(m) is None]


def require(source: str, what: str) -> None:
    """Raise a clear InputError when OCR is not installed; ``what`` names what needed it."""
    if lacking := missing():
        raise InputError(source, f"{what} needs OCR, which is not installed ({', '.join(lacking)}): {INSTALL_HINT}")


def read_images(pages: Iterable[PageImage], options: ParseOptions, notes: list[str]) -> list[Block]:
    """OCR page images, in order, into blocks; what was done to each page goes to ``notes``."""
    from ogi.readers.ocr.assemble import blocks
    from ogi.readers.ocr.engine import session
    from ogi.readers.ocr.page import read_page

    engine = session(options.ocr_threads)
    read = []
    for p in pages:
        page = read_page(p.rgb, p.number, p.px_per_pt, p.unit_per_px, engine)
        done = ["read by OCR" if page.tables or page.lines else "read by OCR, no text found"]
        if page.rotation:
            done.append(f"turned {page.rotation}°")
        if page.skew:
            done.append(f"straightened {page.skew:+.1f}°")
        if page.low_confidence:
            done.append(f"{page.low_confidence} numbers read with doubt")
        notes.append(f"page {p.number}: {', '.join(done)}")
        read.append(page)
    return blocks(read, notes)
