"""In a real browser: walls and units you can point at (hover and select walls in the plan, named by
room, side and length; the auto-fill dialog's walls on a small plan), a unit dragged from one wall to
another, and a free-standing unit turned to 30° with the findings following."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

TO_SCREEN = """([x, y]) => { const svg = document.getElementById('plan-svg');
  const p = new DOMPoint(x, y).matrixTransform(svg.getScreenCTM()); return [p.x, p.y]; }"""


def _open(page: Page) -> None:
    page.goto("/login")
    page.get_by_label("Email").fill("homeowner@demo.roomwright")
    page.get_by_label("Password").fill("roomwright-demo")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="My first kitchen").click()
    expect(page.locator("body")).to_have_attribute("data-editor-ready", "true", timeout=30_000)
    page.get_by_role("button", name="Plan only").click()


def _cabinet(page: Page, cab_id: str) -> Any:
    return page.evaluate(f"window.roomwrightEditor.state.doc.cabinets.find((c) => c.id === '{cab_id}')")


def _revision(page: Page) -> int:
    return int(page.locator("#revision").inner_text())


def test_a_wall_highlights_under_the_pointer_and_is_named_when_selected(page: Page) -> None:
    _open(page)
    wall = page.locator("#plan-svg .plan-wall[data-wall='wall-kitchen-dining']")
    x, y = page.evaluate(TO_SCREEN, [3600, 2600])
    page.mouse.move(x, y)
    expect(wall).to_have_class(re.compile(r"\bhover\b"))
    page.mouse.click(x, y)
    expect(wall).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#wall-name")).to_have_text("Kitchen, east wall, 3,200 mm")
    assert page.evaluate("window.roomwrightEditor.view3d().selectedWall") == "wall-kitchen-dining"  # 3D in step
    assert "wall-" not in page.locator("#inspector").inner_text()


def test_the_auto_fill_dialog_names_walls_and_shows_them_on_a_small_plan(page: Page) -> None:
    _open(page)
    page.get_by_role("button", name="Auto-fill a wall…").click()
    dialog = page.locator("#autofill-dialog")
    north = dialog.get_by_text("Kitchen, north wall, 3,600 mm")
    expect(north).to_be_visible()
    assert "wall-" not in dialog.locator("#autofill-walls").inner_text()
    north.hover()
    expect(dialog.locator("#autofill-plan line[data-wall='wall-top-1']")).to_have_class(re.compile(r"\bhover\b"))
    dialog.get_by_label("Kitchen, west wall, 3,200 mm").check()
    expect(dialog.locator("#autofill-plan line[data-wall='wall-left-2']")).to_have_class(re.compile(r"\bchosen\b"))


def test_a_unit_is_dragged_from_one_wall_to_another(page: Page) -> None:
    _open(page)
    start = _revision(page)
    x, y = page.evaluate(TO_SCREEN, [3375, 600])  # the front of the 350 mm unit at the end of the north wall
    tx, ty = page.evaluate(TO_SCREEN, [3450, 1800])  # beside the east wall
    page.mouse.move(x, y)
    page.mouse.down()
    for k in range(1, 9):
        page.mouse.move(x + (tx - x) * k / 8, y + (ty - y) * k / 8)
    page.mouse.up()
    expect(page.locator("#revision")).to_have_text(str(start + 1), timeout=15_000)
    placement = _cabinet(page, "cab-4")["placement"]
    assert placement["kind"] == "wall" and placement["wall_id"] == "wall-kitchen-dining"
    assert placement["side"] == "right" and 1300 < placement["offset_mm"] < 1900
    _undo(page, start + 2)  # the shared demo design as it was


def test_a_free_standing_unit_turned_to_30_degrees_changes_the_findings(page: Page) -> None:
    _open(page)
    x, y = page.evaluate(TO_SCREEN, [2900, 600])  # the 600 mm drawer unit
    page.mouse.click(x, y)
    expect(page.locator("#cabinet-form")).to_be_visible()
    start = _revision(page)
    page.get_by_role("button", name="Stand free (move and turn it anywhere)").click()
    expect(page.locator("#revision")).to_have_text(str(start + 1), timeout=15_000)
    assert _cabinet(page, "cab-3")["placement"]["kind"] == "free"
    expect(page.locator("#cab-findings .finding.error")).to_have_count(0)
    page.get_by_label("Rotation (degrees)").fill("30")
    page.get_by_role("button", name="Turn", exact=True).click()
    expect(page.locator("#revision")).to_have_text(str(start + 2), timeout=15_000)
    placement = _cabinet(page, "cab-3")["placement"]
    assert placement["kind"] == "free" and abs(placement["rotation_deg"] - 30) < 0.01
    # turned about its centre it now reaches into the wall behind it and its neighbour
    expect(page.locator("#cab-findings .finding.error").first).to_be_visible(timeout=15_000)
    expect(page.get_by_label("Rotation (degrees)")).to_have_value("30")
    _undo(page, start + 3)
    _undo(page, start + 4)
    assert _cabinet(page, "cab-3")["placement"]["kind"] == "wall"


def _undo(page: Page, revision: int) -> None:
    page.get_by_role("button", name="Undo").click()
    expect(page.locator("#revision")).to_have_text(str(revision), timeout=15_000)
