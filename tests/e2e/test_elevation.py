"""In a real browser: the selected cabinet's front elevation shows its zones; clicking a zone splits it
there (a saved, undoable command) and the drawing follows; the next click fills the new zone with
internal drawers; undo brings the zones back."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from support.browser import screenshot

pytestmark = pytest.mark.e2e


def test_click_a_zone_in_the_elevation_to_split_it(page: Page) -> None:
    page.goto("/login")
    page.get_by_label("Email").fill("homeowner@demo.roomwright")
    page.get_by_label("Password").fill("roomwright-demo")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="My first kitchen").click()
    expect(page.locator("body")).to_have_attribute("data-editor-ready", "true", timeout=30_000)

    oven = page.evaluate("window.roomwrightEditor.state.doc.cabinets.find((c) => c.family === 'tall_oven').id")
    page.locator(f"#cabinet-rows tr[data-id='{oven}'] button").first.click()
    expect(page.locator("#cabinet-id")).to_have_attribute("data-id", oven)
    figure = page.locator("#elevation")
    expect(figure).to_be_visible()
    zones = figure.locator("g.zone")
    expect(zones).to_have_count(3)
    expect(figure.locator("g.zone[data-path='2'] text")).to_contain_text("shelves")
    start = int(page.locator("#revision").inner_text())

    top = figure.locator("g.zone[data-path='2'] rect")
    box = top.bounding_box()
    assert box is not None
    top.click(position={"x": box["width"] / 2, "y": box["height"] * 0.6})  # below the middle: a lower board
    expect(page.locator("#revision")).to_have_text(str(start + 1))
    expect(zones).to_have_count(4)
    split = page.evaluate(f"window.roomwrightEditor.state.doc.cabinets.find((c) => c.id === '{oven}').interior")
    assert split["zones"][2]["kind"] == "split" and split["zones"][2]["axis"] == "horizontal"
    assert 100 <= split["zones"][2]["zones"][0]["size_mm"] < 742 / 2

    page.locator("#elevation-axis").select_option("insert:drawers_internal")
    figure.locator("g.zone[data-path='2.0'] rect").click()
    expect(page.locator("#revision")).to_have_text(str(start + 2))
    expect(figure.locator("g.zone[data-path='2.0'] text")).to_contain_text("drawers × 2 (internal)")
    screenshot(page, "elevation-split")

    page.get_by_role("button", name="Undo").click()
    expect(page.locator("#revision")).to_have_text(str(start + 3))
    page.get_by_role("button", name="Undo").click()
    expect(page.locator("#revision")).to_have_text(str(start + 4))
    expect(zones).to_have_count(3)
