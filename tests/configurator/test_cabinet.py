"""The general cabinet model: zone trees, inserts and fronts build real panels; zone commands edit a unit's
tree in the document with exact inverses; bad trees are refused naming the field."""

from __future__ import annotations

from typing import Any

import pytest

from backend.configurator.catalog import Catalog
from backend.configurator.commands import (
    MoveDivider,
    SetFront,
    SetInsert,
    SetInterior,
    SplitZone,
    apply,
    apply_checked,
    zone_dividers,
)
from backend.configurator.construction import build_cabinet, interior_tree
from backend.design.interior import Front, Insert, Leaf, Split, zone_at
from backend.design.model import Design, DesignSettings, FreePlacement, PlacedCabinet
from backend.errors import InvalidInput


def unit(family: str, catalog: Catalog, cab_id: str = "cab-1", **kwargs: Any) -> PlacedCabinet:
    fam = catalog.families[family]
    sizes = {"width_mm": fam.width.default, "height_mm": fam.height.default, "depth_mm": fam.depth.default}
    sizes.update({k: v for k, v in kwargs.items() if k.endswith("_mm")})
    rest = {k: v for k, v in kwargs.items() if not k.endswith("_mm")}
    return PlacedCabinet(id=cab_id, family=family, placement=FreePlacement(x_mm=0, y_mm=0), **sizes, **rest)


def roles(cab: PlacedCabinet, catalog: Catalog) -> dict[str, int]:
    out: dict[str, int] = {}
    for p in build_cabinet(cab, catalog, DesignSettings()).panels:
        out[p.role] = out.get(p.role, 0) + 1
    return out


def test_kitchen_units_have_their_stack_as_a_tree(catalog: Catalog) -> None:
    tree = interior_tree(unit("tall_oven", catalog), catalog, DesignSettings())
    assert isinstance(tree, Split) and tree.axis == "horizontal"
    assert [z.insert.kind for z in tree.zones if isinstance(z, Leaf)] == ["drawers", "niche", "shelves"]
    assert isinstance(interior_tree(unit("base_1_door", catalog), catalog, DesignSettings()), Leaf)


def test_vertical_split_adds_a_partition_and_drawers_drill_it(catalog: Catalog) -> None:
    tree = Split(axis="vertical", zones=[Leaf(insert=Insert(kind="drawers", count=3), size_mm=450),
                                         Leaf(insert=Insert(kind="shelves", count=2), front=Front(kind="hinged"))])
    cab = unit("base_2_doors", catalog, width_mm=1000, interior=tree)
    build = build_cabinet(cab, catalog, DesignSettings())
    part = next(p for p in build.panels if p.role == "partition")
    assert part.box.origin[0] == pytest.approx(450 - 9)  # centred on the 450 mm grid line
    assert {o.purpose for o in part.ops} == {"system32", "slide"}
    assert sum(p.role == "drawer_front" for p in build.panels) == 3
    assert {z.front for z in build.zones} == {"drawers", "hinged"}


def test_wardrobe_inserts_become_parts_and_hardware(catalog: Catalog) -> None:
    build = build_cabinet(unit("wardrobe_sliding_3", catalog), catalog, DesignSettings())
    hw = {h.code: h.quantity for h in build.hardware}
    assert hw["sliding_roller_set"] == 3 and hw["sliding_track_set"] == 1
    assert hw["trouser_rack_pullout"] == 1 and hw["wardrobe_rail"] == 2 and hw["anti_tip_bracket"] == 2
    doors = [p for p in build.panels if p.role == "door"]
    assert len(doors) == 3 and len({p.box.origin[1] for p in doors}) == 2  # two tracks
    shoe = build_cabinet(unit("shoe_cabinet_bench", catalog), catalog, DesignSettings())
    assert sum(p.role == "shoe_shelf" for p in shoe.panels) == 10  # two columns of five
    assert {h.code: h.quantity for h in shoe.hardware}["shoe_shelf_bracket"] == 10
    vanity = build_cabinet(unit("vanity_wall_hung", catalog), catalog, DesignSettings())
    top = next(p for p in vanity.panels if p.role == "top")
    assert [o.purpose for o in top.ops if o.kind == "cutout"] == ["sink_cutout"]
    tatami = roles(unit("tatami_platform", catalog), catalog)
    assert tatami["door"] == 2 and "top" not in tatami  # two lift-up lids are the top


