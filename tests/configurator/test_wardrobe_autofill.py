"""Auto-fill of a wardrobe wall in a bedroom: wardrobe units and fillers exactly between walls, doors
and windows, ranked alternatives priced by the one pricing rule, none adding a blocking finding."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backend.bom.pricing import price_cabinets
from backend.configurator.autofill import WARDROBE_STRATEGIES, fill, fill_wardrobe
from backend.configurator.catalog import Catalog, load_catalog
from backend.configurator.commands import apply
from backend.configurator.validation import validate
from backend.design.model import Design, Door, FloorPlan, Point, Room, Wall, WallPlacement, Window
from backend.errors import InvalidInput

CATALOG = load_catalog()
EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "bedroom.json"


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=400, max_value=9000), st.sampled_from(WARDROBE_STRATEGIES))
def test_fill_wardrobe_fills_exactly_within_each_family(length: int, strategy: str) -> None:
    segments = fill_wardrobe(length, CATALOG, strategy)
    if strategy == "hinged_standard" or (strategy in ("hinged_equal", "hinged_wide") and length >= 800):
        assert segments is not None, (length, strategy)  # 601–799 mm needs a filler: only the standard one has it
    if segments is None:
        return
    assert sum(w for _, w in segments) == length
    for code, width in segments:
        fam = CATALOG.families[code]
        assert fam.width.min <= width <= fam.width.max, (code, width)
        assert width == int(width)
        if code != "filler":
            assert fam.room == "wardrobe"
    if strategy == "sliding":
        assert all(code.startswith("wardrobe_sliding") for code, _ in segments)


def _bedroom(with_cabinets: bool = False) -> Design:
    design = Design.model_validate(json.loads(EXAMPLE.read_text()))
    return design if with_cabinets else design.model_copy(update={"cabinets": []})


def _price(design: Design):  # type: ignore[no-untyped-def]
    return lambda cabinets: price_cabinets(cabinets, CATALOG, design.settings)


def test_a_bedroom_gets_a_wardrobe_wall_with_ranked_priced_alternatives() -> None:
    design = _bedroom()
    result = fill(design, CATALOG, price=_price(design), room_id="room-bedroom")
    alts = result.alternatives
    assert len(alts) >= 3, result.reasons
    assert [a.rank for a in alts] == list(range(1, len(alts) + 1))
    # the wall with the longest free stretch: not the window wall, not the door wall
    assert result.wall_ids in (["wall-bottom"], ["wall-left"])
    assert alts[0].differences == "best ranked"
    for alt in alts[1:]:
        delta = (alt.price_cents - alts[0].price_cents) / 100
        assert f"{delta:+,.2f} {CATALOG.currency}" in alt.differences
    strategies = {a.strategy for a in alts}
    assert "sliding" in strategies and "hinged_standard" in strategies
    for alt in alts:
        assert alt.price_cents == price_cabinets(alt.cabinets, CATALOG, design.settings) > 0
        assert {CATALOG.families[c.family].room for c in alt.cabinets if c.family != "filler"} == {"wardrobe"}
        assert alt.unit_count == sum(c.family != "filler" for c in alt.cabinets)
        spans = sorted((c.placement.offset_mm, c.placement.offset_mm + c.width_mm) for c in alt.cabinets
                       if isinstance(c.placement, WallPlacement))
        assert all(abs(a[1] - b[0]) < 0.5 for a, b in itertools.pairwise(spans))  # no gaps
        assert abs(spans[0][0] - 50) < 0.5 and abs(spans[-1][1] - (4200 - 50 if result.wall_ids == ["wall-bottom"]
                                                                    else 3600 - 50)) < 0.5  # wall face to face
        for filler in (c for c in alt.cabinets if c.family == "filler"):
            units = [c for c in alt.cabinets if c.family != "filler"]
            assert (filler.height_mm, filler.depth_mm, filler.elevation_mm) == (
                units[0].height_mm, max(c.depth_mm for c in units), 0)  # full height, flush with the fronts
        new, undo = apply(design, alt.command)
        assert apply(new, undo)[0] == design
        assert [f.message for f in validate(new, CATALOG) if f.severity == "error"] == []


def test_a_wardrobe_wall_stops_at_doors_and_windows() -> None:
    """A bedroom whose only long wall has a door and a window: units stand only between them."""
    corners = [(0, 0), (5000, 0), (5000, 2600), (0, 2600)]
    walls = [Wall(id=f"wall-{i}", start=Point(x=corners[i][0], y=corners[i][1]),
                  end=Point(x=corners[(i + 1) % 4][0], y=corners[(i + 1) % 4][1]), thickness_mm=100)
             for i in range(4)]
    walls[0] = walls[0].model_copy(update={"openings": [
        Door(id="door-1", offset_mm=300, width_mm=800, swing="left", hinge="start"),
        Window(id="win-1", offset_mm=3000, width_mm=900, sill_mm=900)]})
    room = Room(id="room-b", type="bedroom", polygon=[Point(x=x, y=y) for x, y in corners])
    design = Design(plan=FloorPlan(walls=walls, rooms=[room]))
    result = fill(design, CATALOG, ["wall-0"], price=_price(design), room_id="room-b")
    assert result.alternatives, result.reasons
    for alt in result.alternatives:
        for cab in alt.cabinets:
            assert isinstance(cab.placement, WallPlacement)
            a, b = cab.placement.offset_mm, cab.placement.offset_mm + cab.width_mm
            assert not (a < 3900 - 0.5 and b > 3000 + 0.5)  # never in front of the window
            assert a >= 300 + 800  # clear of the door's opening and swing
        new, _ = apply(design, alt.command)
        assert [f.message for f in validate(new, CATALOG) if f.severity == "error"] == []
    best = result.alternatives[0]
    assert sum(c.width_mm for c in best.cabinets) >= 1500  # the stretch between door and window is used


def test_wardrobes_on_request_elsewhere_and_bad_furniture_refused(catalog: Catalog) -> None:
    design = _bedroom().model_copy(update={"plan": _bedroom().plan.model_copy(update={"rooms": [
        _bedroom().plan.rooms[0].model_copy(update={"type": "living"})]})})
    kitchen = fill(design, catalog, ["wall-bottom"], price=_price(design), room_id="room-bedroom")
    assert any(c.family.startswith("base_") for a in kitchen.alternatives for c in a.cabinets)
    wardrobes = fill(design, catalog, ["wall-bottom"], price=_price(design), room_id="room-bedroom",
                     furniture="wardrobe")
    assert wardrobes.alternatives
    assert all(c.family.startswith(("wardrobe_", "filler")) for a in wardrobes.alternatives for c in a.cabinets)
    with pytest.raises(InvalidInput) as err:
        fill(design, catalog, ["wall-bottom"], price=_price(design), furniture="garage")
    assert err.value.field == "furniture"


def test_a_wall_filled_end_to_end_ranks_before_a_cheaper_one_with_a_gap() -> None:
    """In the demo apartment's first bedroom the bed stands 900 mm from the wardrobe wall: hinged units
    by the bed are left out (their doors would hit it), sliding doors fill the whole wall and rank first."""
    from backend.configurator.demo import demo_design

    design = demo_design()
    result = fill(design, CATALOG, price=_price(design), room_id="room-bed1")
    best, *others = result.alternatives
    assert best.strategy == "sliding" and best.open_mm == 0
    assert others and all(a.open_mm > 0 and "mm left open" in a.differences for a in others)
    assert any(a.price_cents < best.price_cents for a in others)  # cheaper, but with a gap


@pytest.mark.parametrize("wall_ids", [["wall-bottom", "wall-left"], ["wall-left", "wall-bottom"],
                                      ["wall-bottom", "wall-left", "wall-top"]])
def test_an_l_or_u_wardrobe_wall_offers_corner_wardrobes_in_its_corners(wall_ids: list[str]) -> None:
    """On the corner_l alternative each corner of the wardrobe wall is one L-shaped corner wardrobe (its short
    leg along the other wall, its legs as deep as the hinged units beside it), the straight stretches run up to
    its legs without a gap or an overlap, and the layout adds no blocking finding."""
    design = _bedroom()
    result = fill(design, CATALOG, wall_ids, price=_price(design), room_id="room-bedroom")
    alt = next(a for a in result.alternatives if a.strategy == "corner_l")
    corners = [c for c in alt.cabinets if c.family == "wardrobe_corner_l"]
    assert len(corners) == len(wall_ids) - 1
    hinged = CATALOG.families["wardrobe_hinged_2"]
    for corner in corners:
        assert corner.options["leg_depth_mm"] == hinged.depth.default
        assert corner.height_mm == hinged.height.default
        assert isinstance(corner.placement, WallPlacement) and abs(corner.placement.offset_mm - 50) < 0.5
    # the bottom-left corner: the L stands on the left wall (its short leg on its left runs along the bottom
    # wall), so the bottom wall's units stop where the short leg ends, 50 + 1000 mm from the left wall's centre
    bottom_left = next(c for c in corners if isinstance(c.placement, WallPlacement)
                       and c.placement.wall_id == "wall-left")
    on_bottom = [c for c in alt.cabinets if isinstance(c.placement, WallPlacement)
                 and c.placement.wall_id == "wall-bottom"]
    far_end = max(c.placement.offset_mm + c.width_mm for c in on_bottom if isinstance(c.placement, WallPlacement))
    assert abs((4200 - far_end) - (50 + bottom_left.depth_mm)) < 0.5
    after, _ = apply(design, alt.command, CATALOG)
    assert not [f for f in validate(after, CATALOG) if f.severity == "error"]
    # one wall alone has no corner: no corner unit, and the strategy adds nothing the standard one has not
    single = fill(design, CATALOG, ["wall-left"], price=_price(design), room_id="room-bedroom")
    assert all(c.family != "wardrobe_corner_l" for a in single.alternatives for c in a.cabinets)
