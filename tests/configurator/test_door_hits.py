"""A hinged door must not hit the bed, a window or a radiator (cabinet_rules.door_hits)."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Literal

import pytest
import shapely

from backend.configurator.autofill import side_facing_room
from backend.configurator.cabinet_rules import swing_zones
from backend.configurator.catalog import Catalog
from backend.configurator.construction import build_cabinet
from backend.configurator.placement import placed_objects
from backend.configurator.validation import Finding, validate
from backend.configurator.wording import render
from backend.design.interior import Front, Insert, Leaf, Split
from backend.design.model import Design, DesignSettings, FreePlacement, PlacedCabinet, PlacedItem, WallPlacement, Window
from backend.web.i18n import gettext_for

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "bedroom.json"


def _room(*objects: PlacedCabinet | PlacedItem, window_near_corner: bool = False) -> Design:
    """The example bedroom (4.2 × 3.6 m, window in the top wall, door in the right wall), emptied."""
    design = Design.model_validate(json.loads(EXAMPLE.read_text()))
    plan = design.plan
    if window_near_corner:  # the window moved to the top wall's left end, beside the left wall
        walls = [w.model_copy(update={"openings": [Window(id="win-bed", offset_mm=100, width_mm=900, sill_mm=900)]})
                 if w.id == "wall-top" else w for w in plan.walls]
        plan = plan.model_copy(update={"walls": walls})
    cabinets = [o for o in objects if isinstance(o, PlacedCabinet)]
    items = [o for o in objects if isinstance(o, PlacedItem)]
    return design.model_copy(update={"plan": plan, "cabinets": cabinets, "items": items})


def _wardrobe(family: str, width: float, wall: str, offset: float, catalog: Catalog, design: Design) -> PlacedCabinet:
    fam = catalog.families[family]
    side = side_facing_room(design, next(w for w in design.plan.walls if w.id == wall))
    return PlacedCabinet(id="cab-w", family=family, width_mm=width, height_mm=fam.height.default,
                         depth_mm=fam.depth.default, elevation_mm=0,
                         placement=WallPlacement(wall_id=wall, offset_mm=offset, side=side))


def _hits(design: Design, catalog: Catalog) -> list[Finding]:
    return [f for f in validate(design, catalog) if f.rule == "door_hits"]


BED_IN_THE_SWING = PlacedItem(id="item-bed", kind="bed", width_mm=1800, height_mm=500, depth_mm=2000,
                              placement=FreePlacement(x_mm=1200, y_mm=600))
"""The example's bed, pushed 450 mm towards the bottom wall: its foot ends 350 mm from the wardrobes."""


def test_a_hinged_door_that_hits_the_bed_is_an_error(catalog: Catalog) -> None:
    empty = _room()
    wardrobe = _wardrobe("wardrobe_hinged_2", 1000, "wall-bottom", 1500, catalog, empty)
    hits = _hits(_room(wardrobe, BED_IN_THE_SWING), catalog)
    assert [(f.severity, f.object_ids) for f in hits] == [("error", ("cab-w", "item-bed"))]
    assert "hits the bed" in hits[0].message
    assert hits[0].fix is not None and "sliding" in hits[0].fix.description
    zh = render(hits[0].params["kind"], hits[0].params, gettext_for("zh_Hans").gettext)
    assert "床" in zh and "hits" not in zh
    # the example's bed, 450 mm further away, is clear of the leaves
    far = BED_IN_THE_SWING.model_copy(update={"placement": FreePlacement(x_mm=1200, y_mm=150)})
    assert _hits(_room(wardrobe, far), catalog) == []


def test_sliding_doors_do_not_swing(catalog: Catalog) -> None:
    empty = _room()
    wardrobe = _wardrobe("wardrobe_sliding_2", 1800, "wall-bottom", 1200, catalog, empty)
    assert _hits(_room(wardrobe, BED_IN_THE_SWING), catalog) == []


def test_a_hinged_door_must_clear_a_radiator_and_a_window(catalog: Catalog) -> None:
    empty = _room()
    wardrobe = _wardrobe("wardrobe_hinged_2", 1000, "wall-bottom", 1500, catalog, empty)
    radiator = PlacedItem(id="item-rad", kind="Radiator", width_mm=800, height_mm=600, depth_mm=100,
                          elevation_mm=150, placement=FreePlacement(x_mm=1800, y_mm=2600))
    hits = _hits(_room(wardrobe, radiator), catalog)
    assert [f.object_ids for f in hits] == [("cab-w", "item-rad")] and "radiator" in hits[0].message
    # a wardrobe on the left wall, by the corner, whose leaves swing into the window beside it
    corner = _room(window_near_corner=True)
    by_window = _wardrobe("wardrobe_hinged_1", 500, "wall-left", 3600 - 50 - 500, catalog, corner)
    hits = _hits(_room(by_window, window_near_corner=True), catalog)
    assert [f.object_ids for f in hits] == [("cab-w", "win-bed")] and "window" in hits[0].message
    # the same wardrobe a metre further down the wall is clear
    lower = by_window.model_copy(update={"placement": by_window.placement.model_copy(update={"offset_mm": 2000})})
    assert _hits(_room(lower, window_near_corner=True), catalog) == []


