"""Logging in with the server's token: the pages then write with a session cookie and a CSRF value."""

from __future__ import annotations

import hmac

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ogi.web.pages import render
from ogi.web.security import SESSION_COOKIE, session_value

router = APIRouter(include_in_schema=False)


def _local(target: str) -> str:
    """Only paths of this site: a login link must not send the user elsewhere."""
    return target if target.startswith("/") and not target.startswith("//") else "/"


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = "/") -> HTMLResponse:
    return render(request, "login.html", next=_local(next), error="")


@router.post("/login", response_model=None)
def login(request: Request, token: str = Form(""), next: str = Form("/")) -> Response:
    expected: str | None = request.app.state.settings.token
    if expected is None:
        return RedirectResponse(_local(next), 303)
    if not hmac.compare_digest(token.encode(), expected.encode()):
        return render(request, "login.html", 401, next=_local(next), error="口令不正确")
    response = RedirectResponse(_local(next), 303)
    response.set_cookie(SESSION_COOKIE, session_value(expected), httponly=True, samesite="strict",
                        secure=request.url.scheme == "https")  # fmt: skip
    return response


@router.post("/logout")
def logout() -> RedirectResponse:
    response = RedirectResponse("/", 303)
    response.delete_cookie(SESSION_COOKIE)
    return response
