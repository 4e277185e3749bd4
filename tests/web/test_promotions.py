"""Packages and promotions over HTTP and in the services, on SQLite and PostgreSQL: a manager defines a
package and a promotion, customers pre-book inside the window, a burst of 50 pre-bookings for 10 places
sells exactly 10, a pre-booking becomes a home measurement appointment, others' objects answer 404."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from backend.booking.service_types import DEFAULT_RULES
from backend.db import booking_tables as bt
from backend.db import commerce_tables as ct
from backend.db import tables
from backend.errors import Conflict
from backend.services import accounts, promotions
from backend.services.actor import Actor
from support.api import PASSWORD, assert_problem, login, make_user
from support.commerce import user
from support.documents import kitchen
from support.threads import all_at_once

NOW = datetime(2026, 3, 23, 0, 0, tzinfo=UTC)  # a Monday
HTML = {"Accept": "text/html"}


@pytest.fixture
def shop(app: FastAPI, client: TestClient) -> dict[str, Any]:
    app.state.booking_clock = lambda: NOW
    with app.state.sessionmaker() as db:
        store = tables.Store(name="Xuhui showroom", timezone="Asia/Shanghai", district="Xuhui")
        other = tables.Store(name="Elsewhere", timezone="Asia/Shanghai", district="Pudong")
        db.add_all([store, other])
        db.commit()
        store_id, other_id = store.id, other.id
    manager_email = make_user(app, "store_manager", store_id=store_id)
    manager = login(client, manager_email)
    package = client.post("/api/packages", json={
        "name": "Kitchen + wardrobe", "price_per_metre_cents": 180_000,
        "inclusions": ["carcasses", "doors", "soft-close hinges"],
        "surcharges_per_metre_cents": {"quartz top": 60_000}}, headers=manager)
    assert package.status_code == 201, package.text
    promo = client.post("/api/promotions", json={
        "package_id": package.json()["id"], "title": "Double 12", "starts_at": NOW.isoformat(),
        "ends_at": (NOW + timedelta(days=2)).isoformat(), "places": 10, "deposit_cents": 9_900}, headers=manager)
    assert promo.status_code == 201, promo.text
    return {"store_id": store_id, "other_store_id": other_id, "manager": manager, "manager_email": manager_email,
            "package": package.json(), "promotion": promo.json()}


def test_a_manager_defines_a_package_and_a_promotion(client: TestClient, app: FastAPI, shop: dict[str, Any]) -> None:
    promo = shop["promotion"]
    assert promo["places_left"] == 10 and promo["open"] and promo["deposit_cents"] == 9_900
    assert promo["package"]["inclusions"] == ["carcasses", "doors", "soft-close hinges"]
    m = shop["manager"]
    bad = client.post("/api/promotions", json={
        "package_id": shop["package"]["id"], "title": "Backwards", "starts_at": NOW.isoformat(),
        "ends_at": NOW.isoformat(), "places": 10, "deposit_cents": 9_900}, headers=m)
    assert_problem(bad, 422, "ends_at")
    customer = login(client, make_user(app))
    assert_problem(client.post("/api/packages", json={"name": "X", "price_per_metre_cents": 1, "inclusions": ["a"]},
                               headers=customer), 403)
    other_manager = login(client, make_user(app, "store_manager", store_id=shop["other_store_id"]))
    assert_problem(client.get(f"/api/promotions/{promo['id']}", headers=other_manager), 404)
    assert_problem(client.get(f"/api/promotions/{promo['id']}/prebookings", headers=other_manager), 404)
    assert_problem(client.post("/api/promotions", json={
        "package_id": shop["package"]["id"], "title": "Theirs", "starts_at": NOW.isoformat(),
        "ends_at": (NOW + timedelta(days=1)).isoformat(), "places": 1, "deposit_cents": 100}, headers=other_manager),
        404, "package_id")
    assert client.get("/api/promotions", headers=other_manager).json() == []
    assert [p["id"] for p in client.get("/api/promotions", headers=customer).json()] == [promo["id"]]


def test_prebooking_takes_one_place_per_customer_inside_the_window(client: TestClient, app: FastAPI,
                                                                   shop: dict[str, Any]) -> None:
    pid = shop["promotion"]["id"]
    customer = login(client, make_user(app))
    first = client.post(f"/api/promotions/{pid}/prebookings", headers=customer)
    assert first.status_code == 201, first.text
    assert first.json()["status"] == "held" and first.json()["deposit_cents"] == 9_900
    assert first.json()["deposit"]["state"] == "held"
    again = client.post(f"/api/promotions/{pid}/prebookings", headers=customer)
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert client.get(f"/api/promotions/{pid}", headers=customer).json()["places_left"] == 9
    other = login(client, make_user(app))
    assert_problem(client.get(f"/api/prebookings/{first.json()['id']}", headers=other), 404)
    assert client.get(f"/api/prebookings/{first.json()['id']}", headers=shop["manager"]).status_code == 200
    assert [p["id"] for p in client.get(f"/api/promotions/{pid}/prebookings", headers=shop["manager"]).json()] == \
        [first.json()["id"]]
    app.state.booking_clock = lambda: NOW + timedelta(days=2)
    late = assert_problem(client.post(f"/api/promotions/{pid}/prebookings", headers=other), 409)
    assert late["detail"] == "This promotion has ended"
    app.state.booking_clock = lambda: NOW - timedelta(minutes=1)
    assert "opens at" in assert_problem(client.post(f"/api/promotions/{pid}/prebookings", headers=other), 409)["detail"]
    assert_problem(client.post(f"/api/promotions/{pid}/prebookings", headers=shop["manager"]), 403)
    assert_problem(client.post("/api/promotions/promo-none/prebookings", headers=other), 404)


def test_fifty_concurrent_prebookings_for_ten_places_sell_exactly_ten(app: FastAPI, shop: dict[str, Any]) -> None:
    pid = shop["promotion"]["id"]
    with app.state.sessionmaker() as db:
        customers = [Actor.of(accounts.create_user(db, f"burst{i}-{pid}@example.com", PASSWORD, "homeowner"))
                     for i in range(50)]
        db.commit()

    def prebook(i: int) -> str:
        with app.state.sessionmaker() as db:
            row, _created = promotions.prebook(db, customers[i], pid, NOW + timedelta(hours=1))
            db.commit()
            return row.id

    results = all_at_once(50, prebook)
    sold = [r for r in results if isinstance(r, str)]
    refused = [r for r in results if isinstance(r, Conflict)]
    assert len(sold) == 10 and len(refused) == 40, [r for r in results if not isinstance(r, str | Conflict)]
    assert {r.detail for r in refused} == {"This promotion is fully booked"}
    with app.state.sessionmaker() as db:
        promo = db.get(ct.Promotion, pid)
        assert promo is not None and promo.places_taken == 10
        assert db.scalar(select(func.count()).select_from(ct.Prebooking)
                         .where(ct.Prebooking.promotion_id == pid)) == 10


def test_the_full_promotion_answers_a_clear_problem_and_page(client: TestClient, app: FastAPI,
                                                            shop: dict[str, Any]) -> None:
    m = shop["manager"]
    one = client.post("/api/promotions", json={
        "package_id": shop["package"]["id"], "title": "One place", "starts_at": NOW.isoformat(),
        "ends_at": (NOW + timedelta(days=1)).isoformat(), "places": 1, "deposit_cents": 500}, headers=m).json()
    assert client.post(f"/api/promotions/{one['id']}/prebookings",
                       headers=login(client, make_user(app))).status_code == 201
    email = make_user(app)
    full = assert_problem(client.post(f"/api/promotions/{one['id']}/prebookings", headers=login(client, email)), 409)
    assert full["detail"] == "This promotion is fully booked"
    client.post("/api/auth/login", json={"email": email, "password": PASSWORD})
    page = client.get("/promotions", headers=HTML)
    assert page.status_code == 200 and "Double 12" in page.text and "One place" in page.text
    assert "Fully booked" in page.text
    csrf = client.cookies.get("rw_csrf")
    refused = client.post(f"/promotions/{one['id']}/prebook", data={"csrf_token": csrf}, headers=HTML,
                          follow_redirects=False)
    assert refused.status_code == 409 and "This promotion is fully booked" in refused.text
    taken = client.post(f"/promotions/{shop['promotion']['id']}/prebook", data={"csrf_token": csrf}, headers=HTML,
                        follow_redirects=False)
    assert taken.status_code == 303
    zh = client.get("/promotions", headers={**HTML, "Accept-Language": "zh-CN"})
    assert "套餐活动" in zh.text and "已预订" in zh.text
    client.cookies.clear()
    client.post("/api/auth/login", json={"email": shop["manager_email"], "password": PASSWORD})
    manager_page = client.get("/store/promotions", headers=HTML)
    assert manager_page.status_code == 200 and "Double 12" in manager_page.text and "1 / 10" in manager_page.text


def _measuring_designer(app: FastAPI, shop: dict[str, Any]) -> tuple[str, Any]:
    """A designer of the promotion's store who takes home measurements every day 9:00–17:00: (e-mail, user)."""
    designer_email = make_user(app, "designer", store_id=shop["store_id"])
    designer = user(app, designer_email)
    with app.state.sessionmaker() as db:
        db.add(bt.DesignerProfile(user_id=designer.id, styles=["modern"], specialties=[],
                                  services=["home_measurement"], years_experience=5, district="Xuhui"))
        for weekday in range(7):
            db.add(bt.WorkingHours(resource_id=designer.id, weekday=weekday, start_time=time(9), end_time=time(17)))
        db.commit()
    return designer_email, designer


