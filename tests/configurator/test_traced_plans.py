"""Findings and auto-fill on plans that look traced: walls a few millimetres off their rooms' outlines,
corners a degree or two off square, cut corners, a wall shared by two rooms.

Properties: auto-fill's top alternative adds no blocking finding and keeps its units in the room; no
finding reports an overlap or a reach past the rooms below the tolerances of ``design.units``; a
finding names units in words and its fix is a command whose inverse restores the design exactly.
"""

from __future__ import annotations

import math
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from backend.bom.pricing import price_cabinets
from backend.configurator import autofill, wording
from backend.configurator.catalog import Catalog, load_catalog
from backend.configurator.commands import AddCabinet, Batch, apply, fix_command
from backend.configurator.placement import default_elevation, footprint
from backend.configurator.validation import validate
from backend.design.model import Design, Door, FloorPlan, PlacedCabinet, Point, Room, Wall, WallPlacement, Window
from backend.design.units import TOL
from backend.web.i18n import gettext_for


def fill(design: Design, catalog: Catalog, *args: Any, **kwargs: Any) -> autofill.Result:
    """Auto-fill priced by the one pricing rule, as the configurator service runs it."""
    return autofill.fill(design, catalog, *args, price=lambda cabinets: price_cabinets(cabinets, catalog,
                                                                                     design.settings), **kwargs)


def _pt(x: float, y: float) -> Point:
    return Point(x=round(x, 1), y=round(y, 1))


def traced_plan(w: float, h: float, hall_w: float, jitter: list[float], thick: float, off: float,
                chamfer: float, door_at: float | None, window_at: float | None) -> FloorPlan:
    """A kitchen (w × h) and a hall to its right sharing the top wall and the wall between them.

    Corners are moved by ``jitter`` (8 numbers, mm): the rooms are quadrilaterals a little off square;
    walls stand ``off`` mm off the outlines (as a traced centreline does); the kitchen's outline cuts
    its corners by ``chamfer`` mm (a simplified contour)."""
    j = jitter
    k = [(0 + j[0], 0 + j[1]), (w + j[2], 0 + j[3]), (w + j[4], h + j[5]), (0 + j[6], h + j[7])]
    hall = [k[1], (w + hall_w, j[3]), (w + hall_w, h + j[5]), k[2]]
    half = thick / 2 + off

    def wall(wid: str, a: tuple[float, float], b: tuple[float, float], normal: tuple[float, float],
             openings: list[Door | Window] | None = None) -> Wall:
        return Wall(id=wid, start=_pt(a[0] + normal[0] * half, a[1] + normal[1] * half),
                    end=_pt(b[0] + normal[0] * half, b[1] + normal[1] * half), thickness_mm=thick,
                    openings=openings or [])

    top_len = math.dist(k[0], hall[1])
    windows: list[Door | Window] = [Window(id="win-k", offset_mm=window_at, width_mm=900, sill_mm=1000)] \
        if window_at is not None and window_at + 900 < w - 200 else []
    bottom_len = math.dist(k[2], k[3])
    doors: list[Door | Window] = [Door(id="door-k", offset_mm=door_at, width_mm=800, swing="right")] \
        if door_at is not None and door_at + 800 < bottom_len - 100 else []
    walls = [
        wall("wall-top", (k[0][0] - half, k[0][1]), (hall[1][0] + half, hall[1][1]), (0, -1), windows),
        wall("wall-between", k[1], k[2], (0, 0)),
        wall("wall-kbottom", k[2], k[3], (0, 1), doors),
        wall("wall-left", k[3], k[0], (-1, 0)),
        wall("wall-hbottom", hall[2], hall[3], (0, 1)),
        wall("wall-hright", hall[1], hall[2], (1, 0)),
    ]
    assert top_len > 0

    def cut(poly: list[tuple[float, float]], c: float) -> list[Point]:
        """Each corner replaced by two points ``c`` mm along its edges (towards the previous, then the next)."""
        if c <= 1:
            return [_pt(*p) for p in poly]
        out = []
        for i, p in enumerate(poly):
            for q in (poly[i - 1], poly[(i + 1) % len(poly)]):
                d = math.dist(p, q)
                out.append(_pt(p[0] + (q[0] - p[0]) * c / d, p[1] + (q[1] - p[1]) * c / d))
        return out

    rooms = [Room(id="room-k", name="Kitchen", type="kitchen", polygon=cut(k, chamfer)),
             Room(id="room-h", name="Hall", type="hall", polygon=[_pt(*p) for p in hall])]
    return FloorPlan(walls=walls, rooms=rooms)


