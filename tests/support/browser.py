"""Helpers for the browser tests."""

from __future__ import annotations

import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"


def screenshot(page: object, name: str, full_page: bool = False) -> Path:
    from playwright.sync_api import Page

    assert isinstance(page, Page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def settle(page: object, rounds: int = 2) -> None:
    """Wait until the page's API calls are done (``body[data-requests]`` is 0, kept by api.js), twice
    over a short pause so a debounced follow-up call is caught too: leaving a page with a call still
    running would abort it, which the tests count as a failed request."""
    from playwright.sync_api import Page

    assert isinstance(page, Page)
    for _ in range(rounds):
        page.wait_for_function("() => (document.body.dataset.requests || '0') === '0'", timeout=30_000)
        page.wait_for_timeout(300)


def autofill_first_wall(page: object) -> None:
    """In the editor: open the auto-fill dialog, take the first wall that has alternatives, use the best one."""
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    page.get_by_role("button", name="Auto-fill a wall…").click()
    dialog = page.get_by_role("dialog")
    boxes = dialog.get_by_role("checkbox")
    alternatives = dialog.locator("li.alternative")
    for index in range(boxes.count()):
        boxes.nth(index).check()
        dialog.get_by_role("button", name="Show alternatives").click()
        # the server's answer is shown as alternatives or as an "empty" line: wait for either
        expect(dialog.locator("#autofill-results li").first).to_be_visible(timeout=60_000)
        if alternatives.count() > 0:
            break
        boxes.nth(index).uncheck()
    assert alternatives.count() > 0, "no wall of the plan could be filled"
    alternatives.first.get_by_role("button", name="Use this").click()


def photo_point(page: object, x: float, y: float) -> tuple[float, float]:
    """Screen position of a photo pixel on the plan page (the overlay's user units are photo pixels)."""
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    # the photo loads after the correction step shows: before it has loaded the stage is 0 x 0
    expect(page.locator("#stage")).to_have_attribute("data-photo-ready", "true", timeout=30_000)
    page.evaluate("() => document.getElementById('stage').scrollIntoView({block: 'center'})")
    box = page.locator("#overlay").bounding_box()
    assert box
    size = page.evaluate("() => [document.getElementById('photo').naturalWidth, "
                         "document.getElementById('photo').naturalHeight]")
    return box["x"] + x / size[0] * box["width"], box["y"] + y / size[1] * box["height"]


def sign_up(page: object, name: str) -> None:
    """A new homeowner account, signed in, on My designs."""
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    page.goto("/signup")
    page.locator("#display_name").fill(name)
    page.locator("#email").fill(f"real-{uuid.uuid4().hex[:8]}@example.com")
    page.locator("#password").fill("a good long password")
    page.locator("form button[type=submit]").click()
    expect(page.locator("#new-name")).to_be_visible()
