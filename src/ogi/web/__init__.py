"""The web app and HTTP API (``ogi serve``): upload reports, see every cell against its source,
review and correct them.

Importing this package loads nothing heavy; :func:`create_app` (FastAPI, Jinja2) is imported on
first use, so the parsing processes that run :mod:`ogi.web.jobs` never load the web stack.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ogi.web.app import create_app
    from ogi.web.settings import Settings

__all__ = ["Settings", "create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from ogi.web.app import create_app

        return create_app
    if name == "Settings":
        from ogi.web.settings import Settings

        return Settings
    raise AttributeError(f"module 'ogi.web' has no attribute {name!r}")
