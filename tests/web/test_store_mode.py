"""Store mode: a designer starts a design with a walk-in customer, the customer confirms and hands it to the
factory on the big screen, and a QR code opens that one design on their phone, once, for a short time.

A store never signs anyone in as a customer: an existing account confirms with a code from its email (or
its own password) before a design becomes theirs, and a hand-off link never yields more than the design."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import select

from backend.db import booking_tables as bt
from backend.db import tables
from backend.services import accounts, store
from support.api import PASSWORD, make_user
from support.documents import kitchen


def form_login(client: TestClient, email: str, password: str = PASSWORD) -> str:
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token
    client.post("/login", data={"email": email, "password": password, "csrf_token": token.group(1)})
    return token.group(1)


def start(client: TestClient, csrf: str, email: str, name: str = "Zhang San",
          design_name: str = "Zhang kitchen") -> Response:
    return client.post("/store/designs", data={"email": email, "name": name, "design_name": design_name,
                                               "csrf_token": csrf}, follow_redirects=False)


def emails_to(app: FastAPI, email: str, kind: str) -> list[bt.OutboxMessage]:
    with app.state.sessionmaker() as db:
        return list(db.scalars(select(bt.OutboxMessage).where(bt.OutboxMessage.recipient == email,
                                                              bt.OutboxMessage.kind == kind)
                               .order_by(bt.OutboxMessage.due_at)))


def latest_code(app: FastAPI, email: str) -> str:
    sent = emails_to(app, email, "store_code")
    assert sent, "no code was sent"
    found = re.search(r"\b(\d{6})\b", sent[-1].body)
    assert found
    return found.group(1)


def owner_of(app: FastAPI, design_id: str) -> str:
    with app.state.sessionmaker() as db:
        row = db.get(tables.Design, design_id)
        assert row is not None
        return row.owner_id


def user_id(app: FastAPI, email: str) -> str:
    with app.state.sessionmaker() as db:
        found = db.scalar(select(tables.User.id).where(tables.User.email == email))
        assert found
        return found


def handoff_link(client: TestClient, csrf: str, design_id: str, base: str = "http://testserver") -> str:
    done = client.post(f"/store/designs/{design_id}/handoff", data={"action": "phone", "csrf_token": csrf})
    assert done.status_code == 200, done.text
    link = re.search(r'id="handoff-link">([^<]+)<', done.text)
    assert link, done.text
    assert link.group(1).startswith(f"{base}/go/")  # the address the request came to, or ROOMWRIGHT_PUBLIC_URL
    return "/go/" + link.group(1).rsplit("/go/", 1)[1]


def test_walk_in_customer_design_order_and_phone_handoff(client: TestClient, app: FastAPI) -> None:
    designer = make_user(app, "designer")
    csrf = form_login(client, designer)
    home = client.get("/store")
    assert home.status_code == 200 and "New design with a customer" in home.text
    started = start(client, csrf, "walkin@example.com")
    assert started.status_code == 303 and started.headers["location"].endswith("?store=1")
    design_id = started.headers["location"].split("/designs/")[1].split("?")[0]
    assert owner_of(app, design_id) == user_id(app, "walkin@example.com")  # a new account: theirs at once
    # the designer edits the customer's design: a revision the customer sees later
    token = client.post("/api/auth/login", json={"email": designer, "password": PASSWORD}).json()["token"]
    bearer = {"Authorization": f"Bearer {token}"}
    saved = client.put(f"/api/designs/{design_id}", json={"base_revision": 1, "document": kitchen("Zhang kitchen", 2)},
                       headers=bearer)
    assert saved.status_code == 200, saved.text
    assert "Zhang kitchen" in client.get("/store").text
    handoff = client.get(f"/store/designs/{design_id}/handoff")
    assert handoff.status_code == 200 and 'id="handoff-total"' in handoff.text
    unconfirmed = client.post(f"/store/designs/{design_id}/handoff",
                              data={"action": "order", "revision": "2", "csrf_token": csrf})
    assert "needs to tick the box" in unconfirmed.text
    done = client.post(f"/store/designs/{design_id}/handoff",
                       data={"action": "order", "revision": "2", "confirmed": "yes", "phone": "139",
                             "address": "1 Lake Rd", "csrf_token": csrf})
    assert done.status_code == 200 and "is with the factory" in done.text and "<svg" in done.text
    assert f"for {store.HANDOFF_MINUTES} minutes" in done.text
    link = re.search(r'id="handoff-link">([^<]+)<', done.text)
    assert link
    go = "/go/" + link.group(1).rsplit("/go/", 1)[1]

    phone = TestClient(app)
    opened = phone.get(go, follow_redirects=False)
    assert opened.status_code == 303 and opened.headers["location"] == f"/designs/{design_id}"
    page = phone.get(f"/designs/{design_id}")
    assert page.status_code == 200 and 'id="scoped-notice"' in page.text and 'href="/go/password"' in page.text
    revisions = phone.get(f"/api/designs/{design_id}/revisions").json()
    assert [r["number"] for r in revisions] == [2, 1]
    # the link opens the design, not the account: orders and the rest ask to log in
    assert phone.get("/api/me").status_code == 401
    assert phone.get("/api/orders").status_code == 401
    assert phone.get("/orders", follow_redirects=False).headers["location"].startswith("/login")
    # the account the store created chooses its first password, and the session becomes a normal one
    form = phone.get("/go/password")
    assert form.status_code == 200 and "Choose a password" in form.text
    csrf_phone = phone.cookies["rw_csrf"]
    mismatch = phone.post("/go/password", data={"password": "a new secret 1", "password_again": "other one 2",
                                                "csrf_token": csrf_phone})
    assert mismatch.status_code == 200 and "The two passwords are not the same." in mismatch.text
    chosen = phone.post("/go/password", data={"password": "a new secret 1", "password_again": "a new secret 1",
                                              "csrf_token": csrf_phone}, follow_redirects=False)
    assert chosen.status_code == 303 and chosen.headers["location"] == f"/designs/{design_id}"
    me = phone.get("/api/me").json()
    assert me["email"] == "walkin@example.com" and me["role"] == "homeowner"
    orders = phone.get("/api/orders").json()
    assert len(orders) == 1 and orders[0]["revision_number"] == 2
    assert len(emails_to(app, "walkin@example.com", "password_set")) == 1  # the email is told
    assert phone.get("/go/password").status_code == 404  # once only
    assert TestClient(app).post("/api/auth/login", json={"email": "walkin@example.com",
                                                         "password": "a new secret 1"}).status_code == 200
    again = TestClient(app).get(go, follow_redirects=False)
    assert again.status_code == 404 and "no longer works" in again.text  # used once


def test_entering_an_existing_homeowners_email_gives_the_store_nothing_of_theirs(client: TestClient,
                                                                                 app: FastAPI) -> None:
    """The account-takeover attempt: staff type a homeowner's email, hand the design off, open the link."""
    victim = make_user(app, "homeowner")
    own = TestClient(app)
    token = own.post("/api/auth/login", json={"email": victim, "password": PASSWORD}).json()["token"]
    victim_h = {"Authorization": f"Bearer {token}"}
    private = own.post("/api/designs", json={"document": kitchen("Private flat")}, headers=victim_h).json()["id"]
    order = own.post(f"/api/designs/{private}/orders", json={"revision": 1,
                                                              "delivery": {"address": "9 Secret Lane"}},
                     headers=victim_h)
    assert order.status_code == 201, order.text

    designer = make_user(app, "designer")
    csrf = form_login(client, designer)
    started = start(client, csrf, victim.upper(), name="Somebody", design_name="")
    assert started.status_code == 303 and started.headers["location"].startswith("/store/claims/")
    claim_url = started.headers["location"]
    claim_page = client.get(claim_url)
    assert "already has a Roomwright account" in claim_page.text and "6-digit code" in claim_page.text
    assert "Homeowner" not in claim_page.text  # the account's name is not shown
    with app.state.sessionmaker() as db:
        claim = db.get(tables.StoreClaim, claim_url.rsplit("/", 1)[1])
        assert claim is not None and claim.code_hash and not re.fullmatch(r"\d{6}", claim.code_hash)
        design_id = claim.design_id
    assert owner_of(app, design_id) == user_id(app, designer)  # held by the staff member, not the customer
    assert design_id not in {d["id"] for d in own.get("/api/designs", headers=victim_h).json()}
    # no hand-off before the customer confirms
    assert client.get(f"/store/designs/{design_id}/handoff", follow_redirects=False).headers["location"] == claim_url
    refused = client.post(f"/store/designs/{design_id}/handoff", data={"action": "phone", "csrf_token": csrf},
                          follow_redirects=False)
    assert refused.status_code == 303 and refused.headers["location"] == claim_url
    assert "Waiting for the customer to confirm" in client.get("/store").text

    # even after the customer confirmed, the link opens that design and nothing else of theirs
    code = latest_code(app, victim)
    assert client.post(claim_url, data={"action": "code", "code": code, "csrf_token": csrf},
                       follow_redirects=False).status_code == 303
    go = handoff_link(client, csrf, design_id)
    thief = TestClient(app)
    assert thief.get(go, follow_redirects=False).headers["location"] == f"/designs/{design_id}"
    assert thief.get(f"/designs/{design_id}").status_code == 200
    assert thief.get(f"/api/designs/{design_id}").status_code == 200
    for url in ("/api/me", "/api/designs", f"/api/designs/{private}", f"/api/designs/{private}/revisions",
                "/api/orders", f"/api/orders/{order.json()['id']}", f"/api/designs/{design_id}/links"):
        assert thief.get(url).status_code == 401, url
    for url in ("/designs", f"/designs/{private}", "/orders", "/profile", "/bookings",
                f"/designs/{design_id}/order"):
        answer = thief.get(url, follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"].startswith("/login"), url
    headers = {"X-CSRF-Token": thief.cookies["rw_csrf"]}
    assert thief.post(f"/api/designs/{design_id}/shares", json={"email": designer}, headers=headers).status_code == 401
    assert thief.post(f"/api/designs/{design_id}/orders", json={"revision": 1}, headers=headers).status_code == 401
    assert thief.get("/go/password").status_code == 404  # an account with a password is never entered this way
    assert "9 Secret Lane" not in thief.get(f"/designs/{design_id}").text
    with app.state.sessionmaker() as db:
        scoped = db.scalars(select(tables.Session).where(tables.Session.design_id == design_id)).all()
        assert len(scoped) == 1
        assert scoped[0].expires_at <= tables.utcnow() + timedelta(hours=store.SCOPED_SESSION_HOURS)
    # logging in with the customer's own password gives the customer their whole account
    form_login(thief, victim)
    assert thief.get("/api/orders").status_code == 200


def test_the_code_makes_the_design_theirs_and_wrong_expired_or_reused_codes_do_not(client: TestClient,
                                                                                 app: FastAPI) -> None:
    customer = make_user(app, "homeowner")
    designer = make_user(app, "designer")
    csrf = form_login(client, designer)
    claim_url = start(client, csrf, customer).headers["location"]
    design_id = client.get(claim_url).text.split("/designs/")[1].split("?")[0]
    first = latest_code(app, customer)
    wrong = "000000" if first != "000000" else "111111"
    answer = client.post(claim_url, data={"action": "code", "code": wrong, "csrf_token": csrf})
    assert answer.status_code == 200 and "That code is not right. Tries left: 4." in answer.text
    for _ in range(store.CODE_ATTEMPTS - 1):
        answer = client.post(claim_url, data={"action": "code", "code": wrong, "csrf_token": csrf})
    assert "Too many wrong codes" in answer.text
    # the right code no longer helps once the tries are used up
    answer = client.post(claim_url, data={"action": "code", "code": first, "csrf_token": csrf})
    assert "Too many wrong codes" in answer.text and owner_of(app, design_id) == user_id(app, designer)
    # a new code; the old one is void
    resent = client.post(claim_url, data={"action": "resend", "csrf_token": csrf})
    assert "We sent a 6-digit code" in resent.text
    second = latest_code(app, customer)
    assert len(emails_to(app, customer, "store_code")) == 2
    if second != first:
        answer = client.post(claim_url, data={"action": "code", "code": first, "csrf_token": csrf})
        assert "not right" in answer.text
    # an expired code is refused
    with app.state.sessionmaker() as db:
        claim = db.get(tables.StoreClaim, claim_url.rsplit("/", 1)[1])
        assert claim is not None
        claim.expires_at = tables.utcnow() - timedelta(seconds=1)
        db.commit()
    answer = client.post(claim_url, data={"action": "code", "code": second, "csrf_token": csrf})
    assert "This code has expired" in answer.text and owner_of(app, design_id) == user_id(app, designer)
    client.post(claim_url, data={"action": "resend", "csrf_token": csrf})
    third = latest_code(app, customer)
    # the limit of codes per design
    limit = client.post(claim_url, data={"action": "resend", "csrf_token": csrf})
    assert "No more codes can be sent" in limit.text
    done = client.post(claim_url, data={"action": "code", "code": f"{third[:3]} {third[3:]}", "csrf_token": csrf},
                       follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == f"/designs/{design_id}?store=1"
    assert owner_of(app, design_id) == user_id(app, customer)
    assert client.get(f"/api/designs/{design_id}", headers={}).status_code == 200  # the designer keeps a share
    # a used code changes nothing any more
    reused = client.post(claim_url, data={"action": "code", "code": third, "csrf_token": csrf})
    assert "already confirmed" in reused.text
    assert client.get(claim_url, follow_redirects=False).headers["location"] == f"/designs/{design_id}?store=1"
    theirs = TestClient(app)
    token = theirs.post("/api/auth/login", json={"email": customer, "password": PASSWORD}).json()["token"]
    listed = theirs.get("/api/designs", headers={"Authorization": f"Bearer {token}"}).json()
    assert design_id in {d["id"] for d in listed}


def test_the_customer_may_confirm_with_their_own_password(client: TestClient, app: FastAPI) -> None:
    customer = make_user(app, "homeowner")
    designer = make_user(app, "designer")
    csrf = form_login(client, designer)
    claim_url = start(client, csrf, customer).headers["location"]
    wrong = client.post(claim_url, data={"action": "password", "password": "not it at all", "csrf_token": csrf})
    assert wrong.status_code == 200 and "The password is not right." in wrong.text
    with app.state.sessionmaker() as db:
        assert db.scalar(select(tables.LoginFailure).where(tables.LoginFailure.email == customer)) is not None
    right = client.post(claim_url, data={"action": "password", "password": PASSWORD, "csrf_token": csrf},
                        follow_redirects=False)
    assert right.status_code == 303
    design_id = right.headers["location"].split("/designs/")[1].split("?")[0]
    assert owner_of(app, design_id) == user_id(app, customer)


def test_a_handoff_link_expires_and_works_once(client: TestClient, app: FastAPI) -> None:
    designer = make_user(app, "designer")
    csrf = form_login(client, designer)
    design_id = start(client, csrf, "walkin-late@example.com").headers["location"].split("/designs/")[1].split("?")[0]
    stale = handoff_link(client, csrf, design_id)
    with app.state.sessionmaker() as db:
        row = db.scalar(select(tables.HandoffToken).where(tables.HandoffToken.design_id == design_id))
        assert row is not None and row.expires_at <= tables.utcnow() + timedelta(minutes=store.HANDOFF_MINUTES)
        row.expires_at = tables.utcnow() - timedelta(seconds=1)
        db.commit()
    late = TestClient(app).get(stale, follow_redirects=False)
    assert late.status_code == 404 and "no longer works" in late.text
    fresh = handoff_link(client, csrf, design_id)
    assert TestClient(app).get(fresh, follow_redirects=False).status_code == 303
    assert TestClient(app).get(fresh, follow_redirects=False).status_code == 404
    assert TestClient(app).get("/go/not-a-token", follow_redirects=False).status_code == 404
    app.state.settings.public_url = "https://kitchens.example.com"  # the phone scans the public address
    handoff_link(client, csrf, design_id, base="https://kitchens.example.com")


def test_the_store_screen_lists_todays_bookings_in_the_stores_time_zone(client: TestClient, app: FastAPI) -> None:
    # 00:30 on the 24th in Tokyo, where the store is; still the 23rd in Shanghai and in UTC
    app.state.booking_clock = lambda: datetime(2026, 3, 23, 15, 30, tzinfo=UTC)
    with app.state.sessionmaker() as db:
        shop = tables.Store(name="Ginza", timezone="Asia/Tokyo", district="Ginza")
        db.add(shop)
        db.flush()
        dana = accounts.create_user(db, "dana-agenda@example.com", PASSWORD, "designer", "Dana", shop.id)
        other = accounts.create_user(db, "olga-agenda@example.com", PASSWORD, "designer", "Olga", shop.id)
        accounts.create_user(db, "max-agenda@example.com", PASSWORD, "store_manager", "Max", shop.id)

        def book(designer: tables.User, customer: str, start_at: datetime, status: str = "confirmed") -> None:
            who = accounts.create_user(db, f"{customer.split()[0].lower()}@example.com", PASSWORD, "homeowner",
                                       customer)
            end_at = start_at + timedelta(hours=1)
            db.add(bt.Booking(service="store_consultation", performer="designer", resource_id=designer.id,
                              customer_id=who.id, store_id=shop.id, start_at=start_at, end_at=end_at,
                              blocked_start=start_at, blocked_end=end_at, status=status))

        book(dana, "Wang Fang", datetime(2026, 3, 24, 0, 0, tzinfo=UTC))  # 09:00 today in Tokyo
        book(dana, "Li Lei", datetime(2026, 3, 23, 8, 0, tzinfo=UTC))  # 17:00 yesterday in Tokyo
        book(dana, "Chen Jing", datetime(2026, 3, 24, 2, 0, tzinfo=UTC), "cancelled")
        book(other, "Zhao Min", datetime(2026, 3, 24, 4, 0, tzinfo=UTC))  # 13:00 today, Olga's
        db.commit()
    form_login(client, "dana-agenda@example.com")
    agenda = client.get("/store").text.split('class="agenda"', 1)[1].split("</ul>", 1)[0]
    assert "<strong>09:00</strong> · Wang Fang" in agenda
    assert not any(name in agenda for name in ("Li Lei", "Chen Jing", "Zhao Min"))
    client.cookies.clear()
    form_login(client, "max-agenda@example.com")  # the store manager sees the whole store's day
    agenda = client.get("/store").text.split('class="agenda"', 1)[1].split("</ul>", 1)[0]
    assert "<strong>09:00</strong> · Wang Fang" in agenda and "<strong>13:00</strong> · Zhao Min" in agenda
    assert not any(name in agenda for name in ("Li Lei", "Chen Jing"))


def test_store_mode_is_for_staff(client: TestClient, app: FastAPI) -> None:
    form_login(client, make_user(app, "homeowner"))
    assert client.get("/store").status_code == 404
    staff = make_user(app, "designer")
    other = TestClient(app)
    other_csrf = form_login(other, staff)
    homeowner_design = client.post("/designs", data={"name": "Mine", "csrf_token": client.cookies.get("rw_csrf")},
                                   follow_redirects=False).headers["location"].split("/designs/")[1]
    assert other.get(f"/store/designs/{homeowner_design}/handoff").status_code == 404
    # staff emails are refused; another designer's waiting design answers 404
    refused = start(other, other_csrf, make_user(app, "factory"))
    assert refused.status_code == 200 and "belongs to a staff account" in refused.text
    claim_url = start(other, other_csrf, make_user(app, "homeowner")).headers["location"]
    third = TestClient(app)
    third_csrf = form_login(third, make_user(app, "designer"))
    assert third.get(claim_url).status_code == 404
    assert third.post(claim_url, data={"action": "code", "code": "123456", "csrf_token": third_csrf}).status_code == 404


def test_account_emails_render_in_both_languages() -> None:
    from backend.booking.outbox import LANGUAGES, AccountMessageKind, render_account

    context = {"customer_name": "Hana", "code": "123456", "staff_name": "Chen Jing", "store_name": "Pudong",
               "minutes": "15", "performer_name": "Chen Jing", "design_name": "Flat 12B", "revision": "2",
               "approval_link": "/designs/des-1/approval"}
    for kind in AccountMessageKind:
        for language in LANGUAGES:
            text = render_account(kind, language, context)
            assert text.subject and text.body and "{" not in text.subject + text.body
            if language == "zh-Hans":
                assert any("\u4e00" <= ch <= "\u9fff" for ch in text.body)
    assert "123456" in render_account(AccountMessageKind.STORE_CODE, "zh-Hans", context).body


def test_the_code_email_is_delivered_by_the_outbox(client: TestClient, app: FastAPI, tmp_path: Path) -> None:
    from backend.booking.outbox import FileSender
    from backend.services import notifications

    customer = make_user(app, "homeowner")
    csrf = form_login(client, make_user(app, "designer"))
    start(client, csrf, customer)
    code = latest_code(app, customer)
    with app.state.sessionmaker() as db:
        report = notifications.deliver_due(db, FileSender(tmp_path / "out.jsonl"), tables.utcnow())
        db.commit()
    assert report.sent >= 1
    assert code in (tmp_path / "out.jsonl").read_text(encoding="utf-8")
    assert emails_to(app, customer, "store_code")[0].status == "sent"


def test_a_designers_own_design_does_not_go_to_a_phone(client: TestClient, app: FastAPI) -> None:
    csrf = form_login(client, make_user(app, "designer"))
    mine = client.post("/designs", data={"name": "Showroom sample", "csrf_token": csrf},
                       follow_redirects=False).headers["location"].split("/designs/")[1]
    answer = client.post(f"/store/designs/{mine}/handoff", data={"action": "phone", "csrf_token": csrf})
    assert answer.status_code == 200 and 'id="handoff-link"' not in answer.text
    assert "design goes to their phone, once they have confirmed it is theirs" in answer.text
    client.cookies.set("rw_lang", "zh_Hans")
    zh = client.post(f"/store/designs/{mine}/handoff", data={"action": "phone", "csrf_token": csrf})
    assert "只有客户确认属于自己的设计才能发送到客户的手机" in zh.text
