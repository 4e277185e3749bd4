"""Points over HTTP and in the services, on SQLite and PostgreSQL: earning where the events happen (a
rating, an installed order, a referral), redeeming within the brand's limit and the balance, double
submits, refunds on cancellation, the points page in English and Chinese, other people's orders (404),
and races: 20 concurrent redemptions never take the balance below zero."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from backend.db import commerce_tables as ct
from backend.db import tables
from backend.errors import Conflict
from backend.services import points
from support.api import assert_problem, login, make_user
from support.commerce import give, ledger_sum, order_row, store_and_designer, user
from support.documents import kitchen
from support.threads import all_at_once

HTML = {"Accept": "text/html"}


def test_redeem_within_limit_and_balance_once_per_order(client: TestClient, app: FastAPI) -> None:
    email = make_user(app)
    owner, headers = user(app, email), login(client, email)
    give(app, owner.id, 5_000)
    order = order_row(app, owner.id, 100_000)  # 1,000.00: at most 10 % = 10,000 points
    too_many = assert_problem(client.post(f"/api/orders/{order}/redemption", json={"points": 10_001},
                                          headers=headers), 422, "points")
    assert too_many["max_points"] == 10_000
    short = assert_problem(client.post(f"/api/orders/{order}/redemption", json={"points": 6_000}, headers=headers),
                           409, "points")
    assert short["detail"] == "Only 5000 points left"
    assert_problem(client.post(f"/api/orders/{order}/redemption", json={"points": 0}, headers=headers), 422)
    paid = client.post(f"/api/orders/{order}/redemption", json={"points": 3_000}, headers=headers)
    assert paid.status_code == 201, paid.text
    assert paid.json() | {"id": None} == {"id": None, "order_id": order, "points": 3_000, "cents": 3_000,
                                          "due_cents": 97_000, "balance": 2_000}
    again = client.post(f"/api/orders/{order}/redemption", json={"points": 3_000}, headers=headers)
    assert again.status_code == 200 and again.json()["id"] == paid.json()["id"]
    assert_problem(client.post(f"/api/orders/{order}/redemption", json={"points": 100}, headers=headers), 409)
    assert ledger_sum(app, owner.id) == (2_000, 2_000)
    mine = client.get("/api/points", headers=headers).json()
    assert mine["balance"] == 2_000 and [e["reason"] for e in mine["entries"]] == ["redemption", "compensation"]
    assert mine["orders"][0]["redeemed_points"] == 3_000 and mine["orders"][0]["due_cents"] == 97_000


def test_a_cancelled_order_gives_the_points_back_and_production_is_too_late(client: TestClient, app: FastAPI) -> None:
    email = make_user(app)
    owner, headers = user(app, email), login(client, email)
    give(app, owner.id, 1_000)
    order = order_row(app, owner.id, 100_000)
    assert client.post(f"/api/orders/{order}/redemption", json={"points": 800}, headers=headers).status_code == 201
    cancelled = client.patch(f"/api/orders/{order}", json={"status": "cancelled"}, headers=headers)
    assert cancelled.status_code == 200, cancelled.text
    assert ledger_sum(app, owner.id) == (1_000, 1_000)
    with app.state.sessionmaker() as db:
        assert db.get(ct.PointsAccount, owner.id).earned == 1_000  # a refund is not earning
    late = order_row(app, owner.id, 100_000, status="in_production")
    assert_problem(client.post(f"/api/orders/{late}/redemption", json={"points": 10}, headers=headers), 409)


def test_others_orders_are_not_found_and_only_customers_redeem(client: TestClient, app: FastAPI) -> None:
    a_email, b_email = make_user(app), make_user(app)
    a = user(app, a_email)
    give(app, a.id, 1_000)
    order = order_row(app, a.id, 100_000)
    b = login(client, b_email)
    give(app, user(app, b_email).id, 1_000)
    assert_problem(client.post(f"/api/orders/{order}/redemption", json={"points": 10}, headers=b), 404)
    assert_problem(client.post("/api/orders/ord-nothing/redemption", json={"points": 10}, headers=b), 404)
    assert order not in {o["order_id"] for o in client.get("/api/points", headers=b).json()["orders"]}
    factory = login(client, make_user(app, "factory"))
    assert_problem(client.post(f"/api/orders/{order}/redemption", json={"points": 10}, headers=factory), 403)
    assert_problem(client.get("/api/points"), 401)
    assert ledger_sum(app, a.id) == (1_000, 1_000)


def test_twenty_concurrent_redemptions_never_overdraw(app: FastAPI) -> None:
    email = make_user(app)
    owner = user(app, email)
    give(app, owner.id, 100)
    orders = [order_row(app, owner.id, 100_000) for _ in range(20)]

    def redeem(i: int) -> str:
        with app.state.sessionmaker() as db:
            row, _created = points.redeem(db, owner, orders[i], 30)
            db.commit()
            return row.id

    results = all_at_once(20, redeem)
    won = [r for r in results if isinstance(r, str)]
    refused = [r for r in results if isinstance(r, Conflict)]
    assert len(won) == 3 and len(refused) == 17, results  # 100 points pay for three redemptions of 30
    assert all("points left" in r.detail for r in refused)
    assert ledger_sum(app, owner.id) == (10, 10)
    with app.state.sessionmaker() as db:
        rows = db.scalars(select(ct.PointsEntry).where(ct.PointsEntry.user_id == owner.id)).all()
        assert min(r.balance_after for r in rows) >= 0
        assert db.scalar(select(func.count()).select_from(ct.PointRedemption)) == 3


def test_twenty_concurrent_submits_of_one_redemption_make_one(app: FastAPI) -> None:
    owner = user(app, make_user(app))
    give(app, owner.id, 1_000)
    order = order_row(app, owner.id, 100_000)

    def redeem(_i: int) -> tuple[str, bool]:
        with app.state.sessionmaker() as db:
            row, created = points.redeem(db, owner, order, 400)
            db.commit()
            return row.id, created

    results = all_at_once(20, redeem)
    assert all(isinstance(r, tuple) for r in results), results
    assert len({r[0] for r in results}) == 1 and sum(r[1] for r in results) == 1
    assert ledger_sum(app, owner.id) == (600, 600)


def test_a_rating_earns_points_for_the_customer_and_a_good_one_for_the_designer(client: TestClient,
                                                                                app: FastAPI) -> None:
    now = datetime(2026, 3, 23, 0, 0, tzinfo=UTC)
    clock = {"now": now}
    app.state.booking_clock = lambda: clock["now"]
    _store, designer_id, designer_email = store_and_designer(app)
    designer = login(client, designer_email)
    customer_email = make_user(app)
    customer = login(client, customer_email)
    start = datetime(2026, 3, 27, 2, 0, tzinfo=UTC)
    booked = client.post("/api/bookings", json={"designer_id": designer_id, "service": "store_consultation",
                                                "start": start.isoformat()}, headers=customer)
    assert booked.status_code == 201, booked.text
    bid = booked.json()["id"]
    assert client.patch(f"/api/bookings/{bid}", json={"action": "confirm"}, headers=designer).status_code == 200
    clock["now"] = start + timedelta(hours=2)
    assert client.patch(f"/api/bookings/{bid}", json={"action": "complete"}, headers=designer).status_code == 200
    rated = client.post(f"/api/bookings/{bid}/rating", json={"stars": 5, "comment": "great"}, headers=customer)
    assert rated.status_code == 201, rated.text
    rules = points.rules()
    assert client.get("/api/points", headers=customer).json()["balance"] == rules.earn.rating_given
    assert client.get("/api/points", headers=designer).json()["balance"] == rules.earn.rating_received
    edited = client.post(f"/api/bookings/{bid}/rating", json={"stars": 4, "comment": "good"}, headers=customer)
    assert edited.status_code == 200
    assert client.get("/api/points", headers=customer).json()["balance"] == rules.earn.rating_given  # once
    # a tip to the designer after the completed service, in points: once, within the balance
    left = rules.earn.rating_given
    short = assert_problem(client.post(f"/api/bookings/{bid}/tip", json={"points": left + 1}, headers=customer),
                           409, "points")
    assert short["detail"] == f"Only {left} points left"
    assert_problem(client.post(f"/api/bookings/{bid}/tip", json={"points": 5}, headers=login(client, make_user(app))),
                   404)
    tipped = client.post(f"/api/bookings/{bid}/tip", json={"points": 5}, headers=customer)
    assert tipped.status_code == 201 and tipped.json() == {"points": 5, "balance": left - 5}
    assert_problem(client.post(f"/api/bookings/{bid}/tip", json={"points": 5}, headers=customer), 409)
    assert client.get("/api/points", headers=designer).json()["balance"] == rules.earn.rating_received + 5
    assert ledger_sum(app, user(app, customer_email).id) == (left - 5, left - 5)


def test_an_installed_order_earns_points_and_its_referrer_the_referral(client: TestClient, app: FastAPI) -> None:
    referrer_email, new_email = make_user(app), make_user(app)
    referrer = login(client, referrer_email)
    code = client.get("/api/points", headers=referrer).json()["referral_code"]
    new = login(client, new_email)
    assert_problem(client.post("/api/points/referral", json={"code": "NOPE"}, headers=new), 422, "code")
    assert_problem(client.post("/api/points/referral", json={"code": code}, headers=referrer), 422, "code")
    assert client.post("/api/points/referral", json={"code": code.lower()}, headers=new).status_code == 204
    third = login(client, make_user(app))
    other_code = client.get("/api/points", headers=third).json()["referral_code"]
    assert_problem(client.post("/api/points/referral", json={"code": other_code}, headers=new), 409, "code")
    design = client.post("/api/designs", json={"document": kitchen("Earn", 2)}, headers=new).json()
    made = client.post(f"/api/designs/{design['id']}/orders", json={"revision": 1}, headers=new)
    assert made.status_code == 201, made.text
    order = made.json()
    total = order["quote"]["total_cents"]
    give(app, user(app, new_email).id, 500)
    assert client.post(f"/api/orders/{order['id']}/redemption", json={"points": 500}, headers=new).status_code == 201
    admin = login(client, make_user(app, "admin"))
    for status in ("accepted", "in_production", "shipped", "installed"):
        moved = client.patch(f"/api/orders/{order['id']}", json={"status": status}, headers=admin)
        assert moved.status_code == 200, moved.text
    rules = points.rules()
    mine = client.get("/api/points", headers=new).json()
    assert mine["balance"] == (total - 500) // 100  # points on what was paid, not on what points paid
    assert mine["entries"][0]["reason"] == "order_completed"
    assert client.get("/api/points", headers=referrer).json()["balance"] == rules.earn.referral
    with app.state.sessionmaker() as db:  # installing again earns nothing more
        row = db.get(tables.Order, order["id"])
        points.on_order_installed(db, row, None)
        db.commit()
    assert client.get("/api/points", headers=referrer).json()["balance"] == rules.earn.referral
    assert client.get("/api/points", headers=new).json()["balance"] == (total - 500) // 100


def test_points_page_in_english_and_chinese_redeems_through_a_form(client: TestClient, app: FastAPI) -> None:
    email = make_user(app)
    owner = user(app, email)
    give(app, owner.id, 700)
    order = order_row(app, owner.id, 100_000)
    client.post("/api/auth/login", json={"email": email, "password": "correct horse battery"})
    page = client.get("/points", headers=HTML)
    assert page.status_code == 200 and "My points" in page.text and 'id="points-balance"' in page.text
    assert f'id="redeem-{order}"' in page.text
    csrf = client.cookies.get("rw_csrf")
    short = client.post("/points/redeem", data={"order_id": order, "points": "900", "csrf_token": csrf},
                        headers=HTML, follow_redirects=False)
    assert short.status_code == 409 and "Only 700 points left" in short.text
    done = client.post("/points/redeem", data={"order_id": order, "points": "600", "csrf_token": csrf},
                       headers=HTML, follow_redirects=False)
    assert done.status_code == 303, done.text
    zh = client.get("/points?done=redeemed", headers={**HTML, "Accept-Language": "zh-CN"})
    assert "我的积分" in zh.text and "积分已抵扣部分订单金额" in zh.text and "积分抵扣" in zh.text
    assert ledger_sum(app, owner.id) == (100, 100)
    manager = login(client, make_user(app, "store_manager"))
    assert client.get("/points", headers={**HTML, **manager}).status_code == 404