def test_a_prebooking_becomes_a_home_measurement_appointment(client: TestClient, app: FastAPI,
                                                             shop: dict[str, Any]) -> None:
    designer_email, designer = _measuring_designer(app, shop)
    customer = login(client, make_user(app))
    pre = client.post(f"/api/promotions/{shop['promotion']['id']}/prebookings", headers=customer).json()
    start = datetime(2026, 3, 27, 2, 0, tzinfo=UTC)  # Friday 10:00 in Shanghai
    design = client.post("/api/designs", json={"document": kitchen("Promo kitchen")}, headers=customer).json()["id"]
    body = {"designer_id": designer.id, "start": start.isoformat(), "address": "8 Riverside Rd, Xuhui",
            "design_id": design}
    assert_problem(client.post(f"/api/prebookings/{pre['id']}/appointment", json={**body, "design_id": None},
                               headers=customer), 422, "design_id")
    other = login(client, make_user(app))
    assert_problem(client.post(f"/api/prebookings/{pre['id']}/appointment", json=body, headers=other), 404)
    booked = client.post(f"/api/prebookings/{pre['id']}/appointment", json=body, headers=customer)
    assert booked.status_code == 200, booked.text
    assert booked.json()["status"] == "booked" and booked.json()["booking_id"]
    appointment = client.get(f"/api/bookings/{booked.json()['booking_id']}", headers=customer).json()
    assert appointment["service"] == "home_measurement" and appointment["status"] == "requested"
    assert_problem(client.post(f"/api/prebookings/{pre['id']}/appointment", json=body, headers=customer), 409)
    no_fee = assert_problem(client.post(f"/api/bookings/{booked.json()['booking_id']}/escrow", headers=customer),
                            409, "booking_id")  # the promotion's deposit is this visit's money held
    assert "pre-booked" in no_fee["detail"]
    deposit = pre["deposit"]["id"]
    assert_problem(client.post(f"/api/escrow/{deposit}/accept", headers=customer), 409)  # not measured yet
    bid = booked.json()["booking_id"]
    designer_headers = login(client, designer_email)
    assert client.patch(f"/api/bookings/{bid}", json={"action": "confirm"}, headers=designer_headers).status_code == 200
    app.state.booking_clock = lambda: start + timedelta(hours=2)
    done = client.patch(f"/api/bookings/{bid}", json={"action": "complete"}, headers=designer_headers)
    assert done.status_code == 200, done.text
    released = client.post(f"/api/escrow/{deposit}/accept", headers=customer)
    assert released.status_code == 200 and released.json()["state"] == "released", released.text
    assert client.get(f"/api/escrow/{deposit}", headers=shop["manager"]).status_code == 200  # the store's


