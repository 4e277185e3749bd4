"""The homeowner's whole journey in a real browser, with the designer, the factory and the installer
playing their parts: sign up → new design → floor plan from a photo, corrected and scaled → auto-fill a
wall run → adjust a cabinet → book a home measurement → the designer measures → approve the measured
revision → order → follow the status → book the installation → rate the designer and the installer."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from support.browser import autofill_first_wall, photo_point, screenshot, settle
from support.plans import drawn_flat_png

pytestmark = pytest.mark.e2e
DEMO_PASSWORD = "roomwright-demo"


def api_login(server: str, email: str, password: str = DEMO_PASSWORD) -> httpx.Client:
    client = httpx.Client(base_url=server, timeout=60)
    token = client.post("/api/auth/login", json={"email": email, "password": password}).json()["token"]
    client.headers["Authorization"] = f"Bearer {token}"
    return client


def log_in(page: Page, email: str, password: str = DEMO_PASSWORD) -> None:
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state("networkidle")



def test_homeowner_from_photo_to_rated_installation(page: Page, browser: Browser, server: str,
                                                    tmp_path: Path) -> None:
    email = f"journey-{uuid.uuid4().hex[:8]}@example.com"
    # --- sign up, new design ---------------------------------------------------------------------
    page.goto("/signup")
    page.get_by_label("Your name").fill("Wang Fang")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("a good long password")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", name="No designs yet")).to_be_visible()
    page.get_by_label("Name of the new design").fill("Journey kitchen")
    page.get_by_role("button", name="New design").click()
    expect(page).to_have_url(re.compile(r"/designs/des-[^/]+$"))
    design_url = page.url
    design_id = design_url.rsplit("/", 1)[1]
    page.wait_for_load_state("networkidle")

    # --- floor plan from a photo, corrected and scaled -------------------------------------------------
    page.get_by_role("link", name="Floor plan from a photo").click()
    expect(page.locator("body")).to_have_attribute("data-plan-ready", "true")
    drawn_flat_png(tmp_path / "f.png")
    page.get_by_label("Choose a photo or scan of your floor plan").set_input_files(str(tmp_path / "f.png"))
    expect(page.locator("#correct-step")).to_be_visible(timeout=90_000)
    page.get_by_text("Set scale", exact=True).click()
    page.mouse.click(*photo_point(page, 56, 320))
    page.mouse.click(*photo_point(page, 844, 320))
    page.get_by_label("Real length of the line (mm)").fill("7880")
    page.get_by_role("button", name="Apply scale").click()
    expect(page.locator("#scale-status")).to_contain_text("Scale set from your line")
    page.get_by_label("Name of room 1", exact=True).fill("Kitchen")
    page.get_by_label("Type of room 1", exact=True).select_option("kitchen")
    page.get_by_role("button", name="Use this plan").click()
    expect(page).to_have_url(design_url)
    expect(page.locator("#revision")).to_have_text("2")

    # --- auto-fill a wall run, choose an alternative ----------------------------------------------------
    expect(page.locator("body")).to_have_attribute("data-editor-ready", "true", timeout=30_000)
    autofill_first_wall(page)
    expect(page.locator("#revision")).to_have_text("3")
    assert int(page.locator("#cabinet-count").inner_text()) > 0

    # --- adjust a cabinet: width, with live price ----------------------------------------------------------
    page.locator("#cabinet-rows tr button").first.click()
    expect(page.locator("#cabinet-form")).to_be_visible()
    width = page.get_by_label("Width (mm)")
    current = int(float(width.input_value()))
    width.fill(str(current - 10))
    expect(page.locator("#cab-price")).to_have_text(re.compile(r"\d"))
    page.get_by_role("button", name="Apply").click()
    expect(page.locator("#revision")).to_have_text("4")
    expect(page.locator("#view-3d")).to_have_attribute("data-revision", "4", timeout=30_000)
    settle(page)

    # --- book a home measurement with a designer whose style fits ----------------------------------------
    page.goto("/designers?service=home_measurement&style=Nordic")
    page.get_by_role("link", name="See free times").first.click()
    designer_name = page.get_by_role("heading", level=1).inner_text()
    page.locator('input[name="start"]').first.check()
    page.locator('select[name="design_id"]').select_option(design_id)
    page.locator('input[name="address"]').fill("8 Riverside Road, Xuhui, Shanghai")
    page.get_by_role("button", name="Book this time").click()
    expect(page).to_have_url(re.compile(r"/bookings/"))
    measurement_booking = page.url.rsplit("/", 1)[1]

    # --- the designer confirms, visits and measures (in their own browser) -------------------------------
    designer_email = {"Anna Müller": "designer.muller@demo.roomwright", "Chen Jing": "designer.chen@demo.roomwright",
                      "Sun Lei": "designer.sun@demo.roomwright"}[designer_name.strip()]
    admin = api_login(server, "admin@demo.roomwright")
    designer_context = browser.new_context(base_url=server, locale="en-GB")
    designer_page = designer_context.new_page()
    log_in(designer_page, designer_email)
    designer_page.goto(f"/bookings/{measurement_booking}")
    designer_page.get_by_role("button", name="Confirm").click()
    assert admin.post("/api/testing/clock", json={"advance_hours": 24 * 15}).status_code == 200
    designer_page.goto(f"/bookings/{measurement_booking}/measurement")
    designer_page.locator('input[name="ceiling_height_mm"]').fill("2750")
    designer_page.get_by_role("button", name="Save as a new revision for approval").click()
    designer_page.wait_for_load_state("networkidle")
    designer_page.goto(f"/bookings/{measurement_booking}")
    designer_page.get_by_role("button", name="Mark completed").click()
    designer_page.wait_for_load_state("networkidle")
    designer_context.close()

    # --- the homeowner approves the measured revision and orders it ---------------------------------------
    page.goto(f"/designs/{design_id}/approval")
    expect(page.locator("#measured-price")).to_have_text(re.compile(r"\d"))  # the quote, run again
    expect(page.locator("#measured-effects")).to_contain_text("still fit")
    page.get_by_role("button", name="Approve this version").click()
    page.wait_for_load_state("networkidle")
    page.goto(design_url)
    page.get_by_role("link", name="Order", exact=True).click()
    page.get_by_label("Name").fill("Wang Fang")
    page.get_by_label("Phone").fill("138 0000 1234")
    page.get_by_label("Delivery address").fill("8 Riverside Road, Xuhui, Shanghai")
    page.get_by_role("button", name="Submit the order").click()
    expect(page.locator("#order-status")).to_have_text("submitted")
    number = page.locator("#order-number").inner_text()
    order_id = page.url.rsplit("/", 1)[1]

    # --- the factory makes and ships it; the homeowner follows the status ---------------------------------
    factory = api_login(server, "factory@demo.roomwright")
    for status in ("accepted", "in_production", "shipped"):
        assert factory.patch(f"/api/orders/{order_id}", json={"status": status}).status_code == 200
    page.reload()
    expect(page.locator("#order-status")).to_have_text("shipped")
    expect(page.locator(".timeline li.done")).to_have_count(4)

    # --- book the installation, the team installs ----------------------------------------------------------
    page.locator("#installation button.slot").first.click()
    expect(page).to_have_url(re.compile(r"/bookings/"))
    installation_booking = page.url.rsplit("/", 1)[1]
    installer = api_login(server, "installer@demo.roomwright")
    assert installer.patch(f"/api/bookings/{installation_booking}", json={"action": "confirm"}).status_code == 200
    assert admin.post("/api/testing/clock", json={"advance_hours": 24 * 15}).status_code == 200
    for action in ("arrive", "complete"):
        response = installer.patch(f"/api/bookings/{installation_booking}", json={"action": action})
        assert response.status_code == 200, response.text
    page.goto(f"/orders/{order_id}")
    expect(page.locator("#order-status")).to_have_text("installed")
    assert number.startswith("RW")

    # --- rate the designer and the installers -----------------------------------------------------------
    for booking in (measurement_booking, installation_booking):
        page.goto(f"/bookings/{booking}")
        page.locator('select[name="stars"]').select_option("5")
        page.get_by_role("button", name="Send rating").click()
        expect(page.get_by_role("button", name="Update rating")).to_be_visible()
    screenshot(page, "homeowner-rated")
    for client in (admin, factory, installer):
        client.close()
