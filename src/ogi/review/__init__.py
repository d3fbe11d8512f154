"""Review: a person settles what the parser could not, and the checks run again.

A correction sets one cell of a document's report (of one of its reports, for a file that holds
several) to a reviewer's value. It is applied to a fresh parse of the same bytes, so the corrected
report carries every other cell, its provenance and the checks exactly as a parse would, plus the
corrections; the store records each correction (who, when, why, the parsed value) and the
corrected report as a new version (:mod:`ogi.store.review`).
"""

from ogi.review.corrections import CorrectionError, apply_corrections, parse_value, reparse

__all__ = ["CorrectionError", "apply_corrections", "parse_value", "reparse"]
