"""Service guarantees compensated in money, on SQLite and PostgreSQL: a late arrival refunds the rule's share
of the booking's held service fee (the rest stays held and is released on acceptance), once however many
sweeps run at once; without a held fee the points stand in and the case says so; a partial refund never
gives back more than is held; the payments page shows the compensation in English and Chinese."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from backend.commerce.escrow import HoldKind, TestProvider, partial_refund_cents
from backend.commerce.guarantees import PromiseKind, Refund, load_promises
from backend.db import commerce_tables as ct
from backend.services import escrow, guarantees
from support.api import login, make_user
from support.commerce import store_and_designer
from support.documents import kitchen
from support.threads import all_at_once

NOW = datetime(2026, 3, 23, 0, 0, tzinfo=UTC)
START = datetime(2026, 3, 27, 2, 0, tzinfo=UTC)  # Friday 10:00 in Shanghai
HTML = {"Accept": "text/html"}


def late_visit(client: TestClient, app: FastAPI, pay_fee: bool) -> dict[str, Any]:
    """A home measurement (its fee paid into escrow or not) that the designer reaches 20 minutes late."""
    clock = {"now": NOW}
    app.state.booking_clock = lambda: clock["now"]
    store_id, designer_id, designer_email = store_and_designer(app, ("home_measurement",))
    designer = login(client, designer_email)
    manager = login(client, make_user(app, "store_manager", store_id=store_id))
    email = make_user(app)
    customer = login(client, email)
    design = client.post("/api/designs", json={"document": kitchen("Visit")}, headers=customer).json()["id"]
    booked = client.post("/api/bookings", json={"designer_id": designer_id, "service": "home_measurement",
                                                "start": START.isoformat(), "design_id": design,
                                                "address": "8 Riverside Rd, Xuhui"}, headers=customer)
    assert booked.status_code == 201, booked.text
    bid = booked.json()["id"]
    hold = None
    if pay_fee:
        paid = client.post(f"/api/bookings/{bid}/escrow", headers=customer)
        assert paid.status_code == 201, paid.text
        hold = paid.json()
    assert client.patch(f"/api/bookings/{bid}", json={"action": "confirm"}, headers=designer).status_code == 200
    clock["now"] = START + timedelta(minutes=20)  # 5 minutes past the promise
    assert client.patch(f"/api/bookings/{bid}", json={"action": "arrive"}, headers=designer).status_code == 200
    return {"clock": clock, "booking_id": bid, "designer": designer, "manager": manager, "customer": customer,
            "email": email, "hold": hold}


def test_a_late_arrival_refunds_a_share_of_the_held_fee_once(client: TestClient, app: FastAPI) -> None:
    v = late_visit(client, app, pay_fee=True)
    hold = v["hold"]
    rule = load_promises()[PromiseKind.ARRIVAL].refund
    assert rule is not None and rule.hold is HoldKind.SERVICE_FEE
    expected = rule.cents_of(hold["amount_cents"])
    assert 0 < expected < hold["amount_cents"]
    balance = client.get("/api/points", headers=v["customer"]).json()["balance"]

    def sweep(_i: int) -> int:
        with app.state.sessionmaker() as db:
            opened = guarantees.sweep(db, v["clock"]["now"])
            db.commit()
            return len(opened)

    results = all_at_once(6, sweep)
    assert sorted(results) == [0] * 5 + [1], results
    client.post("/api/guarantees/sweep", headers=v["manager"])  # and once more, later
    cases = client.get("/api/guarantees", headers=v["customer"]).json()
    assert len(cases) == 1
    case = cases[0]
    assert case["kind"] == "arrival" and case["refunded_cents"] == expected
    assert case["refunded_from"] == "service_fee" and case["compensation_points"] == 0
    assert case["points_instead_of_refund"] is False
    assert client.get("/api/points", headers=v["customer"]).json()["balance"] == balance  # money, not points

    after = client.get(f"/api/escrow/{hold['id']}", headers=v["customer"]).json()
    assert after["state"] == "held" and after["amount_cents"] == hold["amount_cents"] - expected
    moved = [e for e in after["events"] if e["from"] == "held" and e["to"] == "held"]
    assert len(moved) == 1 and f"{expected / 100:.2f} refunded" in moved[0]["reason"]
    assert "arrival" in moved[0]["reason"]
    with app.state.sessionmaker() as db:
        parts = db.scalar(select(func.count()).select_from(ct.EscrowHold)
                          .where(ct.EscrowHold.reference == case["id"]))
        assert parts == 1

    v["clock"]["now"] = START + timedelta(hours=2)
    done = client.patch(f"/api/bookings/{v['booking_id']}", json={"action": "complete"}, headers=v["designer"])
    assert done.status_code == 200, done.text
    accepted = client.post(f"/api/escrow/{hold['id']}/accept", headers=v["customer"])
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["state"] == "released"
    assert accepted.json()["amount_cents"] == hold["amount_cents"] - expected  # the store gets the rest

    client.post("/api/auth/login", json={"email": v["email"], "password": "correct horse battery"})
    page = client.get("/payments", headers=HTML)
    assert page.status_code == 200
    section = page.text.split('id="guarantee-cases"')[1].split("</section>")[0]
    assert "We arrive within 15 minutes of the booked time" in section
    assert f"{expected / 100:.2f} refunded from the service fee" in section
    assert f"{expected / 100:.2f} refunded to you as a service guarantee&#39;s compensation" in page.text
    zh = client.get("/payments", headers={**HTML, "Accept-Language": "zh-CN"}).text
    zh_section = zh.split('id="guarantee-cases"')[1].split("</section>")[0]
    assert "服务保障" in zh and "预约时间 15 分钟内到达" in zh_section
    assert f"已从服务费退还 {expected / 100:.2f}" in zh_section


def test_without_a_held_fee_the_points_stand_in_and_the_case_says_so(client: TestClient, app: FastAPI) -> None:
    v = late_visit(client, app, pay_fee=False)
    balance = client.get("/api/points", headers=v["customer"]).json()["balance"]
    opened = client.post("/api/guarantees/sweep", headers=v["manager"]).json()
    points = load_promises()[PromiseKind.ARRIVAL].compensation_points
    assert [(c["kind"], c["refunded_cents"], c["compensation_points"], c["points_instead_of_refund"])
            for c in opened] == [("arrival", 0, points, True)]
    assert client.get("/api/points", headers=v["customer"]).json()["balance"] == balance + points
    client.post("/api/auth/login", json={"email": v["email"], "password": "correct horse battery"})
    section = client.get("/payments", headers=HTML).text.split('id="guarantee-cases"')[1].split("</section>")[0]
    assert f"{points} points" in section and "Points instead of a refund" in section
    zh = client.get("/payments", headers={**HTML, "Accept-Language": "zh-CN"}).text
    zh_section = zh.split('id="guarantee-cases"')[1].split("</section>")[0]
    assert f"{points} 积分" in zh_section and "以积分代替退款" in zh_section


def test_a_released_fee_falls_back_to_points(client: TestClient, app: FastAPI) -> None:
    v = late_visit(client, app, pay_fee=True)
    v["clock"]["now"] = START + timedelta(hours=2)
    assert client.patch(f"/api/bookings/{v['booking_id']}", json={"action": "complete"},
                        headers=v["designer"]).status_code == 200
    assert client.post(f"/api/escrow/{v['hold']['id']}/accept", headers=v["customer"]).json()["state"] == "released"
    case = client.post("/api/guarantees/sweep", headers=v["manager"]).json()[0]
    assert case["refunded_cents"] == 0 and case["points_instead_of_refund"] is True
    assert case["compensation_points"] == load_promises()[PromiseKind.ARRIVAL].compensation_points
    after = client.get(f"/api/escrow/{v['hold']['id']}", headers=v["customer"]).json()
    assert after["amount_cents"] == v["hold"]["amount_cents"]


def test_concurrent_refunds_of_one_case_refund_once_and_never_more_than_held(client: TestClient,
                                                                             app: FastAPI) -> None:
    v = late_visit(client, app, pay_fee=True)
    held = v["hold"]["amount_cents"]
    provider = TestProvider()
    with app.state.sessionmaker() as db:  # a case to key the refunds by (as a sweep opens it)
        booking = v["booking_id"]
        row = db.get(ct.EscrowHold, v["hold"]["id"])
        assert row is not None
        case = ct.GuaranteeCase(kind="arrival", reference=booking, booking_id=booking, store_id=row.store_id,
                                customer_id=row.payer_id, due_at=NOW, compensation_points=0)
        other = ct.GuaranteeCase(kind="complaint_response", reference=booking, booking_id=booking,
                                 store_id=row.store_id, customer_id=row.payer_id, due_at=NOW,
                                 compensation_points=0)
        db.add_all([case, other])
        db.commit()
        case_id, other_id = case.id, other.id

    def refund(_i: int) -> tuple[str, int]:
        with app.state.sessionmaker() as db:
            hold = db.get(ct.EscrowHold, v["hold"]["id"])
            assert hold is not None
            part = escrow.refund_part(db, hold, 3_000, case_id, None, "test", datetime.now(UTC), provider)
            db.commit()
            assert part is not None
            return part.id, part.amount_cents

    results = all_at_once(8, refund)
    assert all(isinstance(r, tuple) for r in results), results
    assert len({r for r in results}) == 1 and results[0][1] == 3_000  # every call sees the one refund
    assert [c for c, _ in provider.calls] == ["refund_part"]
    with app.state.sessionmaker() as db:
        hold = db.get(ct.EscrowHold, v["hold"]["id"])
        assert hold is not None and hold.amount_cents == held - 3_000 and hold.state == "held"
        whole = escrow.refund_part(db, hold, 10 * held, other_id, None, "all of it", datetime.now(UTC), provider)
        db.commit()
        assert whole is not None and whole.amount_cents == held - 3_000  # capped at what is held
        db.refresh(hold)
        assert hold.state == "refunded"
        assert escrow.refund_part(db, hold, 100, "another", None, "nothing left", datetime.now(UTC),
                                  provider) is None
        assert escrow.compensated_cents(db, [hold]) == held


def test_the_refund_rule_never_gives_more_than_is_held() -> None:
    assert partial_refund_cents(20_000, share=0.25) == 5_000
    assert partial_refund_cents(333, share=0.5) == 166 or partial_refund_cents(333, share=0.5) == 167
    assert partial_refund_cents(5_000, amount_cents=20_000) == 5_000
    assert partial_refund_cents(0, amount_cents=100) == 0
    assert Refund(HoldKind.ORDER_DEPOSIT, amount_cents=100).cents_of(40) == 40
    for bad in ({"share": 0.0}, {"share": 1.5}, {"amount_cents": -1}, {}, {"share": 0.5, "amount_cents": 1}):
        with pytest.raises(ValueError):
            partial_refund_cents(1_000, **bad)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        Refund(HoldKind.PREBOOKING_DEPOSIT, share=0.5)


def test_an_unresolved_complaint_refunds_part_of_the_order_deposit(client: TestClient, app: FastAPI) -> None:
    from backend.db import booking_tables as bt
    from backend.db import tables

    clock = {"now": NOW}
    app.state.booking_clock = lambda: clock["now"]
    store_id, designer_id, designer_email = store_and_designer(app, ("home_measurement",))
    designer = login(client, designer_email)
    manager = login(client, make_user(app, "store_manager", store_id=store_id))
    email = make_user(app)
    customer = login(client, email)
    design = client.post("/api/designs", json={"document": kitchen("Deposit", 2)}, headers=customer).json()["id"]
    order = client.post(f"/api/designs/{design}/orders", json={"revision": 1}, headers=customer).json()
    paid = client.post(f"/api/orders/{order['id']}/escrow", json={"kind": "order_deposit", "amount_cents": 25_000},
                       headers=customer)
    assert paid.status_code == 201, paid.text
    deposit = paid.json()
    with app.state.sessionmaker() as db:
        row = db.get(tables.Order, order["id"])
        assert row is not None
        due_before = escrow.still_due_cents(db, row)
    bid = client.post("/api/bookings", json={"designer_id": designer_id, "service": "home_measurement",
                                             "start": START.isoformat(), "design_id": design,
                                             "address": "8 Riverside Rd, Xuhui"}, headers=customer).json()["id"]
    with app.state.sessionmaker() as db:  # the visit belongs to the order (as an installation booked from it does)
        visit = db.get(bt.Booking, bid)
        assert visit is not None
        visit.order_id = order["id"]
        db.commit()
    assert client.patch(f"/api/bookings/{bid}", json={"action": "confirm"}, headers=designer).status_code == 200
    clock["now"] = START + timedelta(minutes=5)
    assert client.patch(f"/api/bookings/{bid}", json={"action": "arrive"}, headers=designer).status_code == 200
    clock["now"] = START + timedelta(hours=1)
    assert client.patch(f"/api/bookings/{bid}", json={"action": "complete"}, headers=designer).status_code == 200
    rated = client.post(f"/api/bookings/{bid}/rating", json={"stars": 1, "comment": "broken hinge"}, headers=customer)
    follow_up = rated.json()["follow_up"]["id"]
    clock["now"] = START + timedelta(hours=2)
    assert client.patch(f"/api/follow-ups/{follow_up}", json={"action": "acknowledge"},
                        headers=manager).status_code == 200
    clock["now"] = START + timedelta(hours=1 + 73)  # not resolved within 72 hours
    opened = client.post("/api/guarantees/sweep", headers=manager).json()
    rule = load_promises()[PromiseKind.COMPLAINT_RESOLUTION].refund
    assert rule is not None and rule.amount_cents is not None and rule.amount_cents < 25_000
    assert [(c["kind"], c["refunded_cents"], c["refunded_from"], c["compensation_points"]) for c in opened] == \
        [("complaint_resolution", rule.amount_cents, "order_deposit", 0)]
    held = client.get(f"/api/escrow/{deposit['id']}", headers=customer).json()
    assert held["state"] == "held" and held["amount_cents"] == 25_000 - rule.amount_cents
    with app.state.sessionmaker() as db:
        row = db.get(tables.Order, order["id"])
        assert row is not None
        assert escrow.still_due_cents(db, row) == due_before  # a compensation is not owed again

    client.post("/api/auth/login", json={"email": email, "password": "correct horse battery"})
    amount = f"{rule.amount_cents / 100:.2f}"
    shown = client.get(f"/bookings/{bid}", headers=HTML).text
    assert 'id="guarantee-cases"' in shown and f"{amount} refunded from the order deposit" in shown
    zh = client.get(f"/bookings/{bid}", headers={**HTML, "Accept-Language": "zh-CN"}).text
    assert f"已从订单定金退还 {amount}" in zh and "投诉 72 小时内解决" in zh
    order_page = client.get(f"/orders/{order['id']}", headers=HTML).text
    assert "Refunded as a service guarantee&#39;s compensation" in order_page and f"−{amount}" in order_page
