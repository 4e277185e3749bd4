"""The authorization matrix: each role against each endpoint and against other people's objects."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from support.api import PASSWORD, assert_problem, login, make_user, png_bytes
from support.documents import kitchen


@dataclass
class World:
    headers: dict[str, dict[str, str]]
    design_a: str
    design_b: str
    order_a: str
    upload_a: str
    emails: dict[str, str]


@pytest.fixture
def world(client: TestClient, app: FastAPI) -> World:
    roles = ["owner_a", "owner_b", "designer_shared", "designer_other", "store_manager", "installer", "factory",
             "admin"]
    emails = {}
    for name in roles:
        role = {"owner_a": "homeowner", "owner_b": "homeowner", "designer_shared": "designer",
                "designer_other": "designer"}.get(name, name)
        emails[name] = make_user(app, role)
    headers = {name: login(client, email) for name, email in emails.items()}
    a = client.post("/api/designs", json={"document": kitchen("A")}, headers=headers["owner_a"]).json()["id"]
    b = client.post("/api/designs", json={"document": kitchen("B")}, headers=headers["owner_b"]).json()["id"]
    shared = client.post(f"/api/designs/{a}/shares", json={"email": emails["designer_shared"]},
                         headers=headers["owner_a"])
    assert shared.status_code == 201, shared.text
    order = client.post(f"/api/designs/{a}/orders", json={"revision": 1}, headers=headers["owner_a"])
    assert order.status_code == 201, order.text
    upload = client.post("/api/uploads", files={"file": ("plan.png", png_bytes(), "image/png")},
                         headers=headers["owner_a"])
    return World(headers, a, b, order.json()["id"], upload.json()["id"], emails)


# (actor, can read design A, can save design A)
DESIGN_A_ACCESS = [
    ("owner_a", 200, 200),
    ("owner_b", 404, 404),
    ("designer_shared", 200, 200),
    ("designer_other", 404, 404),
    ("installer", 404, 404),
    ("factory", 404, 404),
    ("admin", 200, 200),
]


@pytest.mark.parametrize(("actor", "read", "write"), DESIGN_A_ACCESS)
def test_design_access(client: TestClient, world: World, actor: str, read: int, write: int) -> None:
    headers = world.headers[actor]
    got = client.get(f"/api/designs/{world.design_a}", headers=headers)
    assert got.status_code == read, got.text
    revisions = client.get(f"/api/designs/{world.design_a}/revisions", headers=headers)
    assert revisions.status_code == read
    saved = client.put(f"/api/designs/{world.design_a}", json={"base_revision": 1, "document": kitchen(actor)},
                       headers=headers)
    assert saved.status_code == write, saved.text
    if write == 404:
        assert_problem(saved, 404)
    listed = {d["id"] for d in client.get("/api/designs", headers=headers).json()}
    assert (world.design_a in listed) == (read == 200)


def test_anonymous_gets_401_everywhere(client: TestClient, world: World) -> None:
    for method, url in [("get", "/api/designs"), ("get", f"/api/designs/{world.design_a}"),
                        ("post", "/api/designs"), ("get", "/api/orders"), ("get", f"/api/orders/{world.order_a}"),
                        ("get", f"/api/uploads/{world.upload_a}"), ("get", "/api/me"),
                        ("get", "/api/gallery/gal-any/comments"), ("post", "/api/gallery/gal-any/comments"),
                        ("delete", "/api/gallery/gal-any/comments/gcm-any"),
                        ("put", "/api/gallery/gal-any/comments/gcm-any/hidden")]:
        assert_problem(getattr(client, method)(url), 401)


def test_share_ends_and_access_goes_with_it(client: TestClient, world: World) -> None:
    designer = world.headers["designer_shared"]
    me = client.get("/api/me", headers=designer).json()
    assert client.delete(f"/api/designs/{world.design_a}/shares/{me['id']}",
                         headers=world.headers["owner_a"]).status_code == 204
    assert_problem(client.get(f"/api/designs/{world.design_a}", headers=designer), 404)


def test_only_the_owner_shares(client: TestClient, world: World, app: FastAPI) -> None:
    other = make_user(app, "designer")
    assert_problem(client.post(f"/api/designs/{world.design_a}/shares", json={"email": other},
                               headers=world.headers["designer_shared"]), 404)
    assert_problem(client.post(f"/api/designs/{world.design_b}/shares", json={"email": other},
                               headers=world.headers["owner_a"]), 404)


def test_store_manager_sees_designs_shared_with_their_designers(client: TestClient, app: FastAPI) -> None:
    from backend.db import tables

    with app.state.sessionmaker() as db:
        store = tables.Store(name="Showroom")
        db.add(store)
        db.commit()
        store_id = store.id
    designer = make_user(app, "designer", store_id=store_id)
    manager = login(client, make_user(app, "store_manager", store_id=store_id))
    other_manager = login(client, make_user(app, "store_manager"))
    owner = login(client, make_user(app))
    design = client.post("/api/designs", json={"name": "In store"}, headers=owner).json()["id"]
    client.post(f"/api/designs/{design}/shares", json={"email": designer}, headers=owner)
    assert client.get(f"/api/designs/{design}", headers=manager).status_code == 200
    assert_problem(client.get(f"/api/designs/{design}", headers=other_manager), 404)


# (actor, sees order A, statuses it may set from 'submitted')
ORDER_ACCESS = [
    ("owner_a", 200, {"cancelled"}),
    ("owner_b", 404, set()),
    ("designer_shared", 200, set()),
    ("designer_other", 404, set()),
    ("factory", 200, {"accepted"}),
    ("admin", 200, {"accepted", "cancelled"}),
]


@pytest.mark.parametrize(("actor", "read", "may_set"), ORDER_ACCESS)
def test_order_access(client: TestClient, world: World, actor: str, read: int, may_set: set[str]) -> None:
    headers = world.headers[actor]
    assert client.get(f"/api/orders/{world.order_a}", headers=headers).status_code == read
    listed = {o["id"] for o in client.get("/api/orders", headers=headers).json()}
    assert (world.order_a in listed) == (read == 200)
    for status in ("accepted", "in_production", "shipped", "cancelled"):
        response = client.patch(f"/api/orders/{world.order_a}", json={"status": status}, headers=headers)
        if read == 404:
            assert_problem(response, 404)
        elif status in may_set:
            assert response.status_code == 200 and response.json()["status"] == status
            return
        else:
            assert response.status_code in (403, 409), response.text


def test_factory_moves_production_status_in_order(client: TestClient, world: World) -> None:
    factory = world.headers["factory"]
    url = f"/api/orders/{world.order_a}"
    assert_problem(client.patch(url, json={"status": "shipped"}, headers=factory), 409)  # not accepted yet
    for status in ("accepted", "in_production", "shipped"):
        assert client.patch(url, json={"status": status}, headers=factory).json()["status"] == status
    assert_problem(client.patch(url, json={"status": "cancelled"}, headers=factory), 403)
    installer = world.headers["installer"]
    assert client.get(url, headers=installer).status_code == 200  # shipped orders go to installers
    assert client.patch(url, json={"status": "installed"}, headers=installer).json()["status"] == "installed"


def test_submit_is_idempotent_and_needs_the_latest_revision(client: TestClient, world: World) -> None:
    owner = world.headers["owner_a"]
    again = client.post(f"/api/designs/{world.design_a}/orders", json={"revision": 1}, headers=owner)
    assert again.status_code == 200 and again.json()["id"] == world.order_a
    client.put(f"/api/designs/{world.design_a}", json={"base_revision": 1, "document": kitchen("v2")},
               headers=owner)
    assert_problem(client.post(f"/api/designs/{world.design_a}/orders", json={"revision": 1}, headers=owner), 409)
    assert_problem(client.post(f"/api/designs/{world.design_b}/orders", json={"revision": 1}, headers=owner), 404)
    assert_problem(client.post(f"/api/designs/{world.design_a}/orders", json={"revision": 2},
                               headers=world.headers["factory"]), 404)


@pytest.mark.parametrize("actor", ["owner_b", "designer_shared", "factory"])
def test_uploads_are_private(client: TestClient, world: World, actor: str) -> None:
    assert_problem(client.get(f"/api/uploads/{world.upload_a}", headers=world.headers[actor]), 404)
    assert_problem(client.get(f"/api/uploads/{world.upload_a}/content", headers=world.headers[actor]), 404)


def test_factory_cannot_create_designs_or_upload(client: TestClient, world: World) -> None:
    factory = world.headers["factory"]
    assert_problem(client.post("/api/designs", json={"name": "x"}, headers=factory), 404)
    assert_problem(client.post("/api/uploads", files={"file": ("a.png", png_bytes(), "image/png")},
                               headers=factory), 404)


def page_login(app: FastAPI, email: str) -> tuple[TestClient, str]:
    """A browser signed in through the login form: (client, its CSRF token)."""
    browser = TestClient(app)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', browser.get("/login").text)
    assert csrf
    browser.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": csrf.group(1)})
    return browser, csrf.group(1)


def handoff_of_a(app: FastAPI, world: World) -> TestClient:
    """A phone that opened the hand-off link the shared designer made for design A."""
    designer, csrf = page_login(app, world.emails["designer_shared"])
    done = designer.post(f"/store/designs/{world.design_a}/handoff", data={"action": "phone", "csrf_token": csrf})
    link = re.search(r'id="handoff-link">[^<]*(/go/[^<]+)<', done.text)
    assert link, done.text
    phone = TestClient(app)
    opened = phone.get(link.group(1))  # follows to the design's page, as the phone's browser does
    assert opened.status_code == 200 and opened.url.path == f"/designs/{world.design_a}"
    return phone


# who may hand design A to a phone: only staff who already work on it (and admins)
HANDOFF_ISSUE = [
    ("owner_a", 404), ("owner_b", 404), ("designer_shared", 200), ("designer_other", 404),
    ("store_manager", 404), ("installer", 404), ("factory", 404), ("admin", 200),
]


@pytest.mark.parametrize(("actor", "status"), HANDOFF_ISSUE)
def test_handoff_issue_access(app: FastAPI, world: World, actor: str, status: int) -> None:
    browser, csrf = page_login(app, world.emails[actor])
    answer = browser.post(f"/store/designs/{world.design_a}/handoff", data={"action": "phone", "csrf_token": csrf})
    assert answer.status_code == status
    assert ('id="handoff-link"' in answer.text) == (status == 200)


# what the session from a hand-off link of design A reaches: design A, nothing else of owner A's account
# (401 / a redirect to the login page: it counts as signed out there)
HANDOFF_SCOPE = [
    ("get", "/api/designs/{a}", 200),
    ("get", "/api/designs/{a}/revisions", 200),
    ("get", "/api/designs/{a}/quote", 200),
    ("put", "/api/designs/{a}", 200),
    ("get", "/designs/{a}", 200),
    ("get", "/api/designs", 401),
    ("get", "/api/designs/{b}", 401),
    ("get", "/api/me", 401),
    ("get", "/api/orders", 401),
    ("get", "/api/orders/{order}", 401),
    ("get", "/api/uploads/{upload}", 401),
    ("get", "/api/designs/{a}/links", 401),
    ("post", "/api/designs/{a}/shares", 401),
    ("post", "/api/designs/{a}/orders", 401),
    ("post", "/api/designs", 401),
    ("get", "/designs", 303),
    ("get", "/orders", 303),
    ("get", "/profile", 303),
    ("get", "/bookings", 303),
    ("get", "/designs/{a}/order", 303),
    ("get", "/designs/{a}/plan", 303),
    ("get", "/go/password", 404),
]


@pytest.mark.parametrize(("method", "url", "status"), HANDOFF_SCOPE)
def test_handoff_session_reaches_only_its_design(app: FastAPI, world: World, method: str, url: str,
                                                 status: int) -> None:
    phone = handoff_of_a(app, world)
    target = url.format(a=world.design_a, b=world.design_b, order=world.order_a, upload=world.upload_a)
    body: dict[str, object] = {}
    if method == "put":
        body = {"base_revision": 1, "document": kitchen("from the phone")}
    elif target.endswith("/shares"):
        body = {"email": world.emails["designer_other"]}
    elif target.endswith("/orders"):
        body = {"revision": 1}
    kwargs: dict[str, object] = {"follow_redirects": False}
    if method != "get":
        kwargs |= {"json": body, "headers": {"X-CSRF-Token": phone.cookies["rw_csrf"]}}
    answer = getattr(phone, method)(target, **kwargs)
    assert answer.status_code == status, answer.text
    if status == 401:
        assert_problem(answer, 401)
    if status == 303:
        assert answer.headers["location"].startswith("/login")


# The commerce objects of owner A: a payment held for their order, a pre-booked promotion place, their
# points on their order. (actor, read payment, read pre-booking, redeem points on order A, pay order A)
COMMERCE_ACCESS = {
    "owner_a": (200, 200, 409, 200),  # no points yet: "Only 0 points left"; paying again finds the first
    "owner_b": (404, 404, 404, 404),
    "designer_shared": (404, 404, 403, 404),
    "designer_other": (404, 404, 403, 404),
    "store_manager": (404, 404, 403, 404),  # a manager of another store
    "promo_manager": (404, 200, 403, 404),  # the manager of the store running the promotion
    "installer": (404, 404, 403, 404),
    "factory": (404, 404, 403, 404),
    "admin": (200, 200, 403, 404),
}


def test_commerce_objects_of_others_answer_404(client: TestClient, world: World, app: FastAPI) -> None:
    from datetime import UTC, datetime, timedelta

    from backend.db import tables

    with app.state.sessionmaker() as db:
        store = tables.Store(name="Promo store", timezone="Asia/Shanghai")
        db.add(store)
        db.commit()
        store_id = store.id
    headers = dict(world.headers)
    headers["promo_manager"] = login(client, make_user(app, "store_manager", store_id=store_id))
    now = datetime.now(UTC)
    package = client.post("/api/packages", json={"name": "Set", "price_per_metre_cents": 100_000,
                                                 "inclusions": ["doors"]}, headers=headers["promo_manager"]).json()
    promo = client.post("/api/promotions", json={
        "package_id": package["id"], "title": "Day", "starts_at": (now - timedelta(hours=1)).isoformat(),
        "ends_at": (now + timedelta(days=1)).isoformat(), "places": 5, "deposit_cents": 1_000},
        headers=headers["promo_manager"]).json()
    pre = client.post(f"/api/promotions/{promo['id']}/prebookings", headers=headers["owner_a"])
    assert pre.status_code == 201, pre.text
    pay = {"kind": "order_deposit", "amount_cents": 1_000}
    hold = client.post(f"/api/orders/{world.order_a}/escrow", json=pay, headers=headers["owner_a"])
    assert hold.status_code == 201, hold.text
    for actor, expected in COMMERCE_ACCESS.items():
        answers = [client.get(f"/api/escrow/{hold.json()['id']}", headers=headers[actor]),
                   client.get(f"/api/prebookings/{pre.json()['id']}", headers=headers[actor]),
                   client.post(f"/api/orders/{world.order_a}/redemption", json={"points": 10}, headers=headers[actor]),
                   client.post(f"/api/orders/{world.order_a}/escrow", json=pay, headers=headers[actor])]
        assert tuple(a.status_code for a in answers) == expected, (actor, [a.text[:120] for a in answers])
        for answer in answers:
            if answer.status_code >= 400:
                assert_problem(answer, answer.status_code)


# the store analytics: a manager of a store (their own store) and an admin (every store); anyone else "not
# found", a manager of no store too (nothing is theirs)
ANALYTICS_ACCESS = {"owner_a": 404, "designer_shared": 404, "installer": 404, "factory": 404,
                    "store_manager": 404, "shop_manager": 200, "admin": 200}


@pytest.mark.parametrize(("actor", "expected"), ANALYTICS_ACCESS.items())
def test_store_analytics_is_the_managers_and_the_admins(app: FastAPI, world: World, actor: str,
                                                         expected: int) -> None:
    from backend.db import tables

    with app.state.sessionmaker() as db:
        store = tables.Store(name="Analytics showroom")
        db.add(store)
        db.commit()
        store_id = store.id
    emails = world.emails | {"shop_manager": make_user(app, "store_manager", store_id=store_id)}
    browser, _csrf = page_login(app, emails[actor])
    for path in ("/store/analytics", "/store/analytics.csv"):
        answer = browser.get(path, headers={"Accept": "text/html"})
        assert answer.status_code == expected, (actor, path, answer.text[:200])
        assert ("Analytics showroom" in answer.text) == (expected == 200)
    anonymous = TestClient(app).get("/store/analytics", headers={"Accept": "text/html"}, follow_redirects=False)
    assert anonymous.status_code in (303, 401) and "Analytics showroom" not in anonymous.text


# Owner A's published design and their order at checkout. (actor, set the design's portfolio consent, buy an
# accessory with points with order A, read the portfolio of the designer it was shared with)
PORTFOLIO_ACCESS = {
    "owner_a": (200, 409, 200),  # no points yet: "Only 0 points left"
    "owner_b": (404, 404, 200),
    "designer_shared": (404, 403, 200),
    "designer_other": (404, 403, 200),
    "store_manager": (404, 403, 200),
    "installer": (404, 403, 200),
    "factory": (404, 403, 200),
    "admin": (404, 403, 200),
}


def test_portfolio_consent_and_accessory_points_are_the_customers(client: TestClient, world: World,
                                                                   app: FastAPI) -> None:
    from sqlalchemy import select

    from backend.db import booking_tables as bt
    from backend.db import tables

    with app.state.sessionmaker() as db:
        designer = db.scalar(select(tables.User).where(tables.User.email == world.emails["designer_shared"]))
        assert designer is not None
        db.add(bt.DesignerProfile(user_id=designer.id, styles=["modern"], specialties=[], services=[],
                                  years_experience=3, district=""))
        db.commit()
        designer_id = designer.id
    item = client.post(f"/api/designs/{world.design_a}/publish", json={"title": "A", "style": "modern",
                                                                      "consent": True},
                       headers=world.headers["owner_a"])
    assert item.status_code == 201, item.text
    for actor, expected in PORTFOLIO_ACCESS.items():
        headers = world.headers[actor]
        answers = [client.put(f"/api/gallery/{item.json()['id']}/portfolio", json={"consent": True}, headers=headers),
                   client.post(f"/api/orders/{world.order_a}/accessories", json={"code": "anti_tip_bracket"},
                               headers=headers),
                   client.get(f"/api/designers/{designer_id}/portfolio", headers=headers)]
        assert tuple(a.status_code for a in answers) == expected, (actor, [a.text[:120] for a in answers])
        for answer in answers:
            if answer.status_code >= 400:
                assert_problem(answer, answer.status_code)
    anonymous = TestClient(app)
    for answer in (anonymous.put(f"/api/gallery/{item.json()['id']}/portfolio", json={"consent": False}),
                   anonymous.post(f"/api/orders/{world.order_a}/accessories", json={"code": "anti_tip_bracket"}),
                   anonymous.get(f"/api/designers/{designer_id}/portfolio")):
        assert_problem(answer, 401)
