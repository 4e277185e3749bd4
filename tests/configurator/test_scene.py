"""The scene GLB: loads back, one node per cabinet with its id, panels in place, per-cabinet caching."""

from __future__ import annotations

import io
import json
import struct
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import shapely
import trimesh

from backend.configurator.catalog import Catalog
from backend.configurator.commands import MoveCabinet, ResizeCabinet, apply
from backend.configurator.construction import build_cabinet
from backend.configurator.demo import demo_design
from backend.configurator.fittings import FITTING_ROLES
from backend.configurator.looks import TEXTURE_DIR
from backend.configurator.placement import footprint
from backend.configurator.scene import GeometryCache, build_scene_glb, plan_to_gltf, zup_to_gltf
from backend.design.model import Design, FreePlacement, PlacedCabinet, WallPlacement
from support.gltf_validator import validate_glb


@pytest.fixture(scope="module")
def design(catalog: Catalog) -> Design:
    return demo_design(large=True, catalog=catalog)


@pytest.fixture(scope="module")
def glb(design: Design, catalog: Catalog) -> bytes:
    return build_scene_glb(design, catalog, GeometryCache())


def _gltf_json(glb: bytes) -> dict[str, Any]:
    magic, version, total = struct.unpack("<4sII", glb[:12])
    assert magic == b"glTF" and version == 2 and total == len(glb)
    length, kind = struct.unpack("<I4s", glb[12:20])
    assert kind == b"JSON"
    doc: dict[str, Any] = json.loads(glb[20:20 + length])
    return doc


def test_zup_to_gltf_is_the_one_conversion() -> None:
    m = np.array(zup_to_gltf()).reshape(4, 4).T  # glTF matrices are column-major
    assert np.linalg.det(m[:3, :3]) == pytest.approx(1e-9)  # a proper rotation scaled mm → m
    up = m[:3, :3] @ np.array([0, 0, 1000.0])
    np.testing.assert_allclose(up, [0, 1, 0], atol=1e-12)  # Z-up becomes glTF +Y, in metres
    # plan x → glTF x, plan y (down the screen) → glTF z, height → glTF y
    assert plan_to_gltf(1000, 2000, 500) == pytest.approx((1.0, 0.5, 2.0))


def test_glb_loads_back_with_one_node_per_cabinet(design: Design, glb: bytes) -> None:
    scene = trimesh.load(io.BytesIO(glb), file_type="glb")
    assert isinstance(scene, trimesh.Scene)
    nodes = set(scene.graph.nodes)
    for cab in design.cabinets:
        assert cab.id in nodes
    lo, hi = scene.bounds
    assert lo == pytest.approx([-0.1, 0, -0.1], abs=0.01) and hi == pytest.approx([12.1, 2.6, 9.1], abs=0.01)
    doc = _gltf_json(glb)
    by_name = {n["name"]: n for n in doc["nodes"]}
    for cab in design.cabinets:
        node = by_name[cab.id]
        assert node["extras"]["id"] == cab.id and node["extras"]["kind"] == "cabinet"
        children = [doc["nodes"][i]["name"] for i in node["children"]]
        assert children and all(name.startswith(f"{cab.id}/") for name in children)
    assert len(glb) < 2_000_000


def test_cabinets_stand_where_the_plan_puts_them(design: Design, catalog: Catalog, glb: bytes) -> None:
    scene = trimesh.load(io.BytesIO(glb), file_type="glb")
    for cab in design.cabinets:
        points = []
        for node in scene.graph.nodes_geometry:
            if node.startswith(f"{cab.id}/") and "/handle-" not in node:  # handles stand proud of the box
                transform, geometry = scene.graph[node]
                points.append(trimesh.transform_points(scene.geometry[geometry].vertices, transform))
        pts = np.concatenate(points)
        x0, y0, x1, y1 = footprint(cab, design.plan, catalog).bounds
        # plan x → glTF x, plan y → glTF z, both within the footprint; height from the elevation up
        assert pts[:, 0].min() >= x0 / 1000 - 1e-4 and pts[:, 0].max() <= x1 / 1000 + 1e-4, cab.id
        assert pts[:, 2].min() >= y0 / 1000 - 1e-4 and pts[:, 2].max() <= y1 / 1000 + 1e-4, cab.id
        assert pts[:, 1].min() == pytest.approx(cab.elevation_mm / 1000, abs=1e-4)
        assert pts[:, 1].max() == pytest.approx((cab.elevation_mm + cab.height_mm) / 1000, abs=1e-4)


