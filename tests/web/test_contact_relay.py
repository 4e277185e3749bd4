"""Masked contact on the booking page, on SQLite and PostgreSQL: the booking's customer and its designer
see the relay's masked number and message each other through it (the relay records who wrote to which
side), never the customer's own phone; the store's manager, another customer and a stranger get no contact
line and 404 when sending; the line closes CONTACT_DAYS_AFTER days after the booking ended; without a
relay the page says to go through the store; English and Chinese."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from backend.commerce.relay import CONTACT_DAYS_AFTER, RecordingRelay, Side
from backend.db import tables
from support.api import PASSWORD, login, make_user
from support.commerce import store_and_designer, user
from support.documents import kitchen

NOW = datetime(2026, 3, 23, 0, 0, tzinfo=UTC)
START = datetime(2026, 3, 27, 2, 0, tzinfo=UTC)  # Friday 10:00 in Shanghai
PHONE = "+86 139 1234 5678"
HTML = {"Accept": "text/html"}


def browser_login(client: TestClient, email: str) -> str:
    client.cookies.clear()
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
    assert token
    done = client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token.group(1)},
                       follow_redirects=False)
    assert done.status_code == 303, done.text
    return token.group(1)


def booked(client: TestClient, app: FastAPI) -> dict[str, Any]:
    """A confirmed home measurement of a customer whose order has their real phone on it."""
    clock = {"now": NOW}
    app.state.booking_clock = lambda: clock["now"]
    store_id, designer_id, designer_email = store_and_designer(app, ("home_measurement",))
    with app.state.sessionmaker() as db:
        store = db.get(tables.Store, store_id)
        assert store is not None
        store.address = "88 Huaihai Rd"
        db.commit()
    email = make_user(app)
    customer = login(client, email)
    design = client.post("/api/designs", json={"document": kitchen("Call me", 2)}, headers=customer).json()["id"]
    order = client.post(f"/api/designs/{design}/orders", json={"revision": 1}, headers=customer)
    assert order.status_code == 201, order.text
    with app.state.sessionmaker() as db:
        row = db.get(tables.Order, order.json()["id"])
        assert row is not None
        row.delivery = {"name": "Lin", "phone": PHONE, "address": "8 Riverside Rd"}
        db.commit()
    made = client.post("/api/bookings", json={"designer_id": designer_id, "service": "home_measurement",
                                              "start": START.isoformat(), "design_id": design,
                                              "address": "8 Riverside Rd, Xuhui"}, headers=customer)
    assert made.status_code == 201, made.text
    bid = made.json()["id"]
    designer = login(client, designer_email)
    assert client.patch(f"/api/bookings/{bid}", json={"action": "confirm"}, headers=designer).status_code == 200
    return {"clock": clock, "id": bid, "email": email, "designer_email": designer_email, "designer": designer,
            "designer_id": designer_id, "store_id": store_id}


def page(client: TestClient, email: str, bid: str, language: str = "en") -> tuple[str, str, int]:
    csrf = browser_login(client, email)
    shown = client.get(f"/bookings/{bid}", headers={**HTML, "Accept-Language": language})
    return shown.text, csrf, shown.status_code


def test_the_two_sides_contact_each_other_through_the_relay(client: TestClient, app: FastAPI) -> None:
    b = booked(client, app)
    relay = app.state.contact_relay
    assert isinstance(relay, RecordingRelay)
    text, csrf, status = page(client, b["email"], b["id"])
    assert status == 200 and 'id="contact"' in text
    session = next(s for s, _c, _i in relay.sessions.values() if s.booking_id == b["id"])
    assert f'<span id="contact-number">{session.masked_number}</span>' in text and 'id="contact-call"' in text
    assert PHONE not in text and "1234 5678" not in text and "12345678" not in text
    _c, customer_party, _i = relay.sessions[session.code]
    assert customer_party.phone == PHONE  # only the relay knows it
    sent = client.post(f"/bookings/{b['id']}/contact", data={"kind": "message", "text": "Gate code 4711",
                                                             "csrf_token": csrf}, headers=HTML,
                       follow_redirects=False)
    assert sent.status_code == 303 and sent.headers["location"].endswith("contact=sent#contact")
    customer_id = user(app, b["email"]).id
    assert [(r.sender_id, r.to_side, r.text) for r in relay.routed] == [(customer_id, Side.INSTALLER,
                                                                         "Gate code 4711")]

    text, csrf, status = page(client, b["designer_email"], b["id"])
    assert status == 200 and f'<span id="contact-number">{session.masked_number}</span>' in text
    assert PHONE not in text and "1234 5678" not in text and "Contact the customer" in text
    assert client.post(f"/bookings/{b['id']}/contact", data={"kind": "message", "text": "On my way",
                                                             "csrf_token": csrf}, headers=HTML,
                       follow_redirects=False).status_code == 303
    assert relay.routed[-1].sender_id == b["designer_id"] and relay.routed[-1].to_side is Side.CUSTOMER
    empty = client.post(f"/bookings/{b['id']}/contact", data={"kind": "message", "text": "  ", "csrf_token": csrf},
                        headers=HTML)
    assert empty.status_code == 422 and len(relay.routed) == 2

    zh, _csrf, _s = page(client, b["email"], b["id"], "zh-CN")
    assert "联系您的设计师或安装师傅" in zh and "发送消息" in zh and session.masked_number in zh


def test_others_get_no_contact_line_and_404(client: TestClient, app: FastAPI) -> None:
    b = booked(client, app)
    relay = app.state.contact_relay
    manager = make_user(app, "store_manager", store_id=b["store_id"])
    text, csrf, status = page(client, manager, b["id"])
    assert status == 200 and 'id="contact"' not in text and PHONE not in text  # sees the booking, not the line
    refused = client.post(f"/bookings/{b['id']}/contact", data={"kind": "message", "text": "hi", "csrf_token": csrf},
                          headers=HTML)
    assert refused.status_code == 404
    for other in (make_user(app), make_user(app, "designer", store_id=b["store_id"])):
        _text, csrf, status = page(client, other, b["id"])
        assert status == 404
        assert client.post(f"/bookings/{b['id']}/contact", data={"kind": "message", "text": "hi",
                                                                 "csrf_token": csrf}, headers=HTML).status_code == 404
    assert relay.routed == []


def test_the_line_closes_days_after_the_booking_ended(client: TestClient, app: FastAPI) -> None:
    b = booked(client, app)
    relay = app.state.contact_relay
    b["clock"]["now"] = START + timedelta(minutes=5)
    assert client.patch(f"/api/bookings/{b['id']}", json={"action": "arrive"}, headers=b["designer"]).status_code == 200
    b["clock"]["now"] = ended = START + timedelta(hours=1)
    assert client.patch(f"/api/bookings/{b['id']}", json={"action": "complete"},
                        headers=b["designer"]).status_code == 200
    b["clock"]["now"] = ended + timedelta(days=CONTACT_DAYS_AFTER) - timedelta(hours=1)
    text, csrf, _s = page(client, b["email"], b["id"])
    until = (ended + timedelta(days=CONTACT_DAYS_AFTER)).strftime("%Y-%m-%d")
    assert 'id="contact-number"' in text and f"Open until {until}." in text
    b["clock"]["now"] = ended + timedelta(days=CONTACT_DAYS_AFTER, minutes=1)
    text, csrf, _s = page(client, b["email"], b["id"])
    assert 'id="contact-number"' not in text and 'id="contact-closed"' in text and "88 Huaihai Rd" in text
    closed = client.post(f"/bookings/{b['id']}/contact", data={"kind": "message", "text": "one more thing",
                                                               "csrf_token": csrf}, headers=HTML)
    assert closed.status_code == 409 and relay.routed == []
    zh, _csrf, _s = page(client, b["email"], b["id"], "zh-CN")
    assert "平台联系通道已关闭" in zh


def test_without_a_relay_the_page_says_to_go_through_the_store(client: TestClient, app: FastAPI) -> None:
    b = booked(client, app)
    app.state.contact_relay = None
    text, csrf, _s = page(client, b["email"], b["id"])
    assert 'id="contact-store"' in text and "through the store: Store." in text and "88 Huaihai Rd" in text
    assert 'id="contact-number"' not in text and PHONE not in text
    assert client.post(f"/bookings/{b['id']}/contact", data={"kind": "message", "text": "hi", "csrf_token": csrf},
                       headers=HTML).status_code == 409
    zh, _csrf, _s = page(client, b["email"], b["id"], "zh-CN")
    assert "请通过门店联系" in zh


def test_every_member_of_the_installer_team_is_the_performer_side(client: TestClient, app: FastAPI) -> None:
    from datetime import time

    from backend.db import booking_tables as bt
    from backend.services import accounts

    app.state.booking_clock = lambda: NOW
    store_id = store_and_designer(app)[0]
    email = make_user(app)
    customer = login(client, email)
    design = client.post("/api/designs", json={"document": kitchen("Fit", 2)}, headers=customer).json()["id"]
    order = client.post(f"/api/designs/{design}/orders", json={"revision": 1}, headers=customer).json()
    with app.state.sessionmaker() as db:
        team = bt.InstallerTeam(name="Team", store_id=store_id, districts=["Xuhui"])
        db.add(team)
        db.flush()
        db.add(bt.WorkingHours(resource_id=team.id, weekday=4, start_time=time(8), end_time=time(18)))
        fitters = [accounts.create_user(db, f"fitter{i}@example.com", PASSWORD, "installer", f"Fitter {i}")
                   for i in (1, 2)]
        db.add_all([bt.InstallerTeamMember(team_id=team.id, user_id=f.id) for f in fitters])
        row = db.get(tables.Order, order["id"])
        assert row is not None
        row.status = "shipped"
        row.delivery = {"name": "Lin", "phone": PHONE, "address": "88 Century Ave, Xuhui"}
        db.commit()
        team_id, fitter_ids = team.id, [f.id for f in fitters]
    slots = client.get(f"/api/teams/{team_id}/slots", params={"from": "2026-03-27T00:00:00+08:00"},
                       headers=customer).json()["slots"]
    made = client.post("/api/bookings", json={"team_id": team_id, "service": "installation", "start": slots[0]["start"],
                                              "order_id": order["id"], "address": "88 Century Ave, Xuhui"},
                       headers=customer)
    assert made.status_code == 201, made.text
    bid = made.json()["id"]
    relay = app.state.contact_relay
    for i in (1, 2):
        text, csrf, status = page(client, f"fitter{i}@example.com", bid)
        assert status == 200 and 'id="contact-number"' in text and PHONE not in text
        assert client.post(f"/bookings/{bid}/contact", data={"kind": "message", "text": f"fitter {i} here",
                                                             "csrf_token": csrf}, headers=HTML,
                           follow_redirects=False).status_code == 303
    assert [(r.to_side, r.text) for r in relay.routed] == [(Side.CUSTOMER, "fitter 1 here"),
                                                           (Side.CUSTOMER, "fitter 2 here")]
    assert {r.sender_id for r in relay.routed} <= set(fitter_ids)


DESIGNER_PHONE = "+86 137 7654 3210"
STORE_PHONE = "+86 21 6123 4567"


def test_the_relay_gets_the_real_numbers_and_neither_side_sees_the_other(client: TestClient, app: FastAPI) -> None:
    """The customer's own phone (set through the API) wins over the order's; the designer's own, else the
    store's phone set by its manager, is the performer side's; the customer's page shows neither."""
    b = booked(client, app)
    relay = app.state.contact_relay
    assert isinstance(relay, RecordingRelay)
    manager = make_user(app, role="store_manager", store_id=b["store_id"])
    headers = login(client, manager)
    assert client.put("/api/store/phone", json={"phone": STORE_PHONE}, headers=headers).json() == \
        {"phone": "+862161234567"}
    customer = login(client, b["email"])
    assert client.put("/api/me/phone", json={"phone": "+86 (138) 0000-1111"}, headers=customer).json() == \
        {"phone": "+8613800001111"}

    text, _csrf, status = page(client, b["email"], b["id"])
    assert status == 200
    session = next(s for s, _c, _i in relay.sessions.values() if s.booking_id == b["id"])
    _s, customer_party, designer_party = relay.sessions[session.code]
    assert customer_party.phone == "+8613800001111"  # the account's own, not the order's
    assert designer_party.phone == "+862161234567"  # the designer keeps none: the store's
    for number in ("+862161234567", "6123 4567", "61234567", "+8613800001111"):
        assert number not in text
    assert session.masked_number in text

    assert client.put("/api/me/phone", json={"phone": DESIGNER_PHONE}, headers=b["designer"]).status_code == 200
    text, _csrf, _st = page(client, b["email"], b["id"])
    _s, _c, designer_party = relay.sessions[session.code]
    assert designer_party.phone == "+8613776543210"
    assert "+8613776543210" not in text and "7654 3210" not in text and "76543210" not in text
    designer_text, _csrf, _st = page(client, b["designer_email"], b["id"])
    assert "+8613800001111" not in designer_text and "0000-1111" not in designer_text


def test_a_bad_phone_is_a_problem_on_the_phone_field(client: TestClient, app: FastAPI) -> None:
    email = make_user(app)
    headers = login(client, email)
    for bad in ("12345", "+0 123 4567 8901", "+86 138 abcd 5678", "+1234567890123456", "call me"):
        got = client.put("/api/me/phone", json={"phone": bad}, headers=headers)
        assert got.status_code == 422, (bad, got.text)
        problem = got.json()
        assert problem["errors"][0]["field"] == "phone" and problem["title"] and problem["type"], problem
        assert "country code" in problem["detail"], problem
        assert got.headers["content-type"].startswith("application/problem+json")
    assert client.get("/api/me/phone", headers=headers).json() == {"phone": ""}
    assert client.put("/api/me/phone", json={"phone": "0044 20 7946 0958"}, headers=headers).json() == \
        {"phone": "+442079460958"}
    assert client.put("/api/me/phone", json={"phone": ""}, headers=headers).json() == {"phone": ""}
    with app.state.sessionmaker() as db:
        row = db.get(tables.User, user(app, email).id)
        assert row is not None and row.phone is None
    # only a store's manager has a store phone to set
    assert client.put("/api/store/phone", json={"phone": "+8613800001111"}, headers=headers).status_code == 404
