"""A design started without a photo: an empty rectangular room of typed size, from the design page's
form or the API; the editor opens on it, and auto-fill fills it."""

from __future__ import annotations

import re

from fastapi import FastAPI
from fastapi.testclient import TestClient
from web.test_plan_page import log_in, new_design

from backend.design import starter
from support.api import assert_problem, make_user, user_headers


def test_the_room_is_the_typed_inside_size_with_four_joined_walls() -> None:
    plan = starter.rectangular_room(3600, 2800, wall_mm=120)
    room = plan.rooms[0]
    assert room.type == "kitchen" and abs(room.area_m2 - 3.6 * 2.8) < 1e-6
    for a, b in zip(plan.walls, plan.walls[1:] + plan.walls[:1], strict=True):
        assert a.end == b.start  # joined at the corners
    top = plan.walls[0]
    assert top.length_mm == 3600 + 120 and top.start.y == -60  # the inner face is the room's edge


def test_the_form_starts_the_room_and_the_editor_opens(client: TestClient, app: FastAPI) -> None:
    token = log_in(client, make_user(app))
    design_id = new_design(client, token)
    page = client.get(f"/designs/{design_id}").text
    assert 'id="empty-room-form"' in page and f'href="/designs/{design_id}/plan?draw=1"' in page
    refused = client.post(f"/designs/{design_id}/room", data={"width_mm": "300", "depth_mm": "2800",
                                                               "room_type": "kitchen", "base_revision": "1",
                                                               "csrf_token": token})
    assert refused.status_code == 422
    assert "Enter a width between 1000 and 30000 mm." in refused.text
    assert re.search(r'name="width_mm"[^>]*value="300"', refused.text)  # what was typed is kept
    done = client.post(f"/designs/{design_id}/room", data={"width_mm": "3600", "depth_mm": "2800",
                                                            "room_type": "kitchen", "base_revision": "1",
                                                            "csrf_token": token}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == f"/designs/{design_id}"
    editor = client.get(f"/designs/{design_id}").text
    assert "/static/js/editor/main.js" in editor and 'id="empty-room-form"' not in editor
    plan = client.get(f"/api/designs/{design_id}").json()["document"]["plan"]
    assert len(plan["walls"]) == 4 and plan["rooms"][0]["name"] == "Kitchen"


def test_the_api_names_the_field_and_refuses_a_stale_revision(client: TestClient, app: FastAPI) -> None:
    headers = user_headers(app, client)
    design_id = client.post("/api/designs", json={"name": "Empty"}, headers=headers).json()["id"]
    assert_problem(client.post(f"/api/designs/{design_id}/room", json={"base_revision": 1, "width_mm": 3000,
                                                                      "depth_mm": 50000}, headers=headers),
                   422, "depth_mm")
    ok = client.post(f"/api/designs/{design_id}/room", json={"base_revision": 1, "width_mm": 3000,
                                                            "depth_mm": 2500, "room_type": "living"},
                     headers=headers)
    assert ok.status_code == 200, ok.text
    assert ok.json()["document"]["plan"]["rooms"][0]["type"] == "living"
    filled = client.post(f"/api/designs/{design_id}/autofill", json={"room_id": "room-1"}, headers=headers).json()
    assert filled["alternatives"] and not filled["alternatives"][0]["findings_after"]["errors"], filled
    assert_problem(client.post(f"/api/designs/{design_id}/room", json={"base_revision": 1, "width_mm": 3000,
                                                                      "depth_mm": 2500}, headers=headers), 409)
