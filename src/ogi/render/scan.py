"""Reports as scans and photos: page images of a text PDF with the defects of real ones.

For the OCR tests and benchmarks: render each page with pdfium at a resolution, then add what
scanners and phones add — noise, blur, JPEG compression, a slight skew, a red seal stamped over a
table, uneven light — and pack the pages as an image-only PDF or a multi-page TIFF. Needs the
``ocr`` extra (numpy, OpenCV) and Pillow.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from io import BytesIO

import cv2
import numpy as np
import pypdfium2 as pdfium
from PIL import Image

SEAL_RED = (214, 38, 38)


@dataclass(frozen=True, slots=True)
class Defects:
    noise: float = 0.0
    """Standard deviation of Gaussian grain, in grey levels."""
    blur: float = 0.0
    """Gaussian blur sigma, pixels."""
    jpeg: int = 0
    """JPEG quality (0: none)."""
    skew: float = 0.0
    """Largest rotation in degrees; each page gets a random one of either sign, at least half of it."""
    seal: bool = False
    """A red seal over the first table heading found on the page."""
    light: float = 0.0
    """How dark the shaded corner gets (0–1), as in a phone photo."""


def page_images(pdf_bytes: bytes, dpi: int) -> list[np.ndarray]:
    """Each page as an RGB array at ``dpi``."""
    pdf = pdfium.PdfDocument(pdf_bytes)
    try:
        return [pdf[i].render(scale=dpi / 72, rev_byteorder=True).to_numpy()[:, :, :3].copy() for i in range(len(pdf))]
    finally:
        pdf.close()


def seal_spots(
    pdf_bytes: bytes, dpi: int, words: tuple[str, ...] = ("申请人情况", "行政复议")
) -> dict[int, tuple[int, int]]:
    """Page index → the pixel where a seal goes: on the first of ``words`` found on that page."""
    pdf = pdfium.PdfDocument(pdf_bytes)
    out: dict[int, tuple[int, int]] = {}
    try:
        for i in range(len(pdf)):
            page = pdf[i]
            height = page.get_height()
            text = page.get_textpage()
            for word in words:
                found = text.search(word).get_next()
                if found:
                    left, _, _, top = text.get_charbox(found[0])
                    out[i] = (int(left * dpi / 72), int((height - top) * dpi / 72))
                    break
    finally:
        pdf.close()
    return out


def stamp(rgb: np.ndarray, centre: tuple[int, int], radius: int) -> np.ndarray:
    """A round red seal (ring, star, arc of strokes) multiplied onto the page, as ink is."""
    layer = np.full(rgb.shape, 255, np.uint8)
    colour = SEAL_RED
    cv2.circle(layer, centre, radius, colour, max(3, radius // 18))
    cx, cy = centre
    star = []
    for k in range(10):
        r = radius * (0.28 if k % 2 == 0 else 0.11)
        a = -np.pi / 2 + k * np.pi / 5
        star.append((int(cx + r * np.cos(a)), int(cy + r * np.sin(a))))
    cv2.fillPoly(layer, [np.array(star, np.int32)], colour)
    for k in range(14):  # the agency's name around the rim, as strokes
        a = np.pi * (0.85 + k / 13 * 1.3)
        x, y = int(cx + 0.72 * radius * np.cos(a)), int(cy + 0.72 * radius * np.sin(a))
        cv2.rectangle(layer, (x - radius // 14, y - radius // 14), (x + radius // 14, y + radius // 14), colour, 2)
    return (rgb.astype(np.float32) * layer.astype(np.float32) / 255).astype(np.uint8)


def degrade(
    rgb: np.ndarray, defects: Defects, rng: random.Random, seal_at: tuple[int, int] | None = None
) -> np.ndarray:
    out = rgb.copy()
    h, w = out.shape[:2]
    if defects.seal and seal_at is not None:
        out = stamp(out, seal_at, radius=int(w * 0.11))
    if defects.light:
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        shade = 1 - defects.light * (xx / w * 0.5 + yy / h * 0.5)
        out = (out.astype(np.float32) * shade[:, :, None]).astype(np.uint8)
    if defects.skew:
        angle = rng.uniform(defects.skew / 2, defects.skew) * rng.choice((-1, 1))
        m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
        out = cv2.warpAffine(out, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=(255, 255, 255))
    if defects.blur:
        out = cv2.GaussianBlur(out, (0, 0), defects.blur)
    if defects.noise:
        grain = np.random.default_rng(rng.randrange(2**32)).normal(0, defects.noise, out.shape[:2])
        out = np.clip(out.astype(np.float32) + grain[:, :, None], 0, 255).astype(np.uint8)
    if defects.jpeg:
        ok, buf = cv2.imencode(".jpg", out[:, :, ::-1], [cv2.IMWRITE_JPEG_QUALITY, defects.jpeg])
        if ok:
            out = cv2.imdecode(buf, cv2.IMREAD_COLOR)[:, :, ::-1].copy()
    return out


def scanned(pdf_bytes: bytes, dpi: int, defects: Defects = Defects(), seed: int = 0) -> list[np.ndarray]:
    """The pages of a text PDF as degraded images."""
    rng = random.Random(seed)
    spots = seal_spots(pdf_bytes, dpi) if defects.seal else {}
    return [degrade(img, defects, rng, spots.get(i)) for i, img in enumerate(page_images(pdf_bytes, dpi))]


def to_pdf(pages: list[np.ndarray], dpi: int) -> bytes:
    """An image-only PDF (no text layer), one page per image, at ``dpi``."""
    images = [Image.fromarray(p) for p in pages]
    buf = BytesIO()
    images[0].save(buf, format="PDF", save_all=True, append_images=images[1:], resolution=dpi)
    return buf.getvalue()


def to_image(pages: list[np.ndarray], dpi: int, fmt: str = "TIFF") -> bytes:
    """The pages as one image file: a multi-page TIFF, or the first page as PNG/JPEG."""
    images = [Image.fromarray(p) for p in pages]
    buf = BytesIO()
    if fmt == "TIFF":
        images[0].save(
            buf, format="TIFF", save_all=True, append_images=images[1:], dpi=(dpi, dpi), compression="tiff_deflate"
        )
    else:
        images[0].save(buf, format=fmt, dpi=(dpi, dpi))
    return buf.getvalue()
