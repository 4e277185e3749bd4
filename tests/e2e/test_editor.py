"""In a real browser: the demo homeowner opens the editor, sees the 3D view, selects a cabinet in 3D
and in the plan, changes its width with live validation, sees the change everywhere, undoes it."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image, ImageStat
from playwright.sync_api import Page, expect

from support.browser import screenshot

pytestmark = pytest.mark.e2e


def _open_demo_kitchen(page: Page) -> None:
    page.goto("/login")
    page.get_by_label("Email").fill("homeowner@demo.roomwright")
    page.get_by_label("Password").fill("roomwright-demo")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="My first kitchen").click()
    expect(page.locator("body")).to_have_attribute("data-editor-ready", "true", timeout=30_000)
    expect(page.locator("#view-3d")).to_have_attribute("data-loaded", "true", timeout=30_000)


def _assert_not_blank(png: bytes) -> None:
    image = Image.open(io.BytesIO(png)).convert("RGB")
    stddev = ImageStat.Stat(image).stddev
    colours = image.getcolors(maxcolors=1 << 20) or []
    assert sum(stddev) > 30, f"the 3D canvas looks blank (stddev {stddev})"
    assert len(colours) > 200, f"the 3D canvas has only {len(colours)} colours"


def test_editor_select_resize_see_change_and_undo(page: Page) -> None:
    _open_demo_kitchen(page)
    page.wait_for_timeout(300)  # let the first frame reach the screen
    canvas = page.locator("#view3d-canvas")
    _assert_not_blank(canvas.screenshot())
    start = int(page.locator("#revision").inner_text())
    expect(page.locator("#findings-list")).not_to_contain_text("Checking")

    # every unit with hinged doors shows the arcs its leaves sweep on the plan, faintly, beneath the units
    hinged = page.evaluate("fetch(`/api/designs/${window.roomwrightEditor.state.designId}/swings`)"
                           ".then((r) => r.json()).then((b) => Object.keys(b.cabinets))")
    assert len(hinged) >= 8 and "cab-6" in hinged and "cab-3" not in hinged  # cab-3 has drawers only
    faint = page.locator("#plan-svg g.layer.swings-all g.plan-unit-swings")
    expect(faint).to_have_count(len(hinged))
    assert sorted(faint.evaluate_all("(gs) => gs.map((g) => g.dataset.cabinet)")) == sorted(hinged)
    assert page.evaluate("document.querySelector('#plan-svg g.layer.swings-all').nextElementSibling"
                         ".classList.contains('cabinets')")

    # pick a tall unit in the 3D view (raycast on the node named with the cabinet id)
    point = page.evaluate("window.roomwrightEditor.screenPoint('cab-6')")
    page.mouse.click(point[0], point[1])
    expect(page.locator("#cabinet-id")).to_have_attribute("data-id", "cab-6")
    expect(page.locator("#cabinet-form")).to_be_visible()
    # the selected unit's leaf is drawn emphasized instead of faintly
    expect(page.locator("#plan-svg g.layer.swings[data-id='cab-6'] path.plan-leaf-swing")).to_have_count(1)
    expect(faint).to_have_count(len(hinged) - 1)
    expect(page.locator("#plan-svg g.plan-unit-swings[data-cabinet='cab-6']")).to_have_count(0)

    # select a base unit in the 2D plan (its front part; the wall unit above hides its back)
    unit = page.locator("#plan-svg .plan-cabinet[data-id='cab-3']")
    box = unit.bounding_box()
    assert box is not None
    unit.click(position={"x": box["width"] / 2, "y": box["height"] * 0.85})
    expect(page.locator("#cabinet-id")).to_have_attribute("data-id", "cab-3")
    expect(faint).to_have_count(len(hinged))  # the oven's leaf is faint again; the drawers have none
    expect(page.locator("#plan-svg g.layer.swings")).to_have_count(0)
    width = page.get_by_label("Width (mm)")
    expect(width).to_have_value("600")

    # live validation: an impossible width is refused next to the field, before anything is sent
    width.fill("5000")
    expect(page.locator("#cab-width-error")).to_contain_text("between 300 and 1,200")
    expect(width).to_have_attribute("aria-invalid", "true")
    width.fill("500")
    expect(page.locator("#cab-width-error")).to_be_empty()
    expect(page.locator("#cab-price")).to_have_text(re.compile(r"\d"))

    page.get_by_role("button", name="Apply").click()
    expect(page.locator("#revision")).to_have_text(str(start + 1))
    # the "saved" status shows for 4 s from the save: read it before waiting for the 3D scene, which a loaded
    # machine may take longer than that to rebuild
    expect(page.locator("#editor-status")).to_contain_text(f"revision {start + 1}")
    row = page.locator("#cabinet-rows tr[data-id='cab-3'] td.size")
    expect(row).to_have_text("500 × 720 × 578")
    expect(unit.locator("text")).to_have_text("500")
    expect(page.locator("#view-3d")).to_have_attribute("data-revision", str(start + 1))
    page.wait_for_timeout(300)
    _assert_not_blank(canvas.screenshot())
    screenshot(page, "editor-3d")

    # undo with the keyboard: the width is back, as a new revision
    page.locator("body").click(position={"x": 5, "y": 5})
    page.keyboard.press("Control+z")
    expect(page.locator("#revision")).to_have_text(str(start + 2))
    expect(row).to_have_text("600 × 720 × 578")
    expect(page.get_by_role("button", name="Redo")).to_be_enabled()
    expect(page.locator("#view-3d")).to_have_attribute("data-revision", str(start + 2))
    expect(page.locator("#quote-total")).to_have_text(re.compile(r"\d"))


def test_drag_along_the_wall_shows_findings_and_walk_mode(page: Page) -> None:
    _open_demo_kitchen(page)
    start = int(page.locator("#revision").inner_text())
    unit = page.locator("#plan-svg .plan-cabinet[data-id='cab-4']")
    unit.scroll_into_view_if_needed()
    box = unit.bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] * 0.85
    page.mouse.move(x, y)
    page.mouse.down()
    for step in range(1, 11):
        page.mouse.move(x - 3 * step, y)
    page.mouse.up()
    expect(page.locator("#revision")).to_have_text(str(start + 1))
    where = page.locator("#cabinet-rows tr[data-id='cab-4'] td").nth(2)
    expect(where).not_to_have_text(re.compile(r"3,200 mm from its start"))
    # it now overlaps its neighbour: the finding is listed, in words that name the units by what they
    # are and where they stand (never by id), with a fix to apply; the unit is marked in the plan
    finding = page.locator("#findings-list li[data-ids~='cab-4']").first
    expect(finding).to_contain_text(re.compile(r"\d+ mm .* run \d+ mm into each other"))
    expect(finding).not_to_contain_text("cab-")
    expect(finding.get_by_role("button", name="Apply fix")).to_be_visible()
    expect(unit).to_have_class(re.compile(r"flag-error"))
    page.get_by_role("button", name="Undo").click()
    expect(page.locator("#revision")).to_have_text(str(start + 2))
    expect(where).to_have_text(re.compile(r"3,200 mm from its start"))
    expect(page.locator("#view-3d")).to_have_attribute("data-revision", str(start + 2))

    walk = page.get_by_role("button", name="Walk through")
    walk.scroll_into_view_if_needed()
    walk.click()
    expect(walk).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#walk-hint")).to_be_visible()
    position = "window.roomwrightEditor.view3d().camera.position.toArray()"
    before = page.evaluate(position)
    moved = f"(prev) => JSON.stringify({position}) !== JSON.stringify(prev)"
    page.keyboard.down("s")  # held until the walk has moved the camera (frames are slow on a busy machine)
    page.wait_for_function(moved, arg=before, timeout=10_000)
    page.keyboard.up("s")
    page.wait_for_timeout(100)
    after_keys = page.evaluate(position)
    assert after_keys != before and abs(after_keys[1] - 1.6) < 1e-6  # moved, at eye height
    back = page.get_by_role("button", name="Back", exact=True)  # the on-screen pad, for touch screens
    back.hover()
    page.mouse.down()
    page.wait_for_function(moved, arg=after_keys, timeout=10_000)
    page.mouse.up()
    _assert_not_blank(page.locator("#view3d-canvas").screenshot())
    screenshot(page, "editor-walk")
    page.keyboard.press("Escape")
    expect(walk).to_have_attribute("aria-pressed", "false")


def test_editor_autofill_dialog_applies_an_alternative(page: Page) -> None:
    _open_demo_kitchen(page)
    # a room clicked on the plan is the one the dialog starts from
    page.locator("svg:has([data-room-id])").scroll_into_view_if_needed()
    room = page.locator("[data-room-id='room-dining']").bounding_box()
    view = page.locator("svg:has([data-room-id])").bounding_box()
    assert room is not None and view is not None
    x0, x1 = max(room["x"], view["x"]), min(room["x"] + room["width"], view["x"] + view["width"])
    y0 = max(room["y"], view["y"], 0)
    bottom = page.viewport_size["height"] if page.viewport_size else 1e9
    y1 = min(room["y"] + room["height"], view["y"] + view["height"], bottom)
    assert x1 > x0 and y1 > y0  # part of the dining room is in view
    page.mouse.click((x0 + x1) / 2, (y0 + y1) / 2)
    page.get_by_role("button", name="Auto-fill a wall…").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_label("Room")).to_have_value("room-dining")
    # picked by name, the kitchen lists the walls facing it, named by room, side and length (no ids)
    dialog.get_by_label("Room").select_option(label="Kitchen")
    walls = dialog.locator("#autofill-walls label")
    expect(walls.first).to_contain_text(re.compile(r"^Kitchen, (north|east|south|west) wall, [\d,]+ mm$"))
    assert walls.count() < 8  # not every wall of the apartment
    dialog.locator("input[value='wall-kitchen-dining']").check()
    dialog.get_by_role("button", name="Show alternatives").click()
    alternatives = dialog.locator("li.alternative")
    expect(alternatives.first).to_be_visible(timeout=20_000)
    assert 1 <= alternatives.count() <= 5
    start = int(page.locator("#revision").inner_text())
    count = int(page.locator("#cabinet-count").inner_text())
    alternatives.first.get_by_role("button", name="Use this").click()
    expect(dialog).to_be_hidden()
    expect(page.locator("#revision")).to_have_text(str(start + 1))
    assert int(page.locator("#cabinet-count").inner_text()) > count
    expect(page.locator("#view-3d")).to_have_attribute("data-revision", str(start + 1))
    # one undo takes the whole alternative away again (and leaves the shared demo design as it was)
    page.get_by_role("button", name="Undo").click()
    expect(page.locator("#revision")).to_have_text(str(start + 2))
    expect(page.locator("#cabinet-count")).to_have_text(str(count))
    expect(page.locator("#view-3d")).to_have_attribute("data-revision", str(start + 2))


def test_show_machining_draws_the_holes_inside_their_cabinets(page: Page) -> None:
    """"Show machining" draws every hole the factory drills as a small cylinder inside its cabinet (hinge cups
    where the hinges are), and hides them again."""
    _open_demo_kitchen(page)
    button = page.get_by_role("button", name="Show machining")
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#view-3d[data-holes]")).to_have_count(1, timeout=30_000)
    shown = int(page.locator("#view-3d").get_attribute("data-holes") or 0)
    found = page.evaluate("""() => {
      const view = window.roomwrightEditor.view3d();
      const out = {groups: 0, holes: 0, purposes: new Set(), inCabinets: true};
      for (const [id, node] of view.cabinets) {
        for (const child of node.children) {
          if (child.name !== "machining") continue;
          out.groups += 1;
          for (const mesh of child.children) { out.holes += 1; out.purposes.add(mesh.userData.purpose); }
        }
      }
      return {groups: out.groups, holes: out.holes, purposes: [...out.purposes]};
    }""")
    assert shown > 50 and found["holes"] == shown and found["groups"] >= 5
    assert {"hinge_cup", "shelf_pin"} <= set(found["purposes"])
    button.click()
    expect(page.locator("#view-3d[data-holes]")).to_have_count(0)
    left = page.evaluate("""() => [...window.roomwrightEditor.view3d().cabinets.values()]
      .flatMap((n) => n.children).filter((c) => c.name === "machining").length""")
    assert left == 0
