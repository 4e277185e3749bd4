"""A booking's service fee in escrow, over HTTP and in the services, on SQLite and PostgreSQL: the fee of
a home measurement is held for the booking's store, is not released while the booking is only confirmed
(nor by its completion alone), is released once the booking is completed and the customer accepts, is
refunded when the store cancels or declines it (or the customer cancels, or nobody was there), and is
never released twice, even by concurrent acceptances."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from backend.booking.service_types import DEFAULT_RULES, ServiceCode
from backend.commerce.escrow import RELEASE_DEADLINE, TestProvider
from backend.errors import Conflict
from backend.services import escrow
from support.api import PASSWORD, assert_problem, login, make_user
from support.commerce import store_and_designer, user
from support.documents import kitchen
from support.threads import all_at_once

NOW = datetime(2026, 3, 23, 0, 0, tzinfo=UTC)  # a Monday
START = datetime(2026, 3, 27, 2, 0, tzinfo=UTC)  # Friday 10:00 in Shanghai
FEE = DEFAULT_RULES.fee_cents(ServiceCode.HOME_MEASUREMENT)


@dataclass
class Shop:
    app: FastAPI
    client: TestClient
    clock: dict[str, datetime]
    designer_id: str
    designer: dict[str, str]
    manager: dict[str, str]
    customer: dict[str, str]
    customer_email: str
    design_id: str


@pytest.fixture
def shop(app: FastAPI, client: TestClient) -> Shop:
    clock = {"now": NOW}
    app.state.booking_clock = lambda: clock["now"]
    store_id, designer_id, designer_email = store_and_designer(app, ("home_measurement", "store_consultation"))
    email = make_user(app)
    customer = login(client, email)
    design = client.post("/api/designs", json={"document": kitchen("Fee", 1)}, headers=customer).json()
    return Shop(app, client, clock, designer_id, login(client, designer_email),
                login(client, make_user(app, "store_manager", store_id=store_id)), customer, email, design["id"])


def booked(s: Shop, start: datetime = START, service: str = "home_measurement", confirm: bool = True) -> str:
    extra = {"address": "88 Century Ave, Xuhui", "design_id": s.design_id} if service == "home_measurement" else {}
    made = s.client.post("/api/bookings", json={"designer_id": s.designer_id, "service": service,
                                                "start": start.isoformat(), **extra}, headers=s.customer)
    assert made.status_code == 201, made.text
    if confirm:
        act(s, made.json()["id"], s.designer, "confirm")
    return str(made.json()["id"])


def act(s: Shop, booking_id: str, headers: dict[str, str], action: str) -> None:
    done = s.client.patch(f"/api/bookings/{booking_id}", json={"action": action, "reason": "test"}, headers=headers)
    assert done.status_code == 200, done.text


def pay(s: Shop, booking_id: str) -> dict[str, Any]:
    paid = s.client.post(f"/api/bookings/{booking_id}/escrow", headers=s.customer)
    assert paid.status_code == 201, paid.text
    body: dict[str, Any] = paid.json()
    return body


def hold_of(s: Shop, hold_id: str) -> dict[str, Any]:
    got = s.client.get(f"/api/escrow/{hold_id}", headers=s.customer)
    assert got.status_code == 200, got.text
    body: dict[str, Any] = got.json()
    return body


def test_the_fee_is_held_while_confirmed_and_released_after_completion_and_acceptance(shop: Shop) -> None:
    s = shop
    booking_id = booked(s)
    hold = pay(s, booking_id)
    assert hold["kind"] == "service_fee" and hold["amount_cents"] == FEE == 20_000 and hold["state"] == "held"
    again = s.client.post(f"/api/bookings/{booking_id}/escrow", headers=s.customer)
    assert again.status_code == 200 and again.json()["id"] == hold["id"]
    stranger = login(s.client, make_user(s.app))
    assert_problem(s.client.post(f"/api/bookings/{booking_id}/escrow", headers=stranger), 404, "booking_id")
    assert_problem(s.client.get(f"/api/escrow/{hold['id']}", headers=stranger), 404)
    assert s.client.get(f"/api/escrow/{hold['id']}", headers=s.manager).status_code == 200  # the booking's store
    # only confirmed: neither the customer's acceptance nor the manager's release moves it
    assert_problem(s.client.post(f"/api/escrow/{hold['id']}/accept", headers=s.customer), 409)
    assert_problem(s.client.post(f"/api/escrow/{hold['id']}/release", headers=s.manager), 409)
    s.clock["now"] = START + timedelta(hours=2)
    act(s, booking_id, s.designer, "complete")
    assert hold_of(s, hold["id"])["state"] == "held"  # completed, not yet accepted
    assert_problem(s.client.post(f"/api/escrow/{hold['id']}/release", headers=s.manager), 409)
    accepted = s.client.post(f"/api/escrow/{hold['id']}/accept", headers=s.customer)
    assert accepted.status_code == 200, accepted.text
    body = accepted.json()
    assert body["state"] == "released" and body["events"][-1]["reason"] == "the customer accepted the work"
    assert body["events"][-1]["actor_id"] == user(s.app, s.customer_email).id
    assert_problem(s.client.post(f"/api/escrow/{hold['id']}/accept", headers=s.customer), 409)
    assert_problem(s.client.post(f"/api/escrow/{hold['id']}/release", headers=s.manager), 409)
    assert [e["to"] for e in hold_of(s, hold["id"])["events"]] == ["authorized", "held", "released"]


def test_without_acceptance_the_deadline_after_completion_releases(shop: Shop) -> None:
    s = shop
    booking_id = booked(s)
    hold = pay(s, booking_id)
    s.clock["now"] = START + timedelta(hours=2)
    act(s, booking_id, s.designer, "complete")
    completed = s.clock["now"]
    s.clock["now"] = completed + RELEASE_DEADLINE - timedelta(minutes=1)
    assert_problem(s.client.post(f"/api/escrow/{hold['id']}/release", headers=s.manager), 409)
    s.clock["now"] = completed + RELEASE_DEADLINE
    done = s.client.post(f"/api/escrow/{hold['id']}/release", headers=s.manager)
    assert done.status_code == 200 and "days passed" in done.json()["events"][-1]["reason"]


def test_a_booking_that_ends_without_the_work_refunds_its_fee(shop: Shop) -> None:
    s = shop
    by_store = booked(s)
    declined = booked(s, START + timedelta(days=1), confirm=False)
    by_customer = booked(s, START + timedelta(days=2))
    no_show = booked(s, START + timedelta(days=3))
    holds = {b: pay(s, b)["id"] for b in (by_store, declined, by_customer, no_show)}
    act(s, by_store, s.manager, "cancel")
    act(s, declined, s.designer, "decline")
    act(s, by_customer, s.customer, "cancel")
    s.clock["now"] = START + timedelta(days=3, hours=1)
    act(s, no_show, s.designer, "no_show")
    reasons = {}
    for booking_id, hold_id in holds.items():
        got = hold_of(s, hold_id)
        assert got["state"] == "refunded" and [e["to"] for e in got["events"]] == ["authorized", "held", "refunded"]
        reasons[booking_id] = got["events"][-1]["reason"]
        assert_problem(s.client.post(f"/api/escrow/{hold_id}/accept", headers=s.customer), 409)
        assert_problem(s.client.post(f"/api/escrow/{hold_id}/release", headers=s.manager), 409)
    assert reasons == {by_store: "the booking was cancelled by the store",
                       declined: "the booking was declined by the store",
                       by_customer: "the booking was cancelled by the customer",
                       no_show: "the visit did not take place (no-show)"}
    assert hold_of(s, holds[by_store])["events"][-1]["actor_id"] != user(s.app, s.customer_email).id
    # an ended booking and a service without a fee take no payment
    cancelled = booked(s, START + timedelta(days=5))
    act(s, cancelled, s.customer, "cancel")
    assert_problem(s.client.post(f"/api/bookings/{cancelled}/escrow", headers=s.customer), 409, "booking_id")
    consultation = booked(s, START + timedelta(days=6), service="store_consultation")
    assert "no fee" in assert_problem(s.client.post(f"/api/bookings/{consultation}/escrow", headers=s.customer),
                                      409, "booking_id")["detail"]


def test_concurrent_acceptances_release_the_fee_once(shop: Shop) -> None:
    s = shop
    booking_id = booked(s)
    hold = pay(s, booking_id)
    s.clock["now"] = START + timedelta(hours=2)
    act(s, booking_id, s.designer, "complete")
    customer = user(s.app, s.customer_email)
    provider = TestProvider()

    def accept(_i: int) -> str:
        with s.app.state.sessionmaker() as db:
            row = escrow.accept(db, customer, hold["id"], s.clock["now"], provider)
            db.commit()
            return row.state

    results = all_at_once(8, accept)
    assert results.count("released") == 1, results
    assert all(isinstance(r, Conflict) for r in results if r != "released"), results
    assert [c for c, _ref in provider.calls] == ["pay_out"]
    assert [e["to"] for e in hold_of(s, hold["id"])["events"]] == ["authorized", "held", "released"]


def test_the_payments_page_pays_the_fee_and_accepts_the_visit(shop: Shop) -> None:
    s = shop
    booking_id = booked(s)
    s.client.cookies.clear()
    s.client.post("/api/auth/login", json={"email": s.customer_email, "password": PASSWORD})
    html = {"Accept": "text/html"}
    page = s.client.get("/payments", headers=html)
    assert page.status_code == 200 and f'id="fee-{booking_id}"' in page.text and "200.00" in page.text
    assert "home measurement" in page.text and "bkg-" not in page.text.split('id="fee-')[1].split(">", 1)[1]
    csrf = s.client.cookies.get("rw_csrf")
    paid = s.client.post(f"/payments/bookings/{booking_id}", data={"csrf_token": csrf}, headers=html,
                         follow_redirects=False)
    assert paid.status_code == 303
    page = s.client.get("/payments", headers={**html, "Accept-Language": "zh-CN"})
    assert f'id="fee-{booking_id}"' not in page.text and "上门量房" in page.text and "保留中" in page.text
    assert "验收并放款" not in page.text  # only confirmed: nothing to accept yet
    again = s.client.post(f"/payments/bookings/{booking_id}", data={"csrf_token": csrf}, headers=html,
                          follow_redirects=False)
    assert again.status_code == 303  # the same fee again is the one already held
    s.clock["now"] = START + timedelta(hours=2)
    act(s, booking_id, s.designer, "complete")
    page = s.client.get("/payments", headers=html)
    hold_id = page.text.split('id="hold-')[1].split('"')[0]
    accepted = s.client.post(f"/payments/{hold_id}/accept", data={"csrf_token": csrf}, headers=html,
                             follow_redirects=False)
    assert accepted.status_code == 303
    assert hold_of(s, hold_id)["state"] == "released"
