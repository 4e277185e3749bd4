"""The browser code's rule numbers come from the server, and where it re-implements a core rule (the
frame of a placed unit, snapping along a wall) it answers as the Python one does on the same inputs."""

from __future__ import annotations

import json
import math
import random
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from backend.configurator.autofill import side_facing_room
from backend.configurator.placement import SNAP_DISTANCE_MM, default_elevation, frame_of, snap_offset
from backend.design.model import Design
from backend.design.units import TOL
from backend.services.configurator import get_catalog
from backend.web.pages import editor_rules
from backend.web.plan_pages import plan_rules
from support.api import PASSWORD, login, make_user
from support.documents import kitchen

ROOT = Path(__file__).resolve().parents[2]
GEOMETRY = ROOT / "frontend" / "static" / "js" / "geometry.js"
NODE = shutil.which("node")
needs_node = pytest.mark.skipif(NODE is None, reason="node is not installed")

# Reads {"cases": [...]} on stdin, answers each case's frame or snapped offset from geometry.js.
SCRIPT = """
import { readFileSync } from "node:fs";
import { frameOf, snapOffset, wallMap } from %s;
const input = JSON.parse(readFileSync(0, "utf8"));
const out = input.cases.map((c) => {
  if (c.kind === "frame") {
    const f = frameOf(c.placement, c.width_mm, wallMap(c.doc));
    return [f.origin.x, f.origin.y, f.ax.x, f.ax.y, f.ay.x, f.ay.y];
  }
  return snapOffset(c.doc, c.wall_id, c.offset_mm, c.width_mm, c.side, c.distance_mm, c.exclude_id);
});
process.stdout.write(JSON.stringify(out));
"""


def page_data(html: str) -> dict[str, Any]:
    found = re.search(r'<script type="application/json" id="page-data">(.*?)</script>', html, re.S)
    assert found
    data: dict[str, Any] = json.loads(found.group(1))
    return data


def run_js(cases: list[dict[str, Any]]) -> list[Any]:
    assert NODE is not None
    script = SCRIPT % json.dumps(GEOMETRY.as_uri())
    done = subprocess.run([NODE, "--input-type=module", "-e", script], input=json.dumps({"cases": cases}),
                          capture_output=True, text=True, timeout=60, check=True)
    answer: list[Any] = json.loads(done.stdout)
    return answer


def random_design(rng: random.Random) -> Design:
    """Walls at any angle (a closed quadrilateral plus a free one), units on both sides and free ones,
    doors and windows: the inputs both implementations see."""
    corners = [(0.0, 0.0), (rng.uniform(2500, 6000), rng.uniform(-800, 800)),
               (rng.uniform(2500, 6000), rng.uniform(2500, 5000)), (rng.uniform(-800, 800), rng.uniform(2500, 5000))]
    walls: list[dict[str, Any]] = []
    for i, (a, b) in enumerate(zip(corners, corners[1:] + corners[:1], strict=True)):
        length = math.dist(a, b)
        openings: list[dict[str, Any]] = []
        if rng.random() < 0.6:
            width = rng.uniform(600, 1000)
            kind, prefix = ("door", "door") if i % 2 else ("window", "win")
            openings.append({"kind": kind, "id": f"{prefix}-{i}", "offset_mm": rng.uniform(0, length - width),
                             "width_mm": width})
        walls.append({"id": f"wall-{i}", "start": {"x": a[0], "y": a[1]}, "end": {"x": b[0], "y": b[1]},
                      "thickness_mm": rng.choice([80, 100, 120, 240]), "openings": openings})
    angle = rng.uniform(0, 2 * math.pi)
    walls.append({"id": "wall-free", "start": {"x": 9000, "y": 0},
                  "end": {"x": 9000 + 3000 * math.cos(angle), "y": 3000 * math.sin(angle)}, "thickness_mm": 150})
    cabinets: list[dict[str, Any]] = []
    for n in range(12):
        width = rng.choice([300, 450, 600, 800])
        wall = rng.choice(walls)
        length = math.dist((wall["start"]["x"], wall["start"]["y"]), (wall["end"]["x"], wall["end"]["y"]))
        placement: dict[str, Any] = (
            {"kind": "free", "x_mm": rng.uniform(-2000, 8000), "y_mm": rng.uniform(-2000, 6000),
             "rotation_deg": rng.uniform(-360, 360)} if n % 5 == 4 else
            {"kind": "wall", "wall_id": wall["id"], "side": rng.choice(["left", "right"]),
             "offset_mm": rng.uniform(0, max(length - width, 0))})
        cabinets.append({"id": f"cab-{n}", "family": "base_1_door", "width_mm": width, "height_mm": 720,
                         "depth_mm": 560, "placement": placement})
    return Design.model_validate({"schema_version": 1, "plan": {"walls": walls, "rooms": []}, "cabinets": cabinets})


