"""The whole online-to-offline loop in a real browser (#18), with the store, its designer, the factory and
the installer team playing their parts through the API: a new homeowner publishes a design; the demo
homeowner finds it in the gallery and rates it; the publisher's points arrive; the publisher pre-books a
promotion's package with a deposit, which becomes a home measurement; the order is paid into escrow, made,
shipped and installed with photos of the finished work; the customer sees the photos, accepts, and the
deposits are released; the designer's portfolio shows the project; the store manager sees the measurement
and the installation in the analytics.

Every wait is on a state the page shows (``expect``), never a sleep; the server's clock is read, not assumed
(other browser tests move it)."""

from __future__ import annotations

import json
import re
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect

from support.api import png_bytes
from support.browser import screenshot
from support.documents import kitchen

pytestmark = pytest.mark.e2e
DEMO_PASSWORD = "roomwright-demo"
STORE = "Roomwright Showroom Xuhui"
LOYALTY = Path(__file__).resolve().parents[2] / "assets" / "models" / "commerce" / "loyalty.json"


def _api(server: str, email: str, password: str = DEMO_PASSWORD) -> httpx.Client:
    client = httpx.Client(base_url=server, timeout=60)
    answer = client.post("/api/auth/login", json={"email": email, "password": password})
    answer.raise_for_status()
    client.headers["Authorization"] = f"Bearer {answer.json()['token']}"
    return client


def _ok(answer: httpx.Response) -> Any:
    assert answer.status_code in (200, 201), answer.text
    return answer.json()


def _log_in(page: Page, email: str, password: str = DEMO_PASSWORD) -> None:
    page.context.clear_cookies()
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def _advance(admin: httpx.Client, hours: float) -> datetime:
    answer = _ok(admin.post("/api/testing/clock", json={"advance_hours": hours}))
    return datetime.fromisoformat(str(answer["now"]))


FIGURES = ("completed", "measurements", "installations_timed", "orders", "measurements_ordered", "installed")


def _store_figures(page: Page, first: datetime, last: datetime) -> dict[str, int]:
    """The store's figures on the manager's analytics page over [first, last] (UTC days): completed
    bookings, completed home measurements, installations with their arrival recorded, orders placed,
    measurements followed by an order, installed orders."""
    page.goto(f"/store/analytics?first_day={first.date().isoformat()}&last_day={last.date().isoformat()}")
    row = page.locator("#analytics-stores tbody tr", has_text=STORE)
    expect(row).to_have_count(1)
    out = {}
    for name in FIGURES:
        text = row.locator(f'td[data-figure="{name}"]').inner_text().strip()
        out[name] = 0 if text in ("", "—") else int(text)
    return out


