"""The application factory: settings, database, storage, routers, pages, static files, errors."""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import socket
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import anyio.to_thread
from fastapi import FastAPI, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy import text
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from backend.configurator.looks import TEXTURE_DIR
from backend.contact_relay import make_relay
from backend.db.engine import make_engine, make_sessionmaker
from backend.jobqueue import make_runner
from backend.services.tasks import TASKS
from backend.settings import Settings, get_settings
from backend.storage import file_store_from_settings
from backend.web import answers, deps, i18n, security
from backend.web.api import (
    auth,
    bookings,
    configurator,
    designs,
    escrow,
    factory,
    floorplans,
    gallery,
    guarantees,
    links,
    orders,
    points,
    promotions,
    renders,
    uploads,
)
from backend.web.errors import install_error_handlers

log = logging.getLogger("roomwright")


class CachedStaticFiles(StaticFiles):
    """Static files with a cache policy: vendor libraries for a year, our own files revalidated."""

    def __init__(self, *args: Any, max_age: int = 0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.max_age = max_age

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        if response.status_code in (200, 304):
            response.headers["Cache-Control"] = (
                f"public, max-age={self.max_age}, immutable" if self.max_age else "no-cache"
            )
        return response


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    app = FastAPI(
        title="Roomwright",
        version="0.1.0",
        description="Floor plan in, cabinets designed in 3D, priced factory order out.",
        docs_url="/docs",
        redoc_url=None,
        lifespan=_thread_lifespan(settings.request_threads, settings.gc_tune),
    )
    engine = make_engine(settings.database_url, settings.db_pool_size(), settings.db_wait_seconds)
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessionmaker = make_sessionmaker(engine)
    app.state.file_store = file_store_from_settings(settings, engine)
    app.state.secret_key = settings.resolved_secret_key()
    app.state.jobs = make_runner(settings, app.state.sessionmaker, app.state.file_store, TASKS)
    app.state.contact_relay = make_relay(settings.contact_relay)
    templates = Jinja2Templates(directory=str(settings.frontend_dir / "templates"))
    templates.env.globals["static_version"] = "1"
    app.state.templates = templates

    install_error_handlers(app)
    if settings.process_header:
        _install_process_header(app)
    app.add_exception_handler(orders.PackageBuilding, orders.package_building)  # type: ignore[arg-type]
    _install_request_scope(app)
    security.install(app, settings)
    for module in (auth, designs, uploads, orders, floorplans, bookings, configurator, links, factory, points,
                   promotions, escrow, guarantees, gallery, renders):
        app.include_router(module.router)
    from backend.web import (
        booking_pages,
        commerce_pages,
        factory_pages,
        gallery_pages,
        order_pages,
        pages,
        plan_pages,
        profile_pages,
        share_pages,
        store_pages,
    )

    app.include_router(pages.router)
    app.include_router(order_pages.router)
    app.include_router(share_pages.router)
    app.include_router(store_pages.router)
    app.include_router(profile_pages.router)
    app.include_router(plan_pages.router)
    app.include_router(booking_pages.router)
    app.include_router(commerce_pages.router)
    app.include_router(gallery_pages.router)
    app.include_router(factory_pages.router)

    if settings.test_clock:
        from backend.web.api.testing import install_test_clock

        install_test_clock(app)

    @app.get("/api/health", tags=["health"])
    def health() -> dict[str, str]:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return {"status": "ok", "database": engine.dialect.name}

    app.mount("/static/vendor/three", CachedStaticFiles(
        directory=str(settings.frontend_dir / "node_modules" / "three"), check_dir=False, max_age=31536000),
        name="three")
    app.mount("/static/vendor/chartjs", CachedStaticFiles(  # the analytics page's charts (chart.umd.min.js)
        directory=str(settings.frontend_dir / "node_modules" / "chart.js" / "dist"), check_dir=False,
        max_age=31536000), name="chartjs")
    app.mount("/static/textures", CachedStaticFiles(  # generated finishes, content-hashed names
        directory=str(TEXTURE_DIR), check_dir=False, max_age=31536000), name="textures")
    app.mount("/static", CachedStaticFiles(directory=str(settings.frontend_dir / "static")), name="static")
    return app


def _install_process_header(app: FastAPI) -> None:
    """``X-Roomwright-Process: host:pid`` on every answer (ROOMWRIGHT_PROCESS_HEADER), to see which app
    process served a request behind a load balancer."""
    name = f"{socket.gethostname()}:{os.getpid()}"

    @app.middleware("http")
    async def process_header(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        response.headers["X-Roomwright-Process"] = name
        return response


GC_THRESHOLDS = (10_000, 10, 10)
"""The collector's thresholds in an app process (Python's are 700, 10, 10): the youngest generation collected
every 10 000 allocations net, so a full collection comes about eight times less often."""

_gc_tuned = False


def tune_gc() -> bool:
    """Once per process (whether this call did it): collect, move every object alive to the collector's
    permanent generation (``gc.freeze``) and set ``GC_THRESHOLDS``.

    The modules, routes and schemas of an app process are over 200 000 objects that live as long as it
    does; each full collection scanned them all, holding the interpreter's lock for 0.17 s of CPU (on a
    loaded machine 0.4-0.9 s of wall time), which stopped every request of the process at once: in the
    load benchmark each process made 4-8 of them in 25 s, the slow part of the tail (docs/scaling.md, "The
    tail at 50 users"). Frozen objects are still freed when their reference count drops; only cycles among
    them are never collected, which for what start-up makes is what one wants. What requests keep (the
    revision cache's documents: 100 000 objects) is still scanned by a full collection: the higher
    thresholds make those rarer (one in 25 s instead of eight), for young collections of up to 40 ms
    instead of 10. A test process that starts many apps tunes only at the first."""
    global _gc_tuned
    if _gc_tuned:
        return False
    _gc_tuned = True
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
    return True


@asynccontextmanager
async def _thread_lifespan_body(threads: int, tune: bool) -> AsyncIterator[None]:
    anyio.to_thread.current_default_thread_limiter().total_tokens = threads
    if tune:
        tune_gc()
    yield


def _thread_lifespan(threads: int, tune: bool) -> Callable[[FastAPI], Any]:
    """Serve sync handlers, dependencies and commits with ``threads`` threads (as many as the pool and
    the request scope's limit: see below); with ``tune`` (ROOMWRIGHT_GC_TUNE), the collector tuned for a
    server (``tune_gc``)."""
    return lambda _app: _thread_lifespan_body(threads, tune)


def _install_request_scope(app: FastAPI) -> None:
    """One database session per request: committed if the answer is a success, rolled back otherwise.

    Handlers, dependencies and the commit run in worker threads, never on the event loop. At most
    ``request_threads`` requests are inside at once (the others queue here, before touching the
    database): each holds at most one thread and one pooled connection, so the pool (sized to the
    threads) never runs dry, and a request that holds SQLite's write lock always finds a thread free
    to commit and let it go, instead of waiting behind requests that wait for that lock. (The limit is
    kept per event loop: a server has one; test clients each run their own.)
    """
    app.add_middleware(RequestScope, settings=app.state.settings)


class RequestScope:
    """The request scope as plain ASGI middleware (a ``BaseHTTPMiddleware`` runs every request in an
    extra task with memory streams: a fifth of a millisecond of CPU each). When the answer starts, the
    session is committed (or rolled back) and closed in one worker-thread hop, the request's place is
    given back, and only then does the answer go out; a commit that fails replaces it by a problem. The
    body then streams without the session or the place, as before."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings
        self.limits: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = \
            weakref.WeakKeyDictionary()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        request.state.locale = (
            i18n.normalize(request.cookies.get(deps.LANG_COOKIE))
            or i18n.negotiate(request.headers.get("accept-language"), self.settings.default_locale)
        )
        if scope["path"].startswith("/static/"):
            await self.app(scope, receive, send)
            return
        loop = asyncio.get_running_loop()
        inside = self.limits.get(loop) or self.limits.setdefault(loop, asyncio.Semaphore(self.settings.request_threads))
        await inside.acquire()
        held = True
        replaced = False

        def leave() -> None:
            nonlocal held
            if held:
                held = False
                inside.release()

        async def send_settled(message: Message) -> None:
            nonlocal replaced
            if replaced:
                return  # the answer was replaced by a problem: the rest of the original is dropped
            if message["type"] == "http.response.start":
                status = message["status"]
                failure = await _settle(request, status < 400 or getattr(request.state, "commit_anyway", False))
                leave()
                if failure is not None:
                    replaced = True
                    await _with_csrf_cookie(failure, request, self.settings)(scope, receive, send)
                    return
                new_csrf = getattr(request.state, "new_csrf", None)
                if new_csrf:
                    message["headers"] = [*message.get("headers", []),
                                          *_csrf_cookie_headers(new_csrf, self.settings)]
            await send(message)

        try:
            await self.app(scope, receive, send_settled)
        finally:
            leave()
            db = getattr(request.state, "db", None)
            if db is not None and db.in_transaction():  # not settled (no answer), or used again since
                await run_in_threadpool(db.close)


async def _settle(request: Request, commit: bool) -> Response | None:
    """Commit the request's session for a success (or a counted failure), roll it back otherwise, and
    close it, in one worker-thread hop (none if the handler settled it: ``backend.web.answers``); the
    problem that replaces the answer if the commit failed."""
    db = getattr(request.state, "db", None)
    if db is None or answers.is_settled(db):
        return None
    return await run_in_threadpool(answers.settle, db, commit)


def _csrf_cookie_headers(token: str, settings: Settings) -> list[tuple[bytes, bytes]]:
    carrier = Response()
    carrier.set_cookie(deps.CSRF_COOKIE, token, max_age=365 * 86400, samesite="lax", path="/",
                       secure=settings.cookie_secure)
    return [(k, v) for k, v in carrier.raw_headers if k == b"set-cookie"]


def _with_csrf_cookie(response: Response, request: Request, settings: Settings) -> Response:
    new_csrf = getattr(request.state, "new_csrf", None)
    if new_csrf:
        response.raw_headers.extend(_csrf_cookie_headers(new_csrf, settings))
    return response
