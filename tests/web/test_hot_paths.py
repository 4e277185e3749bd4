"""The cheaper hot paths keep their behaviour: a design loads from the per-process revision cache only
what was committed, a save reads nothing back, a request finds its session in one query."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import event, update

from backend.db import tables
from backend.design.model import Design
from backend.services import accounts, designs
from backend.services.actor import Actor
from support.api import make_user, user_headers
from support.documents import kitchen


@contextmanager
def statements(app: FastAPI) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        seen.append(" ".join(statement.split()).upper())

    event.listen(app.state.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(app.state.engine, "before_cursor_execute", record)


def owner(app: FastAPI) -> Actor:
    email = make_user(app)
    with app.state.sessionmaker() as db:
        return Actor.of(db.query(tables.User).filter_by(email=email).one())


def test_a_rolled_back_save_never_reaches_the_cache(app: FastAPI) -> None:
    """Revision 2 saved here and rolled back, then another process commits its own revision 2 (written
    here straight into the tables, past this process's cache): a load gives the committed one."""
    actor = owner(app)
    with app.state.sessionmaker() as db:
        design_id = designs.create_design(db, actor, document=kitchen("First")).row.id
        db.commit()
    with app.state.sessionmaker() as db:
        designs.save_design(db, actor, design_id, 1, kitchen("Rolled back", cabinets=3))
        assert designs.get_design(db, actor, design_id).document.name == "Rolled back"  # its own write
        db.rollback()
    with app.state.sessionmaker() as db:
        assert designs.get_design(db, actor, design_id).document.name == "First"
        other = Design.model_validate(kitchen("Committed elsewhere", cabinets=2))
        db.execute(update(tables.Design).where(tables.Design.id == design_id).values(current_revision=2))
        db.add(tables.DesignRevision(design_id=design_id, number=2, document=other.model_dump(mode="json"),
                                     author_id=actor.id))
        db.commit()
    with app.state.sessionmaker() as db:
        view = designs.get_design(db, actor, design_id)
        assert (view.row.current_revision, view.document.name, len(view.document.cabinets)) == (
            2, "Committed elsewhere", 2)


def test_loading_the_latest_revision_again_reads_no_revision(client: TestClient, app: FastAPI) -> None:
    headers = user_headers(app, client)
    design = client.post("/api/designs", json={"document": kitchen("Cached")}, headers=headers).json()
    url = f"/api/designs/{design['id']}"
    saved = client.put(url, json={"base_revision": 1, "document": kitchen("Saved", 2)}, headers=headers).json()
    with statements(app) as seen:
        loaded = client.get(url, headers=headers)
    assert loaded.status_code == 200 and loaded.json()["document"] == saved["document"]
    assert loaded.json()["revision"] == 2 and loaded.json()["updated_at"] == saved["updated_at"]
    assert not any("DESIGN_REVISIONS" in s for s in seen), seen
    designs.documents.clear()  # another process, or an evicted entry: read from the database, same answer
    assert client.get(url, headers=headers).json() == loaded.json()


def test_a_save_writes_and_reads_nothing_back(client: TestClient, app: FastAPI) -> None:
    headers = user_headers(app, client)
    design = client.post("/api/designs", json={"document": kitchen("One")}, headers=headers).json()
    url = f"/api/designs/{design['id']}"
    with statements(app) as seen:
        saved = client.put(url, json={"base_revision": 1, "document": kitchen("Two", 2)}, headers=headers)
    assert saved.status_code == 200 and saved.json()["revision"] == 2 and saved.json()["name"] == "Two"
    selects = [s for s in seen if s.startswith("SELECT")]
    # the session with its user, then the design: nothing read back after the UPDATE and the INSERT
    assert len(selects) == 2, selects
    assert not any(s.startswith("SAVEPOINT") for s in seen), seen
    listed = client.get("/api/designs", headers=headers).json()
    assert [(d["name"], d["current_revision"], d["cabinet_count"]) for d in listed] == [("Two", 2, 2)]
    assert client.get(url, headers=headers).json()["updated_at"] == saved.json()["updated_at"]


def test_a_session_is_found_in_one_query_and_refused_once_expired_or_disabled(client: TestClient,
                                                                            app: FastAPI) -> None:
    headers = user_headers(app, client)
    with statements(app) as seen:
        assert client.get("/api/me", headers=headers).status_code == 200
    assert len([s for s in seen if "FROM SESSIONS" in s]) == 1
    token = headers["Authorization"].removeprefix("Bearer ")
    with app.state.sessionmaker() as db:
        db.execute(update(tables.Session).where(tables.Session.token_hash == accounts.token_hash(token))
                   .values(expires_at=tables.utcnow() - timedelta(seconds=1)))
        db.commit()
    assert client.get("/api/me", headers=headers).status_code == 401
    other = user_headers(app, client)
    with app.state.sessionmaker() as db:
        found = accounts.resolve_session(db, other["Authorization"].removeprefix("Bearer "))
        assert found is not None
        found[0].is_active = False
        db.commit()
    assert client.get("/api/me", headers=other).status_code == 401


def test_a_save_waiting_too_long_for_sqlites_write_lock_is_a_503(settings: object, tmp_path: object) -> None:
    """Another writer holds SQLite's lock past ROOMWRIGHT_DB_WAIT_SECONDS: the save answers 503 (busy, try
    again) with nothing saved, not a 500."""
    import sqlite3

    from backend.main import create_app
    from backend.settings import Settings
    from support.api import assert_problem
    from support.db import close_app

    assert isinstance(settings, Settings)
    if not settings.database_url.startswith("sqlite"):
        return
    app = create_app(settings.model_copy(update={"db_wait_seconds": 0.3}))
    try:
        with TestClient(app, raise_server_exceptions=False) as client:
            headers = user_headers(app, client)
            design = client.post("/api/designs", json={"document": kitchen("Busy")}, headers=headers).json()
            other = sqlite3.connect(settings.database_url.removeprefix("sqlite:///"), timeout=5)
            other.execute("BEGIN IMMEDIATE")  # holds the write lock
            try:
                response = client.put(f"/api/designs/{design['id']}", headers=headers,
                                      json={"base_revision": 1, "document": kitchen("Blocked", 2)})
            finally:
                other.rollback()
                other.close()
            assert_problem(response, 503)
            assert response.headers["retry-after"] == "5"
            assert client.get(f"/api/designs/{design['id']}", headers=headers).json()["revision"] == 1
    finally:
        close_app(app)


def test_a_rested_dead_connection_is_replaced_and_a_busy_one_is_not_pinged(database_url: str,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """PostgreSQL: a pooled connection that rested past PING_AFTER_IDLE_SECONDS is pinged when taken
    out, and one the server killed meanwhile is replaced before the caller sees it; a connection
    taken out again right away is not pinged (no round trip per request)."""
    from sqlalchemy import text

    from backend.db import engine as engine_module

    if not database_url.startswith("postgresql"):
        return
    engine = engine_module.make_engine(database_url, pool_size=2)
    pings: list[object] = []
    real_ping = engine.dialect.do_ping
    monkeypatch.setattr(engine.dialect, "do_ping", lambda conn: pings.append(conn) or real_ping(conn))
    try:
        with engine.connect() as conn:
            first_pid = conn.execute(text("SELECT pg_backend_pid()")).scalar()
        with engine.connect() as conn:  # just back in the pool: used without a ping
            assert conn.execute(text("SELECT pg_backend_pid()")).scalar() == first_pid
        assert pings == []
        with engine_module.make_engine(database_url, pool_size=1).connect() as killer:
            killer.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": first_pid})
        monkeypatch.setattr(engine_module, "PING_AFTER_IDLE_SECONDS", 0.0)
        time.sleep(0.05)
        with engine.connect() as conn:  # rested and dead: pinged, replaced, and the query works
            assert conn.execute(text("SELECT pg_backend_pid()")).scalar() != first_pid
        assert len(pings) >= 1
    finally:
        engine.dispose()
