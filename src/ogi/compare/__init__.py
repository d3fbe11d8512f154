"""The 比对报告: a unit's report of one year against the year before, as DOCX, PDF and HTML.

- :mod:`ogi.compare.model` — what the comparison says (cells, findings, texts), from the store;
- :mod:`ogi.compare.docx` — the Word document; :mod:`ogi.compare.html` — the page in the app;
- :mod:`ogi.compare.run` — one unit or a whole region to a folder, PDFs through LibreOffice, the
  region's summary sheet.
"""

from ogi.compare.model import Comparison, comparison
from ogi.compare.run import CompareResult, compare_region, compare_unit

__all__ = ["CompareResult", "Comparison", "compare_region", "compare_unit", "comparison"]
