"""Rendering pages: one Jinja2 environment (autoescape on for every template), the navigation
that every page shows, and the context every template gets."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import urlencode

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from ogi import __version__
from ogi.web import labels
from ogi.web.security import csrf_value, logged_in


@dataclass(frozen=True, slots=True)
class NavEntry:
    label: str
    path: str
    order: int


NAV: list[NavEntry] = []
"""Filled by the view modules (:func:`nav`); a new page adds itself with one call."""


def nav(label: str, path: str, order: int) -> None:
    if all(e.path != path for e in NAV):
        NAV.append(NavEntry(label, path, order))
        NAV.sort(key=lambda e: e.order)


def _query(params: dict[str, Any], **changes: Any) -> str:
    merged = {**params, **changes}
    return urlencode({k: v for k, v in merged.items() if v not in (None, "")})


@cache
def templates() -> Jinja2Templates:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("ogi.web", "templates"),
        autoescape=True,  # every template, whatever its name: report text is untrusted
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        nav=NAV,
        version=__version__,
        labels=labels,
        number=labels.number,
        query=_query,
    )
    return Jinja2Templates(env=env)


def render(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    settings = request.app.state.settings
    can_write = logged_in(request)
    context.update(
        request=request,
        csrf=csrf_value(settings.token) if can_write else "",
        needs_login=not can_write,
        has_token=settings.token is not None,
        max_upload_mb=settings.max_upload_mb,
    )
    return templates().TemplateResponse(request, name, context, status_code=status_code)
