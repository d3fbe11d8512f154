"""Imported once by the fork server that starts ingest workers: everything a worker needs is
loaded here, before the fork, so each worker starts warm and shares the pages.

The division table (0.2 s, tens of MB) is loaded here too, rather than by every worker's first report.
"""

from ogi.api import parse_all_bytes
from ogi.store.rows import parse_file
from ogi.units import resolve_region

resolve_region("")

__all__ = ["parse_all_bytes", "parse_file"]
