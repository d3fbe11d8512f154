"""Who may write, and what every response says to the browser.

- Every write (uploads, corrections, reviews) must come from this app's own pages or from a
  client that is not a browser page: a request whose ``Origin`` is another site, or whose
  ``Sec-Fetch-Site`` says cross-site, is refused (403) — on loopback too, where any web page the
  user opens could otherwise post to the server.
- With a token, a write also needs ``Authorization: Bearer TOKEN`` (401 otherwise); the app's
  pages get a session cookie by logging in with the token (HttpOnly, SameSite=Strict) and send a
  CSRF value derived from the token with each write, as a header (scripts) or a form field.
- Every response carries a Content-Security-Policy without inline scripts or styles,
  ``nosniff``, no framing and no referrer to other sites; request bodies past the limit are cut off with 413.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from fastapi import HTTPException, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

SESSION_COOKIE = "ogi_session"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf"
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


def _derive(token: str, purpose: str) -> str:
    return hmac.new(token.encode(), f"ogi-{purpose}".encode(), hashlib.sha256).hexdigest()


def session_value(token: str) -> str:
    return _derive(token, "session")


def csrf_value(token: str | None) -> str:
    """The value pages send with each write; empty when the server has no token."""
    return _derive(token, "csrf") if token else ""


def _same(a: str | None, b: str) -> bool:
    return a is not None and hmac.compare_digest(a.encode(), b.encode())


def logged_in(request: Request) -> bool:
    token: str | None = request.app.state.settings.token
    return token is None or _same(request.cookies.get(SESSION_COOKIE), session_value(token))


def _check_origin(request: Request) -> None:
    # Browsers say where a request comes from: Sec-Fetch-Site where they send it (every current
    # one), else Origin. Clients that are not browsers send neither.
    site = request.headers.get("sec-fetch-site")
    if site is not None:
        if site not in ("same-origin", "none"):
            raise HTTPException(403, "writes from other sites are refused")
        return
    origin = request.headers.get("origin")
    if origin is not None:
        own = f"{request.url.scheme}://{request.headers.get('host', '')}"
        if origin != own:
            raise HTTPException(403, "writes from other sites are refused")


async def require_write(request: Request) -> None:
    """A FastAPI dependency for every route that changes the store."""
    _check_origin(request)
    token: str | None = request.app.state.settings.token
    if token is None:
        return
    auth = request.headers.get("authorization", "")
    if auth[:7].lower() == "bearer " and _same(auth[7:].strip(), token):
        return
    if logged_in(request):
        sent = request.headers.get(CSRF_HEADER)
        if sent is None and request.headers.get("content-type", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")
        ):
            field = (await request.form()).get(CSRF_FIELD)
            sent = field if isinstance(field, str) else None
        if _same(sent, csrf_value(token)):
            return
    raise HTTPException(401, "this server needs its token for changes: Authorization: Bearer TOKEN, or log in",
                        headers={"WWW-Authenticate": "Bearer"})  # fmt: skip


class SecurityHeaders:
    """Adds :data:`HEADERS` to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []), *(h for h in HEADERS if h[0] not in present)]
            await send(message)

        await self.app(scope, receive, with_headers)


class _TooLarge(Exception):
    pass


class BodyLimit:
    """Refuses request bodies over ``limit`` bytes with 413, by their declared length at once,
    else as soon as the bytes received pass it."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers", []))
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await _too_large(send, self.limit)
            return
        received = 0
        started = False

        async def counting() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise _TooLarge
            return message

        async def tracking(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting, tracking)
        except _TooLarge:
            if not started:
                await _too_large(send, self.limit)


async def _too_large(send: Send, limit: int) -> None:
    body = f'{{"detail": "the request is larger than {limit // (1 << 20)} MB"}}'.encode()
    headers: list[Any] = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 413, "headers": [*headers, *HEADERS]})
    await send({"type": "http.response.body", "body": body})