def test_a_cancelled_prebooking_frees_its_place_and_refunds_the_deposit(client: TestClient, app: FastAPI,
                                                                       shop: dict[str, Any]) -> None:
    pid = shop["promotion"]["id"]
    customer = login(client, make_user(app))
    pre = client.post(f"/api/promotions/{pid}/prebookings", headers=customer).json()
    assert client.get(f"/api/promotions/{pid}", headers=customer).json()["places_left"] == 9
    assert_problem(client.delete(f"/api/prebookings/{pre['id']}", headers=login(client, make_user(app))), 404)
    cancelled = client.delete(f"/api/prebookings/{pre['id']}", headers=customer)
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["status"] == "cancelled" and cancelled.json()["deposit"]["state"] == "refunded"
    deposit = client.get(f"/api/escrow/{pre['deposit']['id']}", headers=customer).json()
    assert [e["to"] for e in deposit["events"]] == ["authorized", "held", "refunded"]
    assert client.get(f"/api/promotions/{pid}", headers=customer).json()["places_left"] == 10
    assert_problem(client.delete(f"/api/prebookings/{pre['id']}", headers=customer), 409)
    assert_problem(client.post(f"/api/promotions/{pid}/prebookings", headers=customer), 409)


def _appointment(client: TestClient, app: FastAPI, shop: dict[str, Any], start: datetime,
                 confirm: bool = True) -> tuple[dict[str, Any], str, dict[str, str], dict[str, str]]:
    """A customer's pre-booking turned into a home measurement appointment at ``start`` (confirmed):
    (pre-booking, booking id, the customer's headers, the designer's headers)."""
    designer_email, designer = _measuring_designer(app, shop)
    customer = login(client, make_user(app))
    pre = client.post(f"/api/promotions/{shop['promotion']['id']}/prebookings", headers=customer).json()
    design = client.post("/api/designs", json={"document": kitchen("Promo kitchen")}, headers=customer).json()["id"]
    booked = client.post(f"/api/prebookings/{pre['id']}/appointment", json={
        "designer_id": designer.id, "start": start.isoformat(), "address": "8 Riverside Rd, Xuhui",
        "design_id": design}, headers=customer)
    assert booked.status_code == 200, booked.text
    designer_headers = login(client, designer_email)
    bid = booked.json()["booking_id"]
    if confirm:
        assert client.patch(f"/api/bookings/{bid}", json={"action": "confirm"},
                            headers=designer_headers).status_code == 200
    return pre, bid, customer, designer_headers