def test_publish_rate_points_prebook_install_accept_release_and_analytics(page: Page, server: str) -> None:
    tag = uuid.uuid4().hex[:6]
    admin = _api(server, "admin@demo.roomwright")
    start_clock = _advance(admin, 0)
    window = (start_clock - timedelta(days=40), start_clock + timedelta(days=40))

    # --- the manager's analytics before the loop ---------------------------------------------------------
    _log_in(page, "manager@demo.roomwright")
    before = _store_figures(page, *window)

    # --- a new homeowner signs up and publishes a design ---------------------------------------------------
    email, password = f"loop-{tag}@example.com", "a good long password"
    page.context.clear_cookies()
    page.goto("/signup")
    page.get_by_label("Your name").fill("Liu Yang")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", name="No designs yet")).to_be_visible()
    owner = _api(server, email, password)
    design = str(_ok(owner.post("/api/designs", json={"document": kitchen("Liu Yang, 5 Elm Road", 2)}))["id"])
    title = f"Loop galley {tag}"
    page.get_by_role("link", name="Gallery").click()
    page.locator("#pub-design").select_option(design)
    page.locator("#pub-title").fill(title)
    page.locator("#pub-style").select_option("modern")
    page.locator('input[name="consent"]').check()
    page.locator('input[name="portfolio_consent"]').check()
    page.get_by_role("button", name="Publish").click()
    expect(page.locator("#gallery-done")).to_be_visible()

    # --- another homeowner finds it in the gallery and rates it ---------------------------------------------
    _log_in(page, "homeowner@demo.roomwright")
    page.get_by_role("link", name="Gallery").click()
    page.locator("#g-style").select_option("modern")
    page.get_by_role("button", name="Filter").click()
    card = page.locator("article", has_text=title)
    expect(card).to_contain_text("not rated yet")
    expect(card).not_to_contain_text("Liu Yang")
    expect(card).not_to_contain_text("Elm Road")
    card.locator('select[name="stars"]').select_option("5")
    card.get_by_role("button", name="Rate").click()
    expect(page.locator("#gallery-done")).to_be_visible()
    expect(page.locator("article", has_text=title)).to_contain_text("5.0 ★ (1)")

    # --- the publisher's points arrive ----------------------------------------------------------------------
    earn = json.loads(LOYALTY.read_text(encoding="utf-8"))["earn"]
    _log_in(page, email, password)
    page.get_by_role("link", name="My points").click()
    expect(page.locator("#points-balance")).to_contain_text(str(earn["design_published"] + earn["rating_received"]))
    expect(page.locator("#points-ledger tbody tr")).to_have_count(2)

    # --- the store runs a promotion; the publisher pre-books its package with a deposit ------------------------
    manager = _api(server, "manager@demo.roomwright")
    package = _ok(manager.post("/api/packages", json={
        "name": f"Kitchen set {tag}", "price_per_metre_cents": 180_000, "inclusions": ["carcasses", "doors"]}))
    now = _advance(admin, 0)
    promotion = _ok(manager.post("/api/promotions", json={
        "package_id": package["id"], "title": f"Loop day {tag}", "starts_at": (now - timedelta(hours=1)).isoformat(),
        "ends_at": (now + timedelta(days=2)).isoformat(), "places": 3, "deposit_cents": 5_000}))
    page.get_by_role("link", name="Promotions").click()
    offer = page.locator("article", has_text=f"Loop day {tag}")
    expect(offer).to_contain_text("3 of 3 places left")
    offer.get_by_role("button", name="Pre-book with a deposit").click()
    expect(page.locator("#promotions-done")).to_be_visible()
    mine = next(p for p in owner.get("/api/prebookings").json() if p["promotion_id"] == promotion["id"])
    prebooking = _ok(owner.get(f"/api/prebookings/{mine['id']}"))
    assert prebooking["deposit"]["state"] == "held"

    # --- the place becomes a home measurement with the store's designer, who measures ---------------------------
    chen = next(d for d in owner.get("/api/designers", params={"service": "home_measurement"}).json()
                if d["name"] == "Chen Jing")
    slots = owner.get(f"/api/designers/{chen['id']}/slots", params={"service": "home_measurement"}).json()["slots"]
    assert slots, "the demo designer has no free time this week"
    visit = datetime.fromisoformat(slots[0]["start"])
    _ok(owner.post(f"/api/prebookings/{prebooking['id']}/appointment", json={
        "designer_id": chen["id"], "start": visit.isoformat(), "address": "5 Elm Road, Xuhui, Shanghai",
        "design_id": design}))
    measurement = str(owner.get(f"/api/prebookings/{prebooking['id']}").json()["booking_id"])
    designer = _api(server, "designer.chen@demo.roomwright")
    _ok(designer.patch(f"/api/bookings/{measurement}", json={"action": "confirm"}))
    now = _advance(admin, max((visit - _advance(admin, 0)).total_seconds() / 3600 + 1, 0))
    _ok(designer.patch(f"/api/bookings/{measurement}", json={"action": "complete"}))

    # --- the order: paid into escrow, made, shipped ------------------------------------------------------------
    order = _ok(owner.post(f"/api/designs/{design}/orders", json={"revision": 1, "delivery": {
        "name": "Liu Yang", "phone": "138 0000 5678", "address": "5 Elm Road, Xuhui, Shanghai"}}))
    deposit = _ok(owner.post(f"/api/orders/{order['id']}/escrow", json={"kind": "order_deposit",
                                                                        "amount_cents": 10_000}))
    factory = _api(server, "factory@demo.roomwright")
    for status in ("accepted", "in_production", "shipped"):
        _ok(factory.patch(f"/api/orders/{order['id']}", json={"status": status}))

    # --- the customer books the installation; the team installs and sends photos of the finished work -----------
    page.goto(f"/orders/{order['id']}")
    page.locator("#installation button.slot").first.click()
    expect(page).to_have_url(re.compile(r"/bookings/"))
    installation = page.url.rsplit("/", 1)[1]
    installer = _api(server, "installer@demo.roomwright")
    _ok(installer.patch(f"/api/bookings/{installation}", json={"action": "confirm"}))
    starts = datetime.fromisoformat(str(_ok(installer.get(f"/api/bookings/{installation}"))["start_at"]))
    _advance(admin, max((starts - _advance(admin, 0)).total_seconds() / 3600 + 0.1, 0))
    _ok(installer.patch(f"/api/bookings/{installation}", json={"action": "arrive"}))
    photo = _ok(installer.post("/api/uploads", files={"file": ("done.png", png_bytes(320, 240), "image/png")}))
    _ok(installer.patch(f"/api/bookings/{installation}", json={
        "action": "add_photos", "photo_ids": [photo["id"]], "description": "The finished kitchen"}))
    _ok(installer.patch(f"/api/bookings/{installation}", json={"action": "complete"}))

    # --- the customer sees the photos, accepts the work, and the deposits are released --------------------------
    page.goto(f"/bookings/{installation}")
    expect(page.locator("#work-photos img")).to_have_count(1)
    expect(page.locator("#work-photos")).to_contain_text("The finished kitchen")
    page.get_by_role("link", name="Payments").click()
    for hold in (str(deposit["id"]), str(prebooking["deposit"]["id"])):
        row = page.locator(f"#hold-{hold}")
        expect(row.locator(".state")).to_have_text("held")
        row.get_by_role("button", name="Accept the work and release").click()
        expect(page.locator("#payments-done")).to_be_visible()
        expect(page.locator(f"#hold-{hold} .state")).to_have_text("released")
    screenshot(page, "o2o-loop-released")

    # --- the designer's portfolio shows the project (the customer consented when publishing) --------------------
    page.get_by_role("link", name="Gallery").click()
    page.locator("article", has_text=title).get_by_role("link", name="Chen Jing").click()
    expect(page.locator("#portfolio-projects")).to_contain_text(title)
    expect(page.locator("#portfolio")).not_to_contain_text("Liu Yang")

    # --- the manager sees the measurement, the order and the installation in the analytics --------------------------
    # (the order is stamped with the same test clock as the bookings, so it comes after the measurement and the
    # store is credited with it)
    _log_in(page, "manager@demo.roomwright")
    assert _store_figures(page, *window) == {"completed": before["completed"] + 2,
                                             "measurements": before["measurements"] + 1,
                                             "installations_timed": before["installations_timed"] + 1,
                                             "orders": before["orders"] + 1,
                                             "measurements_ordered": before["measurements_ordered"] + 1,
                                             "installed": before["installed"] + 1}
    screenshot(page, "o2o-loop-analytics")
    for client in (admin, owner, manager, designer, factory, installer):
        client.close()
