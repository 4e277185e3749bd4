"""In a real browser, the whole home: in a bedroom of the demo apartment the catalog shows the
wardrobes, auto-fill fills a wardrobe wall, the elevation view splits a zone and adds a drawer block
and a trouser rack, the unit switches to sliding doors; in the living room a unit dropped in the open
is turned to 30°; the homeowner orders the whole apartment and the factory sees every unit in it."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

PASSWORD = "roomwright-demo"
TO_SCREEN = """([x, y]) => { const svg = document.getElementById('plan-svg');
  const p = new DOMPoint(x, y).matrixTransform(svg.getScreenCTM()); return [p.x, p.y]; }"""


def _fresh_apartment(server: str) -> str:
    """A copy of the homeowner's demo apartment (kitchen furnished, the other rooms empty)."""
    with httpx.Client(base_url=server, timeout=60) as api:
        login = {"email": "homeowner@demo.roomwright", "password": PASSWORD}
        token = api.post("/api/auth/login", json=login).json()["token"]
        headers = {"Authorization": f"Bearer {token}"}
        demo = next(d for d in api.get("/api/designs", headers=headers).json() if d["name"] == "My first kitchen")
        document = api.get(f"/api/designs/{demo['id']}", headers=headers).json()["document"]
        document["name"] = "Whole apartment"
        return str(api.post("/api/designs", json={"document": document}, headers=headers).json()["id"])


def _login(page: Page, email: str) -> None:
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state("networkidle")


def _doc(page: Page) -> Any:
    return page.evaluate("window.roomwrightEditor.state.doc")


def _revision(page: Page) -> int:
    return int(page.locator("#revision").inner_text())


def _wait_revision(page: Page, revision: int) -> None:
    expect(page.locator("#revision")).to_have_text(str(revision), timeout=15_000)


ROOM_AT = "([x, y]) => { const e = document.elementFromPoint(x, y); return e ? e.dataset.roomId || null : null; }"


def _click_room(page: Page, x_mm: float, y_mm: float, room_id: str) -> None:
    """Click a room on the plan, showing the whole plan first if the view is zoomed elsewhere."""
    for _ in range(3):
        x, y = page.evaluate(TO_SCREEN, [x_mm, y_mm])
        if page.evaluate(ROOM_AT, [x, y]) == room_id:
            page.mouse.click(x, y)
            return
        page.locator("#plan-fit").click()  # toggles between the furnished part and the whole plan
    raise AssertionError(f"{room_id} is not under ({x_mm}, {y_mm}) on the plan")


