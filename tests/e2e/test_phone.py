"""The editor on a 390 × 844 phone: the 3D view is on the first screen, nothing runs wider than the
screen, and selecting a cabinet brings its inspector into view right below the view, with controls
large enough to touch."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from support.browser import screenshot, settle

pytestmark = pytest.mark.e2e
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser: Browser, server: str) -> Iterator[Page]:
    context = browser.new_context(base_url=server, viewport=PHONE, device_scale_factor=2, is_mobile=True,
                                  has_touch=True, locale="en-GB")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    settle(page, rounds=1)
    context.close()
    assert not errors, errors


def test_the_editor_fits_a_phone(phone: Page) -> None:
    page = phone
    page.goto("/login")
    page.locator("#email").fill("homeowner@demo.roomwright")
    page.locator("#password").fill("roomwright-demo")
    page.locator("form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/designs$"))
    page.locator("tr[data-design-id] a").first.click()
    expect(page.locator("body")).to_have_attribute("data-editor-ready", "true", timeout=30_000)
    screenshot(page, "phone-editor")
    # nothing is wider than the screen (no sideways scrolling)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    # the 3D view is on the first screen, at least half of it visible without scrolling
    view = page.locator("#view-3d")
    expect(view).to_be_visible()
    box = view.bounding_box()
    assert box and box["y"] < PHONE["height"] * 0.6 and box["width"] >= PHONE["width"] - 40
    visible = min(box["y"] + box["height"], PHONE["height"]) - max(box["y"], 0)
    assert visible >= 0.5 * box["height"], box
    # selecting a cabinet (from the list, as on a touch screen) shows the inspector right after the view
    page.locator("#cabinet-rows tr button").first.click()
    form = page.locator("#cabinet-form")
    expect(form).to_be_visible()
    expect(form).to_be_in_viewport()
    form_box, view_box = form.bounding_box(), view.bounding_box()
    assert form_box and view_box and form_box["y"] >= view_box["y"]
    for control in ("#cab-width", "#cab-apply"):
        size = page.locator(control).bounding_box()
        assert size and size["height"] >= 40, (control, size)  # large enough for a finger
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "phone-inspector")