@needs_node
def test_frames_of_placed_units_match_placement_py() -> None:
    rng = random.Random(11)
    cases, expected = [], []
    for _ in range(20):
        design = random_design(rng)
        doc = design.model_dump(mode="json")
        walls = {w.id: w for w in design.plan.walls}
        for cab, data in zip(design.cabinets, doc["cabinets"], strict=True):
            f = frame_of(cab.placement, cab.width_mm, cab.elevation_mm, walls)
            cases.append({"kind": "frame", "doc": doc, "placement": data["placement"], "width_mm": cab.width_mm})
            expected.append([*f.origin, *f.ax, *f.ay])
    got = run_js(cases)
    assert len(got) == len(expected) == 240
    for g, e in zip(got, expected, strict=True):
        assert g == pytest.approx(e, abs=1e-6)


@needs_node
def test_snapping_along_a_wall_matches_placement_py() -> None:
    rng = random.Random(7)
    catalog = get_catalog()
    cases, expected = [], []
    for _ in range(20):
        design = random_design(rng)
        doc = design.model_dump(mode="json")
        for cab in design.cabinets:
            if cab.placement.kind != "wall":
                continue
            wall = next(w for w in design.plan.walls if w.id == cab.placement.wall_id)
            for _ in range(4):  # near and far from the edges; past the wall's ends too
                offset = rng.uniform(-200, wall.length_mm + 200)
                side = rng.choice(["left", "right"])
                cases.append({"kind": "snap", "doc": doc, "wall_id": wall.id, "offset_mm": offset,
                              "width_mm": cab.width_mm, "side": side, "distance_mm": SNAP_DISTANCE_MM,
                              "exclude_id": cab.id})
                expected.append(snap_offset(design, catalog, wall.id, offset, cab.width_mm, side,
                                            SNAP_DISTANCE_MM, exclude_id=cab.id))
    got = run_js(cases)
    assert len(got) == len(expected) > 500
    snapped = sum(1 for c, e in zip(cases, expected, strict=True) if abs(e - c["offset_mm"]) > 1e-9)
    assert snapped > 100  # the comparison covers snapping, not only offsets left alone
    assert got == pytest.approx(expected, abs=1e-6)


def test_the_plan_rules_fixture_of_the_js_tests_is_the_servers() -> None:
    fixture = ROOT / "frontend" / "tests" / "fixtures" / "plan-rules.json"
    assert json.loads(fixture.read_text()) == plan_rules(), "refresh it from backend/web/plan_pages.py plan_rules"


def test_plan_rules_are_the_design_formats() -> None:
    rules = plan_rules()
    assert rules["min_wall_length_mm"] == TOL.min_wall_length_mm
    assert rules["min_room_area_mm2"] == TOL.min_room_area_mm2
    assert rules["door"]["width_mm"] == {"default": 800, "exclusiveMinimum": 0, "maximum": 5000}
    assert rules["window"]["sill_mm"]["default"] == 900
    assert rules["wall"]["thickness_mm"]["maximum"] == 2000


def test_editor_rules_come_from_the_core() -> None:
    design = Design.model_validate(kitchen())
    rules = editor_rules(design)
    catalog = get_catalog()
    pack = catalog.rules(design.settings.region)
    assert rules["length_mm"] == TOL.length_mm and rules["snap_mm"] == SNAP_DISTANCE_MM
    assert rules["default_elevation_mm"] == {c: default_elevation(f, pack) for c, f in catalog.families.items()}
    assert rules["default_elevation_mm"]["base_1_door"] == pack.plinth_height_mm.value_mm
    # the kitchen lies below the wall (y down): its right side, walking from (0, 0) to (4000, 0)
    assert rules["room_side"] == {"wall-n": "right"} == {"wall-n": side_facing_room(design, design.plan.walls[0])}


def test_pages_hand_the_rules_to_the_browser(client: TestClient, app: FastAPI) -> None:
    email = make_user(app)
    headers = login(client, email)
    made = client.post("/api/designs", json={"document": kitchen()}, headers=headers)
    assert made.status_code == 201, made.text
    design_id = made.json()["id"]
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
    assert token
    client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token.group(1)})
    editor = page_data(client.get(f"/designs/{design_id}").text)
    assert editor["rules"] == editor_rules(Design.model_validate(kitchen()))
    plan = page_data(client.get(f"/designs/{design_id}/plan").text)
    assert plan["rules"] == plan_rules()
