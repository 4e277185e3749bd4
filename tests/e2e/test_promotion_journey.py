"""In a real browser: the demo store manager defines a package and a promotion with two places; the demo
homeowner pre-books a place, sees its deposit held under Payments, and sees their points page in Chinese."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest
from playwright.sync_api import Page, expect

from support.browser import screenshot

pytestmark = pytest.mark.e2e


def _login(page: Page, email: str) -> None:
    page.context.clear_cookies()
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("roomwright-demo")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()


def _server_now(server: str) -> datetime:
    """The server's clock (other browser tests move it forward by days): the promotion's window is set
    around it, as a manager sets it around the store's today."""
    with httpx.Client(base_url=server, timeout=60) as admin:
        token = admin.post("/api/auth/login", json={"email": "admin@demo.roomwright",
                                                    "password": "roomwright-demo"}).json()["token"]
        admin.headers["Authorization"] = f"Bearer {token}"
        answer = admin.post("/api/testing/clock", json={"advance_hours": 0})
        answer.raise_for_status()
        return datetime.fromisoformat(answer.json()["now"])


def test_manager_defines_a_promotion_and_a_customer_prebooks_it(page: Page, server: str) -> None:
    _login(page, "manager@demo.roomwright")
    page.get_by_role("link", name="Packages and promotions").click()
    page.get_by_label("Name").fill("Kitchen + wardrobe")
    page.get_by_label("Price per metre").fill("1800")
    page.get_by_label("What it includes (one a line)").fill("carcasses\ndoors\nsoft-close hinges")
    page.get_by_label("Surcharges per metre (one 'option: price' a line)").fill("quartz top: 600")
    page.get_by_role("button", name="Save package").click()
    expect(page.locator("#store-promotions-done")).to_be_visible()
    local = _server_now(server).astimezone(ZoneInfo("Asia/Shanghai"))
    page.get_by_label("Title").fill("Double 12 browser day")
    page.get_by_label("Starts (store time)").fill((local - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Ends (store time)").fill((local + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Places").fill("2")
    page.get_by_label("Deposit").fill("99")
    page.get_by_role("button", name="Save promotion").click()
    expect(page.locator("#store-promotions")).to_contain_text("Double 12 browser day")
    expect(page.locator("#store-promotions")).to_contain_text("0 / 2")

    _login(page, "homeowner@demo.roomwright")
    page.get_by_role("link", name="Promotions").click()
    card = page.locator("article", has_text="Double 12 browser day")
    expect(card).to_contain_text("2 of 2 places left")
    card.get_by_role("button", name="Pre-book with a deposit").click()
    expect(page.locator("#promotions-done")).to_be_visible()
    expect(page.locator("article", has_text="Double 12 browser day")).to_contain_text("1 of 2 places left")
    screenshot(page, "promotion-prebooked")
    page.get_by_role("link", name="Payments").click()
    expect(page.locator("#payments-list")).to_contain_text("prebooking deposit")
    expect(page.locator("#payments-list")).to_contain_text("99.00")
    expect(page.locator("#payments-list")).to_contain_text("held")
    page.goto("/lang/zh_Hans?next=/points")
    expect(page.locator("h1")).to_have_text("我的积分")
    expect(page.locator("#referral-code")).not_to_be_empty()

    _login(page, "manager@demo.roomwright")
    page.goto("/store/promotions")
    expect(page.locator("#store-promotions")).to_contain_text("1 / 2")
