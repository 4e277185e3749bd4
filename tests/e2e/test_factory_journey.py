"""The factory's journey in a real browser: order queue → order detail (parts, sheets, findings) →
prepare the package (a job with progress) and download it → accept → in production → shipped; a part
label's QR page opens."""

from __future__ import annotations

import io
import re
import zipfile

import httpx
import pytest
from playwright.sync_api import Page, expect

from support.browser import screenshot

pytestmark = pytest.mark.e2e

DEMO_PASSWORD = "roomwright-demo"


def submit_demo_order(server: str) -> dict[str, object]:
    """The demo homeowner hands a fresh copy of the demo kitchen to the factory (through the API)."""
    with httpx.Client(base_url=server, timeout=60) as api:
        token = api.post("/api/auth/login", json={"email": "homeowner@demo.roomwright",
                                                  "password": DEMO_PASSWORD}).json()["token"]
        headers = {"Authorization": f"Bearer {token}"}
        demo = next(d for d in api.get("/api/designs", headers=headers).json() if d["name"] == "My first kitchen")
        document = api.get(f"/api/designs/{demo['id']}", headers=headers).json()["document"]
        document["name"] = "Kitchen for the factory"
        copy = api.post("/api/designs", json={"document": document}, headers=headers).json()
        order = api.post(f"/api/designs/{copy['id']}/orders",
                         json={"revision": 1, "delivery": {"name": "Lin Wei", "address": "8 Riverside Rd"}},
                         headers=headers)
        assert order.status_code == 201, order.text
        body: dict[str, object] = order.json()
        return body


def test_factory_takes_an_order_through_production(page: Page, server: str) -> None:
    order = submit_demo_order(server)
    number = str(order["number"])
    page.goto("/login")
    page.get_by_label("Email").fill("factory@demo.roomwright")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Order queue")).to_be_visible()
    page.get_by_label("Status").select_option("submitted")
    page.get_by_role("button", name="Filter").click()
    page.get_by_role("link", name=number).click()
    expect(page.locator("#order-number")).to_have_text(number)
    expect(page.locator("table.parts tbody tr").first).to_be_visible()
    parts = page.locator("table.parts tbody tr").count()
    assert parts > 50
    expect(page.locator("#shared-viewer")).to_have_attribute("data-loaded", "true", timeout=30_000)
    page.evaluate("() => document.getElementById('shared-viewer').scrollIntoView({block: 'center'})")
    page.wait_for_timeout(500)
    screenshot(page, "factory-order")
    toggle = page.locator("#show-machining")  # the order's holes as cylinders in the 3D view
    expect(toggle).to_be_enabled(timeout=30_000)
    toggle.check()
    # fetched when first shown: more than a hundred holes once they are drawn
    expect(page.locator("label:has(#show-machining)")).to_have_attribute("data-holes", re.compile(r"^[1-9]\d{2,}$"),
                                                                        timeout=30_000)
    page.get_by_role("button", name="Prepare the package").click()  # built as a job; its page shows progress
    expect(page.get_by_role("link", name="Whole package (zip)")).to_be_visible(timeout=120_000)
    expect(page.locator("#order-number")).to_have_text(number)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Whole package (zip)").click()
    archive = zipfile.ZipFile(io.BytesIO(download_info.value.path().read_bytes()))
    assert "nesting.pdf" in archive.namelist() and "order.json" in archive.namelist()
    for status in ("accepted", "in_production", "shipped"):
        page.locator(f'button[name="status"][value="{status}"]').click()
        expect(page.locator("#order-status")).to_have_attribute("class", f"status status-{status}")
    first_part = page.locator("table.parts tbody tr a").first
    part_id = first_part.inner_text()
    assert re.fullmatch(rf"{re.escape(number)} · P0*1", part_id), part_id  # the part number, not the label id
    first_part.click()
    expect(page.locator("#part-id")).to_have_text(part_id)
    expect(page.get_by_role("heading", name="Care and maintenance")).to_be_visible()