def test_every_front_has_its_handle(design: Design, catalog: Catalog, glb: bytes) -> None:
    doc = _gltf_json(glb)
    by_name = {n["name"]: n for n in doc["nodes"]}
    for cab in design.cabinets:
        build = build_cabinet(cab, catalog, design.settings)
        handles = sum(h.quantity for h in build.hardware if h.category == "handle")
        children = [doc["nodes"][i] for i in by_name[cab.id]["children"]]
        assert sum(1 for c in children if c["extras"]["role"] == "handle") == handles, cab.id
        assert sum(1 for c in children if c["extras"]["role"] not in ("handle", *FITTING_ROLES)) == len(build.panels)


def test_one_cabinet_edit_rebuilds_one_cabinet(design: Design, catalog: Catalog) -> None:
    cache = GeometryCache()
    build_scene_glb(design, catalog, cache)
    assert cache.misses == len(design.cabinets)
    resized, _ = apply(design, ResizeCabinet(cabinet_id="cab-3", width_mm=550))
    build_scene_glb(resized, catalog, cache)
    assert cache.misses == len(design.cabinets) + 1
    moved, _ = apply(design, MoveCabinet(cabinet_id="cab-3", placement=WallPlacement(
        wall_id="wall-top-1", offset_mm=2650, side="right")))
    glb = build_scene_glb(moved, catalog, cache)
    assert cache.misses == len(design.cabinets) + 1  # a move changes a node matrix, not geometry
    assert glb != build_scene_glb(design, catalog, cache)


def test_an_impossible_cabinet_is_drawn_as_an_error_box(design: Design, catalog: Catalog) -> None:
    broken = design.model_copy(update={"cabinets": [
        design.cabinets[0].model_copy(update={"options": {"blind_width_mm": 5}}), *design.cabinets[1:]]})
    doc = _gltf_json(build_scene_glb(broken, catalog, GeometryCache()))
    node = next(n for n in doc["nodes"] if n["name"] == "cab-1")
    assert "blind_width_mm" in node["extras"]["error"]


