"""Engines and sessions for SQLite (embedded default) and PostgreSQL."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import sessionmaker

DEFAULT_POOL_SIZE = 46
"""Connections kept: as many as requests may use the database at once (see backend.main) plus the jobs."""

DEFAULT_WAIT_SECONDS = 20.0


class EncodedJSON(str):
    """A JSON column's value given as JSON text already (a validated document dumped by pydantic's core,
    several times faster than building the dict and encoding it again): stored as it is. Only engines of
    :func:`make_engine` know it; read back, the column gives the decoded value as ever."""


def json_serializer(value: Any) -> str:
    return value if isinstance(value, EncodedJSON) else json.dumps(value)


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
        engine = create_engine(url, connect_args={"timeout": wait_seconds, "check_same_thread": False},
                               json_serializer=json_serializer, **pool)
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
    # every connection the pool opens it keeps (no overflow): with 10 kept and the rest as overflow, each
    # connection beyond the tenth was closed when it came back and a new one opened for the next request,
    # a PostgreSQL backend started (5 ms and more of the server's CPU, then its caches warmed again) for
    # every few requests under load: the load benchmark's 20 s booking run on one process opened 150.
    # The pool opens connections only as requests need them, and never more than ``pool_size`` (the
    # request threads, the job threads and a few spare, see Settings.db_pool_size)
    engine = create_engine(url, pool_size=pool_size, max_overflow=0, pool_timeout=wait_seconds,
                           connect_args=connect_args, json_serializer=json_serializer)
    _ping_idle_connections(engine)
    return engine


PING_AFTER_IDLE_SECONDS = 2.0
"""A pooled connection that has rested longer than this is pinged before use."""


def _ping_idle_connections(engine: Engine) -> None:
    """``pool_pre_ping`` for connections that have rested: a connection back in the pool for more than
    :data:`PING_AFTER_IDLE_SECONDS` is pinged when taken out, and a dead one (the server restarted, a
    firewall dropped it) is replaced before the request sees it. ``pool_pre_ping`` pinged on every
    checkout, a round trip and a fifth of a millisecond of CPU per request; under load a connection
    rests for milliseconds and was just used successfully."""

    @event.listens_for(engine, "checkin")
    def rested(_dbapi_connection: Any, record: Any) -> None:
        record.info["rested_at"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def check(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        since = record.info.pop("rested_at", None)
        if since is None or time.monotonic() - since <= PING_AFTER_IDLE_SECONDS:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as exc:  # the pool drops this connection and checks out another one
            raise DisconnectionError(f"a pooled connection was dead: {exc}") from exc


def make_sessionmaker(engine: Engine) -> sessionmaker[Any]:
    return sessionmaker(bind=engine, expire_on_commit=False)
