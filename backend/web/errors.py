"""One error path for the API and the pages. A domain error is an RFC 9457 problem document (type, title,
status, detail, errors[field]) for the API and JSON clients, and a readable error page in the person's
language for a page request; an anonymous visitor on a page that needs an account is sent to log in."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.routing import APIRoute, iter_route_contexts
from starlette.exceptions import HTTPException as StarletteHTTPException

from backend.errors import (
    Busy,
    Conflict,
    DomainError,
    Forbidden,
    InvalidInput,
    NotFound,
    PayloadTooLarge,
    ServiceUnavailable,
    StorageUnavailable,
    TooManyRequests,
    Unauthenticated,
    Unavailable,
    UnsupportedMedia,
)
from backend.services.accounts import BadCredentials, TooManyAttempts
from backend.services.transactions import BUSY_DETAIL, RETRY_AFTER_SECONDS, is_lock_failure
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
    TooManyRequests: 429,
    ServiceUnavailable: 503,
    Busy: 503,
    Unavailable: 503,
    StorageUnavailable: 503,
}
TITLES = {400: "Bad request", 401: "Not signed in", 403: "Not allowed", 404: "Not found",
          405: "Method not allowed", 409: "Conflict", 413: "Upload too large", 415: "Unsupported file type",
          422: "Invalid input", 429: "Too many requests", 500: "Internal error",
          503: "Service unavailable"}


def problem(status: int, title: str, detail: str, code: str | None = None,
            errors: list[dict[str, Any]] | None = None, headers: Mapping[str, str] | None = None,
            **extra: Any) -> JSONResponse:
    body: dict[str, Any] = {
        "type": PROBLEM_BASE + (code or title.lower().replace(" ", "-")),
        "title": title,
        "status": status,
        "detail": detail,
        "errors": errors or [],
    }
    body.update(extra)
    headers = dict(headers or {})
    if status in (429, 503) and "retry_after" in extra:
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
    """Starlette's own errors (no route, wrong method...) as problems; their headers (a 405's
    ``Allow``) are kept."""
    status = exc.status_code
    headers = dict(exc.headers or {})
    if _wants_html(request) and status in (404, 405):
        from backend.web.pages import render_error_page

        page = render_error_page(request, status)
        page.headers.update(headers)
        return page
    detail = exc.detail if isinstance(exc.detail, str) else TITLES.get(status, "Error")
    if status == 400:  # a body FastAPI could not parse (not UTF-8, broken multipart): bad input like any other
        message = f"the body could not be read ({detail.rstrip('.').lower()})"
        return problem(422, "Invalid input", message, "invalid-input", [{"field": "body", "message": message}])
    if status == 404 and detail == "Not Found":
        detail = f"there is nothing at {request.url.path}"
    elif status == 405 and "allow" in {k.lower() for k in headers}:
        allowed = next(v for k, v in headers.items() if k.lower() == "allow")
        detail = f"{request.method} is not allowed on {request.url.path}; use {allowed}"
    return problem(status, TITLES.get(status, "Error"), detail, headers=headers)


def _login_redirect(request: Request, exc: LoginRequired) -> Response:
    return RedirectResponse(f"/login?next={exc.next_url}", status_code=303)


def _unhandled(request: Request, exc: Exception) -> Response:
    if is_lock_failure(exc) or "database is locked" in str(exc):
        # a lock (SQLite's write lock, a PostgreSQL row lock) was not free within ROOMWRIGHT_DB_WAIT_SECONDS:
        # busy, not broken
        log.warning("database busy on %s %s: %s", request.method, request.url.path, exc)
        return problem(503, "Busy", BUSY_DETAIL, "busy", headers={"Retry-After": str(RETRY_AFTER_SECONDS)})
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    if _wants_html(request):
        from backend.web.pages import render_error_page

        try:
            return render_error_page(request, 500)
        except Exception:  # the error page itself failed: a plain one
            log.exception("the error page failed too")
            return HTMLResponse("<h1>Something went wrong</h1><p>Nothing was lost; please try again.</p>", 500)
    return problem(500, "Internal error", "something went wrong on our side; nothing was saved", "internal")


PROBLEM_SCHEMAS: dict[str, Any] = {
    "Problem": {
        "title": "Problem", "type": "object", "required": ["type", "title", "status", "detail", "errors"],
        "description": "An RFC 9457 problem document; more members may follow (current_revision, findings, ...).",
        "properties": {
            "type": {"type": "string", "format": "uri", "examples": [PROBLEM_BASE + "invalid-input"]},
            "title": {"type": "string"},
            "status": {"type": "integer"},
            "detail": {"type": "string", "description": "what went wrong, in words a person understands"},
            "errors": {"type": "array", "items": {"$ref": "#/components/schemas/ProblemField"}},
        },
    },
    "ProblemField": {
        "title": "ProblemField", "type": "object", "required": ["field", "message"],
        "properties": {"field": {"type": "string", "description": "dotted path of the input at fault"},
                       "message": {"type": "string"}},
    },
}
PROBLEM_DESCRIPTIONS = {
    401: "not signed in (no session, or it expired)",
    403: "not allowed for this account, or the CSRF token of a cookie session is missing",
    404: "no such object that you can see (others' objects answer 404 too)",
    409: "conflicts with the current state (a stale revision, a taken slot, a concurrent change)",
    413: "the upload is too large", 415: "not a supported file type",
    422: "invalid input: the fields at fault are named in `errors`", 429: "too many attempts; see Retry-After",
}
UNSAFE = {"post", "put", "patch", "delete"}


def _needs_user(dependant: Any) -> bool:
    from backend.web.deps import actor_lookup, current_user

    return any(dep.call in (current_user, actor_lookup) or _needs_user(dep) for dep in dependant.dependencies)


def _problem_statuses(route: APIRoute, method: str) -> set[int]:
    statuses = {int(code) for code in route.responses if str(code).isdigit() and int(code) >= 400}
    has_input = bool(route.dependant.path_params or route.dependant.query_params or route.dependant.header_params
                     or route.body_field is not None)
    if has_input:
        statuses.add(422)
    if route.dependant.path_params:
        statuses.add(404)
    if _needs_user(route.dependant):
        statuses |= {401, 403, 404}
    if method in UNSAFE:
        statuses.add(409)  # a commit that conflicts with a concurrent one
    return statuses


def install_problem_openapi(app: FastAPI) -> None:
    """Document every operation's problem answers (401/403/404/409/422..., ``application/problem+json``)
    in the OpenAPI document, in place of FastAPI's ``HTTPValidationError``."""
    plain = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = plain()
        routes: dict[tuple[str | None, str], APIRoute] = {}
        for context in iter_route_contexts(app.routes):
            if isinstance(context.original_route, APIRoute):
                for method in context.original_route.methods or ():
                    routes[(context.path_format, method.lower())] = context.original_route
        for path, operations in schema.get("paths", {}).items():
            for method, operation in operations.items():
                api_route = routes.get((path, method))
                if api_route is None:
                    continue
                responses = operation.setdefault("responses", {})
                for status in sorted(_problem_statuses(api_route, method)):
                    given = responses.get(str(status), {})
                    description = given.get("description") or PROBLEM_DESCRIPTIONS.get(status, TITLES.get(status))
                    if status == 422 and description == "Validation Error":
                        description = PROBLEM_DESCRIPTIONS[422]
                    responses[str(status)] = {"description": description, "content": {
                        "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}
                operation["responses"] = dict(sorted(responses.items()))
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for unused in ("HTTPValidationError", "ValidationError"):
            components.pop(unused, None)
        components.update(PROBLEM_SCHEMAS)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def _nul_path(value: Any, path: str = "") -> str | None:
    """The dotted path of the first string in ``value`` (a parsed JSON body) holding a NUL character."""
    if isinstance(value, str):
        return path or "body" if "\x00" in value else None
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        if isinstance(key, str) and "\x00" in key:
            return f"{path}.{key}".strip(".").replace("\x00", "")
        found = _nul_path(item, f"{path}.{key}".strip("."))
        if found:
            return found
    return None


class RefuseNul:
    """NUL characters in the path, the query or a JSON or form body answer 422 naming the field:
    PostgreSQL cannot store them in text, so they would otherwise end in a 500 there."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        field = "path" if "\x00" in scope.get("path", "") else None
        query = scope.get("query_string", b"")
        if field is None and (b"%00" in query.lower() or b"\x00" in query):
            field = next((k.replace("\x00", "") or "query" for k, v in parse_qsl(query.decode("latin-1"), True)
                          if "\x00" in k or "\x00" in v), None)
        content_type = next((v for k, v in scope.get("headers", ()) if k == b"content-type"), b"").lower()
        replay = None
        if field is None and (b"json" in content_type or b"x-www-form-urlencoded" in content_type):
            chunks = []
            while True:
                message = await receive()
                chunks.append(message.get("body", b""))
                if message["type"] != "http.request" or not message.get("more_body"):
                    break
            body = b"".join(chunks)
            field = _nul_in_body(body, content_type)
            replay = body
        if field is not None:
            response = problem(422, "Invalid input", f"{field}: text cannot contain NUL characters", "invalid-input",
                               [{"field": field, "message": "text cannot contain NUL characters"}])
            await response(scope, receive, send)
            return
        if replay is not None:
            sent = False

            async def receive_again() -> Any:
                nonlocal sent
                if sent:
                    return await receive()
                sent = True
                return {"type": "http.request", "body": replay, "more_body": False}

            await self.app(scope, receive_again, send)
            return
        await self.app(scope, receive, send)


def _nul_in_body(body: bytes, content_type: bytes) -> str | None:
    if b"json" in content_type:
        if b"\\u0000" not in body:
            return None
        try:
            return _nul_path(json.loads(body))
        except ValueError:
            return None  # not JSON: the request's own validation says so
    if b"%00" not in body.lower():
        return None
    return next((k.replace("\x00", "") or "body" for k, v in parse_qsl(body.decode("latin-1"), True)
                 if "\x00" in k or "\x00" in v), None)


def install_error_handlers(app: FastAPI) -> None:
    install_problem_openapi(app)
    app.add_middleware(RefuseNul)
    app.add_exception_handler(DomainError, domain_error_response)  # type: ignore[arg-type]
    app.add_exception_handler(LoginRequired, _login_redirect)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _validation_response)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, _http_response)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, _unhandled)
