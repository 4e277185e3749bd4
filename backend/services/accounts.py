"""Accounts: sign-up, login with rate limiting, sessions (cookie and bearer), and staff accounts."""

from __future__ import annotations

import hashlib
import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete, func, select
from sqlalchemy.orm import Session

from backend.commerce.relay import normalize_phone
from backend.db import tables
from backend.enums import Role
from backend.errors import Conflict, DomainError, InvalidInput
from backend.i18n import normalize
from backend.services.passwords import MIN_PASSWORD_LENGTH, hash_password, is_common, verify_nothing, verify_password


class TooManyAttempts(DomainError):
    code = "too-many-attempts"
    title = "Too many login attempts"


class BadCredentials(DomainError):
    code = "bad-credentials"
    title = "Wrong email or password"


class CommonPassword(InvalidInput):
    code = "common-password"
    title = "Password too common"


@dataclass(frozen=True)
class LoginLimits:
    """Failed logins are counted per account *and source*: a guesser elsewhere never locks the real
    user out. After ``max_failures`` in ``window_seconds`` that pair waits ``backoff_seconds``, twice
    as long after each further failure, at most the window. A source that fails ``source_max_failures``
    times over all accounts (spraying) waits for the window."""

    max_failures: int = 5
    window_seconds: int = 900
    session_days: int = 14
    backoff_seconds: int = 30
    source_max_failures: int = 100

    def wait_after(self, failures: int) -> float:
        """Seconds to wait after the last of ``failures`` failed logins of one account from one source."""
        if failures < self.max_failures:
            return 0.0
        return float(min(self.window_seconds, self.backoff_seconds * 2 ** min(failures - self.max_failures, 30)))


@dataclass(frozen=True)
class NewSession:
    token: str
    csrf_token: str
    user: tables.User


def normalize_email(email: str) -> str:
    email = email.strip().lower()
    local, _, domain = email.partition("@")
    if not local or "." not in domain or " " in email or len(email) > 320:
        raise InvalidInput("enter an email address such as name@example.com", field="email")
    return email


def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"a password needs at least {MIN_PASSWORD_LENGTH} characters", field="password")
    if len(password) > 1024:
        raise InvalidInput("a password may have at most 1024 characters", field="password")
    if is_common(password):
        raise CommonPassword("this password is one of the most common ones, the first an attacker tries; "
                             "choose another (a few unrelated words make a good one)", field="password")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_user(
    db: Session,
    email: str,
    password: str,
    role: str = Role.HOMEOWNER,
    display_name: str = "",
    store_id: str | None = None,
    locale: str | None = None,
) -> tables.User:
    """A new account; ``locale`` is the language the person signed up in (their documents, proposals and
    messages use it)."""
    email = normalize_email(email)
    check_password_strength(password)
    if role not in tables.ROLES:
        raise InvalidInput(f"role must be one of {', '.join(tables.ROLES)}", field="role")
    if db.scalar(select(tables.User.id).where(tables.User.email == email)):
        raise Conflict("an account with this email already exists; log in instead", field="email")
    user = tables.User(
        email=email,
        password_hash=hash_password(password),
        role=str(role),
        display_name=display_name.strip() or email.split("@")[0],
        store_id=store_id,
        locale=normalize(locale),
    )
    db.add(user)
    db.flush()
    return user


def own_phone(db: Session, user_id: str) -> str:
    """The account's own phone ("" for none), for its holder only."""
    user = db.get(tables.User, user_id)
    return (user.phone or "") if user is not None else ""


def set_phone(db: Session, user_id: str, phone: str) -> str:
    """The account's own phone (E.164; "" clears it): only the masked contact relay forwards to it, and
    only its holder sees it."""
    number = normalize_phone(phone)
    user = db.get(tables.User, user_id)
    if user is None:
        raise InvalidInput("no such account", field="phone")
    user.phone = number or None
    db.flush()
    return number