START = datetime(2026, 3, 27, 2, 0, tzinfo=UTC)  # Friday 10:00 in Shanghai, four days after NOW


@pytest.mark.parametrize(("who", "hours_before", "state", "place_back"), [
    ("store", 2, "refunded", True),       # the store cancels, even at the last moment: refunded
    ("customer", 48, "refunded", True),   # the customer cancels while cancelling is free (24 h before)
    ("customer", 3, "released", False),   # later than that: the deposit goes to the store
])
def test_a_cancelled_appointment_settles_the_deposit_by_rule(client: TestClient, app: FastAPI, shop: dict[str, Any],
                                                             who: str, hours_before: int, state: str,
                                                             place_back: bool) -> None:
    pid = shop["promotion"]["id"]
    pre, bid, customer, _ = _appointment(client, app, shop, START)
    assert client.get(f"/api/promotions/{pid}", headers=customer).json()["places_left"] == 9
    app.state.booking_clock = lambda: START - timedelta(hours=hours_before)
    by = shop["manager"] if who == "store" else customer
    cancelled = client.patch(f"/api/bookings/{bid}", json={"action": "cancel", "reason": "plans changed"}, headers=by)
    assert cancelled.status_code == 200, cancelled.text
    deposit = client.get(f"/api/escrow/{pre['deposit']['id']}", headers=customer).json()
    assert deposit["state"] == state
    last = deposit["events"][-1]
    assert last["from"] == "held" and last["to"] == state
    assert last["actor_id"] == (user(app, shop["manager_email"]).id if who == "store" else
                                client.get("/api/me", headers=customer).json()["id"])
    assert ("store cancelled" if who == "store" else "customer cancelled") in last["reason"]
    assert ("less than 24 h" in last["reason"]) == (state == "released")
    mine = client.get(f"/api/prebookings/{pre['id']}", headers=customer).json()
    assert mine["status"] == ("cancelled" if place_back else "booked")
    assert client.get(f"/api/promotions/{pid}", headers=customer).json()["places_left"] == (10 if place_back else 9)
    # settled once: nothing moves it again
    assert_problem(client.post(f"/api/escrow/{pre['deposit']['id']}/release", headers=shop["manager"]), 409)
    assert len(client.get(f"/api/escrow/{pre['deposit']['id']}", headers=customer).json()["events"]) == \
        len(deposit["events"])


