"""In a real browser, on the floor-plan correction page: a new wall that ends on the middle of another wall
splits it (T-junction), rooms are added by a click inside walls or by drawing their corners, refused
outlines change nothing, and each edit is one undo step. Checked on the plan the server stores."""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import pytest
from e2e.test_plan_correction import (
    clean_plan,
    drag_handle,
    log_in_and_open_a_new_plan_page,
    photo_point,
    saved_plan,
    upload,
)
from playwright.sync_api import Page, expect
from shapely.geometry import LineString, Point, Polygon, box
from shapely.ops import unary_union

from backend.web.plan_pages import plan_rules
from support.browser import screenshot

pytestmark = pytest.mark.e2e

# the drawn flat (tests/support/plans.py), in photo pixels: wall centrelines at x = 56 (left), 456 (middle,
# with a door gap at y 250–340) and 844 (right), y = 56 (top) and 584 (bottom)
NEW_WALL_Y = 420


def click(page: Page, x: float, y: float) -> None:
    page.mouse.click(*photo_point(page, x, y))


def room_items(page: Page) -> Any:
    return page.locator("#room-list li")


def shown_area(page: Page, index: int) -> float:
    text = room_items(page).nth(index).locator(".area").inner_text()
    return float(re.findall(r"[\d.]+", text)[0])


def shoelace_m2(polygon: list[dict[str, float]]) -> float:
    s = sum(a["x"] * b["y"] - b["x"] * a["y"] for a, b in zip(polygon, polygon[1:] + polygon[:1], strict=True))
    return abs(s) / 2 / 1e6


def close(a: dict[str, float], b: dict[str, float], tol: float = 1.0) -> bool:
    return math.hypot(a["x"] - b["x"], a["y"] - b["y"]) <= tol


def walls_at(plan: dict[str, Any], point: dict[str, float], but: str) -> dict[str, list[str]]:
    """Ids of the walls (other than ``but``) that end and that start at a point."""
    return {"ending": [w["id"] for w in plan["walls"] if close(w["end"], point) and w["id"] != but],
            "starting": [w["id"] for w in plan["walls"] if close(w["start"], point) and w["id"] != but]}


def free_area_m2(plan: dict[str, Any], inside: Point) -> float:
    """The floor area (m²) around a point between the saved walls' faces (shapely: wall bands of their
    thickness, square ends, doors not cut out)."""
    bands = unary_union([
        LineString([(w["start"]["x"], w["start"]["y"]), (w["end"]["x"], w["end"]["y"])]).buffer(
            w["thickness_mm"] / 2, cap_style="square")
        for w in plan["walls"]])
    free = box(*bands.bounds).difference(bands)
    return next(g.area for g in getattr(free, "geoms", [free]) if g.contains(inside)) / 1e6


