"""Request-scoped dependencies: the database session, the current user, CSRF, the locale."""

from __future__ import annotations

import hmac
import ipaddress
import secrets
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, Request
from itsdangerous import BadSignature, Signer
from sqlalchemy.orm import Session

from backend.db import tables
from backend.errors import Forbidden, NotFound, Unauthenticated
from backend.jobs import JobRunner
from backend.services import accounts
from backend.services.actor import Actor
from backend.settings import Settings
from backend.storage import FileStore

SESSION_COOKIE = "rw_session"
CSRF_COOKIE = "rw_csrf"
LANG_COOKIE = "rw_lang"
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


# Dependencies that only read the request or the app are coroutines: FastAPI runs a plain function in a
# worker thread, and a thread hop costs more than such a function does. Whatever touches the database
# (optional_user) stays a plain function, off the event loop.


async def get_settings_dep(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def public_base(request: Request) -> str:
    """Where absolute links point: ``ROOMWRIGHT_PUBLIC_URL``, else the address this request came to."""
    settings: Settings = request.app.state.settings
    return settings.public_base(str(request.base_url))


async def get_db(request: Request) -> Session:
    """The request's session; the middleware in backend.main commits it when the request succeeds."""
    db: Session | None = getattr(request.state, "db", None)
    if db is None:
        db = request.app.state.sessionmaker()
        request.state.db = db
    return db


async def get_store(request: Request) -> FileStore:
    store: FileStore = request.app.state.file_store
    return store


async def get_jobs(request: Request) -> JobRunner:
    jobs: JobRunner = request.app.state.jobs
    return jobs


def signer(request: Request) -> Signer:
    return Signer(request.app.state.secret_key, salt="roomwright.session")


def session_token(request: Request) -> tuple[str | None, bool]:
    """(token, from_cookie): a bearer token wins over the cookie. Read once per request (a hot handler's
    :func:`actor_lookup` asks first, then :func:`optional_user`; unsigning the cookie is an HMAC)."""
    found: tuple[str | None, bool] | None = getattr(request.state, "session_token", None)
    if found is None:
        found = request.state.session_token = _read_session_token(request)
    return found


def _read_session_token(request: Request) -> tuple[str | None, bool]:
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip(), False
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        try:
            return signer(request).unsign(cookie).decode(), True
        except BadSignature:
            return None, True
    return None, False


# What a session opened by a store's hand-off link (``sessions.design_id``) may reach: its design's page,
# the design itself and what the editor needs to show and change it; nothing else of the account (other
# designs, orders, addresses, uploads, bookings, sharing) -- there the request counts as signed out.
SCOPED_DESIGN_API = {"revisions", "scene.glb", "findings", "commands", "autofill", "quote", "proposal.pdf"}
SCOPED_PATHS = {"/api/catalog", "/api/findings", "/go/password"}


def in_design_scope(method: str, path: str, design_id: str) -> bool:
    """Whether a request belongs to the one design a hand-off session opens."""
    if path in SCOPED_PATHS:
        return True
    if path == f"/designs/{design_id}":
        return method in ("GET", "HEAD")
    if path == f"/designs/{design_id}/rename":
        return method == "POST"
    prefix = f"/api/designs/{design_id}"
    if path == prefix:
        return method in ("GET", "HEAD", "PUT", "PATCH")
    rest = path.removeprefix(prefix + "/") if path.startswith(prefix + "/") else None
    return rest is not None and rest.split("/", 1)[0] in SCOPED_DESIGN_API


def optional_user(request: Request, db: Annotated[Session, Depends(get_db)]) -> tables.User | None:
    if hasattr(request.state, "user"):
        cached: tables.User | None = request.state.user
        return cached
    token, from_cookie = session_token(request)
    found = accounts.resolve_session(db, token) if token else None
    user = found[0] if found else None
    request.state.scope_design_id = None
    if found is not None and found[1].design_id is not None:
        if in_design_scope(request.method, request.url.path, found[1].design_id):
            request.state.scope_design_id = found[1].design_id
        else:
            user = None
    request.state.user = user
    if user is not None and from_cookie and request.method in UNSAFE_METHODS and request.url.path.startswith("/api"):
        check_csrf(request, request.headers.get("x-csrf-token"))
    return user


async def current_user(user: Annotated[tables.User | None, Depends(optional_user)]) -> tables.User:
    if user is None:
        raise Unauthenticated("sign in to continue")
    return user


async def current_actor(user: Annotated[tables.User, Depends(current_user)]) -> Actor:
    return Actor.of(user)


class ActorLookup:
    """The signed-in actor of a hot handler, looked up by the handler itself (:meth:`actor`, its first
    call) in the handler's own worker thread.

    ``ActorDep`` finds the session in a worker thread of its own (``optional_user`` uses the database),
    one thread hop more per request: on the hot paths (design load, save and quote, slots, booking) the
    hand-off to the threads was the largest single cost of a request's CPU in the load benchmark's
    profiles. The lookup, the hand-off scope and the CSRF check are ``optional_user``'s, unchanged. A
    request with no session token at all is refused (401) before its parameters and body are looked at,
    as with ``ActorDep``; only one whose token turns out expired or unknown hears about a malformed body
    (422) before the sign-in (401)."""

    __slots__ = ("_db", "_request")

    def __init__(self, request: Request, db: Session) -> None:
        self._request = request
        self._db = db

    def actor(self) -> Actor:
        user = optional_user(self._request, self._db)
        if user is None:
            raise Unauthenticated("sign in to continue")
        return Actor.of(user)


async def actor_lookup(request: Request, db: Annotated[Session, Depends(get_db)]) -> ActorLookup:
    if not hasattr(request.state, "user") and session_token(request)[0] is None:
        raise Unauthenticated("sign in to continue")
    return ActorLookup(request, db)


def require_roles(*roles: str) -> Any:
    async def dependency(actor: Annotated[Actor, Depends(current_actor)]) -> Actor:
        if actor.role not in roles:
            raise Forbidden(f"this needs a {' or '.join(roles)} account")
        return actor

    return Depends(dependency)


class LoginRequired(Exception):
    """An anonymous visitor asked for a page that needs an account: the error handler answers with a
    redirect to the login page, which brings them back to ``next`` afterwards."""

    def __init__(self, next_url: str) -> None:
        super().__init__(next_url)
        self.next_url = next_url


async def page_user(request: Request, user: Annotated[tables.User | None, Depends(optional_user)]) -> Actor:
    """The signed-in person of a page; anonymous visitors are sent to the login page."""
    if user is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise LoginRequired(quote(target))
    return Actor.of(user)


def page_roles(*roles: str) -> Any:
    """A page for some roles only: others get the same "not found" page as for a missing object, so a
    page does not tell who may see it."""

    async def dependency(actor: Annotated[Actor, Depends(page_user)]) -> Actor:
        if actor.role not in roles:
            raise NotFound("there is no such page for this account")
        return actor

    return Depends(dependency)


def csrf_cookie_value(request: Request) -> str:
    """The double-submit CSRF token of this browser (created on first page view)."""
    token = request.cookies.get(CSRF_COOKIE) or getattr(request.state, "new_csrf", None)
    if not token:
        token = secrets.token_urlsafe(24)
        request.state.new_csrf = token
    return token


def check_csrf(request: Request, submitted: str | None) -> None:
    expected = request.cookies.get(CSRF_COOKIE)
    if not expected or not submitted or not hmac.compare_digest(expected, submitted):
        raise Forbidden("the form has expired or came from another site; reload the page and try again",
                        field="csrf_token")


def client_key(request: Request) -> str:
    """The source a login attempt is counted against: the peer's address (the client's own only when a
    trusted proxy forwarded it, see backend.web.security); an IPv6 address stands for its /64, which
    one subscriber usually has whole."""
    host = request.client.host if request.client else "unknown"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host[:64]
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{address}/64", strict=False))
    return str(address)


def login_limits(settings: Settings) -> accounts.LoginLimits:
    return accounts.LoginLimits(settings.login_max_failures, settings.login_window_seconds, settings.session_days,
                                settings.login_backoff_seconds, settings.login_source_max_failures)


DbDep = Annotated[Session, Depends(get_db)]
ActorDep = Annotated[Actor, Depends(current_actor)]
ActorLookupDep = Annotated[ActorLookup, Depends(actor_lookup)]
PageUser = Annotated[Actor, Depends(page_user)]
UserDep = Annotated[tables.User, Depends(current_user)]
OptionalUserDep = Annotated[tables.User | None, Depends(optional_user)]
SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
StoreDep = Annotated[FileStore, Depends(get_store)]
JobsDep = Annotated[JobRunner, Depends(get_jobs)]
PublicBaseDep = Annotated[str, Depends(public_base)]
