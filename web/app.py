"""The web server's ASGI app: `create_app(settings)` gives the FastAPI app that
`diarium serve` runs with uvicorn: the search pages (web/pages.py) and the JSON API
under /api/ (web/api.py) over one `ArchiveAccess` (web/access.py).

It only reads: no route ingests, deletes or writes anything. Safety:
- It binds to loopback unless told otherwise, and then answers only requests whose Host
  is a loopback name (a web page elsewhere cannot reach it by DNS rebinding). Binding
  another address needs `token`: every request must then carry it as a bearer token
  (`Authorization: Bearer T`) or the cookie that opening any page with `?token=T` sets.
- Pages are Jinja templates with autoescape and a content security policy that allows
  no script at all, so text from a document can never run in a reader's browser.
- Errors: a `DiariumError` is answered with its one line (UsageError 400, NotFoundError
  404, any other 503: the archive cannot answer now), a bad parameter with 422 naming
  it, anything else with 500 and no traceback (the traceback goes to the server's log).
"""

from __future__ import annotations

import ipaddress
import logging
import secrets
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from config import Settings
from errors import DiariumError, NotFoundError, UsageError
from web import api, pages
from web.access import ArchiveAccess

if TYPE_CHECKING:
    from index.embed.embedder import Embedder

HERE = Path(__file__).resolve().parent
LOOPBACK_NAMES = ["127.0.0.1", "localhost", "::1", "[::1]"]
TOKEN_COOKIE = "diarium_token"
# Pages use no script; styles and images come only from this server.
PAGE_POLICY = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

log = logging.getLogger("diarium.web")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def create_app(settings: Settings, token: str | None = None, host: str = "127.0.0.1", embedder: Embedder | None = None) -> FastAPI:
    """The app for the archive in `settings.data_dir`, for a server bound to `host`.
    Opens the archive, loads the model and opens the index now, so that a problem is
    one line at start and the first search is warm."""
    if not is_loopback(host) and not token:
        raise UsageError(f"serving on {host} lets other hosts read the archive: give --token too (any secret string)")
    access = ArchiveAccess(settings, embedder)
    access.warm()

    @asynccontextmanager
    async def lifespan(_: FastAPI):
        access.start()
        try:
            yield
        finally:
            access.close()

    app = FastAPIOffline(
        title="diarium",
        summary="Sök i kommunala beslutsdokument. A read-only JSON API over a diarium archive; the same shapes as `diarium … --json`.",
        version="1",
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/api/openapi.json",
        static_url="/static/api-docs",
        lifespan=lifespan,
    )
    app.state.access = access
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)
    _add_errors(app)
    app.add_middleware(Guard, token=token)
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=LOOPBACK_NAMES if is_loopback(host) else ["*"])
    return app


# --- access and headers ------------------------------------------------------------------


class Guard:
    """ASGI middleware: the token check (when there is a token) and the security headers
    of every response."""

    def __init__(self, app: ASGIApp, token: str | None):
        self.app = app
        self.token = token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]

        async def secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                _secure(MutableHeaders(scope=message), path)
            await send(message)

        if self.token:
            request = Request(scope)
            offered = request.query_params.get("token")
            if offered is not None and secrets.compare_digest(offered.encode(), self.token.encode()):
                # the token from a link, once: kept as a cookie, and the address cleaned of it
                response = RedirectResponse(str(request.url.remove_query_params("token")), status_code=303)
                response.set_cookie(TOKEN_COOKIE, self.token, httponly=True, samesite="strict")
                await response(scope, receive, secured)
                return
            if not _authorized(request, self.token):
                await _refusal(request)(scope, receive, secured)
                return
        await self.app(scope, receive, secured)


def _authorized(request: Request, token: str) -> bool:
    header = request.headers.get("authorization", "")
    bearer = header[7:] if header[:7].lower() == "bearer " else ""
    cookie = request.cookies.get(TOKEN_COOKIE, "")
    return any(secrets.compare_digest(given.encode(), token.encode()) for given in (bearer, cookie) if given)


def _refusal(request: Request) -> Response:
    message = "this server needs its token: send 'Authorization: Bearer <token>', or open a page once with ?token=<token>"
    if _wants_json(request):
        return JSONResponse({"error": message, "status": 401}, status_code=401, headers={"WWW-Authenticate": "Bearer"})
    return pages.error_page(request, 401, "Åtkomst kräver nyckel", message)


def _secure(headers: MutableHeaders, path: str) -> None:
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "no-referrer")
    if headers.get("content-type", "").startswith("text/html") and not path.startswith("/api/docs"):
        headers.setdefault("Content-Security-Policy", PAGE_POLICY)


# --- errors ------------------------------------------------------------------------------


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _status(exc: DiariumError) -> int:
    if isinstance(exc, UsageError):
        return 400
    if isinstance(exc, NotFoundError):
        return 404
    return 503  # the archive cannot answer now: busy, damaged, another model's index


_TITLES = {400: "Ogiltig fråga", 404: "Hittades inte", 422: "Ogiltig parameter", 503: "Arkivet kan inte svara just nu", 500: "Internt fel"}


def _error(request: Request, status: int, message: str, detail=None) -> Response:
    if _wants_json(request):
        body = {"error": message, "status": status}
        if detail is not None:
            body["detail"] = detail
        return JSONResponse(body, status_code=status)
    return pages.error_page(request, status, _TITLES.get(status, "Fel"), message)


def _add_errors(app: FastAPI) -> None:
    @app.exception_handler(DiariumError)
    async def diarium_error(request: Request, exc: DiariumError) -> Response:
        return _error(request, _status(exc), str(exc))

    @app.exception_handler(RequestValidationError)
    async def bad_parameter(request: Request, exc: RequestValidationError) -> Response:
        errors = exc.errors()
        message = "; ".join(f"invalid {'.'.join(str(part) for part in error['loc'][1:]) or 'request'}: {error['msg']}" for error in errors)
        return _error(request, 422, message, jsonable_encoder(errors, custom_encoder={Exception: str}))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        message = "no such page" if exc.status_code == 404 else str(exc.detail)
        return _error(request, exc.status_code, message)

    @app.exception_handler(Exception)
    async def failure(request: Request, exc: Exception) -> Response:
        log.exception("failed: %s %s", request.method, request.url.path)
        response = _error(request, 500, "internal error (the server's log has the details)")
        _secure(response.headers, request.url.path)
        return response