def test_split_walls_and_add_rooms(page: Page, tmp_path: Path) -> None:
    design_url = log_in_and_open_a_new_plan_page(page, "Plan with a new room")
    upload(page, clean_plan(tmp_path / "plan.png"))
    walls = page.locator("#overlay .wall")
    recognized = walls.count()
    expect(room_items(page)).to_have_count(2)
    hint = page.locator("#hint")

    # a wall across the right-hand room, from the middle wall to the right outer wall: both split there
    page.get_by_text("Add wall", exact=True).click()
    click(page, 456, NEW_WALL_Y)
    click(page, 844, NEW_WALL_Y)
    expect(walls).to_have_count(recognized + 3)
    expect(hint).to_have_text("The wall it ends on was split in two there.")

    # the old right-hand room covers both new areas: a room there is refused until it is deleted
    page.get_by_text("Add room", exact=True).click()
    expect(page.get_by_label("Draw the outline corner by corner")).to_be_visible()
    click(page, 650, 250)
    expect(hint).to_contain_text("That area overlaps Room 2")
    expect(room_items(page)).to_have_count(2)
    page.get_by_role("button", name="Delete room 2").click()
    expect(room_items(page)).to_have_count(1)

    # a click inside the new upper area makes it a room
    click(page, 650, 250)
    expect(room_items(page)).to_have_count(2)
    expect(hint).to_contain_text("Room 2 added")
    expect(page.get_by_label("Type of room 2")).to_have_value("other")
    expect(page.get_by_label("Name of room 2")).to_have_value("")
    clicked_area = shown_area(page, 1)

    # the lower area drawn corner by corner: Shift starts the outline, the corners snap to the wall ends
    page.keyboard.down("Shift")
    click(page, 458, NEW_WALL_Y + 2)
    page.keyboard.up("Shift")
    expect(hint).to_contain_text("Click the room's corners")
    click(page, 842, NEW_WALL_Y - 2)
    click(page, 846, 582)
    click(page, 455, 586)
    expect(page.locator("#overlay .draft-end")).to_have_count(4)
    page.mouse.move(*photo_point(page, 520, 560))
    screenshot(page, "plan-draw-room")
    page.keyboard.press("Enter")
    expect(room_items(page)).to_have_count(3)
    expect(page.locator("#overlay .draft-end")).to_have_count(0)
    drawn_area = shown_area(page, 2)
    assert drawn_area < clicked_area

    # each room is one undo step
    page.keyboard.press("Control+z")
    expect(room_items(page)).to_have_count(2)
    page.get_by_role("button", name="Undo").click()
    expect(room_items(page)).to_have_count(1)
    expect(walls).to_have_count(recognized + 3)  # the wall and its splits stay
    page.keyboard.press("Control+Shift+z")
    page.keyboard.press("Control+Shift+z")
    expect(room_items(page)).to_have_count(3)
    expect(page.get_by_role("button", name="Redo")).to_be_disabled()

    # refused: outside the building, a self-crossing outline, and an outline cancelled with Esc
    click(page, 20, 20)
    expect(hint).to_have_text("Walls do not enclose that spot. Close the walls around it, or draw the room's "
                              "outline yourself.")
    page.get_by_label("Draw the outline corner by corner").check()
    for x, y in ((100, 100), (400, 500), (400, 100), (100, 500)):
        click(page, x, y)
    page.keyboard.press("Enter")
    expect(hint).to_have_text("That outline crosses itself, so it cannot be a room.")
    page.keyboard.press("Escape")
    expect(hint).to_have_text("Outline cancelled.")
    expect(page.locator("#overlay .draft-end")).to_have_count(0)
    expect(room_items(page)).to_have_count(3)
    expect(page.get_by_role("button", name="Redo")).to_be_disabled()  # nothing was recorded
    page.keyboard.press("Control+z")
    expect(room_items(page)).to_have_count(2)  # the last step is still the drawn room
    page.keyboard.press("Control+Shift+z")
    expect(room_items(page)).to_have_count(3)

    page.locator("#hint").evaluate("node => node.scrollIntoView({block: 'start'})")
    screenshot(page, "plan-rooms-added")
    page.get_by_role("button", name="Use this plan").click()
    expect(page).to_have_url(design_url)
    plan = saved_plan(page, design_url)
    page.wait_for_load_state("networkidle")

    assert len(plan["walls"]) == recognized + 3
    new_wall = next(w for w in plan["walls"] if w["id"] == "wall-e1")
    left, right = sorted((new_wall["start"], new_wall["end"]), key=lambda p: p["x"])
    for junction in (left, right):
        # the crossed wall: its original id ends at the junction, the new part starts there, in line
        at = walls_at(plan, junction, but="wall-e1")
        assert len(at["ending"]) == 1 and len(at["starting"]) == 1, at
        first = next(w for w in plan["walls"] if w["id"] == at["ending"][0])
        second = next(w for w in plan["walls"] if w["id"] == at["starting"][0])
        assert re.fullmatch(r"wall-\d+", first["id"]) and re.fullmatch(r"wall-e\d+", second["id"])
        assert abs(first["start"]["x"] - second["end"]["x"]) < 2  # both parts are vertical, on one line
        assert abs(first["start"]["x"] - junction["x"]) < 2
        assert first["start"]["y"] < junction["y"] < second["end"]["y"]
    # the middle wall's door lies above the split: it stays on the part that kept the id
    middle_top = next(w for w in plan["walls"] if close(w["end"], left) and w["id"] != "wall-e1")
    doors = [o for w in plan["walls"] for o in w["openings"] if o["kind"] == "door"]
    assert all(o in middle_top["openings"] for o in doors), (doors, middle_top)

    rooms = plan["rooms"]
    assert len(rooms) == 3 and rooms[0]["id"] == "room-1"
    added = rooms[1:]
    assert all(re.fullmatch(r"room-\d+", r["id"]) and r["id"] not in ("room-1", "room-2") for r in added)
    assert all(r["name"] == "" and r["type"] == "other" for r in added)
    top_y = min(w["start"]["y"] for w in plan["walls"])
    bottom_y = max(w["end"]["y"] for w in plan["walls"])
    width = right["x"] - left["x"]
    # a clicked room reaches the walls' inner faces, as recognized rooms do: the free area there
    upper = free_area_m2(plan, Polygon([(q["x"], q["y"]) for q in added[0]["polygon"]]).representative_point())
    assert upper < width * (left["y"] - top_y) / 1e6  # less than between the centrelines
    lower = width * (bottom_y - left["y"]) / 1e6  # the drawn one: between the centrelines it snapped to
    assert abs(clicked_area - upper) <= 0.02 * upper, (clicked_area, upper)
    assert abs(shoelace_m2(added[0]["polygon"]) - upper) <= 0.02 * upper
    assert abs(drawn_area - lower) <= 0.02 * lower, (drawn_area, lower)
    assert abs(shoelace_m2(added[1]["polygon"]) - lower) <= 0.02 * lower
    assert any(close(p, left) for p in added[1]["polygon"])  # the drawn corners snapped to the junction


