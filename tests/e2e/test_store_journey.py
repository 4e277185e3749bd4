"""The in-store designer's journey in a real browser, at a big touch screen: store mode → a new design
with a walk-in customer → the floor plan from a photo → auto-fill → a quick swap of fronts and handle →
a clear price → the customer confirms and hands the design to the factory → a QR code opens that one
design on the customer's phone, where every change the designer made is a revision; the account the
store created chooses its password there, and then the customer sees their order."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from support.browser import autofill_first_wall, screenshot, settle
from support.plans import drawn_flat_png

pytestmark = pytest.mark.e2e
DEMO_PASSWORD = "roomwright-demo"


def test_designer_in_store_hands_a_design_to_the_factory_and_the_phone(page: Page, browser: Browser, server: str,
                                                                       tmp_path: Path) -> None:
    page.set_viewport_size({"width": 1600, "height": 1000})  # the store's big screen
    page.goto("/login")
    page.get_by_label("Email").fill("designer.chen@demo.roomwright")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Store mode").click()
    expect(page.get_by_role("heading", name="Store mode")).to_be_visible()
    expect(page.get_by_role("heading", name="Today's agenda")).to_be_visible()
    customer_email = f"walkin-{uuid.uuid4().hex[:8]}@example.com"
    page.get_by_label("Customer's name").fill("Zhang Wei")
    page.get_by_label("Customer's email").fill(customer_email)
    page.get_by_label("Design name").fill("Zhang family kitchen")
    page.get_by_role("button", name="Start designing").click()
    expect(page).to_have_url(re.compile(r"/designs/des-[^/?]+\?store=1$"))
    design_id = page.url.split("/designs/")[1].split("?")[0]
    page.wait_for_load_state("networkidle")

    # the customer's floor plan, from a photo
    page.get_by_role("link", name="Floor plan from a photo").click()
    expect(page.locator("body")).to_have_attribute("data-plan-ready", "true")
    drawn_flat_png(tmp_path / "p.png")
    page.get_by_label("Choose a photo or scan of your floor plan").set_input_files(str(tmp_path / "p.png"))
    expect(page.locator("#correct-step")).to_be_visible(timeout=90_000)
    page.get_by_label("Type of room 1", exact=True).select_option("kitchen")
    page.get_by_role("button", name="Use this plan").click()
    expect(page).to_have_url(re.compile(rf"/designs/{design_id}$"))
    expect(page.locator("body")).to_have_attribute("data-editor-ready", "true", timeout=30_000)
    settle(page)
    page.goto(f"/designs/{design_id}?store=1")
    expect(page.locator("body")).to_have_attribute("data-editor-ready", "true", timeout=30_000)
    expect(page.locator("#view3d-canvas")).to_be_visible()  # side by side with the plan
    expect(page.locator("#plan-svg")).to_be_visible()

    # auto-fill a wall, then a quick swap of fronts and handle
    autofill_first_wall(page)
    expect(page.locator("#revision")).to_have_text("3")  # created, the plan, the auto-fill
    # browse the fronts by style and swap every front at once
    revision = 3
    page.get_by_label("Style", exact=True).select_option("Nordic")
    oak = page.locator('#style-fronts li[data-material="oak_veneer_19"]')
    expect(page.locator("#style-fronts li")).to_have_count(3)
    oak.get_by_role("button", name="Use on all fronts").click()
    expect(page.locator("#revision")).to_have_text(str(revision + 1))
    expect(page.locator("#editor-status")).to_contain_text("Oak veneered front")
    revision += 1
    page.locator("#cabinet-rows tr button").first.click()
    front = page.locator("#cab-front")
    options = [o for o in front.locator("option").all_inner_texts()]
    assert len(options) > 2
    front.select_option(index=2)
    page.locator("#cab-handle").select_option(index=2)
    page.get_by_role("button", name="Apply").click()
    expect(page.locator("#revision")).to_have_text(str(revision + 1))
    expect(page.locator("#view-3d")).to_have_attribute("data-revision", str(revision + 1), timeout=30_000)
    settle(page)

    # the customer sees a clear price, confirms on the screen and hands the design to the factory
    page.get_by_role("link", name="Hand the design to the factory").click()
    expect(page.locator("#handoff-total")).to_have_text(re.compile(r"CNY [\d,]+\.\d\d"))
    page.get_by_label("Phone").fill("139 1234 5678")
    page.get_by_label("Delivery address").fill("88 Lake Road, Xuhui, Shanghai")
    page.get_by_label("I have checked the design and the price, and I want it made.").check()
    page.get_by_role("button", name="Hand the design to the factory").click()
    expect(page.get_by_role("heading", name=re.compile("is with the factory"))).to_be_visible()
    expect(page.locator("figure.qr svg")).to_be_visible()
    screenshot(page, "store-handoff")
    link = page.locator("#handoff-link").get_attribute("href")
    assert link and "/go/" in link

    # the customer continues on their phone with this one design and sees the designer's revisions
    phone = browser.new_context(base_url=server, viewport={"width": 390, "height": 844}, is_mobile=True,
                                has_touch=True, locale="en-GB")
    mobile = phone.new_page()
    mobile.goto(link)
    expect(mobile).to_have_url(re.compile(rf"/designs/{design_id}$"))
    expect(mobile.locator("#design-name")).to_have_text("Zhang family kitchen")
    history = mobile.locator("ol.revisions li")
    assert history.count() >= 4
    expect(history.first).to_contain_text("Chen Jing")
    expect(mobile.locator("#scoped-notice")).to_contain_text("only this design is open here")
    expect(mobile.get_by_role("link", name="Orders")).to_have_count(0)  # the link opens the design only
    # the account the store made chooses its password; then the whole account is open
    mobile.get_by_role("link", name="Choose a password").click()
    mobile.get_by_label("New password").fill("zhang-wei-kitchen")
    mobile.get_by_label("The same password again").fill("zhang-wei-kitchen")
    mobile.get_by_role("button", name="Save the password").click()
    expect(mobile).to_have_url(re.compile(rf"/designs/{design_id}$"))
    expect(mobile.locator("#scoped-notice")).to_have_count(0)
    mobile.get_by_role("link", name="Orders").click()
    expect(mobile.locator("table.list tbody tr")).to_have_count(1)
    assert mobile.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
    phone.close()
