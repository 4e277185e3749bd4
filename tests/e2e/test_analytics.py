"""In a real browser: the demo store manager opens the store analytics from the navigation, sees the
demo store's figures and its designers, the charts drawn by Chart.js (served from its npm package, under
the page's content security policy), downloads the CSV, and reads the page in Chinese."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from support.browser import screenshot

pytestmark = pytest.mark.e2e


def test_the_manager_reads_the_store_analytics(page: Page) -> None:
    page.goto("/login")
    page.get_by_label("Email").fill("manager@demo.roomwright")
    page.get_by_label("Password").fill("roomwright-demo")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Store analytics").click()
    expect(page.get_by_role("heading", name="Store analytics")).to_be_visible()
    expect(page.locator("#analytics-stores tbody tr")).to_have_count(1)
    expect(page.locator("#analytics-stores")).to_contain_text("Roomwright Showroom Xuhui")
    expect(page.locator("#analytics-staff")).to_contain_text("designer")
    for chart in ("chart-funnel", "chart-cases", "chart-ratings"):
        expect(page.locator(f"#{chart}")).to_have_attribute("data-drawn", "true")
    assert page.evaluate("() => typeof Chart === 'function' && Chart.getChart('chart-funnel').data.labels") == \
        ["Roomwright Showroom Xuhui"]
    screenshot(page, "store-analytics")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert text.splitlines()[1].startswith("Kind,Name,Store,Bookings,") and "Roomwright Showroom Xuhui" in text
    page.get_by_role("link", name="中文").click()
    expect(page.get_by_role("heading", name="门店分析")).to_be_visible()
    expect(page.locator("#chart-funnel")).to_have_attribute("data-drawn", "true")
