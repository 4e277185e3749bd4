"""Service guarantees over HTTP, on SQLite and PostgreSQL: a late arrival and a complaint answered late or
not resolved in time open guarantee cases with points for the customer, once however often the sweep
runs; a customer sees their own cases, a manager their store's."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi import FastAPI
from fastapi.testclient import TestClient

from backend.commerce.guarantees import PromiseKind, load_promises
from support.api import assert_problem, login, make_user
from support.commerce import store_and_designer
from support.documents import kitchen

NOW = datetime(2026, 3, 23, 0, 0, tzinfo=UTC)
START = datetime(2026, 3, 27, 2, 0, tzinfo=UTC)  # Friday 10:00 in Shanghai


def test_missed_promises_open_cases_and_compensate_once(client: TestClient, app: FastAPI) -> None:
    clock = {"now": NOW}
    app.state.booking_clock = lambda: clock["now"]
    store_id, designer_id, designer_email = store_and_designer(app, ("home_measurement",))
    designer = login(client, designer_email)
    manager = login(client, make_user(app, "store_manager", store_id=store_id))
    customer = login(client, make_user(app))
    design = client.post("/api/designs", json={"document": kitchen("Visit")}, headers=customer).json()["id"]
    booked = client.post("/api/bookings", json={"designer_id": designer_id, "service": "home_measurement",
                                                "start": START.isoformat(), "design_id": design,
                                                "address": "8 Riverside Rd, Xuhui"}, headers=customer)
    assert booked.status_code == 201, booked.text
    bid = booked.json()["id"]
    assert client.patch(f"/api/bookings/{bid}", json={"action": "confirm"}, headers=designer).status_code == 200
    clock["now"] = START + timedelta(minutes=20)  # 5 minutes past the promise
    assert client.patch(f"/api/bookings/{bid}", json={"action": "arrive"}, headers=designer).status_code == 200
    clock["now"] = START + timedelta(hours=2)
    assert client.patch(f"/api/bookings/{bid}", json={"action": "complete"}, headers=designer).status_code == 200
    rated = client.post(f"/api/bookings/{bid}/rating", json={"stars": 1, "comment": "late and rude"},
                        headers=customer)
    assert rated.status_code == 201 and rated.json()["follow_up"], rated.text
    promises = load_promises()
    balance = client.get("/api/points", headers=customer).json()["balance"]

    first = client.post("/api/guarantees/sweep", headers=manager)
    assert first.status_code == 200 and [c["kind"] for c in first.json()] == ["arrival"]
    clock["now"] = START + timedelta(hours=2) + timedelta(hours=25)
    second = client.post("/api/guarantees/sweep", headers=manager).json()
    assert [c["kind"] for c in second] == ["complaint_response"]
    assert client.post("/api/guarantees/sweep", headers=manager).json() == []  # once
    case_id = rated.json()["follow_up"]["id"]
    answered = client.patch(f"/api/follow-ups/{case_id}", json={"action": "acknowledge"}, headers=manager)
    assert answered.status_code == 200, answered.text
    closed = client.patch(f"/api/follow-ups/{case_id}", json={"action": "close", "resolution": "apologised"},
                          headers=manager)
    assert closed.status_code == 200, closed.text
    clock["now"] += timedelta(days=5)
    assert client.post("/api/guarantees/sweep", headers=manager).json() == []  # resolved within 72 h

    expected = promises[PromiseKind.ARRIVAL].compensation_points + \
        promises[PromiseKind.COMPLAINT_RESPONSE].compensation_points
    mine = client.get("/api/points", headers=customer).json()
    assert mine["balance"] == balance + expected
    assert {e["reason"] for e in mine["entries"][:2]} == {"compensation"}
    assert sorted(c["kind"] for c in client.get("/api/guarantees", headers=customer).json()) == \
        ["arrival", "complaint_response"]
    assert len(client.get("/api/guarantees", headers=manager).json()) == 2
    other_manager = login(client, make_user(app, "store_manager", store_id=store_and_designer(app)[0]))
    assert client.get("/api/guarantees", headers=other_manager).json() == []
    assert client.post("/api/guarantees/sweep", headers=other_manager).json() == []
    assert client.get("/api/guarantees", headers=login(client, make_user(app))).json() == []
    assert_problem(client.post("/api/guarantees/sweep", headers=customer), 403)
    assert len(client.get("/api/guarantees/promises", headers=customer).json()) == 3
