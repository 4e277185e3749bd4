"""Engines and sessions for SQLite (embedded default) and PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import sessionmaker

DEFAULT_POOL_SIZE = 46
"""Connections kept: as many as requests may use the database at once (see backend.main) plus the jobs."""

DEFAULT_WAIT_SECONDS = 20.0


def make_engine(url: str, pool_size: int = DEFAULT_POOL_SIZE, wait_seconds: float = DEFAULT_WAIT_SECONDS) -> Engine:
    """An engine for ``url`` whose pool holds ``pool_size`` connections; waiting for one, and (on SQLite)
    for the write lock, gives up after ``wait_seconds``.

    SQLite holds concurrent writers one at a time: WAL lets readers go on while one writes, the busy
    timeout makes a second writer wait for the lock instead of failing at once, and since the pool waits
    as long as the busy timeout, a request waits for its connection no longer than it would for the lock.
    On PostgreSQL ``lock_timeout`` bounds a wait for a row or table lock the same way.
    The driver begins a transaction only at the first write, so a request's write transaction lasts from
    its first flush to its commit. ``synchronous=NORMAL`` is WAL's safe setting (a power cut may lose the
    last commits, never corrupt the database).
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        pool: dict[str, Any] = {}
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            pool = {"pool_size": pool_size, "max_overflow": 0, "pool_timeout": wait_seconds}
        engine = create_engine(url, connect_args={"timeout": wait_seconds, "check_same_thread": False}, **pool)
        busy_ms = int(wait_seconds * 1000)

        def pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute(f"PRAGMA busy_timeout={busy_ms}")
            cursor.close()

        event.listen(engine, "connect", pragmas)
        return engine
    # PostgreSQL waits for a row or table lock no longer than for a connection either (``lock_timeout``):
    # a request stuck behind a held lock gives up (55P03; see backend.services.transactions) instead of
    # hanging its thread and connection for as long as the other transaction stays open
    connect_args = {"options": f"-c lock_timeout={int(wait_seconds * 1000)}"} \
        if parsed.get_backend_name() == "postgresql" else {}
    return create_engine(url, pool_pre_ping=True, pool_size=min(pool_size, 10),
                         max_overflow=max(0, pool_size - 10), pool_timeout=wait_seconds, connect_args=connect_args)


def make_sessionmaker(engine: Engine) -> sessionmaker[Any]:
    return sessionmaker(bind=engine, expire_on_commit=False)
