"""Bought interior fittings in the 3D scene: hanging rails, trouser racks, wire baskets and shoe fences are
drawn where the design puts them, as hardware nodes (never panels: the parts list does not change)."""

from __future__ import annotations

import io
import itertools
import json
import struct
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import trimesh

from backend.bom.parts import parts_list
from backend.configurator.catalog import Catalog
from backend.configurator.construction import build_cabinet
from backend.configurator.fittings import FITTING_ROLES, RAIL_SECTION_MM, cylinder
from backend.configurator.scene import GeometryCache, build_scene_glb
from backend.design.interior import Front, Insert, Leaf, Split, Zone
from backend.design.model import Design, DesignSettings, FreePlacement, PlacedCabinet
from support.gltf_validator import validate_glb

X, Y = 2000.0, 1000.0  # the wardrobe's back-left corner on the plan


def wardrobe(catalog: Catalog, interior: Zone | None, width: float = 900, family: str = "wardrobe_hinged_2",
             ) -> PlacedCabinet:
    fam = catalog.families[family]
    return PlacedCabinet(id="cab-1", family=family, width_mm=width, height_mm=fam.height.default,
                         depth_mm=fam.depth.default, placement=FreePlacement(x_mm=X, y_mm=Y), interior=interior)


RAIL_AND_BASKETS = Split(axis="horizontal", front=Front(kind="hinged"), zones=[
    Leaf(insert=Insert(kind="basket", count=2), size_mm=520),
    Leaf(insert=Insert(kind="rail", hang="long")),
    Leaf(insert=Insert(kind="fixed_shelves", count=1), size_mm=400)])


def _doc(glb: bytes) -> dict[str, Any]:
    length = struct.unpack_from("<I", glb, 12)[0]
    doc: dict[str, Any] = json.loads(glb[20:20 + length])
    return doc


