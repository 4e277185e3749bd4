"""A hinged door must not hit the bed, a window or a radiator (cabinet_rules.door_hits)."""

from __future__ import annotations

import json
from pathlib import Path

from backend.configurator.autofill import side_facing_room
from backend.configurator.catalog import Catalog
from backend.configurator.validation import Finding, validate
from backend.configurator.wording import render
from backend.design.model import Design, FreePlacement, PlacedCabinet, PlacedItem, WallPlacement, Window
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