def test_dragged_wall_end_splits_the_wall_it_lands_on(page: Page, tmp_path: Path) -> None:
    design_url = log_in_and_open_a_new_plan_page(page, "Plan with a dragged wall")
    upload(page, clean_plan(tmp_path / "plan.png"))
    walls = page.locator("#overlay .wall")
    recognized = walls.count()
    # a free-standing wall in the left-hand room, then its left end dragged onto the left outer wall
    page.get_by_text("Add wall", exact=True).click()
    click(page, 150, 400)
    click(page, 350, 400)
    expect(walls).to_have_count(recognized + 1)
    page.get_by_text("Select and move", exact=True).click()
    target = photo_point(page, 58, 402)  # (scrolls the photo into view first)
    drag_handle(page, page.locator('#overlay circle.handle[data-id="wall-e1"][data-end="start"]'), target, 10)
    expect(walls).to_have_count(recognized + 2)
    expect(page.locator("#hint")).to_have_text("The wall it ends on was split in two there.")
    # the move and the split are one step
    page.keyboard.press("Control+z")
    expect(walls).to_have_count(recognized + 1)
    page.keyboard.press("Control+Shift+z")
    expect(walls).to_have_count(recognized + 2)

    page.get_by_role("button", name="Use this plan").click()
    expect(page).to_have_url(design_url)
    plan = saved_plan(page, design_url)
    page.wait_for_load_state("networkidle")
    moved = next(w for w in plan["walls"] if w["id"] == "wall-e1")
    at = walls_at(plan, moved["start"], but="wall-e1")
    assert len(at["ending"]) == 1 and len(at["starting"]) == 1, at  # the outer wall's two parts meet there
    assert re.fullmatch(r"wall-\d+", at["ending"][0]) and at["starting"] == ["wall-e2"]
    outer = [w for w in plan["walls"] if w["id"] in at["ending"] + at["starting"]]
    assert len({round(w["start"]["x"]) for w in outer} | {round(w["end"]["x"]) for w in outer}) == 1