def _nodes(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {n["name"]: n for n in doc["nodes"] if "name" in n}


def _mesh_bounds(doc: dict[str, Any], node: dict[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    """A node's POSITION bounds in its cabinet's mesh frame (mm)."""
    acc = doc["accessors"][doc["meshes"][node["mesh"]]["primitives"][0]["attributes"]["POSITION"]]
    return np.array(acc["min"]), np.array(acc["max"])


def _world_points(glb: bytes, name: str) -> np.ndarray:
    """A node's vertices in the room (plan mm: x, y and height)."""
    scene = trimesh.load(io.BytesIO(glb), file_type="glb")
    transform, geometry = scene.graph[name]
    pts = trimesh.transform_points(scene.geometry[geometry].vertices, transform) * 1000
    return np.column_stack([pts[:, 0], pts[:, 2], pts[:, 1]])


def test_a_rail_is_drawn_between_the_sides_below_the_shelf(catalog: Catalog) -> None:
    cab = wardrobe(catalog, RAIL_AND_BASKETS)
    design = Design(cabinets=[cab])
    glb = build_scene_glb(design, catalog, GeometryCache())
    doc = _doc(glb)
    nodes = _nodes(doc)
    rail = nodes["cab-1/hanging_rail-1"]
    assert rail["extras"] == {"id": "cab-1/hanging_rail-1", "role": "hanging_rail", "hardware": "wardrobe_rail"}
    assert rail in [doc["nodes"][i] for i in nodes["cab-1"]["children"]]
    build = build_cabinet(cab, catalog, design.settings)
    t = catalog.materials[DesignSettings().carcass_material].thickness_mm
    # the boards between the zones, bottom up: under the rail zone, over it, then the top zone's own shelf
    shelf = sorted((p for p in build.panels if p.role == "fixed_shelf"), key=lambda p: p.box.origin[2])[1]
    assert shelf.box.origin[2] == pytest.approx(cab.height_mm - 400 - t / 2)  # centred on the 400 mm top zone's line
    drop = catalog.construction.rail_drop_mm
    lo, hi = _mesh_bounds(doc, rail)
    # across the unit from one side's inner face to the other's (900 mm wide, 18 mm sides)
    assert lo[0] == pytest.approx(t) and hi[0] == pytest.approx(900 - t)
    # its centre 60 mm under the board that closes the hanging zone, the brackets round the tube's ends
    centre = shelf.box.origin[2] - drop
    assert lo[2] < centre - RAIL_SECTION_MM[1] / 2 and centre + RAIL_SECTION_MM[1] / 2 < hi[2] < shelf.box.origin[2]
    # in the room: on the plan across the unit, halfway into its inner depth, at that height
    pts = _world_points(glb, "cab-1/hanging_rail-1")
    assert pts[:, 0].min() == pytest.approx(X + t, abs=0.1) and pts[:, 0].max() == pytest.approx(X + 900 - t, abs=0.1)
    back = max(p.box.max[1] for p in build.panels if p.role == "back")
    front = max(p.box.max[1] for p in build.panels if p.role == "side")
    mid = Y + (back + front) / 2
    assert (pts[:, 1].min() + pts[:, 1].max()) / 2 == pytest.approx(mid, abs=0.5)
    tube_pts = pts[np.abs(pts[:, 1] - mid) < RAIL_SECTION_MM[0] / 2 + 0.1]  # the tube (the brackets are deeper)
    assert np.ptp(tube_pts[:, 0]) > 900 - 2 * t - 10
    assert tube_pts[:, 2].mean() == pytest.approx(cab.elevation_mm + shelf.box.origin[2] - drop, abs=0.5)
    assert np.ptp(tube_pts[:, 2]) == pytest.approx(RAIL_SECTION_MM[1], abs=0.5)


def test_fittings_are_hardware_not_panels(catalog: Catalog) -> None:
    plain = wardrobe(catalog, Split(axis="horizontal", front=Front(kind="hinged"), zones=[
        Leaf(insert=Insert(kind="niche"), size_mm=520), Leaf(insert=Insert(kind="niche")),
        Leaf(insert=Insert(kind="fixed_shelves", count=1), size_mm=400)]))
    fitted = wardrobe(catalog, RAIL_AND_BASKETS)
    settings = DesignSettings()
    a, b = build_cabinet(plain, catalog, settings), build_cabinet(fitted, catalog, settings)
    # the boards are the same: filling a zone with a rail and baskets cuts nothing more
    assert [(p.id, p.box) for p in a.panels] == [(p.id, p.box) for p in b.panels]
    parts_a, parts_b = parts_list(Design(cabinets=[plain]), catalog), parts_list(Design(cabinets=[fitted]), catalog)
    assert [(p.id, p.length_mm, p.width_mm) for p in parts_a.parts] == [
        (p.id, p.length_mm, p.width_mm) for p in parts_b.parts]
    assert len(parts_b.parts) == len(b.panels)
    # they are bought: the hardware list has them, and the scene has one node each beside the panels
    bought = {h.code: h.quantity for h in parts_b.hardware}
    assert bought["wardrobe_rail"] == 1 and bought["wire_basket_pullout"] == 2
    assert "wardrobe_rail" not in {h.code for h in parts_a.hardware}
    nodes = _nodes(_doc(build_scene_glb(Design(cabinets=[fitted]), catalog, GeometryCache())))
    roles = {name: n.get("extras", {}).get("role") for name, n in nodes.items() if name.startswith("cab-1/")}
    assert sorted(r for r in roles.values() if r in FITTING_ROLES) == ["hanging_rail", "wire_basket", "wire_basket"]
    assert {n for n, r in roles.items() if r not in ("handle", *FITTING_ROLES)} == {p.id for p in b.panels}
    assert not any(p.id in roles and roles[p.id] in FITTING_ROLES for p in b.panels)


def test_baskets_and_a_trouser_rack_stay_inside_their_zones(catalog: Catalog) -> None:
    interior = Split(axis="horizontal", front=Front(kind="hinged"), zones=[
        Leaf(insert=Insert(kind="basket", count=3), size_mm=700),
        Leaf(insert=Insert(kind="trouser_rack")),
        Leaf(insert=Insert(kind="fixed_shelves", count=1), size_mm=400)])
    cab = wardrobe(catalog, interior, width=800)
    doc = _doc(build_scene_glb(Design(cabinets=[cab]), catalog, GeometryCache()))
    nodes = _nodes(doc)
    zones = {z.insert: z for z in build_cabinet(cab, catalog, DesignSettings()).zones}
    baskets = [nodes[f"cab-1/wire_basket-{i}"] for i in (1, 2, 3)]
    assert "cab-1/wire_basket-4" not in nodes
    x0, x1, z0, z1 = zones["basket"].inner
    tops = []
    for node in baskets:
        lo, hi = _mesh_bounds(doc, node)
        assert x0 - 0.01 <= lo[0] and hi[0] <= x1 + 0.01 and z0 <= lo[2] and hi[2] <= z1
        assert hi[0] - lo[0] == pytest.approx(x1 - x0)  # on runners against both boards
        tops.append((lo[2], hi[2]))
    assert all(a[1] < b[0] for a, b in itertools.pairwise(tops))  # stacked, not overlapping
    rack = nodes["cab-1/trouser_rack-1"]
    assert rack["extras"]["hardware"] == "trouser_rack_pullout"
    # pull-outs slide towards the room when clicked in the 3D view (−y in the cabinet's mesh frame), the rail does not
    for node in [rack, *baskets]:
        opens = node["extras"]["opens"]
        assert opens["front"] == node["name"] and opens["kind"] == "slide"
        assert opens["offset"][0] == 0 and -600 < opens["offset"][1] < -300 and opens["offset"][2] == 0
    lo, hi = _mesh_bounds(doc, rack)
    x0, x1, z0, z1 = zones["trouser_rack"].inner
    assert lo[0] == pytest.approx(x0) and hi[0] == pytest.approx(x1) and z0 < lo[2] and hi[2] < z1
    assert hi[1] - lo[1] > 400  # a frame through the depth of the unit


def test_shoe_shelves_are_drawn_sloped_with_a_fence(catalog: Catalog, tmp_path: Path) -> None:
    fam = catalog.families["shoe_cabinet_bench"]
    cab = PlacedCabinet(id="cab-1", family="shoe_cabinet_bench", width_mm=fam.width.default,
                        height_mm=fam.height.default, depth_mm=fam.depth.default,
                        placement=FreePlacement(x_mm=0, y_mm=0))
    build = build_cabinet(cab, catalog, DesignSettings())
    glb = build_scene_glb(Design(cabinets=[cab]), catalog, GeometryCache())
    doc = _doc(glb)
    nodes = _nodes(doc)
    shelves = [p for p in build.panels if p.role == "shoe_shelf"]
    slope = np.radians(catalog.construction.shoe_shelf_slope_deg)
    for p in shelves:
        pts = _world_points(glb, p.id)  # plan y grows towards the front (rotation 0)
        back = pts[pts[:, 1] < pts[:, 1].min() + 5]
        front = pts[pts[:, 1] > pts[:, 1].max() - 5]
        assert back[:, 2].mean() > front[:, 2].mean() + 10  # the back is up
        rise = back[:, 2].mean() - front[:, 2].mean()
        assert rise == pytest.approx(np.sin(slope) * p.box.size[1], rel=0.1)
        zone = next(z for z in build.zones if z.insert == "shoe_shelves"
                    and z.inner[0] <= p.box.origin[0] + 1 and p.box.max[0] <= z.inner[1] + 1)
        assert zone.inner[2] < pts[:, 2].min() and pts[:, 2].max() < zone.inner[3]
    fences = [n for n in nodes.values() if n.get("extras", {}).get("role") == "shoe_fence"]
    assert len(fences) == len(shelves) and all(f["extras"]["hardware"] == "shoe_shelf_bracket" for f in fences)
    issues = validate_glb(build_scene_glb(Design(cabinets=[cab]), catalog, GeometryCache(), textures="embed"),
                          tmp_path)
    assert issues["numErrors"] == 0, issues["messages"][:5]


def test_cylinder_is_closed_and_faces_outwards() -> None:
    for axis in (0, 1, 2):
        positions, normals, indices, uvs, tangents = cylinder(axis, 10, 110, (5.0, -3.0), (7.5, 15.0))
        mesh = trimesh.Trimesh(positions, indices.reshape(-1, 3), process=True)
        assert mesh.is_watertight and mesh.volume > 0, axis  # outward winding gives a positive volume
        assert mesh.volume == pytest.approx(np.pi * 7.5 * 15 * 100, rel=0.05)
        assert np.allclose(np.linalg.norm(normals, axis=1), 1) and set(np.unique(tangents[:, 3])) <= {-1.0, 1.0}
        assert uvs.shape == (len(positions), 2)
