"""The app factory: ``create_app(settings)`` builds the FastAPI app from the view modules.

The store, its writer thread and the parsing pool start with the app (its lifespan) and stop
with it, so a test or an embedding program drives the whole app in-process.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import import_module

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles

from ogi import __version__
from ogi.errors import OgiError
from ogi.web.pages import render
from ogi.web.security import BodyLimit, SecurityHeaders
from ogi.web.services import Services
from ogi.web.settings import Settings
from ogi.web.views import VIEWS


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api/") and "text/html" in request.headers.get("accept", "")


def create_app(settings: Settings | None = None) -> FastAPI:
    """The web app over the store at ``settings.db``. Raises
    :class:`~ogi.web.settings.SettingsError` for settings it refuses (a public host without a token)."""
    settings = (settings or Settings()).validated()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.services = Services(settings)
        try:
            yield
        finally:
            app.state.services.close()

    app = FastAPI(
        title="ogi",
        version=__version__,
        summary="政府信息公开工作年度报告: upload, read, check, review, export",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.add_middleware(BodyLimit, limit=settings.max_request)
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(packages=[("ogi.web", "static")]), name="static")
    for name in VIEWS:
        app.include_router(import_module(f"ogi.web.views.{name}").router)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        if _wants_html(request):
            return render(request, "error.html", exc.status_code, status=exc.status_code, detail=exc.detail)
        return JSONResponse({"detail": exc.detail}, exc.status_code, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        detail = "；".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        if _wants_html(request):
            return render(request, "error.html", 422, status=422, detail=detail)
        return JSONResponse({"detail": exc.errors()}, 422)

    @app.exception_handler(OgiError)
    async def ogi_error(request: Request, exc: OgiError) -> Response:
        if _wants_html(request):
            return render(request, "error.html", 409, status=409, detail=str(exc))
        return JSONResponse({"detail": str(exc)}, 409)

    return app
