"""Starting a design without a photo: an empty room of typed size, or walls drawn on a blank sheet;
either way the editor opens on it and auto-fill proposes a run."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from support.browser import autofill_first_wall, photo_point, settle, sign_up

pytestmark = pytest.mark.e2e


def new_design(page: Page, name: str) -> str:
    sign_up(page, "Zhang Wei")
    page.locator("#new-name").fill(name)
    page.locator("#new-name").press("Enter")
    expect(page).to_have_url(re.compile(r"/designs/des-[^/]+$"))
    page.wait_for_load_state("networkidle")
    return page.url


def test_an_empty_room_of_typed_size_opens_the_editor(page: Page) -> None:
    design_url = new_design(page, "Empty kitchen")
    page.get_by_label("Width, left to right (mm)").fill("3600")
    page.get_by_label("Depth, front to back (mm)").fill("2800")
    page.get_by_role("button", name="Create the room").click()
    expect(page).to_have_url(design_url)
    expect(page.locator("#revision")).to_have_text("2")
    expect(page.locator("body")).to_have_attribute("data-editor-ready", "true", timeout=30_000)
    autofill_first_wall(page)
    expect(page.locator("#revision")).to_have_text("3")
    expect(page.locator("#order-link")).to_be_visible()
    settle(page)
    # undo survives a reload: the history is kept with the revision
    page.reload()
    expect(page.locator("body")).to_have_attribute("data-editor-ready", "true", timeout=30_000)
    expect(page.locator("#undo")).to_be_enabled()
    page.locator("#undo").click()
    expect(page.locator("#revision")).to_have_text("4")
    expect(page.locator("#cabinet-count")).to_have_text("0")
    expect(page.locator("#redo")).to_be_enabled()
    settle(page)


def test_walls_drawn_on_a_blank_sheet_open_the_editor(page: Page) -> None:
    design_url = new_design(page, "Drawn kitchen")
    page.locator("#draw-walls-link").click()
    expect(page.locator("#correct-step")).to_be_visible()
    expect(page.locator("input[name=mode][value=wall]")).to_be_checked()
    # a 4 m × 3 m room: the sheet has one pixel per 10 mm
    corners = [(200, 200), (600, 200), (600, 500), (200, 500)]
    for a, b in zip(corners, corners[1:] + corners[:1], strict=True):
        page.mouse.click(*photo_point(page, *a))
        page.mouse.click(*photo_point(page, *b))
    expect(page.locator("#overlay .wall")).to_have_count(4)
    page.locator("input[name=mode][value=room]").check()
    page.mouse.click(*photo_point(page, 400, 350))
    expect(page.locator("#room-list li")).to_have_count(1)
    page.get_by_label("Name of room 1", exact=True).fill("Kitchen")
    page.get_by_label("Type of room 1", exact=True).select_option("kitchen")
    page.locator("#use-plan").click()
    expect(page).to_have_url(design_url)
    expect(page.locator("body")).to_have_attribute("data-editor-ready", "true", timeout=30_000)
    plan = page.request.get("/api/designs/" + design_url.rsplit("/", 1)[1]).json()["document"]["plan"]
    top = max(plan["walls"], key=lambda w: -min(w["start"]["y"], w["end"]["y"]))
    assert abs(abs(top["end"]["x"] - top["start"]["x"]) - 4000) < 50  # drawn to scale
    autofill_first_wall(page)
    expect(page.locator("#revision")).to_have_text("3")
    settle(page)
