"""What the views share: the app's services from a request, filters from a query string."""

from __future__ import annotations

from fastapi import HTTPException, Request

from ogi.web.queries import MAX_PER_PAGE, PER_PAGE, Filters
from ogi.web.services import Services


def services(request: Request) -> Services:
    return request.app.state.services  # type: ignore[no-any-return]


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def _int(text: str | None, default: int | None = None) -> int | None:
    try:
        return int(text) if text not in (None, "") else default
    except ValueError as e:
        raise HTTPException(422, f"not a number: {text!r}") from e


def page_filters(request: Request) -> tuple[Filters, int, int]:
    """Filters, page and page size from a page's query string (empty fields mean any)."""
    q = request.query_params
    filters = Filters(
        agency=q.get("agency", ""),
        region=q.get("region", ""),
        year=_int(q.get("year")),
        template=q.get("template", ""),
        level=q.get("level", ""),
        rule=q.get("rule", ""),
        severity=q.get("severity", ""),
    )
    page = max(1, _int(q.get("page"), 1) or 1)
    per_page = min(MAX_PER_PAGE, max(1, _int(q.get("per_page"), PER_PAGE) or PER_PAGE))
    return filters, page, per_page
