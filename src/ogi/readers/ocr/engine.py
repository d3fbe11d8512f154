"""The OCR models: PP-OCR text detection and recognition as shipped inside the ``rapidocr`` wheel,
run by onnxruntime. Nothing is downloaded: the models are files of the installed package.

One :class:`Session` per process and thread count (a process pool's workers each load their own
once). Detection and the 0°/180° line classifier run through rapidocr's own classes; recognition
calls the recogniser's onnx session directly, because the alternatives need its per-frame
probabilities, which rapidocr's decoder drops. rapidocr is pinned to the version whose internals this uses.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import cv2
import numpy as np

from ogi.readers.ocr.decode import Text, decode

DETECT_SIDE = 1280
"""Longest side, in pixels, of the image the text detector sees: page text at 150–300 dpi is
still 12 px tall or more at that size, and detection costs grow with the area."""
LINE_HEIGHT = 48
"""The recogniser's input height."""
BATCH = 6
MIN_RATIO = 1.0
"""Crops narrower than this (width/height) are padded to it; short numbers stay short inputs."""


@dataclass(slots=True)
class Timings:
    """Seconds spent, summed over the pages this session read."""

    detection: float = 0.0
    recognition: float = 0.0
    structure: float = 0.0
    pages: int = 0


class Session:
    def __init__(self, threads: int) -> None:
        from rapidocr import RapidOCR

        params: dict[str, Any] = {
            "Global.log_level": "error",
            "Det.limit_type": "max",
            "Det.limit_side_len": DETECT_SIDE,
            "EngineConfig.onnxruntime.intra_op_num_threads": threads or -1,
            "EngineConfig.onnxruntime.inter_op_num_threads": 1,
        }
        ocr = RapidOCR(params=params)
        self._detector = ocr._load_det_model()
        self._classifier = ocr._load_cls_model()
        recogniser = ocr._load_rec_model()
        self._rec_session = recogniser.session
        self._charset: list[str] = list(recogniser.postprocess_op.character)
        self.timings = Timings()

    def detect(self, image: np.ndarray) -> np.ndarray:
        """Quadrilaterals ``(n, 4, 2)`` of the text lines of a 3-channel image, in its pixels."""
        start = time.perf_counter()
        out = self._detector(image)
        self.timings.detection += time.perf_counter() - start
        if out.boxes is None or len(out.boxes) == 0:
            return np.zeros((0, 4, 2), dtype=np.float32)
        return np.asarray(out.boxes, dtype=np.float32)

    def upside_down(self, crops: list[np.ndarray]) -> float:
        """The share of text-line crops that the orientation model sees turned 180°."""
        if not crops:
            return 0.0
        start = time.perf_counter()
        labels = self._classifier(crops).cls_res or []
        self.timings.detection += time.perf_counter() - start
        return sum(1 for label, score in labels if "180" in label and score > 0.9) / len(crops)

    def recognize(self, crops: list[np.ndarray]) -> list[Text]:
        """The text of each crop (3-channel, one line of text, left to right)."""
        start = time.perf_counter()
        ratios = [c.shape[1] / max(c.shape[0], 1) for c in crops]
        order = np.argsort(ratios, kind="stable")
        out: list[Text] = [Text("", 0.0)] * len(crops)
        for lo in range(0, len(crops), BATCH):
            ids = order[lo : lo + BATCH]
            width = math.ceil(LINE_HEIGHT * max(MIN_RATIO, max(ratios[i] for i in ids))) + 8
            batch = np.stack([_normalise(crops[i], width) for i in ids])
            probs = self._rec_session(batch)
            for k, i in enumerate(ids):
                out[i] = decode(probs[k], self._charset)
        self.timings.recognition += time.perf_counter() - start
        return out


def _normalise(crop: np.ndarray, width: int) -> np.ndarray:
    h, w = crop.shape[:2]
    resized_w = min(width, max(1, math.ceil(LINE_HEIGHT * w / max(h, 1))))
    resized = cv2.resize(crop, (resized_w, LINE_HEIGHT)).astype(np.float32)
    out = np.zeros((3, LINE_HEIGHT, width), dtype=np.float32)
    out[:, :, :resized_w] = resized.transpose(2, 0, 1) / 127.5 - 1.0
    return out


@lru_cache(maxsize=2)
def session(threads: int = 0) -> Session:
    """This process's OCR session for ``threads`` (0: onnxruntime's default, every core)."""
    return Session(threads)