def _one_leaf(hinge_side: Literal["left", "right"], catalog: Catalog) -> PlacedCabinet:
    """A 500 mm one-door wardrobe standing free at (1000, 1000), its front facing +y (down the plan)."""
    fam = catalog.families["wardrobe_hinged_1"]
    tree = Split(axis="horizontal", front=Front(kind="hinged", leaves=1, hinge_side=hinge_side), zones=[
        Leaf(insert=Insert(kind="rail")), Leaf(insert=Insert(kind="fixed_shelves", count=1), size_mm=450)])
    return PlacedCabinet(id="cab-w", family="wardrobe_hinged_1", width_mm=500, height_mm=fam.height.default,
                         depth_mm=fam.depth.default, placement=FreePlacement(x_mm=1000, y_mm=1000), interior=tree)


def _bed_at(x: float, y: float) -> PlacedItem:
    """A bed whose back-left corner is at (x, y), lying towards +x and +y."""
    return PlacedItem(id="item-bed", kind="bed", width_mm=1800, height_mm=500, depth_mm=2000,
                      placement=FreePlacement(x_mm=x, y_mm=y))


def test_a_leaf_sweeps_a_quarter_circle_from_its_hinge(catalog: Catalog) -> None:
    left = _one_leaf("left", catalog)
    build = build_cabinet(left, catalog, DesignSettings())
    door = next(p for p in build.panels if p.role == "door")
    front, w = 1000 + door.box.max[1], door.box.size[0]
    x0, x1 = 1000 + door.box.origin[0], 1000 + door.box.max[0]
    # the bed's corner 440 mm out and 440 mm along: inside the square in front of the leaf, but
    # 440·√2 = 622 mm from the left hinge, beyond the 497 mm leaf's reach
    corner = (x0 + 440, front + 440)
    assert x0 < corner[0] < x1 and corner[1] < front + w and math.dist(corner, (x0, front)) > w
    assert _hits(_room(left, _bed_at(*corner)), catalog) == []
    # the same bed is 444 mm from a right-hand hinge: the leaf hinged on the right hits it
    right = _one_leaf("right", catalog)
    assert math.dist(corner, (x1, front)) < w
    hits = _hits(_room(right, _bed_at(*corner)), catalog)
    assert [f.object_ids for f in hits] == [("cab-w", "item-bed")]
    # hinged on its left it would open clear, so that is the fix offered (in Chinese too)
    fix = hits[0].fix
    assert fix is not None and fix.code == "door_hits_hinge_fix" and "other side" in fix.description
    zh = render(fix.code, fix.params, gettext_for("zh_Hans").gettext)
    assert "另一侧" in zh and "Hinge" not in zh
    # and a corner well inside the left leaf's arc (300 mm out, 100 mm along) is hit either way: no such fix
    inside = _hits(_room(left, _bed_at(x0 + 100, front + 300)), catalog)
    assert [f.object_ids for f in inside] == [("cab-w", "item-bed")]
    assert inside[0].fix is not None and inside[0].fix.code == "door_hits_fix"


def test_the_swing_zone_is_the_quarter_circle(catalog: Catalog) -> None:
    for side in ("left", "right"):
        cab = _one_leaf(side, catalog)
        design = _room(cab)
        build = build_cabinet(cab, catalog, design.settings)
        obj = next(o for o in placed_objects(design, catalog) if o.id == "cab-w")
        [(zone, z0, z1)] = swing_zones(obj, build)
        door = next(p for p in build.panels if p.role == "door")
        w = door.box.size[0]
        assert zone.area == pytest.approx(math.pi * w * w / 4, rel=0.01)
        hinge_x = door.box.origin[0] if side == "left" else door.box.max[0]
        centre = shapely.Point(1000 + hinge_x, 1000 + door.box.max[1])
        assert zone.hausdorff_distance(centre.buffer(w, quad_segs=64).intersection(zone.envelope)) < 0.01 * w
        assert (z0, z1) == (door.box.origin[2], door.box.max[2])
