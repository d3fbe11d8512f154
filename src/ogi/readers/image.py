"""Page images (PNG, JPEG, TIFF with one page per frame, BMP, GIF, WebP) read by OCR.

Pillow decodes them and turns them upright by their EXIF orientation; boxes are in pixels of
the image as stored, turned that way. Layout sizes come from the image's dpi when it gives one,
else from its width taken as an A4 page's.
"""

from __future__ import annotations

from collections.abc import Iterator
from io import BytesIO
from typing import TYPE_CHECKING

from ogi.errors import InputError
from ogi.model import Document, Paragraph
from ogi.readers._util import decode_error, find_published
from ogi.readers.options import ParseOptions

if TYPE_CHECKING:
    from PIL.Image import Image as PILImage

    from ogi.readers.ocr import PageImage

A4_WIDTH_PT = 595.0
MAX_PIXELS = 80_000_000
"""Larger images are refused rather than decoded (a decompression bomb, or a poster)."""


def read(data: bytes, source: str, options: ParseOptions | None = None) -> Document:
    from ogi.readers import ocr

    options = options or ParseOptions()
    if options.ocr == "never":
        raise InputError(source, "an image: it can only be read by OCR, which --ocr never turned off")
    ocr.require(source, "an image")
    notes: list[str] = []
    numbers: list[int] = []

    def pages() -> Iterator[PageImage]:
        for page in _pages(data, source):
            numbers.append(page.number)
            yield page

    blocks = ocr.read_images(pages(), options, notes)
    if not blocks:
        raise InputError(source, "no text found in the image: is it a page of a report, and legible?")
    doc = Document(source=source, format="image", blocks=blocks, notes=notes)
    doc.meta["ocr_pages"] = ",".join(map(str, numbers))
    if published := find_published(b.text for b in blocks if isinstance(b, Paragraph)):
        doc.meta["published"] = published
    return doc


def frames(data: bytes, source: str) -> Iterator[tuple[PILImage, float]]:
    """Each page (frame) of an image, turned upright by its EXIF orientation, in RGB, with its pixels
    per point of the printed page: the pictures OCR reads, in whose pixels its boxes are, and the
    pictures the web app shows under them."""
    from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

    try:
        image = Image.open(BytesIO(data))
        for frame in ImageSequence.Iterator(image):
            if frame.width * frame.height > MAX_PIXELS:  # every frame: a TIFF's later pages may be larger
                raise InputError(source, f"the image is too large to read ({frame.width}×{frame.height} pixels)")
            upright = _on_white(ImageOps.exif_transpose(frame))
            dpi = frame.info.get("dpi", (0, 0))[0]
            yield upright, float(dpi) / 72 if dpi and float(dpi) >= 100 else upright.width / A4_WIDTH_PT
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise InputError(source, f"the image cannot be decoded ({decode_error(exc)})") from exc


def _on_white(frame: PILImage) -> PILImage:
    """RGB as printed: transparent pixels white (their hidden colour is often black), 16-bit grey
    scaled to 8 bits (a plain conversion clips it to white)."""
    from PIL import Image

    if frame.mode in ("I;16", "I;16B", "I;16L", "I"):
        frame = frame.point(lambda v: v / 256).convert("L")
    if frame.mode in ("RGBA", "LA", "PA") or (frame.mode == "P" and "transparency" in frame.info):
        rgba = frame.convert("RGBA")
        white = Image.new("RGBA", rgba.size, "white")
        return Image.alpha_composite(white, rgba).convert("RGB")
    return frame.convert("RGB")


def _pages(data: bytes, source: str) -> Iterator[PageImage]:
    import numpy as np

    from ogi.readers.ocr import PageImage

    for n, (upright, px_per_pt) in enumerate(frames(data, source), start=1):
        yield PageImage(n, np.asarray(upright), px_per_pt, 1.0)
