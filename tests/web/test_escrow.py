"""Escrow over HTTP and in the services, on SQLite and PostgreSQL: a deposit is held, released only
after the installation is accepted (or the deadline after it), refunded when the order is cancelled,
every change recorded with who and why; two concurrent releases pay out once; others' payments 404."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from backend.commerce.escrow import RELEASE_DEADLINE, TestProvider
from backend.errors import Conflict
from backend.services import escrow
from support.api import assert_problem, login, make_user
from support.commerce import user
from support.documents import kitchen
from support.threads import all_at_once

NOW = datetime(2026, 12, 3, 8, 0, tzinfo=UTC)


def ordered(client: TestClient, app: FastAPI) -> dict[str, Any]:
    email = make_user(app)
    owner = login(client, email)
    design = client.post("/api/designs", json={"document": kitchen("Escrow", 2)}, headers=owner).json()
    made = client.post(f"/api/designs/{design['id']}/orders", json={"revision": 1}, headers=owner)
    assert made.status_code == 201, made.text
    return {"owner": owner, "email": email, "admin": login(client, make_user(app, "admin")), **made.json()}


def install(client: TestClient, o: dict[str, Any]) -> None:
    for status in ("accepted", "in_production", "shipped", "installed"):
        assert client.patch(f"/api/orders/{o['id']}", json={"status": status}, headers=o["admin"]).status_code == 200


def test_deposit_held_until_the_installation_is_accepted(client: TestClient, app: FastAPI) -> None:
    app.state.booking_clock = lambda: NOW
    o = ordered(client, app)
    total = o["quote"]["total_cents"]
    assert_problem(client.post(f"/api/orders/{o['id']}/escrow", json={"kind": "order_deposit",
                                                                      "amount_cents": total + 1},
                               headers=o["owner"]), 422, "amount_cents")
    paid = client.post(f"/api/orders/{o['id']}/escrow", json={"kind": "order_deposit", "amount_cents": 10_000},
                       headers=o["owner"])
    assert paid.status_code == 201, paid.text
    hold = paid.json()
    assert hold["state"] == "held" and [e["to"] for e in hold["events"]] == ["authorized", "held"]
    again = client.post(f"/api/orders/{o['id']}/escrow", json={"kind": "order_deposit", "amount_cents": 10_000},
                        headers=o["owner"])
    assert again.status_code == 200 and again.json()["id"] == hold["id"]
    assert_problem(client.post(f"/api/escrow/{hold['id']}/release", headers=o["admin"]), 409)
    assert_problem(client.post(f"/api/escrow/{hold['id']}/accept", headers=o["owner"]), 409)
    stranger = login(client, make_user(app))
    assert_problem(client.get(f"/api/escrow/{hold['id']}", headers=stranger), 404)
    assert_problem(client.post(f"/api/escrow/{hold['id']}/accept", headers=stranger), 404)
    assert_problem(client.post(f"/api/orders/{o['id']}/escrow", json={"kind": "order_balance", "amount_cents": 1},
                               headers=stranger), 404)
    install(client, o)
    accepted = client.post(f"/api/escrow/{hold['id']}/accept", headers=o["owner"])
    assert accepted.status_code == 200, accepted.text
    body = accepted.json()
    assert body["state"] == "released" and body["events"][-1]["reason"] == "the customer accepted the work"
    assert body["events"][-1]["actor_id"] == user(app, o["email"]).id
    twice = assert_problem(client.post(f"/api/escrow/{hold['id']}/release", headers=o["admin"]), 409)
    assert "released" in twice["detail"]


def test_without_acceptance_the_deadline_releases_and_a_cancellation_refunds(client: TestClient,
                                                                             app: FastAPI) -> None:
    clock = {"now": NOW}
    app.state.booking_clock = lambda: clock["now"]
    o = ordered(client, app)
    hold = client.post(f"/api/orders/{o['id']}/escrow", json={"kind": "order_deposit", "amount_cents": 5_000},
                       headers=o["owner"]).json()
    install(client, o)  # installed at NOW: the order's status change is stamped with the request clock (#18)
    installed = client.get(f"/api/orders/{o['id']}", headers=o["owner"]).json()["events"][-1]
    assert installed["status"] == "installed" and datetime.fromisoformat(installed["at"]) == NOW
    clock["now"] = NOW + RELEASE_DEADLINE - timedelta(hours=1)
    assert_problem(client.post(f"/api/escrow/{hold['id']}/release", headers=o["admin"]), 409)
    clock["now"] = NOW + RELEASE_DEADLINE + timedelta(minutes=1)
    done = client.post(f"/api/escrow/{hold['id']}/release", headers=o["admin"])
    assert done.status_code == 200 and "days passed" in done.json()["events"][-1]["reason"]
    c = ordered(client, app)
    held = client.post(f"/api/orders/{c['id']}/escrow", json={"kind": "order_deposit", "amount_cents": 5_000},
                       headers=c["owner"]).json()
    assert client.patch(f"/api/orders/{c['id']}", json={"status": "cancelled"}, headers=c["owner"]).status_code == 200
    refunded = client.get(f"/api/escrow/{held['id']}", headers=c["owner"]).json()
    assert refunded["state"] == "refunded" and "cancelled" in refunded["events"][-1]["reason"]
    assert_problem(client.post(f"/api/escrow/{held['id']}/release", headers=c["admin"]), 409)


def test_two_concurrent_releases_pay_out_once(client: TestClient, app: FastAPI) -> None:
    app.state.booking_clock = lambda: NOW
    o = ordered(client, app)
    hold = client.post(f"/api/orders/{o['id']}/escrow", json={"kind": "order_deposit", "amount_cents": 5_000},
                       headers=o["owner"]).json()
    install(client, o)
    owner = user(app, o["email"])
    provider = TestProvider()

    def accept(_i: int) -> str:
        with app.state.sessionmaker() as db:
            row = escrow.accept(db, owner, hold["id"], datetime.now(UTC), provider)
            db.commit()
            return row.state

    results = all_at_once(8, accept)
    assert results.count("released") == 1, results
    assert all(isinstance(r, Conflict) for r in results if r != "released"), results
    assert [c for c, _ref in provider.calls] == ["pay_out"]
    events = client.get(f"/api/escrow/{hold['id']}", headers=o["owner"]).json()["events"]
    assert [e["to"] for e in events] == ["authorized", "held", "released"]


def test_the_payments_page_pays_and_accepts_in_english_and_chinese(client: TestClient, app: FastAPI) -> None:
    app.state.booking_clock = lambda: NOW
    o = ordered(client, app)
    client.post("/api/auth/login", json={"email": o["email"], "password": "correct horse battery"})
    html = {"Accept": "text/html"}
    page = client.get("/payments", headers=html)
    assert page.status_code == 200 and f'id="pay-{o["id"]}"' in page.text
    csrf = client.cookies.get("rw_csrf")
    too_much = client.post(f"/payments/orders/{o['id']}", data={"kind": "order_deposit", "amount": "99999999",
                                                                "csrf_token": csrf}, headers=html)
    assert too_much.status_code == 422 and "still due" in too_much.text
    paid = client.post(f"/payments/orders/{o['id']}", data={"kind": "order_deposit", "amount": "100",
                                                            "csrf_token": csrf}, headers=html, follow_redirects=False)
    assert paid.status_code == 303
    page = client.get("/payments", headers={**html, "Accept-Language": "zh-CN"})
    assert "付款" in page.text and "保留中" in page.text and "验收并放款" not in page.text  # not installed yet
    install(client, o)
    page = client.get("/payments", headers=html)
    hold = page.text.split('id="hold-')[1].split('"')[0]
    accepted = client.post(f"/payments/{hold}/accept", data={"csrf_token": csrf}, headers=html,
                           follow_redirects=False)
    assert accepted.status_code == 303
    assert client.get(f"/api/escrow/{hold}", headers=o["owner"]).json()["state"] == "released"
    again = client.post(f"/payments/{hold}/accept", data={"csrf_token": csrf}, headers=html)
    assert again.status_code == 409


def test_the_order_page_shows_points_and_held_payments_under_the_quoted_total(client: TestClient,
                                                                               app: FastAPI) -> None:
    from backend.commerce.points import PointsReason
    from backend.services import points

    app.state.booking_clock = lambda: NOW
    o = ordered(client, app)
    with app.state.sessionmaker() as db:
        points.award(db, user(app, o["email"]).id, PointsReason.COMPENSATION, "gift", 1_000)
        db.commit()
    assert client.post(f"/api/orders/{o['id']}/redemption", json={"points": 1_000},
                       headers=o["owner"]).status_code == 201
    assert client.post(f"/api/orders/{o['id']}/escrow", json={"kind": "order_deposit", "amount_cents": 20_000},
                       headers=o["owner"]).status_code == 201
    client.post("/api/auth/login", json={"email": o["email"], "password": "correct horse battery"})
    page = client.get(f"/orders/{o['id']}", headers={"Accept": "text/html"})
    assert page.status_code == 200, page.text
    total = o["quote"]["total_cents"]
    assert f"{total / 100:.2f}" in page.text  # the quoted total stays the price rule's
    assert 'id="order-points"' in page.text and "−10.00" in page.text and "−200.00" in page.text
    due = page.text.split('id="order-due">')[1].split("<")[0]
    assert due.endswith(f"{(total - 1_000 - 20_000) / 100:.2f}")
