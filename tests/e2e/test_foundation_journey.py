"""In a real browser: sign up, create a design, rename it, see it listed, switch language, log out."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Page, expect

from support.browser import screenshot

pytestmark = pytest.mark.e2e


def test_sign_up_create_rename_list_log_out(page: Page) -> None:
    email = f"e2e-{uuid.uuid4().hex[:8]}@example.com"
    page.goto("/")
    page.get_by_role("link", name="Start a design").click()
    page.get_by_label("Your name").fill("Mei")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("a good long password")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", name="No designs yet")).to_be_visible()
    page.get_by_label("Name of the new design").fill("Kitchen 12B")
    page.get_by_role("button", name="New design").click()
    expect(page).to_have_url(re.compile(r"/designs/des-"))
    expect(page.locator("#design-name")).to_have_text("Kitchen 12B")
    page.locator("#rename").fill("Kitchen, flat 12B")
    page.get_by_role("button", name="Rename").click()
    expect(page.locator("#design-name")).to_have_text("Kitchen, flat 12B")
    expect(page.locator("#revision")).to_have_text("2")
    page.get_by_role("link", name="My designs").click()
    expect(page.get_by_role("link", name="Kitchen, flat 12B")).to_be_visible()
    screenshot(page, "designs-list")
    page.get_by_role("link", name="简体中文").click()
    expect(page.get_by_role("heading", name="我的设计")).to_be_visible()
    page.get_by_role("button", name="退出登录").click()
    expect(page.get_by_role("heading", name="登录")).to_be_visible()


def test_demo_homeowner_logs_in_and_sees_the_demo_design(page: Page) -> None:
    page.goto("/login")
    page.get_by_label("Email").fill("homeowner@demo.roomwright")
    page.get_by_label("Password").fill("roomwright-demo")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("link", name="My first kitchen")).to_be_visible()


def test_wrong_password_is_shown_next_to_the_form(page: Page) -> None:
    page.goto("/login")
    page.get_by_label("Email").fill("homeowner@demo.roomwright")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_contain_text("not right")