def test_top_box_is_a_second_carcass(catalog: Catalog) -> None:
    build = build_cabinet(unit("wardrobe_hinged_2_top_box", catalog), catalog, DesignSettings())
    sides = {p.id.split("/")[1]: p for p in build.panels if p.role == "side"}
    assert set(sides) == {"side-l", "side-r", "side-tl", "side-tr"}
    assert sides["side-l"].box.max[2] == pytest.approx(2600 - 450) and sides["side-tl"].box.max[2] == 2600


def test_split_set_insert_set_front_and_undo(catalog: Catalog) -> None:
    design = Design(cabinets=[unit("wardrobe_hinged_1", catalog)])
    split, undo1 = apply(design, SplitZone(cabinet_id="cab-1", path=[0], axis="horizontal", at_mm=500), catalog)
    tree = split.cabinets[0].interior
    assert tree is not None and isinstance(zone_at(tree, (0,)), Split)
    assert zone_at(tree, (0, 0)).size_mm == 500
    filled, undo2 = apply(split, SetInsert(cabinet_id="cab-1", path=[0, 0],
                                           insert=Insert(kind="drawers", count=2, internal=True)), catalog)
    closed, undo3 = apply(filled, SetFront(cabinet_id="cab-1", path=[], front=Front(kind="hinged", leaves=1,
                                                                                     hinge="hinge_170_softclose")),
                          catalog)
    build = build_cabinet(closed.cabinets[0], catalog, closed.settings)
    assert sum(p.role == "drawer_inner_front" for p in build.panels) == 2
    assert apply(apply(apply(closed, undo3)[0], undo2)[0], undo1)[0] == design
    assert isinstance(undo1, SetInterior) and undo1.interior is None
    round_trip = Design.model_validate_json(closed.model_dump_json())
    assert round_trip == closed


@pytest.mark.parametrize(("command", "field"), [
    (SplitZone(cabinet_id="cab-1", path=[0], axis="horizontal", at_mm=5000), "at_mm"),
    (SplitZone(cabinet_id="cab-1", path=[0], axis="horizontal", at_mm=40), "at_mm"),
    (SplitZone(cabinet_id="cab-1", path=[], axis="vertical"), "path"),
    (SplitZone(cabinet_id="cab-1", path=[7], axis="vertical"), "path"),
    (SetInsert(cabinet_id="cab-1", path=[1], insert=Insert(kind="shelves", count=12)), "interior.zones.1.insert.count"),
    (SetInsert(cabinet_id="cab-1", path=[1], insert=Insert(kind="drawers", count=1)),
     "interior.zones.1.insert.internal"),
    (SetFront(cabinet_id="cab-1", path=[1], front=Front(kind="sliding", leaves=2)), "interior.zones.1.front"),
])
def test_bad_zone_edits_are_refused_naming_the_field(catalog: Catalog, command: Any, field: str) -> None:
    design = Design(cabinets=[unit("wardrobe_hinged_1", catalog, height_mm=1800)])
    with pytest.raises(InvalidInput) as err:
        apply_checked(design, command, catalog)
    assert err.value.field == field


def test_too_shallow_for_sliding_doors_and_sizes_out_of_range(catalog: Catalog) -> None:
    sliding = Split(axis="vertical", zones=[Leaf(insert=Insert(kind="rail")), Leaf(insert=Insert(kind="shelves",
                                            count=3))], front=Front(kind="sliding", leaves=2))
    with pytest.raises(InvalidInput) as err:
        build_cabinet(unit("bookcase_glass", catalog, depth_mm=350, interior=sliding), catalog, DesignSettings())
    assert err.value.field == "depth_mm"
    with pytest.raises(InvalidInput) as err:
        build_cabinet(unit("wardrobe_sliding_2", catalog, width_mm=3000), catalog, DesignSettings())
    assert err.value.field == "width_mm"
    too_big = Split(axis="horizontal", zones=[Leaf(size_mm=1500), Leaf(size_mm=1500)])
    with pytest.raises(InvalidInput) as err:
        build_cabinet(unit("wardrobe_hinged_2", catalog, interior=too_big), catalog, DesignSettings())
    assert err.value.field == "interior.zones"
    with pytest.raises(InvalidInput) as err:
        build_cabinet(unit("end_panel", catalog, interior=Leaf()), catalog, DesignSettings())
    assert err.value.field == "interior"


