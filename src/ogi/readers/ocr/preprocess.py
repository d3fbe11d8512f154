"""A page image made ready to read: ink only, even light, upright, straight.

- The red channel is used as the grey image: red seals and stamps, printed over tables on most
  official reports, vanish from it while black and blue ink stay dark.
- Uneven light (a phone photo, a shadow from the binding) is divided out against a blurred
  estimate of the paper.
- A page on its side is turned when most detected text lines stand upright; one upside down is
  turned when PP-OCR's line orientation model sees most sample lines upside down.
- Skew up to ±5° is measured from the slope of the detected lines and rotated out.

The text boxes found on the way are kept, moved with the page, so detection runs once per page
(twice for a page on its side).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from ogi.readers.ocr.engine import Session

MAX_SKEW = 5.0
MIN_SKEW = 0.1
"""Degrees below which the page is left as it is."""
SAMPLES = 8
"""Lines the orientation model looks at to tell an upside-down page."""


@dataclass(slots=True)
class Prepared:
    image: np.ndarray
    """3-channel, upright and straight."""
    gray: np.ndarray
    quads: np.ndarray
    """Detected text lines ``(n, 4, 2)`` in :attr:`image`'s pixels."""
    to_original: np.ndarray
    """3×3 matrix mapping a point of :attr:`image` to the page as given."""
    rotation: int = 0
    skew: float = 0.0


def even_light(rgb: np.ndarray) -> np.ndarray:
    """The red channel with the paper's shading divided out: paper near 255, ink dark."""
    red = rgb[:, :, 0] if rgb.ndim == 3 else rgb
    h, w = red.shape
    small = cv2.resize(red, (max(1, w // 8), max(1, h // 8)), interpolation=cv2.INTER_AREA)
    # Closing removes the ink (dark, thin) and leaves the paper; the median smooths it.
    paper = cv2.medianBlur(cv2.morphologyEx(small, cv2.MORPH_CLOSE, np.ones((7, 7), np.uint8)), 5)
    paper = cv2.resize(paper, (w, h), interpolation=cv2.INTER_LINEAR).astype(np.float32)
    out = red.astype(np.float32) / np.maximum(paper, 1.0) * 255.0
    return np.clip(out, 0, 255).astype(np.uint8)


def _affine(m: np.ndarray) -> np.ndarray:
    return np.vstack([m, [0.0, 0.0, 1.0]])


def _move(quads: np.ndarray, m: np.ndarray) -> np.ndarray:
    if len(quads) == 0:
        return quads
    pts = np.concatenate([quads.reshape(-1, 2), np.ones((quads.shape[0] * 4, 1), np.float32)], axis=1)
    return (pts @ m.T)[:, :2].reshape(-1, 4, 2).astype(np.float32)


def _sides(quads: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    width = np.linalg.norm(quads[:, 1] - quads[:, 0], axis=1)
    height = np.linalg.norm(quads[:, 3] - quads[:, 0], axis=1)
    return width, height


def _on_its_side(quads: np.ndarray) -> bool:
    if len(quads) < 3:
        return False
    w, h = _sides(quads)
    long = np.maximum(w, h) > 2.5 * np.minimum(w, h)
    return bool(long.sum() >= 3 and (h[long] > w[long]).mean() > 0.6)


def _rotate_90(gray: np.ndarray, quads: np.ndarray, turns: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Turn clockwise ``turns`` quarter turns; the image, the quads moved with it, the matrix."""
    h, w = gray.shape
    if turns % 4 == 1:
        m = np.array([[0.0, -1.0, h - 1.0], [1.0, 0.0, 0.0]])
        out = cv2.rotate(gray, cv2.ROTATE_90_CLOCKWISE)
    elif turns % 4 == 2:
        m = np.array([[-1.0, 0.0, w - 1.0], [0.0, -1.0, h - 1.0]])
        out = cv2.rotate(gray, cv2.ROTATE_180)
    else:
        m = np.array([[0.0, 1.0, 0.0], [-1.0, 0.0, w - 1.0]])
        out = cv2.rotate(gray, cv2.ROTATE_90_COUNTERCLOCKWISE)
    moved = _move(quads, m)
    # Keep each quad's corners in reading order (top-left first) after the turn.
    moved = np.roll(moved, turns % 4, axis=1) if len(moved) else moved
    return out, moved, _affine(m)


def _upside_down(gray: np.ndarray, quads: np.ndarray, session: Session) -> bool:
    w, h = _sides(quads)
    wide = [i for i in np.argsort(-w) if w[i] > 3 * h[i]][:SAMPLES]
    crops = []
    for i in wide:
        x0, y0 = np.floor(quads[i].min(axis=0)).astype(int)
        x1, y1 = np.ceil(quads[i].max(axis=0)).astype(int)
        crop = gray[max(y0, 0) : y1, max(x0, 0) : x1]
        if crop.size:
            crops.append(cv2.cvtColor(crop, cv2.COLOR_GRAY2BGR))
    return len(crops) >= 2 and session.upside_down(crops) > 0.5


def _skew(quads: np.ndarray) -> float:
    """The median slope, in degrees, of the long detected lines (positive: falling to the right)."""
    if len(quads) == 0:
        return 0.0
    w, h = _sides(quads)
    long = w > 5 * h
    if long.sum() < 3:
        return 0.0
    d = quads[long, 1] - quads[long, 0]
    return float(np.median(np.degrees(np.arctan2(d[:, 1], d[:, 0]))))


def prepare(rgb: np.ndarray, session: Session) -> Prepared:
    gray = even_light(rgb)
    transform = np.eye(3)
    quads = session.detect(cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR))
    rotation = 0
    if _on_its_side(quads):
        gray, _, m = _rotate_90(gray, quads, 1)
        transform, rotation = m @ transform, 90
        quads = session.detect(cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR))
    if _upside_down(gray, quads, session):
        gray, quads, m = _rotate_90(gray, quads, 2)
        transform, rotation = m @ transform, (rotation + 180) % 360
    skew = _skew(quads)
    if MIN_SKEW <= abs(skew) <= MAX_SKEW:
        h, w = gray.shape
        m = cv2.getRotationMatrix2D((w / 2, h / 2), skew, 1.0)
        gray = cv2.warpAffine(gray, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)
        quads = _move(quads, m)
        transform = _affine(m) @ transform
    else:
        skew = 0.0
    return Prepared(
        cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR), gray, quads, np.linalg.inv(transform), rotation, round(skew, 2)
    )