plans = st.builds(
    traced_plan,
    w=st.floats(2400, 4500), h=st.floats(2200, 3800), hall_w=st.floats(1500, 4000),
    jitter=st.lists(st.floats(-25, 25), min_size=8, max_size=8), thick=st.floats(90, 240),
    off=st.floats(-15, 15), chamfer=st.sampled_from([0.0, 40.0, 90.0]),
    door_at=st.one_of(st.none(), st.floats(100, 2000)), window_at=st.one_of(st.none(), st.floats(300, 1500)),
)
LAYOUTS = [["wall-top"], ["wall-left", "wall-top"], ["wall-left", "wall-top", "wall-between"], ["wall-kbottom"]]


CATALOG = load_catalog()


@settings(max_examples=15, deadline=None)
@given(plan=plans, layout=st.sampled_from(LAYOUTS))
def test_top_alternative_adds_no_blocking_finding_and_stays_in_the_room(plan: FloorPlan, layout: list[str]) -> None:
    catalog = CATALOG
    design = Design(plan=plan)
    result = fill(design, catalog, layout, room_id="room-k")
    if not result.alternatives:
        assert result.reasons and all(r["text"] for r in result.reasons)
        return
    best = result.alternatives[0]
    after = apply(design, best.command)[0]
    errors = [f for f in validate(after, catalog) if f.severity == "error"]
    assert errors == [], [f.message for f in errors]
    kitchen = plan.rooms[0].shape().buffer(TOL.room_gap_mm)
    for cab in best.cabinets:
        assert kitchen.contains(footprint(cab, plan, catalog).centroid), cab  # never in the hall


@settings(max_examples=25, deadline=None)
@given(plan=plans, offsets=st.lists(st.tuples(st.sampled_from(["wall-top", "wall-left", "wall-between",
                                                                "wall-kbottom"]),
                                              st.floats(0, 4000), st.sampled_from([300.0, 450.0, 600.0, 800.0]),
                                              st.sampled_from(["right", "right", "left"])),
                                    min_size=2, max_size=7))
def test_no_finding_below_the_tolerances(plan: FloorPlan, offsets: list[tuple[str, float, float, str]]) -> None:
    catalog = CATALOG
    walls = {w.id: w for w in plan.walls}
    family = catalog.families["base_2_doors"]
    cabinets = []
    for i, (wid, offset, width, side) in enumerate(offsets):
        wall = walls[wid]
        at = min(offset, wall.length_mm - width)
        cabinets.append(PlacedCabinet(id=f"cab-{i}", family="base_2_doors", width_mm=width, height_mm=720,
                                      depth_mm=560, elevation_mm=default_elevation(family, catalog.rules("CN")),
                                      placement=WallPlacement(wall_id=wid, offset_mm=max(at, 0.0), side=side)))
    design = Design(plan=plan, cabinets=cabinets)
    for f in validate(design, catalog):
        assert "cab-" not in f.message and "wall-" not in f.message
        if f.rule == "overlap":
            assert f.params["depth"] > TOL.overlap_mm
        if f.rule == "outside_room":
            assert f.params["depth"] > TOL.room_fit_mm
        if f.rule == "crosses_wall":
            assert f.params["depth"] > TOL.wall_fit_mm
        command = fix_command(design, f.fix) if f.fix is not None else None
        if command is not None:
            moved, inverse = apply(design, command)
            assert apply(moved, inverse)[0] == design


def test_a_cut_corner_of_a_traced_outline_is_no_finding(catalog: Catalog) -> None:
    plan = traced_plan(3000, 2600, 2000, [0.0] * 8, 100, 0, 90.0, None, None)
    fam = catalog.families["corner_blind_base"]
    corner = PlacedCabinet(id="cab-c", family="corner_blind_base", width_mm=1100, height_mm=720, depth_mm=560,
                           elevation_mm=default_elevation(fam, catalog.rules("CN")),
                           placement=WallPlacement(wall_id="wall-top", offset_mm=0, side="right"),
                           options={"blind_width_mm": 650, "blind_side": "left"})
    found = validate(Design(plan=plan, cabinets=[corner]), catalog)
    assert not [f for f in found if f.rule == "outside_room"]
    # the same unit 400 mm into the hall past the kitchen's right wall does stand outside: the finding
    # says by how much, in words, and its fix moves it back
    far = corner.model_copy(update={"placement": WallPlacement(wall_id="wall-kbottom", offset_mm=0, side="right")})
    bad = [f for f in validate(Design(plan=plan, cabinets=[far]), catalog) if f.severity == "error"]
    assert bad and all("cab-" not in f.message for f in bad)


