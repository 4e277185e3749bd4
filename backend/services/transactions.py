"""A short, bounded retry of a unit of work that lost a lock wait, so that "the database is busy" is
never mistaken for "the slot is taken".

A lock the database could not grant in time -- PostgreSQL's ``lock_timeout`` (SQLSTATE 55P03), a
deadlock or serialization failure (40P01, 40001), SQLite's busy timeout or a WAL snapshot that went
stale ("database is locked") -- says nothing about the data: the same work, run again a moment later,
may well succeed. :func:`retry_locked` rolls the session back and runs the work again a few times; if
the lock is still not free it raises :class:`backend.errors.Busy` (503 with ``Retry-After``). A real
clash (an ``IntegrityError``) is never retried here: that is the caller's answer (409).

The work is replayed only when it is the whole of the transaction: if the session had already written
something before the work began, a rollback would silently drop it, so the first failure is a ``Busy``
at once (the request's own rollback then leaves nothing half saved).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import event
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction, UOWTransaction

from backend.errors import Busy

log = logging.getLogger("roomwright.transactions")

T = TypeVar("T")

ATTEMPTS = 3
"""Runs of the work in all: the first and two retries."""
PAUSE_SECONDS = 0.05
"""The pause before the first retry; it doubles before each further one."""
BUDGET_SECONDS = 2.0
"""No retry starts later than this after the first run began: a lock wait that itself took the whole
wait (``ROOMWRIGHT_DB_WAIT_SECONDS``) is not repeated, only a quick failure (a stale SQLite snapshot, a
deadlock, a short lock timeout) is."""
RETRY_AFTER_SECONDS = 5
LOCK_SQLSTATES = frozenset({"55P03", "40P01", "40001"})  # lock_not_available, deadlock, serialization
SQLITE_LOCK_MESSAGES = ("database is locked", "database table is locked")
BUSY_DETAIL = "the database is busy with other changes; nothing was saved, try again in a moment"
_WROTE = "roomwright.wrote"


def is_lock_failure(exc: BaseException) -> bool:
    """Whether ``exc`` is a lock the database could not grant in time (not a constraint, not a lost
    connection)."""
    if not isinstance(exc, DBAPIError) or exc.connection_invalidated:
        return False
    orig = exc.orig
    sqlstate = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    if sqlstate is not None:
        return sqlstate in LOCK_SQLSTATES
    message = str(orig).lower()
    return isinstance(exc, OperationalError) and any(m in message for m in SQLITE_LOCK_MESSAGES)


def busy() -> Busy:
    return Busy(BUSY_DETAIL, extra={"retry_after": RETRY_AFTER_SECONDS})


def has_written(db: Session) -> bool:
    """Whether the session's current transaction has sent any change to the database."""
    return bool(db.info.get(_WROTE))


def retry_locked(db: Session, work: Callable[[], T], *, attempts: int = ATTEMPTS,
                 pause: float = PAUSE_SECONDS, budget: float = BUDGET_SECONDS) -> T:
    """Run ``work`` (which uses ``db``); on a lock failure roll back and run it again, at most
    ``attempts`` times in all and none starting after ``budget`` seconds, then raise :class:`Busy`."""
    replayable = not has_written(db)
    began = time.monotonic()
    for attempt in range(1, attempts + 1):
        try:
            return work()
        except DBAPIError as exc:
            if not is_lock_failure(exc):
                raise
            db.rollback()
            if not replayable or attempt == attempts or time.monotonic() - began > budget:
                log.warning("database busy after %d attempt(s): %s", attempt, exc.orig)
                raise busy() from exc
            log.info("lock wait failed (attempt %d), retrying: %s", attempt, exc.orig)
            time.sleep(pause * 2 ** (attempt - 1))
    raise AssertionError("unreachable")  # pragma: no cover


@event.listens_for(Session, "after_flush")
def _flushed(session: Session, _flush: UOWTransaction) -> None:
    session.info[_WROTE] = True


@event.listens_for(Session, "do_orm_execute")
def _executed(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info[_WROTE] = True


@event.listens_for(Session, "after_transaction_end")
def _ended(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop(_WROTE, None)