def test_a_late_cancellation_keeps_the_deposit_instead_of_charging_the_late_fee_too(
        client: TestClient, app: FastAPI, shop: dict[str, Any]) -> None:
    """The kept deposit stands in for the booking rules' late-cancellation fee (no double penalty, #18); an
    ordinary appointment cancelled as late still records the fee."""
    pre, bid, customer, _ = _appointment(client, app, shop, START)
    designer_id = client.get(f"/api/bookings/{bid}", headers=customer).json()["resource_id"]
    later = START + timedelta(days=1)
    design = client.post("/api/designs", json={"document": kitchen("Plain kitchen")}, headers=customer).json()["id"]
    plain = client.post("/api/bookings", json={"designer_id": designer_id, "service": "home_measurement",
                                               "start": later.isoformat(), "address": "8 Riverside Rd, Xuhui",
                                               "design_id": design}, headers=customer)
    assert plain.status_code == 201, plain.text
    app.state.booking_clock = lambda: START - timedelta(hours=3)
    cancelled = client.patch(f"/api/bookings/{bid}", json={"action": "cancel", "reason": "plans changed"},
                             headers=customer)
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["late_cancellation"] is True and cancelled.json()["cancellation_fee_cents"] == 0
    assert client.get(f"/api/bookings/{bid}", headers=customer).json()["cancellation_fee_cents"] == 0
    deposit = client.get(f"/api/escrow/{pre['deposit']['id']}", headers=customer).json()
    assert deposit["state"] == "released" and deposit["amount_cents"] == shop["promotion"]["deposit_cents"]
    page = client.get(f"/bookings/{bid}", headers={**customer, **HTML})
    assert page.status_code == 200 and "Late cancellation fee" not in page.text
    app.state.booking_clock = lambda: later - timedelta(hours=3)
    ordinary = client.patch(f"/api/bookings/{plain.json()['id']}", json={"action": "cancel"}, headers=customer)
    assert ordinary.status_code == 200, ordinary.text
    assert ordinary.json()["late_cancellation"] is True
    rules = getattr(app.state, "booking_rules", DEFAULT_RULES)
    assert ordinary.json()["cancellation_fee_cents"] == rules.late_cancellation_fee_cents > 0


def test_a_declined_appointment_refunds_and_a_no_show_forfeits(client: TestClient, app: FastAPI,
                                                              shop: dict[str, Any]) -> None:
    asked, requested, customer, designer = _appointment(client, app, shop, START, confirm=False)
    declined = client.patch(f"/api/bookings/{requested}", json={"action": "decline", "reason": "fully booked"},
                            headers=designer)
    assert declined.status_code == 200, declined.text
    deposit = client.get(f"/api/escrow/{asked['deposit']['id']}", headers=customer).json()
    assert deposit["state"] == "refunded" and "declined" in deposit["events"][-1]["reason"]
    pre, bid, customer, designer = _appointment(client, app, shop, START)
    app.state.booking_clock = lambda: START + timedelta(hours=1)
    missed = client.patch(f"/api/bookings/{bid}", json={"action": "no_show"}, headers=designer)
    assert missed.status_code == 200, missed.text
    deposit = client.get(f"/api/escrow/{pre['deposit']['id']}", headers=customer).json()
    assert deposit["state"] == "released" and "no-show" in deposit["events"][-1]["reason"]
