"""Properties of the general cabinet model, over every carcass preset at its minimum, default and maximum
and at random sizes, and over random zone trees: panels lie inside the unit and do not overlap, every zone
is reached through a front or is open, the 3D scene has a node for exactly the panels, and the parts list
adds up to the price.  A random tree the engine cannot build is refused naming the field at fault."""

from __future__ import annotations

import json
import struct
from typing import Any

import pytest
from configurator.test_construction import assert_sound
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backend.bom.parts import parts_list
from backend.bom.pricing import quote, rules_for
from backend.configurator.catalog import Catalog, load_catalog
from backend.configurator.construction import CabinetBuild, build_cabinet
from backend.configurator.fittings import FITTING_ROLES
from backend.configurator.scene import GeometryCache, build_scene_glb
from backend.design.interior import Front, Insert, Leaf, Split, Zone
from backend.design.model import Design, DesignSettings, FreePlacement, PlacedCabinet
from backend.errors import InvalidInput

CATALOG = load_catalog()
CARCASS = sorted(code for code, f in CATALOG.families.items() if f.body == "carcass")
FRONT_ROLES = ("door", "drawer_front", "blind_panel")
SETTINGS = DesignSettings()
FAST = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def placed(code: str, width: float, height: float, depth: float, interior: Zone | None = None) -> PlacedCabinet:
    return PlacedCabinet(id="cab-1", family=code, width_mm=width, height_mm=height, depth_mm=depth,
                         elevation_mm=100 if CATALOG.families[code].recipe.legs else 0,
                         placement=FreePlacement(x_mm=1000, y_mm=1000, rotation_deg=17), interior=interior)


def sizes(code: str, which: str) -> tuple[float, float, float]:
    f = CATALOG.families[code]
    return (getattr(f.width, which), getattr(f.height, which), getattr(f.depth, which))


# -- the properties ----------------------------------------------------------------------------------

def assert_reachable(build: CabinetBuild, catalog: Catalog) -> None:
    """Every leaf zone is behind fronts that cover it (up to the front gaps) or is open with no front
    before it; a platform's zones are under its lids."""
    g = catalog.construction.front_gap_mm
    faces = [p.box for p in build.panels if p.role in FRONT_ROLES and p.thickness_axis == "y"]
    lids = [p.box for p in build.panels if p.role == "door" and p.thickness_axis == "z"]
    for zone in build.zones:
        x0, x1, z0, z1 = zone.outer
        points = [(x0 + (x1 - x0) * i / 6, z0 + (z1 - z0) * j / 6) for i in range(1, 6) for j in range(1, 6)]
        if zone.front == "lid":
            assert all(any(b.origin[0] - g <= x <= b.max[0] + g for b in lids) for x, _ in points), zone
            continue
        covered = [any(b.origin[0] - g <= x <= b.max[0] + g and b.origin[2] - g <= z <= b.max[2] + g
                       for b in faces) for x, z in points]
        if zone.front == "open":
            inner = [any(b.origin[0] + 1 < x < b.max[0] - 1 and b.origin[2] + 1 < z < b.max[2] - 1 for b in faces)
                     for x, z in points]
            assert not any(inner), f"open zone {zone.path} is behind a front"
        else:
            assert all(covered), f"zone {zone.path} ({zone.front}) is not covered by its fronts"


def glb_nodes(glb: bytes) -> dict[str, str]:
    """Node name → its role (``""`` for nodes without one)."""
    length = struct.unpack_from("<I", glb, 12)[0]
    doc: dict[str, Any] = json.loads(glb[20:20 + length])
    return {n["name"]: n.get("extras", {}).get("role", "") for n in doc["nodes"] if "name" in n}


def assert_scene_matches(cab: PlacedCabinet, build: CabinetBuild) -> None:
    nodes = glb_nodes(build_scene_glb(Design(cabinets=[cab]), CATALOG, GeometryCache()))
    hardware = ("handle", *FITTING_ROLES)
    panels = {n for n, role in nodes.items() if n.startswith(f"{cab.id}/") and role not in hardware}
    assert panels == {p.id for p in build.panels}
    # the bought fittings are drawn, one node per rail, rack, basket and shoe shelf's fence
    fitted = sum(1 for role in nodes.values() if role in FITTING_ROLES)
    assert fitted == sum(1 for z in build.zones if z.insert in ("rail", "trouser_rack")) + sum(
        z.count for z in build.zones if z.insert == "basket") + sum(p.role == "shoe_shelf" for p in build.panels)


