"""docs/examples/bedroom.json (a wardrobe wall) and hall.json (a shoe cabinet) stay valid designs without
errors or engineering warnings, are what ``home_demo`` writes, and give a parts list and a price."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import TypeAdapter

from backend.bom.pricing import quote
from backend.configurator.catalog import Catalog
from backend.configurator.construction import build_cabinet
from backend.configurator.home_demo import apartment_design, bedroom_design, hall_design
from backend.configurator.validation import validate
from backend.design.interior import Zone
from backend.design.model import Design, FreePlacement, PlacedCabinet

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"


@pytest.mark.parametrize(("name", "make", "rooms"), [("bedroom.json", bedroom_design, {"wardrobe"}),
                                                    ("hall.json", hall_design, {"hall", "wardrobe"})])
def test_example_is_valid_and_clean(catalog: Catalog, name: str, make: object, rooms: set[str]) -> None:
    design = Design.model_validate_json((EXAMPLES / name).read_text(encoding="utf-8"))
    assert design == make(catalog)  # type: ignore[operator]
    assert {catalog.families[c.family].room for c in design.cabinets} == rooms
    assert [(f.rule, f.message) for f in validate(design, catalog) if f.rule != "aisle_width"] == []
    q = quote(design, catalog)
    assert q.complete and q.total_cents > 0


def test_bedroom_keeps_its_edited_interior(catalog: Catalog) -> None:
    design = Design.model_validate_json((EXAMPLES / "bedroom.json").read_text(encoding="utf-8"))
    edited = next(c for c in design.cabinets if c.interior is not None)
    build = build_cabinet(edited, catalog, design.settings)
    assert {h.code for h in build.hardware} >= {"trouser_rack_pullout", "sliding_track_set", "wardrobe_rail"}
    assert sum(p.role == "drawer_inner_front" for p in build.panels) == 3


def test_furnished_apartment_has_forty_units_that_build(catalog: Catalog) -> None:
    design = apartment_design(catalog)
    assert len(design.cabinets) >= 40
    assert {catalog.families[c.family].room for c in design.cabinets} >= {"kitchen", "wardrobe", "living",
                                                                          "bathroom", "hall", "study", "bedroom"}
    assert [f for f in validate(design, catalog) if f.severity == "error"] == []


def test_documented_zone_tree_builds(catalog: Catalog) -> None:
    text = (EXAMPLES.parent / "design-format.md").read_text(encoding="utf-8")
    block = re.findall(r"```json\n(.*?)```", text, re.S)[-1]
    tree = TypeAdapter(Zone).validate_json(block)
    cab = PlacedCabinet(id="cab-1", family="wardrobe_sliding_2", width_mm=1800, height_mm=2200, depth_mm=650,
                        placement=FreePlacement(x_mm=0, y_mm=0), interior=tree)
    assert {h.code for h in build_cabinet(cab, catalog, Design().settings).hardware} >= {"trouser_rack_pullout"}
