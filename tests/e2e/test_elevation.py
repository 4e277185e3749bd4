"""In a real browser: the selected cabinet's front elevation shows its zones; clicking a zone splits it
there (a saved, undoable command) and the drawing follows; the next click fills the new zone with
internal drawers; undo brings the zones back. Dragging the board between two zones moves it to the mm
shown while dragging."""

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
    # the plan shows the quarter circle its one hinged door sweeps, the leaf's width about its hinge
    swings = page.locator("#plan-svg g.layer.swings path.plan-leaf-swing")
    expect(swings).to_have_count(1)
    bbox = swings.first.evaluate("(p) => { const b = p.getBBox(); return [b.width, b.height]; }")
    oven_width = page.evaluate(f"window.roomwrightEditor.state.doc.cabinets.find((c) => c.id === '{oven}').width_mm")
    assert abs(bbox[0] - bbox[1]) < 2 and oven_width - 10 < bbox[0] < oven_width
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
    drawers = page.evaluate("window.roomwrightEditor.state.doc.cabinets.find((c) => c.family === 'base_3_drawers').id")
    page.locator(f"#cabinet-rows tr[data-id='{drawers}'] button").first.click()
    expect(page.locator("#cabinet-id")).to_have_attribute("data-id", drawers)
    expect(figure.locator("g.zone[data-path='2'] text")).to_contain_text("drawer")
    expect(swings).to_have_count(0)  # drawers do not swing


def test_drag_a_board_between_zones_to_move_it(page: Page) -> None:
    page.goto("/login")
    page.get_by_label("Email").fill("homeowner@demo.roomwright")
    page.get_by_label("Password").fill("roomwright-demo")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="My first kitchen").click()
    expect(page.locator("body")).to_have_attribute("data-editor-ready", "true", timeout=30_000)

    oven = page.evaluate("window.roomwrightEditor.state.doc.cabinets.find((c) => c.family === 'tall_oven').id")
    page.locator(f"#cabinet-rows tr[data-id='{oven}'] button").first.click()
    figure = page.locator("#elevation")
    expect(figure).to_be_visible()
    expect(figure.locator("g.zone")).to_have_count(3)
    board = figure.locator("g.divider[data-index='1']")  # between the oven niche and the shelves above
    expect(board).to_have_attribute("role", "slider")
    before = int(board.get_attribute("aria-valuenow") or 0)
    start = int(page.locator("#revision").inner_text())

    board.scroll_into_view_if_needed()
    box = board.locator("rect.divider-hit").bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    for step in range(1, 6):  # 50 px up, in steps, as a hand drags
        page.mouse.move(x, y - 10 * step)
    label = board.locator("text.divider-mm")
    shown = label.text_content() or ""
    assert shown.endswith(" mm")
    page.mouse.up()
    expect(page.locator("#revision")).to_have_text(str(start + 1))
    expect(figure.locator("g.zone")).to_have_count(3)  # the same zones, the board elsewhere
    expect(board).to_have_attribute("aria-valuetext", shown)  # the server put it where it was dropped
    after = int(board.get_attribute("aria-valuenow") or 0)
    assert after > before + 50  # up by 50 px at well over 1 mm per px
    interior = page.evaluate(f"window.roomwrightEditor.state.doc.cabinets.find((c) => c.id === '{oven}').interior")
    below = int(figure.locator("g.divider[data-index='0']").get_attribute("aria-valuenow") or 0)
    assert interior["zones"][1]["size_mm"] == after - below  # the niche grew by what the board moved
    assert [z["insert"]["kind"] for z in interior["zones"]] == ["drawers", "niche", "shelves"]
    screenshot(page, "elevation-divider")

    page.get_by_role("button", name="Undo").click()
    expect(page.locator("#revision")).to_have_text(str(start + 2))
    expect(board).to_have_attribute("aria-valuenow", str(before))
