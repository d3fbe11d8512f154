"""The ``--ocr`` option shared by ``ogi parse`` and ``ogi ingest``."""

from __future__ import annotations

import click

from ogi.readers.options import OCR_MODES

ocr_option = click.option(
    "--ocr",
    type=click.Choice(OCR_MODES),
    default="auto",
    show_default=True,
    help="OCR images and PDF pages without a text layer (auto), every PDF page (always), or none (never). "
    "Needs: pip install 'ogi[ocr]'.",
)
