"""Response security headers on every answer, and forwarded headers believed only from named proxies.

Pages get a content security policy that allows scripts, styles, images and connections from this
origin only; the one kind of inline script the pages have (the import map of the 3D viewer) carries
the request's nonce (``nonce="{{ request.state.csp_nonce }}"`` in the templates). Everything
else (JSON, uploaded images, files) gets a policy that allows nothing, so an uploaded file opened on
its own can never run anything. Every answer forbids framing and MIME sniffing and keeps the
referrer to this origin.
"""

from __future__ import annotations

import secrets

from fastapi import FastAPI
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from backend.settings import Settings

PAGE_POLICY = (
    "default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self'; img-src 'self' data: blob:; "
    "font-src 'self'; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
"""For HTML: own origin only; inline scripts only with the nonce; no inline styles or handlers."""

RESOURCE_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'; sandbox"
"""For everything that is not a page (JSON, images, uploads, downloads): nothing may run."""

DOCS_POLICY = (
    "default-src 'self'; script-src 'self' https://cdn.jsdelivr.net 'unsafe-inline'; "
    "style-src 'self' https://cdn.jsdelivr.net; img-src 'self' data: https://fastapi.tiangolo.com; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)
"""FastAPI's generated /docs page loads Swagger UI from its CDN and starts it with an inline script."""

DOCS_PATHS = ("/docs", "/docs/oauth2-redirect")

COMMON_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "cross-origin-opener-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
}


class SecurityHeaders:
    """Pure ASGI middleware (it sees every answer: pages, API, static and uploaded files, errors)."""

    def __init__(self, app: ASGIApp, hsts: bool = False) -> None:
        self.app = app
        self.hsts = hsts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        nonce = secrets.token_urlsafe(18)
        scope.setdefault("state", {})["csp_nonce"] = nonce
        path: str = scope.get("path", "")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in COMMON_HEADERS.items():
                    headers.setdefault(name, value)
                if self.hsts:
                    headers.setdefault("strict-transport-security", "max-age=31536000; includeSubDomains")
                if "content-security-policy" not in headers:
                    headers["content-security-policy"] = policy_for(path, headers.get("content-type", ""), nonce)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def policy_for(path: str, content_type: str, nonce: str) -> str:
    if path in DOCS_PATHS:
        return DOCS_POLICY
    if content_type.startswith("text/html"):
        return PAGE_POLICY.format(nonce=nonce)
    return RESOURCE_POLICY


def install(app: FastAPI, settings: Settings) -> None:
    """Add the middleware outside everything the app adds before (call it after the request scope)."""
    app.add_middleware(SecurityHeaders, hsts=settings.cookie_secure)
    # X-Forwarded-For/-Proto rewrite the client address and scheme only when the connecting peer is a
    # configured proxy; an empty setting believes nobody (uvicorn's own handling is off: see the CLI).
    app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxy_list())