def test_old_documents_load_without_interiors(catalog: Catalog) -> None:
    raw = unit("base_1_door", catalog).model_dump(mode="json")
    del raw["interior"]
    assert PlacedCabinet.model_validate(raw).interior is None


def test_move_a_divider_between_two_zones(catalog: Catalog) -> None:
    """wardrobe_hinged_1 at 2200 mm: a long hang (flexible) under a 450 mm shelf zone, on an 80 mm plinth."""
    design = Design(cabinets=[unit("wardrobe_hinged_1", catalog)])
    cab = design.cabinets[0]
    before = build_cabinet(cab, catalog, design.settings)
    [divider] = zone_dividers(interior_tree(cab, catalog, design.settings), before.zones)
    assert (divider.path, divider.index, divider.axis) == ((), 0, "horizontal")
    assert divider.at_mm == pytest.approx(2200 - 450)  # the board's line, 450 mm under the top
    assert divider.span == (0.0, 500.0)
    shelf_z = {p.id: p.box.origin[2] for p in before.panels if p.role == "fixed_shelf"}
    # drag it 150 mm down, to 1600 mm from the cabinet's underside (at_mm counts from the split's start)
    assert divider.start_mm == 80  # the plinth
    moved, undo = apply(design, MoveDivider(cabinet_id="cab-1", path=[], index=0, at_mm=1600 - 80),
                        catalog)
    tree = moved.cabinets[0].interior
    assert isinstance(tree, Split)
    # the top zone (fixed at 450) grows to 600; the rail zone stays the one that takes a resize
    assert tree.zones[1].size_mm == pytest.approx(600) and tree.zones[0].size_mm is None
    assert tree.zones[0].insert.kind == "rail" and tree.zones[1].insert.kind == "fixed_shelves"
    after = build_cabinet(moved.cabinets[0], catalog, moved.settings)
    board = next(p for p in after.panels if p.role == "fixed_shelf" and p.box.origin[2] < min(shelf_z.values()))
    assert board.box.origin[2] + board.box.size[2] / 2 == pytest.approx(1600)
    assert len(after.panels) == len(before.panels)
    assert apply(moved, undo, catalog)[0] == design
    # out of its range, or a divider that is not there: refused naming the field, nothing changes
    for bad, field in ((MoveDivider(cabinet_id="cab-1", path=[], index=0, at_mm=divider.hi_mm - 80 + 10), "at_mm"),
                       (MoveDivider(cabinet_id="cab-1", path=[], index=0, at_mm=50), "at_mm"),
                       (MoveDivider(cabinet_id="cab-1", path=[], index=1, at_mm=900), "index"),
                       (MoveDivider(cabinet_id="cab-1", path=[0], index=0, at_mm=900), "path")):
        with pytest.raises(InvalidInput) as err:
            apply_checked(design, bad, catalog)
        assert err.value.field == field


def test_a_divider_between_fixed_zones_keeps_the_others_in_place(catalog: Catalog) -> None:
    tree = Split(axis="vertical", front=Front(kind="hinged"), zones=[
        Leaf(insert=Insert(kind="rail"), size_mm=600), Leaf(insert=Insert(kind="shelves", count=3), size_mm=400),
        Leaf(insert=Insert(kind="rail", hang="short"))])
    design = Design(cabinets=[unit("wardrobe_hinged_3", catalog, width_mm=1500, interior=tree)])
    dividers = zone_dividers(tree, build_cabinet(design.cabinets[0], catalog, design.settings).zones)
    assert [d.at_mm for d in dividers] == [600, 1000]
    moved, _ = apply(design, MoveDivider(cabinet_id="cab-1", index=0, at_mm=500), catalog)
    new = moved.cabinets[0].interior
    assert isinstance(new, Split)
    assert [z.size_mm for z in new.zones] == [500, 500, None]  # the second divider stays at 1000 mm
    built = build_cabinet(moved.cabinets[0], catalog, moved.settings)
    assert [d.at_mm for d in zone_dividers(new, built.zones)] == [500, 1000]
