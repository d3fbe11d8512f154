"""How to read a file: the options a caller may set, as one typed, picklable value.

``parse_bytes(data, name)`` with no options reads every format as before; OCR of pages without
a text layer is on by default when the ``ocr`` extra is installed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

OcrMode = Literal["auto", "always", "never"]
OCR_MODES: tuple[OcrMode, ...] = ("auto", "always", "never")


@dataclass(frozen=True, slots=True)
class ParseOptions:
    ocr: OcrMode = "auto"
    """``auto``: OCR images and the PDF pages that have no text layer; ``always``: OCR every PDF
    page too (a text layer that is garbage, e.g. a scan with a bad hidden layer); ``never``:
    refuse images and scanned pages."""
    ocr_dpi: int = 200
    """Resolution at which scanned PDF pages are rendered for OCR."""
    ocr_threads: int = 0
    """Threads per OCR model session; 0 lets onnxruntime use every core. A process pool gives
    each worker one."""

    def __post_init__(self) -> None:
        if self.ocr not in OCR_MODES:
            raise ValueError(f"ocr must be one of {', '.join(OCR_MODES)}, not {self.ocr!r}")
        if not 72 <= self.ocr_dpi <= 600:
            raise ValueError(f"ocr_dpi must be between 72 and 600, not {self.ocr_dpi}")
        if self.ocr_threads < 0:
            raise ValueError(f"ocr_threads must be 0 or more, not {self.ocr_threads}")
