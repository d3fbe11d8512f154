"""The corpus store: reports in an embedded DuckDB file, raw files kept beside it by content hash.

See ``docs/store.md``. Imports are lazy so parsing workers that only need :mod:`ogi.store.rows`
do not load DuckDB.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ogi.store.db import Store

__all__ = ["Store"]


def __getattr__(name: str) -> Any:
    if name == "Store":
        from ogi.store.db import Store

        return Store
    raise AttributeError(f"module 'ogi.store' has no attribute {name!r}")
