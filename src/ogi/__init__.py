"""ogi: China's government information disclosure annual reports (政府信息公开工作年度报告)
as exact, checked data.

>>> import ogi
>>> report = ogi.parse("report.txt")          # doctest: +SKIP
>>> report.cells["requests.new.total"].value  # doctest: +SKIP
"""

from ogi.api import parse, parse_all, parse_all_bytes, parse_bytes
from ogi.errors import InputError, OgiError, StoreError
from ogi.model import Cell, Finding, Report
from ogi.readers.options import ParseOptions

__version__ = "0.1.0"
__all__ = [
    "Cell",
    "Finding",
    "InputError",
    "OgiError",
    "ParseOptions",
    "Report",
    "StoreError",
    "__version__",
    "parse",
    "parse_all",
    "parse_all_bytes",
    "parse_bytes",
]