def test_splits_keep_openings_on_their_part(page: Page) -> None:
    """The editor's rules on a plan of known numbers: openings follow their part with new offsets, one across
    the junction blocks the split (the wall is still added), and a room is refused when it overlaps another."""
    page.goto("/login")
    result = page.evaluate("""async (rules) => {
      const { PlanEditor } = await import("/static/js/plan/model.js");
      const { enclosedFaceAt } = await import("/static/js/plan/faces.js");
      const W = (id, a, b, openings = []) => ({ id, start: { x: a[0], y: a[1] }, end: { x: b[0], y: b[1] },
        thickness_mm: 100, height_mm: 2600, openings });
      const door = (id, offset_mm) => ({ kind: "door", id, offset_mm, width_mm: 800, height_mm: 2050,
        hinge: "start", swing: "left", leaves: 1 });
      const win = (id, offset_mm) => ({ kind: "window", id, offset_mm, width_mm: 1200, height_mm: 1400, sill_mm: 900 });
      const plan = { walls: [
        W("wall-1", [0, 0], [6000, 0], [door("door-1", 500), win("win-1", 4000)]),
        W("wall-2", [6000, 0], [6000, 4000]), W("wall-3", [6000, 4000], [0, 4000]), W("wall-4", [0, 4000], [0, 0]),
      ], rooms: [] };
      const editor = new PlanEditor({ plan, mmPerPlanPx: 10 }, rules);
      const out = {};
      out.split = editor.addWall({ x: 3000, y: 30 }, { x: 3000, y: 4000 });  // ends on wall-1 and on wall-3
      out.walls = editor.plan.walls.map((w) => ({ id: w.id, start: w.start, end: w.end,
        openings: w.openings.map((o) => [o.id, o.offset_mm]) }));
      editor.undo();
      out.afterUndo = editor.plan.walls.map((w) => w.id);
      out.blocked = editor.addWall({ x: 4500, y: 0 }, { x: 4500, y: 4000 });  // across win-1 (4000–5200)
      out.blockedWalls = editor.plan.walls.length;
      out.left = editor.addRoom(enclosedFaceAt(editor.plan.walls, { x: 1000, y: 1000 }));
      out.again = editor.addRoom(enclosedFaceAt(editor.plan.walls, { x: 1500, y: 2000 }));
      out.rooms = editor.plan.rooms.map((r) => ({ id: r.id, area: Math.abs(r.polygon.reduce((s, p, i, a) =>
        s + p.x * a[(i + 1) % a.length].y - a[(i + 1) % a.length].x * p.y, 0)) / 2e6 }));
      return out;
    }""", plan_rules())  # the rules the plan page hands its editor
    assert result["split"]["split"] == [
        {"wall": "wall-1", "part": "wall-e2", "at": {"x": 3000, "y": 0}},
        {"wall": "wall-3", "part": "wall-e3", "at": {"x": 3000, "y": 4000}},
    ]
    by_id = {w["id"]: w for w in result["walls"]}
    assert by_id["wall-e1"]["start"] == {"x": 3000, "y": 0}  # the new end put on the centreline
    assert by_id["wall-1"]["end"] == {"x": 3000, "y": 0} and by_id["wall-1"]["openings"] == [["door-1", 500]]
    assert by_id["wall-e2"]["start"] == {"x": 3000, "y": 0} and by_id["wall-e2"]["end"] == {"x": 6000, "y": 0}
    assert by_id["wall-e2"]["openings"] == [["win-1", 1000]]  # 4000 mm from wall-1's start, 1000 from the part's
    assert [w["id"] for w in result["walls"]].index("wall-e2") == 1  # right after the part that kept the id
    assert result["afterUndo"] == ["wall-1", "wall-2", "wall-3", "wall-4"]
    assert result["blocked"]["blocked"] == ["wall-1"] and len(result["blocked"]["split"]) == 1
    assert result["blockedWalls"] == 4 + 1 + 1  # added, and only wall-3 split
    assert result["left"] == {"id": "room-1"}
    assert result["again"] == {"refused": {"reason": "overlap", "room": "room-1"}}
    assert result["rooms"] == [{"id": "room-1", "area": pytest.approx(4.4 * 3.9)}]  # to the 100 mm walls' faces
