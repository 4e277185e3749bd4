"""The cheaper hot paths keep their behaviour: a design loads from the per-process revision cache only
what was committed, a save reads nothing back, a request finds its session in one query, free slots and
a booking read the designer and their availability in one query each. The statement counts are the
hot paths' budgets (benchmarks/hotpaths measures them with the CPU per request): a change that adds a
query to one of them fails here."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from datetime import time as daytime
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import event, select, update

from backend.db import booking_tables as bt
from backend.db import tables
from backend.design.model import Design
from backend.services import accounts, designs
from backend.services.actor import Actor
from support.api import login, make_user, user_headers
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


def kinds(seen: list[str]) -> list[str]:
    """The first word of each statement, BEGIN and COMMIT left out (as the budgets count them)."""
    return [s.split(None, 1)[0] for s in seen if s.split(None, 1)[0] not in ("BEGIN", "COMMIT")]


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


NOW = datetime(2026, 3, 23, 0, 0, tzinfo=UTC)  # a Monday


def bookable_designer(app: FastAPI) -> str:
    """A Shanghai designer giving online consultations 09-17 every day but Wednesday 25 March (a day off)."""
    app.state.booking_clock = lambda: NOW
    with app.state.sessionmaker() as db:
        store = tables.Store(name="Hot store", timezone="Asia/Shanghai", district="Xuhui")
        db.add(store)
        db.commit()
        email = make_user(app, "designer", store_id=store.id)
        designer = db.scalar(select(tables.User).where(tables.User.email == email))
        assert designer is not None
        db.add(bt.DesignerProfile(user_id=designer.id, services=["online_consultation"]))
        db.add_all(bt.WorkingHours(resource_id=designer.id, weekday=d, start_time=daytime(9), end_time=daytime(17))
                   for d in range(7))
        db.add(bt.AvailabilityException(resource_id=designer.id, day=date(2026, 3, 25), kind="closed",
                                        reason="leave"))
        db.commit()
        return designer.id


def test_free_slots_read_the_designer_and_their_availability_in_one_query_each(client: TestClient,
                                                                              app: FastAPI) -> None:
    designer_id = bookable_designer(app)
    headers = user_headers(app, client)
    taken = datetime(2026, 3, 24, 2, 0, tzinfo=UTC)  # Tuesday 10:00 in Shanghai
    assert client.post("/api/bookings", headers=headers, json={
        "designer_id": designer_id, "service": "online_consultation", "start": taken.isoformat()}).status_code == 201
    with statements(app) as seen:
        response = client.get(f"/api/designers/{designer_id}/slots", headers=headers, params={
            "service": "online_consultation", "from": "2026-03-24T00:00:00+08:00", "to": "2026-03-27T00:00:00+08:00"})
    assert response.status_code == 200, response.text
    starts = [datetime.fromisoformat(s["start"]) for s in response.json()["slots"]]
    # hours, the exception and the booking all came through the one query: no slot on the day off, none
    # whose blocked time overlaps the booking's, and the rest of both working days
    assert {(s + timedelta(hours=8)).date() for s in starts} == {date(2026, 3, 24), date(2026, 3, 26)}
    assert taken not in starts and taken - timedelta(minutes=30) not in starts
    assert min(starts) == datetime(2026, 3, 24, 1, 0, tzinfo=UTC)
    assert any(s > taken for s in starts if s.date() == taken.date())
    # the session with its user, the designer with store and profile, the availability
    assert kinds(seen) == ["SELECT"] * 3, seen
    availability = [s for s in seen if "WORKING_HOURS" in s]
    assert len(availability) == 1 and "AVAILABILITY_EXCEPTIONS" in availability[0] and \
        "FROM BOOKINGS" in availability[0], seen


def test_a_booking_takes_three_reads_and_two_writes(client: TestClient, app: FastAPI) -> None:
    designer_id = bookable_designer(app)
    headers = user_headers(app, client)
    start = datetime(2026, 3, 24, 3, 0, tzinfo=UTC)
    body = {"designer_id": designer_id, "service": "online_consultation", "start": start.isoformat()}
    with statements(app) as seen:
        response = client.post("/api/bookings", headers=headers, json=body)
    assert response.status_code == 201, response.text
    # the session, the designer, the availability; the booking and all its cells in one statement
    assert kinds(seen) == ["SELECT", "SELECT", "SELECT", "INSERT", "INSERT"], seen
    assert [s for s in seen if s.startswith("INSERT")][1].startswith("INSERT INTO BOOKING_CELLS")
    with app.state.sessionmaker() as db:
        cells = db.scalars(select(bt.BookingCell.cell_start).where(bt.BookingCell.booking_id == response.json()["id"]))
        assert len(list(cells)) >= 2  # the hour and its buffer: several cells, one statement
    # the availability read now sees it: the same start is taken (409), by the database's cells or the slots
    again = client.post("/api/bookings", headers=login(client, make_user(app)), json=body)
    assert again.status_code == 409, again.text


def test_a_hot_request_makes_one_worker_thread_hop(client: TestClient, app: FastAPI,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The handler runs in a worker thread, and so do the session lookup (``deps.ActorLookup``), the
    answer's serialization and the commit (backend.web.answers), in the same one; the other dependencies
    run on the event loop. A thread hop is a real part of a short request's CPU: one more on a hot path
    fails here."""
    import anyio.to_thread

    designer_id = bookable_designer(app)
    headers = user_headers(app, client)
    design = client.post("/api/designs", json={"document": kitchen("Hops")}, headers=headers).json()
    url = f"/api/designs/{design['id']}"
    hops: list[object] = []
    real = anyio.to_thread.run_sync

    async def counted(func: Any, *args: Any, **kwargs: Any) -> Any:
        hops.append(func)
        return await real(func, *args, **kwargs)

    monkeypatch.setattr(anyio.to_thread, "run_sync", counted)
    requests = {
        "load": lambda: client.get(url, headers=headers),
        "save": lambda: client.put(url, headers=headers, json={"base_revision": 1, "document": kitchen("Two", 2)}),
        "quote": lambda: client.get(f"{url}/quote", headers=headers),
        "slots": lambda: client.get(f"/api/designers/{designer_id}/slots", headers=headers,
                                    params={"service": "online_consultation", "from": "2026-03-24T00:00:00+08:00"}),
        "book": lambda: client.post("/api/bookings", headers=headers, json={
            "designer_id": designer_id, "service": "online_consultation", "start": "2026-03-24T10:00:00+08:00"}),
    }
    for name, request in requests.items():
        hops.clear()
        response = request()
        assert response.status_code in (200, 201), (name, response.text)
        assert len(hops) == 1, (name, hops)
    assert client.get(url, headers=headers).json()["revision"] == 2  # the handler's commit holds