def test_furnish_a_bedroom_and_the_living_room_and_order_the_whole_apartment(page: Page, server: str) -> None:
    design_id = _fresh_apartment(server)
    _login(page, "homeowner@demo.roomwright")
    page.goto(f"/designs/{design_id}")
    expect(page.locator("body")).to_have_attribute("data-editor-ready", "true", timeout=30_000)
    page.get_by_role("button", name="Plan only").click()
    catalog = page.locator("#catalog-list")
    expect(catalog).to_have_attribute("data-rooms", "kitchen")  # the kitchen until a room is clicked

    # --- bedroom 1: the catalog shows wardrobes; auto-fill a wardrobe wall ------------------------------
    _click_room(page, 1200, 4900, "room-bed1")
    expect(catalog).to_have_attribute("data-rooms", "wardrobe bedroom")
    expect(catalog.locator("details[data-room='wardrobe'] summary")).to_have_text("Wardrobes")
    expect(catalog.locator("details[data-room='kitchen']")).to_have_count(0)
    page.get_by_label("All rooms").check()
    expect(catalog.locator("details.catalog-room")).to_have_count(7)
    page.get_by_label("All rooms").uncheck()
    expect(catalog.locator("details.catalog-room")).to_have_count(2)

    start = _revision(page)
    page.get_by_role("button", name="Auto-fill a wall…").click()
    dialog = page.locator("#autofill-dialog")
    expect(dialog.locator("#autofill-room")).to_have_value("room-bed1")
    dialog.get_by_role("button", name="Show alternatives").click()
    alternatives = dialog.locator("li.alternative")
    expect(alternatives.first).to_be_visible(timeout=20_000)
    assert alternatives.count() >= 3
    # the bed stands close to the wall: sliding doors fill it all and rank first; hinged doors leave
    # the stretch by the bed open, a price difference and the open length named
    expect(alternatives.first).to_contain_text("best ranked")
    hinged = alternatives.nth(1)
    expect(hinged.locator(".alt-head")).to_contain_text(re.compile(r"mm left open, [+−-][\d,]+\.\d\d CNY"))
    hinged.get_by_role("button", name="Use this").click()
    _wait_revision(page, start + 1)
    wardrobes = [c for c in _doc(page)["cabinets"] if c["family"].startswith("wardrobe_")]
    assert len(wardrobes) >= 2, wardrobes
    expect(page.locator("#findings-list .finding.error")).to_have_count(0)

    # --- the elevation: split a zone, a drawer block and a trouser rack, sliding doors ------------------
    unit = next(c for c in wardrobes if c["family"] == "wardrobe_hinged_2")
    page.locator(f"#cabinet-rows tr[data-id='{unit['id']}'] button").first.click()
    figure = page.locator("#elevation")
    expect(figure.locator("g.zone").first).to_be_visible()
    rail = figure.locator("g.zone", has_text=re.compile(r"(short|long) hang")).first
    path = rail.get_attribute("data-path")
    page.locator("#elevation-axis").select_option("split:vertical")
    rail.locator("rect").first.click()
    _wait_revision(page, start + 2)
    expect(figure.locator(f"g.zone[data-path='{path}.1']")).to_have_count(1)
    page.locator("#elevation-axis").select_option("insert:drawers_internal")
    figure.locator(f"g.zone[data-path='{path}.0'] rect").first.click()
    _wait_revision(page, start + 3)
    expect(figure.locator(f"g.zone[data-path='{path}.0'] text")).to_contain_text("drawers")
    page.locator("#elevation-axis").select_option("insert:trouser_rack")
    figure.locator(f"g.zone[data-path='{path}.1'] rect").first.click()
    _wait_revision(page, start + 4)
    expect(figure.locator(f"g.zone[data-path='{path}.1'] text")).to_contain_text("trouser rack")
    page.locator("#elevation-axis").select_option("front:sliding")
    figure.locator("g.zone").first.locator("rect").first.click()
    _wait_revision(page, start + 5)
    edited = next(c for c in _doc(page)["cabinets"] if c["id"] == unit["id"])
    assert edited["interior"]["front"]["kind"] == "sliding"

    # --- the living room: a TV unit dropped in the open, turned to 30° -----------------------------------
    _click_room(page, 9000, 800, "room-living")
    expect(catalog).to_have_attribute("data-rooms", "living")
    tv = catalog.get_by_role("button", name=re.compile("TV unit, low"))
    svg = page.locator("#plan-svg")
    box = svg.bounding_box()
    assert box is not None
    x, y = page.evaluate(TO_SCREEN, [8600, 1400])
    tv.drag_to(svg, target_position={"x": x - box["x"], "y": y - box["y"]})
    _wait_revision(page, start + 6)
    free = next(c for c in _doc(page)["cabinets"] if c["family"] == "tv_unit_low")
    assert free["placement"]["kind"] == "free"
    page.get_by_label("Rotation (degrees)").fill("30")
    page.get_by_role("button", name="Turn", exact=True).click()
    _wait_revision(page, start + 7)
    turned = next(c for c in _doc(page)["cabinets"] if c["id"] == free["id"])
    assert abs(turned["placement"]["rotation_deg"] - 30) < 0.01
    expect(page.locator("#findings-list .finding.error")).to_have_count(0)
    ids = {c["id"] for c in _doc(page)["cabinets"]}

    # --- order the whole apartment; the factory sees every unit ------------------------------------------
    page.get_by_role("link", name="Order", exact=True).click()
    blocking = page.locator("ul.findings li.finding-error").all_inner_texts()
    assert blocking == []
    page.get_by_label("Name").fill("Wang Fang")
    page.get_by_label("Phone").fill("138 0000 1234")
    page.get_by_label("Delivery address").fill("8 Riverside Road, Xuhui, Shanghai")
    page.get_by_role("button", name="Submit the order").click()
    expect(page.locator("#order-status")).to_have_text("submitted")
    order_id = page.url.rsplit("/", 1)[1]
    page.context.clear_cookies()
    _login(page, "factory@demo.roomwright")
    page.goto(f"/factory/orders/{order_id}")
    expect(page.locator("main")).to_contain_text(f"{len(ids)} cabinets")
    # each row says (in an attribute, not in its text) which unit the part belongs to; people read part numbers
    rows = page.locator("table.parts tbody tr")
    units = {rows.nth(k).get_attribute("data-cabinet") for k in range(rows.count())}
    assert set(ids) - units == set(), sorted(set(ids) - units)
    assert unit["id"] in units and free["id"] in units
    numbers = page.locator("table.parts tbody tr td:first-child").all_inner_texts()
    assert numbers and all(re.fullmatch(r"RW\d{4}-\d{4} · P\d{2,3}", n.strip()) for n in numbers), numbers[:5]
