"""Bookings over HTTP on SQLite and PostgreSQL: slots from stored hours across time zones, the
double-booking race, the cells constraint, cancel/reschedule rules, design sharing, measurement
→ approval → order gate, ratings with follow-up cases, and the outbox retry."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, event, func, select, text
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.pool import NullPool

from backend.booking.outbox import OutboxMessage
from backend.db import booking_tables as bt
from backend.db import tables
from backend.errors import Busy
from backend.main import create_app
from backend.services import accounts, notifications, transactions
from backend.settings import Settings
from backend.web.booking_schemas import SlotsOut
from support.api import PASSWORD, assert_problem, login, make_user, png_bytes
from support.db import close_app
from support.documents import kitchen

NOW = datetime(2026, 3, 23, 0, 0, tzinfo=UTC)  # a Monday; Berlin moves to summer time on Sunday 29 March


@dataclass
class Clock:
    now: datetime = NOW

    def __call__(self) -> datetime:
        return self.now


@dataclass
class World:
    app: FastAPI
    client: TestClient
    clock: Clock
    store_id: str = ""
    designer_id: str = ""
    designer: dict[str, str] = field(default_factory=dict)
    customer: dict[str, str] = field(default_factory=dict)
    manager: dict[str, str] = field(default_factory=dict)


def add_store(app: FastAPI, tz: str = "Asia/Shanghai", name: str = "Store") -> str:
    with app.state.sessionmaker() as db:
        store = tables.Store(name=name, timezone=tz, district="Xuhui")
        db.add(store)
        db.commit()
        return store.id


def add_designer(app: FastAPI, store_id: str, *, services: tuple[str, ...] = (
        "online_consultation", "store_consultation", "home_measurement"),
        hours: tuple[time, time] = (time(9), time(17)), styles: tuple[str, ...] = ("modern",),
        closed: tuple[date, ...] = ()) -> tuple[str, str]:
    email = make_user(app, "designer", store_id=store_id)
    with app.state.sessionmaker() as db:
        user = db.scalar(select(tables.User).where(tables.User.email == email))
        assert user is not None
        db.add(bt.DesignerProfile(user_id=user.id, styles=list(styles), specialties=["small kitchens"],
                                  services=list(services), years_experience=5, district="Xuhui"))
        for weekday in range(7):
            db.add(bt.WorkingHours(resource_id=user.id, weekday=weekday, start_time=hours[0], end_time=hours[1]))
        for day in closed:
            db.add(bt.AvailabilityException(resource_id=user.id, day=day, kind="closed", reason="leave"))
        db.commit()
        return user.id, email


@pytest.fixture
def world(app: FastAPI, client: TestClient) -> World:
    return make_world(app, client)


def make_world(app: FastAPI, client: TestClient) -> World:
    clock = Clock()
    app.state.booking_clock = clock
    w = World(app, client, clock)
    w.store_id = add_store(app)
    w.designer_id, email = add_designer(app, w.store_id)
    w.designer = login(client, email)
    w.customer = login(client, make_user(app))
    w.manager = login(client, make_user(app, "store_manager", store_id=w.store_id))
    return w


def slot_starts(client: TestClient, headers: dict[str, str], designer_id: str, service: str, start: str,
                end: str) -> list[datetime]:
    response = client.get(f"/api/designers/{designer_id}/slots",
                          params={"service": service, "from": start, "to": end}, headers=headers)
    assert response.status_code == 200, response.text
    return [datetime.fromisoformat(s["start"]) for s in response.json()["slots"]]


def book(w: World, start: datetime, service: str = "store_consultation", headers: dict[str, str] | None = None,
         **extra: Any) -> Any:
    body = {"designer_id": w.designer_id, "service": service, "start": start.isoformat(), **extra}
    return w.client.post("/api/bookings", json=body, headers=headers or w.customer)


def patch(w: World, booking_id: str, headers: dict[str, str], **body: Any) -> Any:
    if isinstance(body.get("start"), datetime):
        body["start"] = body["start"].isoformat()
    return w.client.patch(f"/api/bookings/{booking_id}", json=body, headers=headers)


# Friday 27 March 2026, 10:00 in Shanghai
START = datetime(2026, 3, 27, 2, 0, tzinfo=UTC)


def test_slots_from_stored_hours_across_berlin_dst_and_shanghai(app: FastAPI, client: TestClient) -> None:
    app.state.booking_clock = Clock()
    berlin_id, _ = add_designer(app, add_store(app, "Europe/Berlin", "Berlin"))
    shanghai_id, _ = add_designer(app, add_store(app, "Asia/Shanghai"), closed=(date(2026, 3, 30),))
    headers = login(client, make_user(app))
    berlin = slot_starts(client, headers, berlin_id, "store_consultation", "2026-03-28T00:00:00+01:00",
                         "2026-03-31T00:00:00+02:00")
    # 09:00 local is 08:00Z in winter time and 07:00Z from Sunday on; the last 90-minute start is 15:30 local
    assert berlin[0] == datetime(2026, 3, 28, 8, 0, tzinfo=UTC)
    assert max(s for s in berlin if s.date() == date(2026, 3, 28)) == datetime(2026, 3, 28, 14, 30, tzinfo=UTC)
    assert min(s for s in berlin if s.date() == date(2026, 3, 29)) == datetime(2026, 3, 29, 7, 0, tzinfo=UTC)
    assert max(s for s in berlin if s.date() == date(2026, 3, 30)) == datetime(2026, 3, 30, 13, 30, tzinfo=UTC)
    assert len([s for s in berlin if s.date() == date(2026, 3, 29)]) == 14  # 09:00 … 15:30 every 30 min
    # the answer is the documented model, local times with their offsets (winter and summer time)
    week = {"service": "store_consultation", "from": "2026-03-28T00:00:00+01:00", "to": "2026-03-31T00:00:00+02:00"}
    answer = SlotsOut.model_validate_json(
        client.get(f"/api/designers/{berlin_id}/slots", headers=headers, params=week).content)
    assert answer.resource_id == berlin_id and answer.timezone == "Europe/Berlin"
    assert {s.start_local[-6:] for s in answer.slots} == {"+01:00", "+02:00"}
    assert all(s.blocked_start <= s.start < s.end <= s.blocked_end and s.resource_id == berlin_id
               for s in answer.slots)
    shanghai = slot_starts(client, headers, shanghai_id, "home_measurement", "2026-03-28T00:00:00+08:00",
                           "2026-04-01T00:00:00+08:00")
    days = {(s + timedelta(hours=8)).date() for s in shanghai}
    assert days == {date(2026, 3, 28), date(2026, 3, 29), date(2026, 3, 31)}  # the 30th is a day off
    # a 2 h visit with 30 min travel either side: first start 09:30 local = 01:30Z, last 14:30 local
    assert min(shanghai) == datetime(2026, 3, 28, 1, 30, tzinfo=UTC)
    assert max(s for s in shanghai if s.date() == date(2026, 3, 28)) == datetime(2026, 3, 28, 6, 30, tzinfo=UTC)
    naive = client.get(f"/api/designers/{shanghai_id}/slots", headers=headers,
                       params={"service": "home_measurement", "from": "2026-03-28T00:00:00"})
    assert_problem(naive, 422, "from")
    assert_problem(client.get(f"/api/designers/{shanghai_id}/slots", headers=headers,
                              params={"service": "installation"}), 422, "service")
    assert_problem(client.get("/api/designers/usr-nobody/slots", headers=headers,
                              params={"service": "store_consultation"}), 404)


def test_booked_time_disappears_from_slots_and_search_filters(world: World) -> None:
    w = world
    assert book(w, START).status_code == 201
    starts = slot_starts(w.client, w.customer, w.designer_id, "store_consultation", "2026-03-27T00:00:00+08:00",
                         "2026-03-28T00:00:00+08:00")
    assert START not in starts and START - timedelta(minutes=30) not in starts  # 90 min would overlap
    assert START - timedelta(minutes=60) not in starts and START + timedelta(minutes=90) in starts
    found = w.client.get("/api/designers", params={"service": "home_measurement", "style": "modern"},
                         headers=w.customer).json()
    assert [d["id"] for d in found] == [w.designer_id]
    assert w.client.get("/api/designers", params={"style": "Mediterranean"}, headers=w.customer).json() == []
    busy = {"service": "store_consultation", "from": "2026-03-27T10:00:00+08:00", "to": "2026-03-27T10:30:00+08:00"}
    assert w.client.get("/api/designers", params=busy, headers=w.customer).json() == []
    free = {**busy, "from": "2026-03-27T12:00:00+08:00", "to": "2026-03-27T12:30:00+08:00"}
    assert [d["free_slots"] for d in w.client.get("/api/designers", params=free, headers=w.customer).json()] == [1]
    assert w.client.get("/api/designers", params={"min_rating": 4}, headers=w.customer).json() == []
    profile = w.client.get(f"/api/designers/{w.designer_id}", headers=w.customer).json()
    assert profile["styles"] == ["modern"] and profile["rating_count"] == 0


def test_double_booking_race_has_exactly_one_winner(app: FastAPI, world: World) -> None:
    w = world
    attempts = 8
    headers = [login(w.client, make_user(app)) for _ in range(attempts)]
    barrier = threading.Barrier(attempts)
    results: list[Any] = [None] * attempts

    def attempt(index: int) -> None:
        with TestClient(app) as own:
            body = {"designer_id": w.designer_id, "service": "store_consultation", "start": START.isoformat()}
            barrier.wait()
            results[index] = own.post("/api/bookings", json=body, headers=headers[index])

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(attempts)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    codes = sorted(r.status_code for r in results)
    assert codes == [201] + [409] * (attempts - 1), [r.text for r in results]
    for r in results:
        if r.status_code == 409:
            assert_problem(r, 409)
    with app.state.sessionmaker() as db:
        assert db.scalar(select(func.count()).select_from(bt.Booking)) == 1
        assert db.scalar(select(func.count()).select_from(bt.BookingCell)) == 3  # 90 minutes = 3 cells


@pytest.fixture
def impatient(settings: Settings) -> Iterator[World]:
    """A world whose app waits 0.3 s for a lock (PostgreSQL's lock_timeout, SQLite's busy timeout)."""
    app = create_app(settings.model_copy(update={"db_wait_seconds": 0.3}))
    try:
        with TestClient(app) as client:
            yield make_world(app, client)
    finally:
        close_app(app)


@contextmanager
def cells_locked(app: FastAPI) -> Iterator[Callable[[], None]]:
    """Another connection holds a lock that a new booking's cells must wait for (a table lock on
    PostgreSQL, the write lock on SQLite) until the yielded function releases it."""
    url = app.state.settings.database_url
    if url.startswith("sqlite"):
        other = sqlite3.connect(url.removeprefix("sqlite:///"), timeout=5, check_same_thread=False)
        other.execute("BEGIN IMMEDIATE")
        release: Callable[[], None] = other.rollback
        close: Callable[[], None] = other.close
    else:
        engine = create_engine(url, poolclass=NullPool)
        conn = engine.connect()
        conn.execute(text("LOCK TABLE booking_cells IN SHARE MODE"))  # refuses inserts until released
        release = conn.rollback

        def close() -> None:
            conn.close()
            engine.dispose()
    try:
        yield release
    finally:
        release()
        close()


def test_a_booking_behind_a_held_lock_is_busy_not_slot_taken(impatient: World) -> None:
    """The cells' lock is held by another transaction for longer than the app waits (and its retries):
    the answer is 503 Busy with Retry-After, not 409 "slot taken"; once the lock is gone the same slot
    books."""
    w = impatient
    with cells_locked(w.app):
        response = book(w, START)
    assert_problem(response, 503)
    assert response.json()["type"].endswith("/busy") and "slot" not in response.json()["detail"]
    assert response.headers["retry-after"] == "5"
    with w.app.state.sessionmaker() as db:
        assert db.scalar(select(func.count()).select_from(bt.Booking)) == 0  # nothing half saved
    assert book(w, START).status_code == 201


def test_a_booking_whose_lock_wait_fails_once_is_retried_and_booked(impatient: World) -> None:
    """The first lock wait fails and the lock is freed right then: the retry of the transaction books."""
    w = impatient
    failures: list[BaseException] = []
    with cells_locked(w.app) as release:
        def on_error(context: Any) -> None:
            if transactions.is_lock_failure(context.sqlalchemy_exception):
                failures.append(context.original_exception)
                release()

        event.listen(w.app.state.engine, "handle_error", on_error)
        try:
            response = book(w, START)
        finally:
            event.remove(w.app.state.engine, "handle_error", on_error)
    assert response.status_code == 201, response.text
    assert len(failures) == 1  # one lock wait failed, and the second run of the transaction went through
    assert_problem(book(w, START), 409)  # now the slot really is taken


def test_a_lock_failure_after_earlier_writes_is_not_replayed(app: FastAPI) -> None:
    """The work is rerun only when it is the whole transaction: with a change already sent, a rerun
    after the rollback would drop it, so the first lock failure is Busy at once."""
    locked = OperationalError("INSERT", {}, sqlite3.OperationalError("database is locked"))
    runs: list[int] = []

    def work() -> None:
        runs.append(1)
        raise locked

    with app.state.sessionmaker() as db:
        with pytest.raises(Busy):
            transactions.retry_locked(db, work)
        assert len(runs) == transactions.ATTEMPTS
        runs.clear()
        db.add(tables.Store(name="Earlier", timezone="UTC", district="Xuhui"))
        db.flush()
        with pytest.raises(Busy):
            transactions.retry_locked(db, work)
        assert runs == [1]
        assert db.scalar(select(func.count()).select_from(tables.Store)) == 0  # the rollback took the write
        constraint = IntegrityError("INSERT", {}, sqlite3.IntegrityError("UNIQUE constraint failed"))
        assert not transactions.is_lock_failure(constraint)


def test_overlapping_bookings_with_other_starts_are_refused_by_the_cells(app: FastAPI, world: World) -> None:
    w = world
    first = book(w, START, "home_measurement", address="1 Road, Xuhui", design_id=_design(w))
    assert first.status_code == 201, first.text
    # blocked 09:30–12:30 local: a consultation at 12:00 would overlap the travel buffer
    assert_problem(book(w, START + timedelta(hours=2)), 409)
    # even bypassing every check in Python, the database refuses an overlapping cell
    with app.state.sessionmaker() as db:
        row = bt.Booking(service="store_consultation", performer="designer", resource_id=w.designer_id,
                         customer_id=first.json()["customer_id"], store_id=w.store_id,
                         start_at=START + timedelta(hours=1), end_at=START + timedelta(hours=2, minutes=30),
                         blocked_start=START + timedelta(hours=1), blocked_end=START + timedelta(hours=2, minutes=30))
        db.add(row)
        db.flush()
        db.add_all(bt.BookingCell(booking_id=row.id, resource_id=w.designer_id,
                                  cell_start=START + timedelta(hours=1, minutes=30 * i)) for i in range(3))
        with pytest.raises(IntegrityError):
            db.flush()
        db.rollback()
    assert book(w, START + timedelta(hours=3)).status_code == 201  # after the buffer: free


def _design(w: World, cabinets: int = 1) -> str:
    response = w.client.post("/api/designs", json={"name": "Kitchen", "document": kitchen(cabinets=cabinets)},
                             headers=w.customer)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def test_cancel_and_reschedule_rules(app: FastAPI, world: World) -> None:
    w = world
    booking = book(w, START).json()
    bid = booking["id"]
    other = login(w.client, make_user(app))
    assert_problem(w.client.get(f"/api/bookings/{bid}", headers=other), 404)
    assert_problem(patch(w, bid, other, action="cancel"), 404)
    assert_problem(patch(w, bid, w.designer, action="cancel"), 403)
    assert_problem(patch(w, bid, w.designer, action="decline"), 422, "reason")
    assert_problem(patch(w, bid, w.customer, action="reschedule", start=START + timedelta(minutes=7)), 422, "start")
    moved = patch(w, bid, w.customer, action="reschedule", start=START + timedelta(hours=1))
    assert moved.status_code == 200 and moved.json()["reschedule_count"] == 1
    assert patch(w, bid, w.customer, action="reschedule", start=START + timedelta(hours=2)).status_code == 200
    assert_problem(patch(w, bid, w.customer, action="reschedule", start=START + timedelta(hours=3)), 409, "start")
    # the old time is free again, the new one taken
    assert book(w, START).status_code == 201
    assert_problem(book(w, START + timedelta(hours=2)), 409)
    # the manager may still move it; the designer confirms; late cancellation costs the fee
    assert patch(w, bid, w.manager, action="reschedule", start=START + timedelta(hours=4)).status_code == 200
    assert patch(w, bid, w.designer, action="confirm").json()["status"] == "confirmed"
    w.clock.now = START + timedelta(hours=4) - timedelta(hours=23)
    assert_problem(patch(w, bid, w.customer, action="reschedule", start=START + timedelta(hours=5)), 409)
    cancelled = patch(w, bid, w.customer, action="cancel", reason="ill")
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["late_cancellation"] is True and cancelled.json()["cancellation_fee_cents"] == 10_000
    assert_problem(patch(w, bid, w.customer, action="cancel"), 403)  # already final
    with app.state.sessionmaker() as db:
        assert db.scalar(select(func.count()).select_from(bt.BookingCell).where(bt.BookingCell.booking_id == bid)) == 0
    mine = w.client.get("/api/bookings", headers=w.customer).json()
    assert {b["status"] for b in mine} == {"cancelled", "requested"}
    assert len(w.client.get("/api/bookings", headers=w.manager).json()) == 2


def test_design_share_starts_with_the_booking_and_ends_with_it(world: World) -> None:
    w = world
    design = _design(w)
    assert_problem(w.client.get(f"/api/designs/{design}", headers=w.designer), 404)
    first = book(w, START, design_id=design).json()
    assert w.client.get(f"/api/designs/{design}", headers=w.designer).status_code == 200
    assert patch(w, first["id"], w.customer, action="cancel").status_code == 200
    assert_problem(w.client.get(f"/api/designs/{design}", headers=w.designer), 404)
    second = book(w, START + timedelta(days=1), design_id=design).json()
    assert w.client.get(f"/api/designs/{design}", headers=w.designer).status_code == 200
    assert patch(w, second["id"], w.designer, action="confirm").status_code == 200
    assert_problem(patch(w, second["id"], w.designer, action="complete"), 409)  # not started yet
    w.clock.now = START + timedelta(days=1, hours=1)
    assert patch(w, second["id"], w.designer, action="complete").json()["status"] == "completed"
    assert_problem(w.client.get(f"/api/designs/{design}", headers=w.designer), 404)
    assert_problem(book(w, START + timedelta(days=3), design_id="des-000000000000"), 404, "design_id")


def test_measurement_creates_a_revision_that_must_be_approved_before_ordering(world: World) -> None:
    w = world
    design = _design(w, cabinets=2)
    booking = book(w, START, "home_measurement", address="88 Century Ave, Xuhui", design_id=design)
    assert booking.status_code == 201, booking.text
    bid = booking.json()["id"]
    measured = {"measurement": {"wall_lengths_mm": {"wall-n": 3950}, "ceiling_height_mm": 2650}}
    assert_problem(w.client.post(f"/api/bookings/{bid}/measurement", json=measured, headers=w.designer), 409)
    assert patch(w, bid, w.designer, action="confirm").status_code == 200
    w.clock.now = START
    bad = {"measurement": {"wall_lengths_mm": {"wall-x": 3950}, "ceiling_height_mm": 2650}}
    assert_problem(w.client.post(f"/api/bookings/{bid}/measurement", json=bad, headers=w.designer), 422)
    assert_problem(w.client.post(f"/api/bookings/{bid}/measurement", json=measured, headers=w.customer), 404)
    result = w.client.post(f"/api/bookings/{bid}/measurement", json=measured, headers=w.designer)
    assert result.status_code == 201, result.text
    body = result.json()
    assert body["revision"] == 2 and body["approval"]["status"] == "pending"
    assert body["differences"][0] == {"kind": "wall_length", "target": "wall-n", "drawn_mm": 4000.0,
                                      "measured_mm": 3950.0, "delta_mm": -50.0, "significant": True}
    revisions = w.client.get(f"/api/designs/{design}/revisions", headers=w.customer).json()
    assert revisions[0]["author_id"] == w.designer_id
    blocked = w.client.post(f"/api/designs/{design}/orders", json={"revision": 2}, headers=w.customer)
    assert_problem(blocked, 409, "revision")
    assert_problem(w.client.post(f"/api/designs/{design}/approval", json={"decision": "approve"},
                                 headers=w.designer), 404)
    asked = w.client.post(f"/api/designs/{design}/approval", json={"decision": "request_changes"},
                          headers=w.customer)
    assert_problem(asked, 422, "comment")
    approved = w.client.post(f"/api/designs/{design}/approval", json={"decision": "approve"}, headers=w.customer)
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    order = w.client.post(f"/api/designs/{design}/orders", json={"revision": 2}, headers=w.customer)
    assert order.status_code == 201, order.text


def test_ratings_and_follow_up_cases(app: FastAPI, world: World) -> None:
    w = world
    bid = book(w, START).json()["id"]
    rating = {"stars": 2, "comment": "late and messy", "dimensions": {"punctuality": 1}}
    assert_problem(w.client.post(f"/api/bookings/{bid}/rating", json=rating, headers=w.customer), 409)
    patch(w, bid, w.designer, action="confirm")
    w.clock.now = START + timedelta(hours=2)
    patch(w, bid, w.designer, action="complete")
    assert_problem(w.client.post(f"/api/bookings/{bid}/rating", json=rating, headers=w.designer), 403)
    assert_problem(w.client.post(f"/api/bookings/{bid}/rating", json={**rating, "stars": 6}, headers=w.customer), 422)
    assert_problem(w.client.post(f"/api/bookings/{bid}/rating", json={**rating, "dimensions": {"speed": 3}},
                                 headers=w.customer), 422)
    first = w.client.post(f"/api/bookings/{bid}/rating", json=rating, headers=w.customer)
    assert first.status_code == 201, first.text
    case = first.json()["follow_up"]
    assert case["status"] == "open" and case["comment"] == "late and messy"
    edited = w.client.post(f"/api/bookings/{bid}/rating", json={**rating, "stars": 1}, headers=w.customer)
    assert edited.status_code == 200 and edited.json()["follow_up"] is None  # a case is already open
    w.clock.now += timedelta(days=8)
    assert_problem(w.client.post(f"/api/bookings/{bid}/rating", json=rating, headers=w.customer), 409)
    assert w.client.get(f"/api/designers/{w.designer_id}", headers=w.customer).json()["rating_average"] == 1.0
    assert w.client.get("/api/follow-ups", headers=w.designer).json() == []
    cases = w.client.get("/api/follow-ups", headers=w.manager).json()
    assert [c["id"] for c in cases] == [case["id"]]
    url = f"/api/follow-ups/{case['id']}"
    assert_problem(w.client.patch(url, json={"action": "close", "resolution": "x"}, headers=w.manager), 409)
    assert w.client.patch(url, json={"action": "acknowledge"}, headers=w.manager).json()["status"] == "acknowledged"
    assert_problem(w.client.patch(url, json={"action": "close"}, headers=w.manager), 422, "resolution")
    closed = w.client.patch(url, json={"action": "close", "resolution": "called, refunded"}, headers=w.manager)
    assert closed.json()["status"] == "closed"
    other_manager = login(w.client, make_user(app, "store_manager", store_id=add_store(app)))
    assert_problem(w.client.patch(url, json={"action": "acknowledge"}, headers=other_manager), 404)


class FlakySender:
    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.sent: list[OutboxMessage] = []

    def send(self, message: OutboxMessage) -> None:
        if self.failures > 0:
            self.failures -= 1
            raise ConnectionError("smtp down")
        self.sent.append(message)


def test_outbox_messages_are_rendered_in_the_customer_language_and_retried(app: FastAPI, world: World) -> None:
    w = world
    with app.state.sessionmaker() as db:
        user = db.get(tables.User, w.client.get("/api/me", headers=w.customer).json()["id"])
        assert user is not None
        user.locale = "zh_Hans"
        db.commit()
    bid = book(w, START).json()["id"]
    assert patch(w, bid, w.designer, action="confirm").status_code == 200
    sender = FlakySender(failures=1)
    with app.state.sessionmaker() as db:
        kinds = {k: due for k, due in db.execute(select(bt.OutboxMessage.kind, bt.OutboxMessage.due_at))}
        assert set(kinds) == {"confirmation", "reminder"}
        assert kinds["reminder"] == START - timedelta(hours=24)
        report = notifications.deliver_due(db, sender, NOW)
        db.commit()
        assert (report.sent, report.failed) == (0, 1)
        row = db.scalar(select(bt.OutboxMessage).where(bt.OutboxMessage.kind == "confirmation"))
        assert row is not None and row.attempts == 1 and row.last_error and "smtp down" in row.last_error
        assert row.language == "zh-Hans" and "已确认" in row.subject
        assert notifications.deliver_due(db, sender, NOW + timedelta(seconds=30)).sent == 0  # still waiting
        assert notifications.deliver_due(db, sender, NOW + timedelta(minutes=1)).sent == 1
        assert notifications.deliver_due(db, sender, START - timedelta(hours=24)).sent == 1  # the reminder
        db.commit()
        assert [m.kind for m in sender.sent] == ["confirmation", "reminder"]
    w.clock.now = START - timedelta(hours=30)
    assert patch(w, bid, w.customer, action="cancel").status_code == 200
    with app.state.sessionmaker() as db:
        statuses = sorted((k, st) for k, st in db.execute(select(bt.OutboxMessage.kind, bt.OutboxMessage.status)))
        assert ("cancellation", "pending") in statuses


def test_service_requests_and_installation_booking(app: FastAPI, world: World) -> None:
    w = world
    design = _design(w)
    submitted = w.client.post(f"/api/designs/{design}/orders", json={"revision": 1}, headers=w.customer)
    assert submitted.status_code == 201, submitted.text
    order = submitted.json()
    body = {"kind": "repair", "description": "hinge broke", "part_id": "P-12"}
    assert_problem(w.client.post(f"/api/orders/{order['id']}/service-requests", json=body, headers=w.customer), 409)
    with app.state.sessionmaker() as db:
        team = bt.InstallerTeam(name="Team", store_id=w.store_id, districts=["Xuhui"])
        db.add(team)
        db.flush()
        db.add(bt.WorkingHours(resource_id=team.id, weekday=4, start_time=time(8), end_time=time(18)))
        installer = accounts.create_user(db, "fitter@example.com", PASSWORD, "installer", "Fitter")
        db.add(bt.InstallerTeamMember(team_id=team.id, user_id=installer.id))
        row = db.get(tables.Order, order["id"])
        assert row is not None
        row.status = "shipped"
        db.commit()
        team_id = team.id
    slots = w.client.get(f"/api/teams/{team_id}/slots", params={"from": "2026-03-27T00:00:00+08:00"},
                         headers=w.customer).json()["slots"]
    assert slots and slots[0]["start"].startswith("2026-03-27T00:30")  # 08:30 local after the travel buffer
    booked = w.client.post("/api/bookings", json={"team_id": team_id, "service": "installation",
                                                  "start": slots[0]["start"], "order_id": order["id"],
                                                  "address": "88 Century Ave, Xuhui"}, headers=w.customer)
    assert booked.status_code == 201, booked.text
    fitter = login(w.client, "fitter@example.com")
    bid = booked.json()["id"]
    assert [b["id"] for b in w.client.get("/api/bookings", headers=fitter).json()] == [bid]
    assert patch(w, bid, fitter, action="confirm").status_code == 200
    assert_problem(patch(w, bid, fitter, action="arrive"), 409)
    w.clock.now = datetime.fromisoformat(slots[0]["start"]) - timedelta(minutes=10)
    assert patch(w, bid, fitter, action="arrive").json()["arrived_at"]
    issue = patch(w, bid, fitter, action="report_issue", description="wall not plumb")
    assert issue.json()["issues"][0]["description"] == "wall not plumb"
    # photos of the work from the fitter's phone: their own uploads only; the customer sees them, others 404
    upload = w.client.post("/api/uploads", files={"file": ("done.png", png_bytes(), "image/png")}, headers=fitter)
    assert upload.status_code == 201, upload.text
    photo = upload.json()["id"]
    shown = patch(w, bid, fitter, action="add_photos", description="base units levelled", photo_ids=[photo])
    assert shown.status_code == 200 and shown.json()["issues"][-1] == {
        **shown.json()["issues"][-1], "kind": "work", "photo_ids": [photo], "description": "base units levelled"}
    assert_problem(patch(w, bid, fitter, action="add_photos", photo_ids=[]), 422, "photo_ids")
    own = w.client.post("/api/uploads", files={"file": ("mine.png", png_bytes(), "image/png")}, headers=w.customer)
    assert_problem(patch(w, bid, w.customer, action="add_photos", photo_ids=[own.json()["id"]]), 403)
    assert_problem(patch(w, bid, w.customer, action="add_photos", photo_ids=[photo]), 404)  # not theirs
    image = w.client.get(f"/api/bookings/{bid}/photos/{photo}", headers=w.customer)
    assert image.status_code == 200 and image.headers["content-type"] == "image/png"
    assert_problem(w.client.get(f"/api/bookings/{bid}/photos/{photo}",
                                headers=login(w.client, make_user(app))), 404)
    with app.state.sessionmaker() as db:
        row = db.get(tables.Order, order["id"])
        assert row is not None
        row.status = "installed"
        db.commit()
    created = w.client.post(f"/api/orders/{order['id']}/service-requests", json=body, headers=w.customer)
    assert created.status_code == 201 and created.json()["store_id"] == w.store_id
    assert [r["id"] for r in w.client.get("/api/service-requests", headers=w.manager).json()] == [created.json()["id"]]
    assert_problem(w.client.post(f"/api/orders/{order['id']}/service-requests", json=body, headers=fitter), 404)


def test_an_on_site_visit_outside_the_service_area_is_refused(world: World) -> None:
    """A home measurement at an address in none of the districts the designer (or their store) serves is
    refused, naming the address and the districts; one in the area is booked."""
    w = world
    design = _design(w)
    far = book(w, START, "home_measurement", address="99 Nanjing Road, Huangpu", design_id=design)
    body = assert_problem(far, 422, "address")
    assert "Huangpu" in body["detail"] and "Xuhui" in body["detail"] and body["districts"] == ["Xuhui"]
    assert w.client.get("/api/bookings", headers=w.customer).json() == []
    near = book(w, START, "home_measurement", address="99 Tianyaoqiao Road, xuhui", design_id=design)
    assert near.status_code == 201, near.text


def test_a_booking_looks_its_designer_up_once_and_not_past_the_request(world: World) -> None:
    """The designer behind a booking is loaded once per request, store and profile with them (the slot
    check asks again), and no later request sees that copy: a designer disabled since is no longer bookable."""
    seen: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        seen.append(statement)

    event.listen(world.app.state.engine, "before_cursor_execute", record)
    try:
        response = book(world, START)
    finally:
        event.remove(world.app.state.engine, "before_cursor_execute", record)
    assert response.status_code == 201, response.text
    # one query for the designer with their store and profile (the slot check asks again: no query), and
    # none for a team of that id
    assert len([s for s in seen if "JOIN designer_profiles" in s]) == 1, seen
    assert not any("installer_teams" in s for s in seen), seen
    with world.app.state.sessionmaker() as db:
        designer = db.get(tables.User, world.designer_id)
        assert designer is not None
        designer.is_active = False
        db.commit()
    assert_problem(book(world, START + timedelta(hours=2)), 404)


def test_slots_of_someone_who_is_not_a_bookable_designer_are_404(app: FastAPI, world: World) -> None:
    w = world
    params = {"service": "store_consultation", "from": "2026-03-27T00:00:00+08:00"}
    customer_id = w.client.get("/api/me", headers=w.customer).json()["id"]
    no_profile, _ = add_designer(app, w.store_id)
    with app.state.sessionmaker() as db:
        profile = db.get(bt.DesignerProfile, no_profile)
        assert profile is not None
        db.delete(profile)
        db.commit()
    for who, words in ((customer_id, "no designer"), ("usr-000000000000", "no designer"),
                       (no_profile, "no public profile")):
        response = w.client.get(f"/api/designers/{who}/slots", params=params, headers=w.customer)
        assert_problem(response, 404)
        assert words in response.json()["detail"]
    assert w.client.get(f"/api/designers/{w.designer_id}/slots", params=params, headers=w.customer).status_code == 200


def test_the_slots_answer_is_the_models_json_and_a_slot_kept_once_serves_every_zone() -> None:
    """The slots endpoints join each slot's JSON kept from earlier answers: the text is exactly the
    ``SlotsOut`` model's, a slot's local start follows the zone asked for even once it is kept for another,
    and a booked slot simply drops out of the next answer."""
    from zoneinfo import ZoneInfo

    from backend.booking.availability import Slot, TimeRange
    from backend.web.booking_schemas import slots_json

    t0 = datetime(2027, 3, 28, 0, 30, tzinfo=UTC)  # Berlin springs forward an hour later
    week = [Slot("designer-\"7\"", "online_consultation", t0 + timedelta(hours=i), t0 + timedelta(hours=i, minutes=45),
                 TimeRange(t0 + timedelta(hours=i, minutes=-15), t0 + timedelta(hours=i, minutes=60)))
            for i in range(4)]
    for tz in (ZoneInfo("Europe/Berlin"), ZoneInfo("Asia/Shanghai"), ZoneInfo("Europe/Berlin")):
        for slots in (week, week[1:], []):
            model = SlotsOut.model_validate({"resource_id": "designer-\"7\"", "service": "online_consultation",
                                             "timezone": tz.key, "slots": [
                {"resource_id": s.resource_id, "service": s.service, "start": s.start, "end": s.end,
                 "start_local": s.start.astimezone(tz).isoformat(), "blocked_start": s.blocked.start,
                 "blocked_end": s.blocked.end} for s in slots]})
            text = slots_json("designer-\"7\"", "online_consultation", tz, slots)
            assert text == model.model_dump_json()
            assert SlotsOut.model_validate_json(text) == model
    berlin = SlotsOut.model_validate_json(slots_json("d", "online_consultation", ZoneInfo("Europe/Berlin"), week))
    assert [s.start_local[11:] for s in berlin.slots[:3]] == ["01:30:00+01:00", "03:30:00+02:00", "04:30:00+02:00"]
