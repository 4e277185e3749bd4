"""Store mode: a designer starts a design with a walk-in customer, the customer confirms and hands it to the
factory on the big screen, and a QR code signs them in on their phone once."""

from __future__ import annotations

import re

from fastapi import FastAPI
from fastapi.testclient import TestClient

from support.api import PASSWORD, make_user
from support.documents import kitchen


def form_login(client: TestClient, email: str) -> str:
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token
    client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token.group(1)})
    return token.group(1)


def test_walk_in_customer_design_order_and_phone_handoff(client: TestClient, app: FastAPI) -> None:
    designer = make_user(app, "designer")
    csrf = form_login(client, designer)
    home = client.get("/store")
    assert home.status_code == 200 and "New design with a customer" in home.text
    started = client.post("/store/designs", data={"email": "walkin@example.com", "name": "Zhang San",
                                                  "design_name": "Zhang kitchen", "csrf_token": csrf},
                          follow_redirects=False)
    assert started.status_code == 303
    design_id = started.headers["location"].split("/designs/")[1].split("?")[0]
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
    link = re.search(r'id="handoff-link">([^<]+)<', done.text)
    assert link
    phone = TestClient(app)
    opened = phone.get("/go/" + link.group(1).rsplit("/go/", 1)[1], follow_redirects=False)
    assert opened.status_code == 303 and opened.headers["location"] == f"/designs/{design_id}"
    me = phone.get("/api/me").json()
    assert me["email"] == "walkin@example.com" and me["role"] == "homeowner"
    orders = phone.get("/api/orders").json()
    assert len(orders) == 1 and orders[0]["revision_number"] == 2
    revisions = phone.get(f"/api/designs/{design_id}/revisions").json()
    assert [r["number"] for r in revisions] == [2, 1]
    again = TestClient(app).get("/go/" + link.group(1).rsplit("/go/", 1)[1], follow_redirects=False)
    assert again.status_code == 404  # used once


def test_store_mode_is_for_staff(client: TestClient, app: FastAPI) -> None:
    form_login(client, make_user(app, "homeowner"))
    assert client.get("/store").status_code == 404
    staff = make_user(app, "designer")
    other = TestClient(app)
    form_login(other, staff)
    homeowner_design = client.post("/designs", data={"name": "Mine", "csrf_token": client.cookies.get("rw_csrf")},
                                   follow_redirects=False).headers["location"].split("/designs/")[1]
    assert other.get(f"/store/designs/{homeowner_design}/handoff").status_code == 404
