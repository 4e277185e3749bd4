"""One error path for the API and the pages. A domain error is an RFC 9457 problem document (type, title,
status, detail, errors[field]) for the API and JSON clients, and a readable error page in the person's
language for a page request; an anonymous visitor on a page that needs an account is sent to log in."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from backend.errors import (
    Conflict,
    DomainError,
    Forbidden,
    InvalidInput,
    NotFound,
    PayloadTooLarge,
    Unauthenticated,
    UnsupportedMedia,
)
from backend.services.accounts import BadCredentials, TooManyAttempts
from backend.web.deps import LoginRequired

log = logging.getLogger("roomwright.errors")

PROBLEM_BASE = "https://roomwright.dev/problems/"
STATUS_BY_ERROR: dict[type[DomainError], int] = {
    InvalidInput: 422,
    NotFound: 404,
    Conflict: 409,
    PayloadTooLarge: 413,
    UnsupportedMedia: 415,
    Forbidden: 403,
    BadCredentials: 401,
    Unauthenticated: 401,
    TooManyAttempts: 429,
}
TITLES = {400: "Bad request", 401: "Not signed in", 403: "Not allowed", 404: "Not found",
          405: "Method not allowed", 409: "Conflict", 413: "Upload too large", 415: "Unsupported file type",
          422: "Invalid input", 429: "Too many requests", 500: "Internal error"}


def problem(status: int, title: str, detail: str, code: str | None = None,
            errors: list[dict[str, Any]] | None = None, **extra: Any) -> JSONResponse:
    body: dict[str, Any] = {
        "type": PROBLEM_BASE + (code or title.lower().replace(" ", "-")),
        "title": title,
        "status": status,
        "detail": detail,
        "errors": errors or [],
    }
    body.update(extra)
    headers = {}
    if status == 429 and "retry_after" in extra:
        headers["Retry-After"] = str(extra["retry_after"])
    return JSONResponse(body, status_code=status, media_type="application/problem+json", headers=headers)


def status_of(exc: DomainError) -> int:
    for cls in type(exc).__mro__:
        if cls in STATUS_BY_ERROR:
            return STATUS_BY_ERROR[cls]
    return 400


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api") and "text/html" in request.headers.get("accept", "")


def wants_page(request: Request) -> bool:
    """A page request (an error page answers it) unless it is the API or the client asks for JSON."""
    if request.url.path.startswith("/api"):
        return False
    accept = request.headers.get("accept", "")
    return "text/html" in accept or "json" not in accept


def domain_error_response(request: Request, exc: DomainError) -> Response:
    status = status_of(exc)
    if wants_page(request):
        from backend.web.pages import render_error_page

        # a missing object and someone else's look the same: the 404 page says nothing more
        return render_error_page(request, status, None if status == 404 else exc.detail)
    errors = exc.extra.get("errors") or ([{"field": exc.field, "message": exc.detail}] if exc.field else [])
    extra = {k: v for k, v in exc.extra.items() if k != "errors"}
    return problem(status, exc.title, exc.detail, exc.code, errors, **extra)


def _validation_response(request: Request, exc: RequestValidationError) -> Response:
    errors = []
    for err in exc.errors():
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path", "form")]
        message = str(err.get("msg", "invalid")).removeprefix("Value error, ")
        errors.append({"field": ".".join(loc) or "body", "message": message})
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors[:3]) or "the request is not valid"
    if wants_page(request):
        from backend.web.pages import render_error_page

        return render_error_page(request, 422, detail)
    return problem(422, "Invalid input", detail, "invalid-input", errors)


def _http_response(request: Request, exc: StarletteHTTPException) -> Response:
    status = exc.status_code
    if _wants_html(request) and status in (404, 405):
        from backend.web.pages import render_error_page

        return render_error_page(request, status)
    detail = exc.detail if isinstance(exc.detail, str) else TITLES.get(status, "Error")
    if status == 404 and detail == "Not Found":
        detail = f"there is nothing at {request.url.path}"
    return problem(status, TITLES.get(status, "Error"), detail)


def _login_redirect(request: Request, exc: LoginRequired) -> Response:
    return RedirectResponse(f"/login?next={exc.next_url}", status_code=303)


def _unhandled(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    if _wants_html(request):
        from backend.web.pages import render_error_page

        try:
            return render_error_page(request, 500)
        except Exception:  # the error page itself failed: a plain one
            log.exception("the error page failed too")
            return HTMLResponse("<h1>Something went wrong</h1><p>Nothing was lost; please try again.</p>", 500)
    return problem(500, "Internal error", "something went wrong on our side; nothing was saved", "internal")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, domain_error_response)  # type: ignore[arg-type]
    app.add_exception_handler(LoginRequired, _login_redirect)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _validation_response)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, _http_response)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, _unhandled)