def set_locale(db: Session, user: tables.User, locale: str) -> None:
    """Remember the language the person reads the site in (their proposals, order documents and messages
    follow it); an unsupported one is ignored."""
    found = normalize(locale)
    if found is not None and user.locale != found:
        user.locale = found
        db.flush()


def _failures_since(db: Session, since: datetime, client: str, email: str | None = None) -> tuple[int, datetime | None]:
    query = select(func.count(), func.max(tables.LoginFailure.at)).where(
        tables.LoginFailure.client == client, tables.LoginFailure.at > since)
    if email is not None:
        query = query.where(tables.LoginFailure.email == email)
    count, last = db.execute(query).one()
    return int(count or 0), last


def _check_not_locked(db: Session, email: str, client: str, limits: LoginLimits) -> None:
    now = tables.utcnow()
    since = now - timedelta(seconds=limits.window_seconds)
    failures, last = _failures_since(db, since, client, email)
    wait = limits.wait_after(failures)
    if wait and last is not None and (remaining := (last - now).total_seconds() + wait) > 0:
        raise TooManyAttempts(
            f"too many failed logins for this account from here; try again in {_minutes(remaining)}",
            extra={"retry_after": math.ceil(remaining)},
        )
    from_source, last = _failures_since(db, since, client)
    if from_source >= limits.source_max_failures and last is not None:
        remaining = (last - now).total_seconds() + limits.window_seconds
        raise TooManyAttempts(
            f"too many failed logins from here; try again in {_minutes(remaining)}",
            extra={"retry_after": math.ceil(remaining)},
        )


def _minutes(seconds: float) -> str:
    minutes = math.ceil(seconds / 60)
    return "1 minute" if minutes <= 1 else f"{minutes} minutes"


def authenticate(db: Session, email: str, password: str, client: str, limits: LoginLimits) -> tables.User:
    """The user for these credentials; failures are counted per (email, client) and limited.

    Raises TooManyAttempts before checking the password while the pair (or the source) waits, so a
    guesser learns nothing more. Wrong email and wrong password give the same message, and take the
    same time: an unknown email is checked against a dummy hash.
    """
    email = email.strip().lower()
    client = client[:64]
    _check_not_locked(db, email, client, limits)
    user = db.scalar(select(tables.User).where(tables.User.email == email))
    if user is None:
        verify_nothing(password)
    if user is None or not verify_password(user.password_hash, password) or not user.is_active:
        db.add(tables.LoginFailure(email=email, client=client))
        db.flush()
        raise BadCredentials("the email or password is not right", field="password")
    db.execute(
        delete(tables.LoginFailure).where(tables.LoginFailure.email == email, tables.LoginFailure.client == client)
    )
    return user


def start_session(db: Session, user: tables.User, limits: LoginLimits, *, design_id: str | None = None,
                  lifetime: timedelta | None = None) -> NewSession:
    """A login; with ``design_id`` one that opens only that design (see ``backend.services.store``)."""
    token = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(24)
    expires = tables.utcnow() + (lifetime or timedelta(days=limits.session_days))
    db.add(tables.Session(token_hash=token_hash(token), user_id=user.id, csrf_token=csrf, expires_at=expires,
                          design_id=design_id))
    db.flush()
    return NewSession(token, csrf, user)


_SESSION_BY_TOKEN = (
    select(tables.Session, tables.User).join(tables.User, tables.User.id == tables.Session.user_id)
    .where(tables.Session.token_hash == bindparam("token_hash"))
)
"""Built once: building the statement (select, join, comparisons) cost a third of the lookup's CPU."""


def resolve_session(db: Session, token: str) -> tuple[tables.User, tables.Session] | None:
    """The signed-in user and their session for ``token``: one query (every request makes it)."""
    found = db.execute(_SESSION_BY_TOKEN, {"token_hash": token_hash(token)}).first()
    if found is None:
        return None
    row, user = found
    if row.expires_at <= tables.utcnow() or not user.is_active:
        return None
    return user, row


def end_session(db: Session, token: str) -> None:
    db.execute(delete(tables.Session).where(tables.Session.token_hash == token_hash(token)))