def test_every_family_in_a_rotated_showroom(catalog: Catalog) -> None:
    """Each family, free-standing and turned, lands inside its own footprint in the GLB."""
    cabinets = []
    for n, (code, fam) in enumerate(sorted(catalog.families.items())):
        sizes = {"width_mm": fam.width.default, "height_mm": fam.height.default, "depth_mm": fam.depth.default}
        if fam.body == "panel":
            axis = {"x": "width_mm", "y": "depth_mm", "z": "height_mm"}[fam.recipe.thickness_axis]
            mat = {"front": "mdf_matt_white_18", "carcass": "pb_white_18"}.get(fam.recipe.panel_material,
                                                                              "quartz_white_20")
            sizes[axis] = catalog.materials[mat].thickness_mm
        cabinets.append(PlacedCabinet(id=f"cab-{code}", family=code, **sizes, elevation_mm=100,
                                      placement=FreePlacement(x_mm=1500 * (n % 6) + 1000,
                                                              y_mm=1500 * (n // 6) + 1000,
                                                              rotation_deg=(37 * n) % 360)))
    design = Design(cabinets=cabinets)
    glb = build_scene_glb(design, catalog, GeometryCache())
    scene = trimesh.load(io.BytesIO(glb), file_type="glb")
    for cab in cabinets:
        pts = np.concatenate([
            trimesh.transform_points(scene.geometry[scene.graph[node][1]].vertices, scene.graph[node][0])
            for node in scene.graph.nodes_geometry if node.startswith(f"{cab.id}/") and "/handle-" not in node])
        plan = footprint(cab, design.plan, catalog)
        assert shapely.contains_xy(plan.buffer(0.5), pts[:, 0] * 1000, pts[:, 2] * 1000).all(), cab.id
        x0, y0, x1, y1 = plan.bounds  # and they reach its extent (fronts are 1.5 mm inset)
        got = (pts[:, 0].min(), pts[:, 2].min(), pts[:, 0].max(), pts[:, 2].max())
        zones = build_cabinet(cab, catalog, design.settings).zones
        partly_open = {z.front == "open" for z in zones} == {True, False}
        sliding = any(z.front == "sliding" for z in zones)
        # a filler's support board does not reach its back corners; an open zone beside fronted ones (a
        # desk's knee space) stands back by the fronts' thickness, a sliding leaf on the back track by a track
        if cab.family != "filler" and not partly_open and not sliding:
            assert np.array(got) * 1000 == pytest.approx([x0, y0, x1, y1], abs=3), cab.id
        assert pts[:, 1].min() == pytest.approx(0.1, abs=1e-4) and pts[:, 1].max() == pytest.approx(
            (100 + cab.height_mm) / 1000, abs=1e-4)


def test_khronos_validator_accepts_the_glb(glb: bytes, tmp_path: Path) -> None:
    """Runs the official glTF validator when the front end has it installed (npm ``gltf-validator``);
    texture URIs resolve against assets/ (served as /static/)."""
    issues = validate_glb(glb, tmp_path, TEXTURE_DIR.parent)
    assert issues["numErrors"] == 0 and issues["numWarnings"] == 0, issues["messages"][:5]


def test_worktop_cut_outs_are_holes_in_the_mesh(catalog: Catalog) -> None:
    """The sink and hob cut-outs that the factory machines are open in the 3D worktop too."""
    from backend.configurator.construction import build_cabinet
    from backend.configurator.mesh import cut_boxes

    design = demo_design()
    worktop = next(c for c in design.cabinets if c.family == "countertop" and "sink_center_mm" in c.options)
    panel = next(p for p in build_cabinet(worktop, catalog, design.settings).panels if p.role == "countertop")
    hole = next(op for op in panel.ops if op.purpose == "sink_cutout")
    pieces = cut_boxes(panel)
    assert len(pieces) > 1
    whole = panel.box.size[0] * panel.box.size[1] * panel.box.size[2]
    solid = sum(s[0] * s[1] * s[2] for _, s in pieces)
    assert solid == pytest.approx(whole - hole.length_mm * hole.width_mm * panel.thickness_mm, rel=1e-9)
    for a, (oa, sa) in enumerate(pieces):  # pieces tile the panel without overlapping
        for ob, sb in pieces[a + 1:]:
            assert any(oa[k] + sa[k] <= ob[k] + 1e-6 or ob[k] + sb[k] <= oa[k] + 1e-6 for k in range(3))
    scene = trimesh.load(io.BytesIO(build_scene_glb(design, catalog)), file_type="glb", force="scene")
    mesh = scene.geometry[panel.id] if panel.id in scene.geometry else next(
        g for name, g in scene.geometry.items() if name.startswith(panel.id))
    assert len(mesh.faces) == 12 * len(pieces)


# -- incremental rebuilds ---------------------------------------------------------------------------

def _glb_parts(glb: bytes) -> tuple[dict[str, Any], bytes]:
    doc = _gltf_json(glb)
    length = struct.unpack("<I", glb[12:16])[0]
    return doc, glb[20 + length + 8:]


def _vertices_by_node(doc: dict[str, Any], binary: bytes) -> dict[str, bytes]:
    """Each mesh node's name → the bytes of its POSITION, NORMAL and TEXCOORD data (as written)."""
    out = {}
    for node in doc["nodes"]:
        if "mesh" not in node:
            continue
        chunks = []
        for prim in doc["meshes"][node["mesh"]]["primitives"]:
            for attr in ("POSITION", "NORMAL", "TEXCOORD_0", "TANGENT"):
                if attr in prim["attributes"]:
                    acc = doc["accessors"][prim["attributes"][attr]]
                    view = doc["bufferViews"][acc["bufferView"]]
                    size = {"VEC2": 8, "VEC3": 12, "VEC4": 16}[acc["type"]]
                    start = view["byteOffset"] + acc["byteOffset"]
                    chunks.append(binary[start:start + acc["count"] * size])
        out[node["name"]] = b"".join(chunks)
    return out


@pytest.fixture(scope="module")
def apartment(catalog: Catalog) -> Design:
    from backend.configurator.home_demo import apartment_design

    return apartment_design(catalog)


@pytest.mark.parametrize("textures", ["uri", "embed", "none"])
def test_a_rebuild_after_edits_is_the_cold_build(apartment: Design, catalog: Catalog, textures: str) -> None:
    """Rebuilt from the cache after an interior edit, a move and a door moved in its wall, the scene
    is the one a cold build gives: same bytes, so the same nodes and the same vertex data."""
    from backend.configurator.commands import SetInsert
    from backend.design.interior import Insert

    cache = GeometryCache()
    build_scene_glb(apartment, catalog, cache, textures=textures)  # type: ignore[arg-type]
    wardrobe = next(c for c in apartment.cabinets if c.family == "wardrobe_sliding_3")
    edited, _ = apply(apartment, SetInsert(cabinet_id=wardrobe.id, path=[2], insert=Insert(kind="shelves", count=4)),
                      catalog)
    free = next(c for c in apartment.cabinets if isinstance(c.placement, FreePlacement))
    assert isinstance(free.placement, FreePlacement)
    edited, _ = apply(edited, MoveCabinet(cabinet_id=free.id, placement=free.placement.model_copy(
        update={"x_mm": free.placement.x_mm + 40, "rotation_deg": free.placement.rotation_deg + 5})), catalog)
    wall = next(w for w in apartment.plan.walls if any(o.kind == "door" for o in w.openings))
    door = next(o for o in wall.openings if o.kind == "door")
    walls = [w.model_copy(update={"openings": [o.model_copy(update={"offset_mm": o.offset_mm + 10}) if o is door else o
                                               for o in w.openings]}) if w is wall else w for w in edited.plan.walls]
    edited = edited.model_copy(update={"plan": edited.plan.model_copy(update={"walls": walls})})
    hits = cache.fragment_hits
    warm = build_scene_glb(edited, catalog, cache, textures=textures)  # type: ignore[arg-type]
    assert cache.fragment_misses - cache.fragment_hits < len(apartment.cabinets)  # mostly spliced from the cache
    assert cache.fragment_hits - hits == len(apartment.cabinets) + len(apartment.plan.walls) + len(
        apartment.plan.rooms) - 2  # all but the edited wardrobe and the wall whose door moved
    cold = build_scene_glb(edited, catalog, GeometryCache(), textures=textures)  # type: ignore[arg-type]
    warm_doc, warm_bin = _glb_parts(warm)
    cold_doc, cold_bin = _glb_parts(cold)
    assert [n["name"] for n in warm_doc["nodes"]] == [n["name"] for n in cold_doc["nodes"]]
    assert _vertices_by_node(warm_doc, warm_bin) == _vertices_by_node(cold_doc, cold_bin)
    assert warm == cold
    assert warm != build_scene_glb(apartment, catalog, GeometryCache(), textures=textures)  # type: ignore[arg-type]


def test_an_edit_of_one_unit_leaves_the_others_cached(apartment: Design, catalog: Catalog) -> None:
    """Editing unit A writes A's fragment again and only A's: every other unit's cached entry is the
    same object as before, under the same key."""
    from backend.configurator.commands import SetInsert
    from backend.configurator.looks import load_looks
    from backend.configurator.scene import cabinet_key
    from backend.design.interior import Insert

    looks = load_looks(catalog)
    cache = GeometryCache()
    build_scene_glb(apartment, catalog, cache)
    before = {c.id: cache.cached_fragment(cabinet_key(c, catalog, apartment.settings), looks)
              for c in apartment.cabinets}
    assert all(f is not None for f in before.values())
    a = next(c for c in apartment.cabinets if c.family == "wardrobe_sliding_3")
    edited, _ = apply(apartment, SetInsert(cabinet_id=a.id, path=[2], insert=Insert(kind="shelves", count=9)), catalog)
    misses, geometry_misses = cache.fragment_misses, cache.misses
    build_scene_glb(edited, catalog, cache)
    assert (cache.fragment_misses, cache.misses) == (misses + 1, geometry_misses + 1)
    after = {c.id: cache.cached_fragment(cabinet_key(c, catalog, edited.settings), looks) for c in edited.cabinets}
    for cab in edited.cabinets:
        if cab.id != a.id:
            assert after[cab.id] is before[cab.id], cab.id
    new_a = after[a.id]
    assert new_a is not None and new_a is not before[a.id]
    assert cabinet_key(a, catalog, apartment.settings) != cabinet_key(
        next(c for c in edited.cabinets if c.id == a.id), catalog, edited.settings)
    assert len(new_a.node_names) != len(before[a.id].node_names)  # type: ignore[union-attr]  # new shelves
    assert a.id in new_a.node_names and not any(n.endswith("/invalid") for n in new_a.node_names)


def test_an_outer_corner_of_two_walls_is_drawn_square(catalog: Catalog) -> None:
    """Walls meeting at a corner share their centrelines' end: the scene closes the outer quarter of the
    corner (backend.design.corners) instead of leaving a notch of half a wall by half a wall."""
    from backend.design.model import FloorPlan, Point, Wall

    walls = [Wall(id="wall-a", start=Point(x=0, y=0), end=Point(x=4000, y=0), thickness_mm=200),
             Wall(id="wall-b", start=Point(x=0, y=0), end=Point(x=0, y=3000), thickness_mm=100)]
    glb = build_scene_glb(Design(plan=FloorPlan(walls=walls)), catalog, GeometryCache())
    scene = trimesh.load(io.BytesIO(glb), file_type="glb")
    pts = {node: trimesh.transform_points(scene.geometry[scene.graph[node][1]].vertices, scene.graph[node][0])
           for node in ("wall-a", "wall-b")}
    # glTF x = plan x, glTF z = plan y, metres: the outer corner (-50, -100) mm is a vertex of wall-a
    assert np.isclose(pts["wall-a"][:, [0, 2]], [-0.05, -0.1], atol=1e-6).all(axis=1).any()
    lo, hi = scene.bounds
    assert lo == pytest.approx([-0.05, 0, -0.1], abs=1e-6) and hi == pytest.approx([4.0, 2.6, 3.0], abs=1e-6)
    # a wall's own box is unchanged by a neighbour that does not meet it end to end
    alone = build_scene_glb(Design(plan=FloorPlan(walls=walls[:1])), catalog, GeometryCache())
    assert trimesh.load(io.BytesIO(alone), file_type="glb").bounds[0] == pytest.approx([0, 0, -0.1], abs=1e-6)