def test_units_are_named_by_what_they_are_and_where_they_stand(catalog: Catalog) -> None:
    plan = traced_plan(4000, 3000, 2000, [0.0] * 8, 100, 0, 0.0, None, None)
    rules = catalog.rules("CN")

    def unit(cid: str, family: str, offset: float, width: float) -> PlacedCabinet:
        fam = catalog.families[family]
        return PlacedCabinet(id=cid, family=family, width_mm=width, height_mm=fam.height.default,
                             depth_mm=fam.depth.default, elevation_mm=default_elevation(fam, rules),
                             placement=WallPlacement(wall_id="wall-top", offset_mm=offset, side="right"))
    # the left of a unit on a wall's right side (seen from the front) is towards the wall's start
    a, sink = unit("cab-a", "base_1_door", 1000, 600), unit("cab-s", "base_sink", 1600, 800)
    twin = unit("cab-b", "base_1_door", 1300, 600)  # runs 300 mm into cab-a and the sink
    found = validate(Design(plan=plan, cabinets=[a, sink, twin]), catalog)
    overlap = next(f for f in found if f.rule == "overlap" and set(f.object_ids) == {"cab-a", "cab-b"})
    assert "the 600 mm base unit" in overlap.message.lower() and "cab-" not in overlap.message
    names = {o: wording.name(p) for o, p in [(i, overlap.params[k]) for i, k in zip(overlap.object_ids,
                                                                                  ("unit", "other"), strict=True)]}
    assert any("left of the sink" in n for n in names.values()), names
    zh = wording.render(overlap.rule, overlap.params, gettext_for("zh_Hans").gettext)
    assert "重叠" in zh and "水槽" in zh and "cab-" not in zh and "base" not in zh
    assert overlap.fix is not None
    command = fix_command(Design(plan=plan, cabinets=[a, sink, twin]), overlap.fix)
    assert command is not None
    design = Design(plan=plan, cabinets=[a, sink, twin])
    moved, inverse = apply(design, command)
    pair = set(overlap.object_ids)
    assert not [f for f in validate(moved, catalog) if f.rule == "overlap" and set(f.object_ids) == pair]
    assert apply(moved, inverse)[0] == design


def test_a_wall_through_several_rooms_is_filled_only_where_it_faces_the_room(catalog: Catalog) -> None:
    plan = traced_plan(3300, 2500, 4000, [0.0] * 8, 120, 5, 40.0, None, 800)
    design = Design(plan=plan)
    result = fill(design, catalog, ["wall-top"])  # no room named: the kitchen the wall faces
    assert result.room_id == "room-k" and result.alternatives
    best = result.alternatives[0]
    base = sum(c.width_mm for c in best.cabinets if c.elevation_mm < 900)
    assert base <= 3300  # not 7.3 m along the whole wall
    hall = plan.rooms[1].shape()
    assert not any(hall.contains(footprint(c, plan, catalog).centroid) for c in best.cabinets)
    sink = next(c for c in best.cabinets if c.family == "base_sink")
    assert isinstance(sink.placement, WallPlacement)
    window = next(o for o in plan.walls[0].openings if isinstance(o, Window))
    s0 = sink.placement.offset_mm
    assert s0 < window.offset_mm + window.width_mm and window.offset_mm < s0 + sink.width_mm  # under the window
    # filled for the hall, the same wall gives the hall's stretch
    hall_fill = fill(design, catalog, ["wall-top"], room_id="room-h", sink=False, hob=False)
    for alt in hall_fill.alternatives[:1]:
        assert all(hall.buffer(TOL.room_gap_mm).contains(footprint(c, plan, catalog).centroid) for c in alt.cabinets)
    assert isinstance(best.command, Batch) and all(isinstance(c, AddCabinet) or c.kind == "add_item"
                                                   for c in best.command.commands)


def test_the_fridge_stands_at_a_free_end_of_the_run_and_the_hob_not_under_a_window(catalog: Catalog) -> None:
    from backend.configurator.demo import demo_plan

    design = Design(plan=demo_plan())
    best = fill(design, catalog, ["wall-left-2", "wall-top-1", "wall-kitchen-dining"], room_id="room-kitchen"
                ).alternatives[0]
    fridge = next(i for i in best.items if i.kind == "fridge")
    assert isinstance(fridge.placement, WallPlacement)
    # the end of the run away from its corner
    assert fridge.placement.wall_id == "wall-left-2" and fridge.placement.offset_mm == 100
    window = next(o for o in design.plan.wall("wall-top-1").openings if isinstance(o, Window))
    for hob in (c for c in best.cabinets if c.family == "base_hob_drawers"):
        assert isinstance(hob.placement, WallPlacement)
        p = hob.placement
        assert p.wall_id != "wall-top-1" or not (p.offset_mm < window.offset_mm + window.width_mm
                                                 and window.offset_mm < p.offset_mm + hob.width_mm)
    assert "Fridge at the end of the run." in best.notes