def assert_price_adds_up(cab: PlacedCabinet) -> None:
    design = Design(cabinets=[cab])
    plist = parts_list(design, CATALOG)
    q = quote(design, CATALOG)
    sub = q.subtotals
    assert sub.get("hardware", 0) == sum(h.total_cents for h in plist.hardware)
    assert sub.get("edge_bands", 0) == sum(e.total_cents for e in plist.edge_bands)
    assert sub["machining"] == len(plist.parts) * CATALOG.construction.machining_cents_per_panel
    rules = rules_for(CATALOG)
    boards = 0.0
    materials = {p.material for p in plist.parts if CATALOG.materials[p.material].kind != "countertop"}
    for m in materials:
        area = sum(p.cut_area_m2 for p in plist.parts if p.material == m)
        price = next(x.unit_price_cents for x in q.lines if x.section == "boards" and x.code == m)
        boards += area * (1 + rules.offcut_for(CATALOG, m)) * price
    assert sub["boards"] == pytest.approx(boards, abs=len(materials) * 2 + sum(
        x.unit_price_cents * 0.002 for x in q.lines if x.section == "boards"))
    assert q.total_cents == sum(sub.values()) + q.tax_cents


def assert_all(cab: PlacedCabinet) -> None:
    build = build_cabinet(cab, CATALOG, SETTINGS)
    assert_sound(build, CATALOG)
    assert_reachable(build, CATALOG)
    assert_scene_matches(cab, build)
    assert_price_adds_up(cab)


@pytest.mark.parametrize("which", ["min", "default", "max"])
@pytest.mark.parametrize("code", CARCASS)
def test_presets_at_their_limits(code: str, which: str) -> None:
    assert_all(placed(code, *sizes(code, which)))


@FAST
@given(data=st.data())
def test_presets_at_any_size_in_range(data: st.DataObject) -> None:
    code = data.draw(st.sampled_from(CARCASS), label="family")
    f = CATALOG.families[code]
    dims = [data.draw(st.integers(int(r.min), int(r.max)), label=name)
            for name, r in (("width", f.width), ("height", f.height), ("depth", f.depth))]
    assert_all(placed(code, *dims))


# -- random zone trees -------------------------------------------------------------------------------

INSERTS = st.one_of(
    st.builds(Insert, kind=st.sampled_from(["shelves", "fixed_shelves", "shoe_shelves"]),
              count=st.integers(0, 4)),
    st.builds(Insert, kind=st.just("drawers"), count=st.integers(1, 3), internal=st.booleans()),
    st.builds(Insert, kind=st.just("rail"), hang=st.sampled_from(["long", "short"])),
    st.builds(Insert, kind=st.sampled_from(["trouser_rack", "basket", "niche"]), count=st.integers(1, 2)),
)
HINGED = st.builds(Front, kind=st.just("hinged"), leaves=st.sampled_from([1, 2, "auto"]),
                   opening=st.sampled_from(["handle", "push"]), glass=st.booleans())
FRONTS = st.one_of(st.none(), HINGED, st.builds(Front, kind=st.just("lift")))


@st.composite
def trees(draw: st.DrawFn, depth: int = 0, fronted: bool = False) -> Zone:
    front = None if fronted else draw(FRONTS)
    share = draw(st.sampled_from([1.0, 1.0, 2.0, 0.5]))
    if depth >= 2 or draw(st.booleans()):
        insert = draw(INSERTS)
        if insert.kind == "drawers" and not insert.internal:
            front = None  # drawers with fronts are their own fronts
        return Leaf(insert=insert, front=front, share=share)
    n = draw(st.integers(2, 3))
    kids = [draw(trees(depth + 1, fronted or front is not None)) for _ in range(n)]
    if front is not None:
        kids = [k.model_copy(update={"insert": Insert(kind="drawers", count=k.insert.count, internal=True)})
                if isinstance(k, Leaf) and k.insert.kind == "drawers" else k for k in kids]
    return Split(axis=draw(st.sampled_from(["horizontal", "vertical"])), zones=kids, front=front, share=share)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_zone_trees_build_sound_reachable_cabinets_or_name_the_field(data: st.DataObject) -> None:
    code = data.draw(st.sampled_from(["wardrobe_hinged_4", "wardrobe_hinged_2", "tv_unit_low", "base_2_doors",
                                      "bookcase_glass", "tall_pantry"]), label="family")
    f = CATALOG.families[code]
    dims = [data.draw(st.integers(int(r.min), int(r.max))) for r in (f.width, f.height, f.depth)]
    tree = data.draw(trees(), label="tree")
    if data.draw(st.booleans(), label="sliding") and code.startswith("wardrobe"):
        tree = _strip_fronts(tree).model_copy(update={"front": Front(kind="sliding", leaves=2)})
    cab = placed(code, *dims, interior=tree)
    try:
        build_cabinet(cab, CATALOG, SETTINGS)
    except InvalidInput as err:
        assert err.field, err
        assert err.field.split(".")[0] in ("interior", "width_mm", "height_mm", "depth_mm"), err.field
        return
    assert_all(cab)


def _strip_fronts(zone: Zone) -> Zone:
    if isinstance(zone, Leaf):
        insert = zone.insert
        if insert.kind == "drawers":
            insert = insert.model_copy(update={"internal": True})
        return zone.model_copy(update={"front": None, "insert": insert})
    return zone.model_copy(update={"front": None, "zones": [_strip_fronts(z) for z in zone.zones]})
