"""The FastAPI application: API, pages, vendored static files, offline docs, one error shape.

Why these choices:

* Nothing is fetched from another host. Swagger UI's files are served from the package (FastAPI's
  default ``/docs`` loads them from a CDN and is blank offline), its validator badge is turned off,
  and every page is sent with a Content-Security-Policy that allows only this server, so a page
  that tried to reach out would fail loudly in the browser tests instead of leaking requests.
* The CSP also forbids inline scripts on the pages (data reaches scripts as JSON blocks): a report's
  text that escaped escaping still could not run. Escaping stays the first defence (Jinja's
  autoescape; scripts write text with ``textContent``).
* Errors of the API have one JSON shape (``ErrorResponse``); pages get an HTML error page.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.routing import BaseRoute, Match

from trucewatch import __version__
from trucewatch.errors import TrucewatchError
from trucewatch.web import api, pages
from trucewatch.web.state import Ledger, TrucesPending

STATIC = Path(__file__).parent / "static"
_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
          409: "conflict", 422: "invalid_request", 500: "internal_error", 503: "unavailable"}
_PAGE_CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
             "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
log = logging.getLogger("trucewatch.web")
TITLE = "trucewatch"
DESCRIPTION = ("A source-attributed ledger of attacks, strikes, casualties and ceasefires, merged across news reports. "
               "Read-only unless the server was started with a token; writes take it as "
               "`Authorization: Bearer <token>`. Every error has the shape of `ErrorResponse`.")


def openapi() -> dict[str, Any]:
    """The API's OpenAPI document, without a database (what ``/openapi.json`` serves)."""
    return get_openapi(title=TITLE, version=__version__, description=DESCRIPTION, routes=api.router.routes)


def create_app(db: str | Path, *, token: str | None = None, gazetteer: str | Path | None = None,
               warm: bool = True) -> FastAPI:
    """The app over the ledger in ``db`` (which must exist). ``token`` unlocks the write endpoints;
    ``gazetteer`` is the user's gazetteer file (default: as ``trucewatch ingest`` finds it); ``warm``
    builds the truce records in the background at start-up."""
    ledger = Ledger(str(db), token=token or None, gazetteer_file=Path(gazetteer) if gazetteer else None)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if warm:
            ledger.warm()
            for name in pages.templates.env.list_templates():  # compiled now, not on the first visits
                pages.templates.env.get_template(name)
        yield
        ledger.close()

    app = FastAPI(title=TITLE, version=__version__, docs_url=None, redoc_url=None, lifespan=lifespan,
                  description=DESCRIPTION)
    app.state.ledger = ledger
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        page = get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json", title="trucewatch API",
            swagger_js_url="/static/vendor/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url="/static/vendor/swagger-ui/swagger-ui.css", swagger_favicon_url="data:,",
            swagger_ui_parameters={"validatorUrl": None})
        # Swagger UI starts from one inline script: allow exactly that script by its hash.
        body = bytes(page.body).decode()
        inline = re.findall(r"<script>(.*?)</script>", body, re.DOTALL)
        hashes = " ".join(f"'sha256-{base64.b64encode(hashlib.sha256(x.encode()).digest()).decode()}'"
                          for x in inline)
        page.headers["Content-Security-Policy"] = _PAGE_CSP.replace("script-src 'self'", f"script-src 'self' {hashes}")
        return page

    @app.middleware("http")
    async def headers(request: Request, call_next: Any) -> Response:
        response: Response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", _PAGE_CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        return response

    _errors(app)
    return app


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api") or request.url.path == "/openapi.json"


def error_response(request: Request, status: int, message: str, details: list[dict[str, Any]] | None = None,
                   code: str | None = None, headers: dict[str, str] | None = None) -> Response:
    """The API's error body, or for a page an HTML page saying the same."""
    code = code or _CODES.get(status, "error")
    if _wants_json(request):
        body = {"error": {"status": status, "code": code, "message": message, "details": details or []}}
        return JSONResponse(body, status_code=status, headers=headers)
    return pages.error_page(request, status, message, details or [])


def _errors(app: FastAPI) -> None:
    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        headers = exc.headers
        if exc.status_code == 405:  # Starlette names the methods of one route only; a path may have two
            methods = {m for route in app.routes if isinstance(route, BaseRoute)
                       and route.matches(request.scope)[0] != Match.NONE for m in getattr(route, "methods", ())}
            headers = {**(headers or {}), "Allow": ", ".join(sorted(methods))}
        message = str(exc.detail)
        if exc.status_code == 404 and message == "Not Found":  # no route: say which path
            message = f"nothing at {request.url.path}"
        return error_response(request, exc.status_code, message, code=getattr(exc, "code", None), headers=headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        details = [{"loc": [str(x) if not isinstance(x, int) else x for x in e.get("loc", ())],
                    "message": str(e.get("msg", ""))} for e in exc.errors()]
        first = details[0] if details else {"loc": [], "message": "invalid request"}
        where = ".".join(str(x) for x in first["loc"][1:]) or "request"
        return error_response(request, 422, f"{where}: {first['message']}", details)

    @app.exception_handler(TrucewatchError)
    async def library_error(request: Request, exc: TrucewatchError) -> Response:
        if isinstance(exc, TrucesPending):
            return error_response(request, 503, str(exc), headers={"Retry-After": "30"})
        return error_response(request, 422, str(exc))

    @app.exception_handler(ValueError)
    async def value_error(request: Request, exc: ValueError) -> Response:
        return error_response(request, 422, str(exc))

    @app.exception_handler(Exception)
    async def crash(request: Request, exc: Exception) -> Response:
        log.exception("error serving %s", request.url.path, exc_info=exc)
        return error_response(request, 500, "internal error; see the server's log")
