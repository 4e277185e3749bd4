"""In a real browser: upload a floor-plan photo, correct the recognized plan over it (drag a wall end,
rename a room, set the scale with a line, undo/redo) and use it in the design as a new revision."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from support.browser import photo_point, screenshot
from support.plans import drawn_flat_png, real_plans_dir

pytestmark = pytest.mark.e2e

REAL_PHOTO = real_plans_dir() / "r3d_31074492" / "image.jpg"


def clean_plan(path: Path) -> Path:
    drawn_flat_png(path)
    return path


def log_in_and_open_a_new_plan_page(page: Page, name: str) -> str:
    page.goto("/login")
    page.get_by_label("Email").fill("homeowner@demo.roomwright")
    page.get_by_label("Password").fill("roomwright-demo")
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/designs$"))
    page.wait_for_load_state("networkidle")
    page.get_by_label("Name of the new design").fill(name)
    page.get_by_role("button", name="New design").click()
    expect(page).to_have_url(re.compile(r"/designs/des-[^/]+$"))
    design_url = page.url
    # let the design page finish loading (its icon too) before leaving it: an aborted request
    # counts as a failure in the ``page`` fixture
    page.wait_for_load_state("networkidle")
    page.goto(design_url + "/plan")
    expect(page.get_by_role("heading", name="Floor plan from a photo")).to_be_visible()
    return design_url


def saved_plan(page: Page, design_url: str) -> dict[str, Any]:
    """The design's plan as stored (through the API, with the browser's session)."""
    response = page.request.get("/api/designs/" + design_url.rstrip("/").rsplit("/", 1)[-1])
    assert response.ok, response.text()
    plan: dict[str, Any] = response.json()["document"]["plan"]
    return plan


def upload(page: Page, path: Path) -> None:
    expect(page.locator("body")).to_have_attribute("data-plan-ready", "true")
    page.get_by_label("Choose a photo or scan of your floor plan").set_input_files(str(path))
    expect(page.locator("#correct-step")).to_be_visible(timeout=60_000)
    expect(page.locator("#overlay .wall").first).to_be_visible()



def drag_handle(page: Page, handle: Any, to: tuple[float, float], steps: int) -> None:
    """Press on a wall-end handle, move to the screen point ``to`` in ``steps`` moves, release."""
    box = handle.bounding_box()
    assert box
    x0, y0 = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x0, y0)
    page.mouse.down()
    for step in range(1, steps + 1):
        page.mouse.move(x0 + (to[0] - x0) * step / steps, y0 + (to[1] - y0) * step / steps)
    page.mouse.up()


def drag_first_wall_end(page: Page) -> None:
    handle = page.locator("#overlay circle.handle").first
    before = handle.get_attribute("cx"), handle.get_attribute("cy")
    wall_id = handle.get_attribute("data-id")
    box = handle.bounding_box()
    assert box
    drag_handle(page, handle, (box["x"] + box["width"] / 2 + 20, box["y"] + box["height"] / 2 + 15), 5)
    after = page.locator(f'#overlay circle.handle[data-id="{wall_id}"]').first
    assert (after.get_attribute("cx"), after.get_attribute("cy")) != before
    expect(page.locator("#sel-wall")).to_be_visible()
    expect(page.get_by_role("button", name="Undo")).to_be_enabled()


@pytest.mark.skipif(not REAL_PHOTO.exists(), reason="the shared sample photos (../shared/floorplans/real) are absent")
def test_correct_a_real_photo_and_use_it(page: Page) -> None:
    design_url = log_in_and_open_a_new_plan_page(page, "Flat from a real photo")
    upload(page, REAL_PHOTO)
    assert page.locator("#overlay .wall").count() >= 8
    # the plan prints its room sizes ("3.10 x 2.74m"): Tesseract reads them and they give the scale
    expect(page.locator("#scale-status")).to_contain_text("Scale read from the printed room sizes")
    expect(page.locator("#room-list li").first).to_be_visible()

    drag_first_wall_end(page)
    page.keyboard.press("Control+z")
    expect(page.get_by_role("button", name="Undo")).to_be_disabled()

    page.get_by_label("Name of room 1", exact=True).fill("Kitchen")
    page.get_by_label("Type of room 1", exact=True).select_option("kitchen")
    expect(page.locator("#overlay .room-label").first).to_contain_text("Kitchen")

    areas_before = page.locator("#rooms-total").inner_text()
    page.get_by_text("Set scale", exact=True).click()
    # across the bedroom printed "3.10 x 2.13m": wall centre to wall centre is about 3.25 m
    page.mouse.click(*photo_point(page, 206, 255))
    page.mouse.click(*photo_point(page, 324, 255))
    page.get_by_label("Real length of the line (mm)").fill("3250")
    page.get_by_role("button", name="Apply scale").click()
    expect(page.locator("#scale-status")).to_contain_text("Scale set from your line")
    assert page.locator("#rooms-total").inner_text() != areas_before

    page.get_by_role("button", name="Undo").click()
    expect(page.locator("#scale-status")).to_contain_text("Scale read from the printed room sizes")
    page.get_by_role("button", name="Redo").click()
    expect(page.locator("#scale-status")).to_contain_text("Scale set from your line")
    page.keyboard.press("Control+z")
    expect(page.locator("#scale-status")).to_contain_text("Scale read from the printed room sizes")
    page.keyboard.press("Control+Shift+z")
    expect(page.locator("#scale-status")).to_contain_text("Scale set from your line")
    expect(page.locator("#overlay .room-label").first).to_contain_text("Kitchen")
    page.locator("#scale-status").evaluate("node => node.scrollIntoView({block: 'start'})")  # scale, tools, photo
    screenshot(page, "plan-correction")

    page.get_by_role("button", name="Use this plan").click()
    expect(page).to_have_url(design_url)
    expect(page.locator("#revision")).to_have_text("2")
    plan = saved_plan(page, design_url)
    assert {"name": "Kitchen", "type": "kitchen"}.items() <= plan["rooms"][0].items()
    assert plan["source"]["scale"]["method"] == "user_line" and plan["source"]["upload_id"]
    assert len(plan["walls"]) >= 8
    page.wait_for_load_state("networkidle")


def test_clean_plan_scale_line_gives_real_lengths(page: Page, tmp_path: Path) -> None:
    design_url = log_in_and_open_a_new_plan_page(page, "Clean drawn plan")
    upload(page, clean_plan(tmp_path / "clean-plan.png"))
    assert page.locator("#overlay .wall").count() >= 4
    expect(page.locator("#room-list li")).to_have_count(2)
    # nothing printed to scale by: the recognition's note says the scale is a guess (in the page's words)
    expect(page.locator("#warning-list")).to_contain_text("The scale is a guess from typical door widths")

    # the outer walls' centrelines are 788 px apart; call that 7880 mm
    page.get_by_text("Set scale", exact=True).click()
    page.mouse.click(*photo_point(page, 56, 320))
    page.mouse.click(*photo_point(page, 844, 320))
    page.get_by_label("Real length of the line (mm)").fill("7880")
    page.keyboard.press("Enter")
    expect(page.locator("#scale-status")).to_contain_text("Scale set from your line")
    expect(page.locator("#warning-list")).not_to_contain_text("The scale is a guess")  # the line replaced it
    total = float(re.findall(r"[\d.]+", page.locator("#rooms-total").inner_text())[0])
    assert 35 < total < 45, total  # two rooms of about 3.9 m × 5.2 m
    expect(page.locator("#scale-status")).to_contain_text("Width: exact. Depth: follows the photo's proportions")

    # a second known length across the first fits the depth on its own: 528 px called 5808 mm (10 % more)
    page.get_by_text("Set scale", exact=True).click()
    page.mouse.click(*photo_point(page, 300, 56))
    page.mouse.click(*photo_point(page, 300, 584))
    page.get_by_label("Real length of the line (mm)").fill("5808")
    page.keyboard.press("Enter")
    expect(page.locator("#scale-status")).to_contain_text("Width and depth: both exact")
    stretched = float(re.findall(r"[\d.]+", page.locator("#rooms-total").inner_text())[0])
    assert abs(stretched / total - 1.1) < 0.02, (stretched, total)
    page.keyboard.press("Control+z")
    expect(page.locator("#scale-status")).to_contain_text("Width: exact. Depth: follows")

    page.get_by_text("Select and move", exact=True).click()
    drag_first_wall_end(page)
    page.keyboard.press("Control+z")

    walls = page.locator("#overlay .wall")
    count = walls.count()
    walls.first.focus()  # Tab lands on walls too; the focused wall is the selection
    expect(page.locator("#sel-wall-text")).to_contain_text("Wall 1:")
    page.keyboard.press("Shift+ArrowDown")
    page.keyboard.press("Delete")
    expect(walls).to_have_count(count - 1)
    page.keyboard.press("Control+z")
    expect(walls).to_have_count(count)
    page.keyboard.press("Control+z")  # the nudge
    expect(page.get_by_role("button", name="Redo")).to_be_enabled()
    page.get_by_label("Name of room 2", exact=True).fill("Living room")
    page.keyboard.press("Tab")
    doors = page.locator("#overlay .opening.door")
    recognized = doors.count()  # the gap in the middle wall may come back as a door
    page.get_by_text("Add door", exact=True).click()
    page.mouse.click(*photo_point(page, 250, 584))
    expect(doors).to_have_count(recognized + 1)
    expect(page.locator("#overlay .opening.door.selected")).to_be_focused()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Delete")
    expect(doors).to_have_count(recognized)
    page.keyboard.press("Control+z")
    expect(doors).to_have_count(recognized + 1)
    expect(page.get_by_label("Name of room 2", exact=True)).to_have_value("Living room")

    page.get_by_role("button", name="Use this plan").click()
    expect(page).to_have_url(design_url)
    expect(page.locator("#revision")).to_have_text("2")
    plan = saved_plan(page, design_url)
    assert plan["rooms"][1]["name"] == "Living room"
    doors = [o for w in plan["walls"] for o in w["openings"] if o["kind"] == "door"]
    assert any(d["id"].startswith("door-e") for d in doors)  # the door added on the page
    xs = [p["x"] for w in plan["walls"] for p in (w["start"], w["end"])]
    assert 7700 < max(xs) - min(xs) < 8100, xs  # 7880 mm between the outer walls' centrelines
    page.wait_for_load_state("networkidle")


def test_a_conflict_keeps_the_corrections(browser: object, server: str, tmp_path: Path) -> None:
    """Someone saves the design meanwhile: the 409 is explained, and after a reload the corrections are
    still there and can be used on top of the newer revision. (Own context: the browser reports the
    expected 409 response as a console error, which the ``page`` fixture would count.)"""
    from playwright.sync_api import Browser

    assert isinstance(browser, Browser)
    context = browser.new_context(base_url=server, viewport={"width": 1280, "height": 800}, locale="en-GB")
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" and "409" not in m.text else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    try:
        design_url = log_in_and_open_a_new_plan_page(page, "Conflicting plan")
        upload(page, clean_plan(tmp_path / "plan.png"))
        page.get_by_label("Name of room 1", exact=True).fill("Pantry")
        page.keyboard.press("Tab")

        other = context.new_page()
        other.goto(design_url)
        other.locator("#rename").fill("Renamed elsewhere")
        other.get_by_role("button", name="Rename").click()
        expect(other.locator("#revision")).to_have_text("2")
        other.close()

        page.get_by_role("button", name="Use this plan").click()
        expect(page.get_by_role("alert")).to_contain_text("Someone changed this design")
        page.get_by_role("button", name="Reload the design (your corrections are kept)").click()
        expect(page.locator("#plan-notice")).to_contain_text("unsaved corrections")
        expect(page.get_by_label("Name of room 1", exact=True)).to_have_value("Pantry")
        page.get_by_role("button", name="Use this plan").click()
        expect(page).to_have_url(design_url)
        expect(page.locator("#revision")).to_have_text("3")
        expect(page.locator("#design-name")).to_have_text("Renamed elsewhere")
        assert saved_plan(page, design_url)["rooms"][0]["name"] == "Pantry"
        page.wait_for_load_state("networkidle")
    finally:
        context.close()
    assert not problems, problems


def test_usable_on_a_phone(page: Page, tmp_path: Path) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    log_in_and_open_a_new_plan_page(page, "On the phone")
    expect(page.get_by_text("Take a photo with the camera")).to_be_visible()
    notes = tmp_path / "notes.txt"
    notes.write_text("not a photo")
    chooser = page.get_by_label("Choose a photo or scan of your floor plan")
    expect(page.locator("body")).to_have_attribute("data-plan-ready", "true")
    chooser.set_input_files(str(notes))
    expect(page.locator("#plan-file-error")).to_have_text("Choose an image file (JPEG, PNG, WebP or HEIC).")
    expect(chooser).to_have_attribute("aria-invalid", "true")
    upload(page, clean_plan(tmp_path / "plan.png"))
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    photo = page.locator("#photo").bounding_box()
    side = page.locator("#rooms-card").bounding_box()
    assert photo and side and side["y"] >= photo["y"] + photo["height"]  # one column: details below the photo
    handle = page.locator("#overlay circle.handle").first.bounding_box()
    assert handle and handle["width"] >= 12
    page.locator("#stage").evaluate("node => node.scrollIntoView({block: 'center'})")
    screenshot(page, "plan-correction-phone")
