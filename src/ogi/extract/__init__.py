"""Document → Report: locate the tables in any text shape or grid, read and solve the cells."""

from ogi.extract.pipeline import extract

__all__ = ["extract"]
