"""Request-scoped dependencies: the database session, the current user, CSRF, the locale."""

from __future__ import annotations

import hmac
import ipaddress
import secrets
from typing import Annotated, Any

from fastapi import Depends, Request
from itsdangerous import BadSignature, Signer
from sqlalchemy.orm import Session

from backend.db import tables
from backend.errors import Forbidden, Unauthenticated
from backend.services import accounts
from backend.services.actor import Actor
from backend.settings import Settings
from backend.storage import FileStore

SESSION_COOKIE = "rw_session"
CSRF_COOKIE = "rw_csrf"
LANG_COOKIE = "rw_lang"
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def get_settings_dep(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_db(request: Request) -> Session:
    """The request's session; the middleware in backend.main commits it when the request succeeds."""
    db: Session | None = getattr(request.state, "db", None)
    if db is None:
        db = request.app.state.sessionmaker()
        request.state.db = db
    return db


def get_store(request: Request) -> FileStore:
    store: FileStore = request.app.state.file_store
    return store


def signer(request: Request) -> Signer:
    return Signer(request.app.state.secret_key, salt="roomwright.session")


def session_token(request: Request) -> tuple[str | None, bool]:
    """(token, from_cookie): a bearer token wins over the cookie."""
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


def optional_user(request: Request, db: Annotated[Session, Depends(get_db)]) -> tables.User | None:
    if hasattr(request.state, "user"):
        cached: tables.User | None = request.state.user
        return cached
    token, from_cookie = session_token(request)
    found = accounts.resolve_session(db, token) if token else None
    user = found[0] if found else None
    request.state.user = user
    if user is not None and from_cookie and request.method in UNSAFE_METHODS and request.url.path.startswith("/api"):
        check_csrf(request, request.headers.get("x-csrf-token"))
    return user


def current_user(user: Annotated[tables.User | None, Depends(optional_user)]) -> tables.User:
    if user is None:
        raise Unauthenticated("sign in to continue")
    return user


def current_actor(user: Annotated[tables.User, Depends(current_user)]) -> Actor:
    return Actor.of(user)


def require_roles(*roles: str) -> Any:
    def dependency(actor: Annotated[Actor, Depends(current_actor)]) -> Actor:
        if actor.role not in roles:
            raise Forbidden(f"this needs a {' or '.join(roles)} account")
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
UserDep = Annotated[tables.User, Depends(current_user)]
OptionalUserDep = Annotated[tables.User | None, Depends(optional_user)]
SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
StoreDep = Annotated[FileStore, Depends(get_store)]
