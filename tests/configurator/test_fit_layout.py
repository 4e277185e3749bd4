"""Fitting a published layout onto another plan: room by room, as far as it fits, never a blocking finding,
the target's plan and what stands in it untouched, the source's finishes carried over."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backend.bom.pricing import price_cabinets
from backend.configurator.catalog import load_catalog
from backend.configurator.demo import demo_design
from backend.configurator.fit_layout import fit_layout
from backend.configurator.validation import validate
from backend.design.model import Design, DesignSettings, FreePlacement, WallPlacement
from tests.configurator.test_traced_plans import plans

CATALOG = load_catalog()
EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"


def _fit(source: Design, target: Design):  # type: ignore[no-untyped-def]
    return fit_layout(source, target, CATALOG, lambda cabinets: price_cabinets(cabinets, CATALOG, target.settings))


def _errors(design: Design) -> list[str]:
    return [f.message for f in validate(design, CATALOG) if f.severity == "error"]


def _example(name: str) -> Design:
    return Design.model_validate(json.loads((EXAMPLES / f"{name}.json").read_text()))


def test_a_layout_fitted_to_its_own_empty_plan_comes_back_whole() -> None:
    source = demo_design()
    target = source.model_copy(update={"cabinets": [], "items": [],
                                       "settings": DesignSettings(front_material="mdf_matt_white_18")})
    result = _fit(source, target)
    wall_units = [o for o in [*source.cabinets, *source.items] if isinstance(o.placement, WallPlacement)]
    free = [o for o in [*source.cabinets, *source.items] if isinstance(o.placement, FreePlacement)]
    assert result.placed == len(wall_units) and result.free_standing == len(free) > 0
    assert result.units == len(wall_units) + len(free)
    assert [(r.room_type, r.target_room, r.units, r.placed) for r in result.rooms] == \
        [("kitchen", "room-kitchen", len(wall_units), len(wall_units))]
    # the same families on the same walls at the same offsets and heights
    def spots(objs):  # type: ignore[no-untyped-def]
        return sorted((getattr(o, "family", None) or getattr(o, "kind", ""), o.placement.wall_id,
                       o.placement.offset_mm, o.elevation_mm, o.width_mm) for o in objs
                      if isinstance(o.placement, WallPlacement))
    assert spots([*result.design.cabinets, *result.design.items]) == spots(wall_units)
    assert result.design.settings.front_material == source.settings.front_material
    assert result.design.plan == source.plan and _errors(result.design) == []


def test_a_layout_goes_into_the_rooms_of_its_type_and_leaves_the_rest_alone() -> None:
    bedroom, hall = _example("bedroom"), _example("hall")
    into_demo = _fit(bedroom, demo_design().model_copy(update={"cabinets": [], "items": []}))
    # the demo's largest bedroom takes the example bedroom's wardrobes
    assert [(r.room_type, r.target_room) for r in into_demo.rooms] == [("bedroom", "room-bed2")]
    assert into_demo.placed == into_demo.rooms[0].units > 0 and _errors(into_demo.design) == []
    # a plan without a room of that type gets nothing, and says so
    nowhere = _fit(bedroom, hall.model_copy(update={"cabinets": [], "items": []}))
    assert [(r.room_type, r.target_room, r.placed) for r in nowhere.rooms] == [("bedroom", None, 0)]
    assert nowhere.design.cabinets == []
    # what already stands in the target stays as it was, and new ids never clash with it
    kept = demo_design()
    onto = _fit(hall, kept)
    assert onto.design.cabinets[:len(kept.cabinets)] == kept.cabinets
    ids = [c.id for c in onto.design.cabinets]
    assert len(ids) == len(set(ids)) and _errors(onto.design) == []


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans, st.sampled_from(["kitchen", "demo"]))
def test_a_kitchen_fitted_to_a_traced_plan_adds_no_blocking_finding(plan, source_name: str) -> None:  # type: ignore[no-untyped-def]
    """On kitchens a few mm off square, of other sizes, with doors and windows elsewhere: what is placed
    stands in the kitchen and makes no blocking finding; what is not placed is counted."""
    source = demo_design() if source_name == "demo" else _example("kitchen")
    target = Design(plan=plan)
    result = _fit(source, target)
    assert _errors(result.design) == []
    assert result.design.plan == plan
    (kitchen,) = [r for r in result.rooms if r.room_type == "kitchen"]
    assert kitchen.target_room == "room-k"
    assert len(result.design.cabinets) + len(result.design.items) > 0
    if not kitchen.autofilled:
        assert kitchen.placed == len(result.design.cabinets) + len(result.design.items) <= kitchen.units
