"""A small round-robin HTTP load balancer for a local cluster and its tests (``roomwright balance``).

Production puts nginx or haproxy in front (docs/jobs.md has the nginx block); this one exists so that
``make cluster`` and the cluster tests need no system package and run the same way on every machine. It
is built on the libraries the app already has: Starlette receives, httpx forwards;
answers are streamed (package downloads are not held in memory); a request's body is read whole (uploads
are capped at ROOMWRIGHT_MAX_UPLOAD_BYTES) so that a backend refusing the connection can be skipped
for the next one with the same bytes; when none answers the reply is a 502 problem document.
The client's address goes on in ``X-Forwarded-For`` (believed by the app only from
``ROOMWRIGHT_TRUSTED_PROXIES``).
"""

from __future__ import annotations

import itertools
import json
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from http.cookiejar import CookieJar, DefaultCookiePolicy

import httpx
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailers",
              "transfer-encoding", "upgrade", "host", "content-length"}
OWN = {"date", "server"}
"""Headers the balancer's own server (uvicorn) sets on every answer: the app process's are dropped."""


def _no_cookies() -> CookieJar:
    """A cookie jar that keeps nothing: the balancer forwards cookies, it must never remember one (a client
    that keeps cookies would send one person's session cookie with everybody's later requests)."""
    return CookieJar(policy=DefaultCookiePolicy(allowed_domains=[]))


def balancer_app(backends: Sequence[str], timeout: float = 120.0) -> Starlette:
    """An ASGI app forwarding every request to the next of ``backends`` (base URLs) in turn."""
    if not backends:
        raise ValueError("a balancer needs at least one backend")
    turn = itertools.cycle(range(len(backends)))
    client = httpx.AsyncClient(timeout=httpx.Timeout(timeout, connect=2.0), follow_redirects=False,
                               cookies=httpx.Cookies(_no_cookies()),
                               limits=httpx.Limits(max_connections=200, max_keepalive_connections=50))

    async def forward(request: Request) -> Response:
        headers = [(k, v) for k, v in request.headers.items() if k.lower() not in HOP_BY_HOP]
        peer = request.client.host if request.client else ""
        prior = request.headers.get("x-forwarded-for")
        headers.append(("x-forwarded-for", f"{prior}, {peer}" if prior else peer))
        body = await request.body()  # one read, so a refused backend can be retried with the same bytes
        start = next(turn)
        for offset in range(len(backends)):
            base = backends[(start + offset) % len(backends)]
            # a plain Request, not client.build_request: nothing of the client's (cookies) is merged in
            outgoing = httpx.Request(request.method, base.rstrip("/") + request.url.path,
                                     params=request.url.query, headers=headers, content=body)
            try:
                answer = await client.send(outgoing, stream=True)
            except httpx.ConnectError:
                continue
            response = StreamingResponse(answer.aiter_raw(), status_code=answer.status_code,
                                         background=BackgroundTask(answer.aclose))
            response.raw_headers = [(k.lower().encode("latin-1"), v.encode("latin-1"))  # every Set-Cookie kept
                                    for k, v in answer.headers.multi_items() if k.lower() not in HOP_BY_HOP | OWN]
            return response
        problem = {"type": "about:blank", "title": "Bad gateway", "status": 502, "errors": [],
                   "detail": "no app process answered; try again in a moment"}
        return Response(json.dumps(problem), status_code=502, media_type="application/problem+json")

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        yield
        await client.aclose()

    methods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
    return Starlette(routes=[Route("/{path:path}", forward, methods=methods)], lifespan=lifespan)
