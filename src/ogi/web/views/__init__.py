"""The app's views, one module per page or API area. Each module has a ``router`` and, for a page,
adds its navigation entry with :func:`ogi.web.pages.nav`. A new page is one module here, one
template, and its name in :data:`VIEWS`."""

from __future__ import annotations

VIEWS: tuple[str, ...] = (
    "reports",
    "upload",
    "findings",
    "failed",
    "report",
    "review",
    "overview",
    "fill",
    "fill_api",
    "api",
    "docs",
    "auth",
)
