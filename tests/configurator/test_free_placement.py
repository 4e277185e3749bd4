"""Free-standing units at any position and rotation: snapping to walls, room corners and neighbours at
any wall angle, and validation of rotated units against walls, doors and each other."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from backend.configurator.catalog import Catalog
from backend.configurator.commands import MoveCabinet, apply
from backend.configurator.placement import Frame, snap_free
from backend.configurator.validation import validate
from backend.design.model import Design, Door, FloorPlan, FreePlacement, PlacedCabinet, Point, Room, Wall
from backend.design.units import TOL

HALF = 50.0  # half the walls' thickness (100 mm)


def _unit(x: float, y: float, rot: float, width: float = 600, depth: float = 560,
          cab_id: str = "cab-1") -> PlacedCabinet:
    return PlacedCabinet(id=cab_id, family="base_1_door", width_mm=width, height_mm=720, depth_mm=depth,
                         elevation_mm=100, placement=FreePlacement(x_mm=x, y_mm=y, rotation_deg=rot))


def _wall(wall_id: str, p: tuple[float, float], q: tuple[float, float], openings: list[Door] | None = None) -> Wall:
    return Wall(id=wall_id, start=Point(x=p[0], y=p[1]), end=Point(x=q[0], y=q[1]), thickness_mm=2 * HALF,
                openings=openings or [])


def _corners(p: FreePlacement, width: float, depth: float) -> list[tuple[float, float]]:
    a = math.radians(p.rotation_deg)
    f = Frame((p.x_mm, p.y_mm), (math.cos(a), math.sin(a)), (-math.sin(a), math.cos(a)), 0)
    return [f.to_plan(x, y) for x, y in ((0, 0), (width, 0), (width, depth), (0, depth))]


def _origin_for(theta: float, along: float, gap: float, delta: float, width: float,
                depth: float) -> FreePlacement:
    """A unit with its back ``gap`` mm off the right face of a wall from (0, 0) at ``theta``°, at
    ``along`` mm, turned ``delta``° off the wall about its centre."""
    t = math.radians(theta)
    u, n = (math.cos(t), math.sin(t)), (-math.sin(t), math.cos(t))  # n: the wall's right side
    centre = (u[0] * (along + width / 2) + n[0] * (HALF + gap + depth / 2),
              u[1] * (along + width / 2) + n[1] * (HALF + gap + depth / 2))
    a = math.radians(theta + delta)
    ax, ay = (math.cos(a), math.sin(a)), (-math.sin(a), math.cos(a))
    return FreePlacement(x_mm=centre[0] - ax[0] * width / 2 - ay[0] * depth / 2,
                         y_mm=centre[1] - ax[1] * width / 2 - ay[1] * depth / 2, rotation_deg=theta + delta)


def _angle_diff(a: float, b: float) -> float:
    return abs((a - b + 180) % 360 - 180)


@settings(max_examples=40, deadline=None)
@given(theta=st.floats(-179, 179), delta=st.floats(-4, 4), gap=st.floats(-10, 15), width=st.floats(400, 900),
       along=st.floats(800, 3000))
def test_a_unit_near_a_wall_at_any_angle_snaps_flat_against_its_face(theta: float, delta: float, gap: float,
                                                                     width: float, along: float) -> None:
    t = math.radians(theta)
    wall = _wall("wall-a", (0, 0), (5000 * math.cos(t), 5000 * math.sin(t)))
    design = Design(plan=FloorPlan(walls=[wall]))
    snapped = snap_free(design, _origin_for(theta, along, gap, delta, width, 560), width, 560)
    assert _angle_diff(snapped.rotation_deg, theta) < 1e-5  # its back is parallel to the wall
    n = (-math.sin(t), math.cos(t))
    back = _corners(snapped, width, 560)[:2]
    for x, y in back:  # and lies on the wall's face
        assert abs(x * n[0] + y * n[1] - HALF) < 0.2


@settings(max_examples=40, deadline=None)
@given(theta=st.floats(-179, 179), phi=st.floats(60, 120), side_gap=st.floats(3, 40))
def test_a_unit_slid_into_a_corner_of_any_angle_touches_both_walls(theta: float, phi: float, side_gap: float) -> None:
    """Wall A from P at ``theta``°, wall B from P at ``theta + phi``°: a unit against A near the corner
    snaps sideways until a corner of it touches B's face, without crossing it."""
    ta, tb = math.radians(theta), math.radians(theta + phi)
    ua, ub = (math.cos(ta), math.sin(ta)), (math.cos(tb), math.sin(tb))
    wall_a = _wall("wall-a", (0, 0), (5000 * ua[0], 5000 * ua[1]))
    wall_b = _wall("wall-b", (0, 0), (5000 * ub[0], 5000 * ub[1]))
    design = Design(plan=FloorPlan(walls=[wall_a, wall_b]))
    # B's face towards the inside of the corner, as a point and outward normal
    nb = (ub[1], -ub[0]) if ub[1] * ua[0] - ub[0] * ua[1] < 0 else (-ub[1], ub[0])
    if nb[0] * ua[0] + nb[1] * ua[1] < 0:
        nb = (-nb[0], -nb[1])
    # our unit stands on A's side towards B (A's right side when B turns clockwise on screen)
    width, depth = 600.0, 560.0
    right_of_a = (-ua[1], ua[0])
    if right_of_a[0] * ub[0] + right_of_a[1] * ub[1] < 0:  # B is on A's left: turn the unit round
        theta_unit, sign = theta + 180, -1.0
    else:
        theta_unit, sign = theta, 1.0

    def clearance(along: float) -> float:
        """How far the unit at ``along`` mm on A stands clear of B's face."""
        p = _placed_on(theta_unit, sign, along, width, depth)
        return min((x * nb[0] + y * nb[1]) - HALF for x, y in _corners(p, width, depth))

    c1, c2 = clearance(2000), clearance(2100)
    along = 2000 + (side_gap - c1) * 100 / (c2 - c1)
    start = _placed_on(theta_unit, sign, along, width, depth)
    snapped = snap_free(design, start, width, depth)
    corners = _corners(snapped, width, depth)
    face_b = [(x * nb[0] + y * nb[1]) - HALF for x, y in corners]
    assert abs(min(face_b)) < 0.3  # touches B
    na = (-ua[1] * sign, ua[0] * sign)
    assert all(abs((x * na[0] + y * na[1]) - HALF) < 0.3 for x, y in corners[:2])  # back still on A


def _placed_on(theta_unit: float, sign: float, along: float, width: float, depth: float) -> FreePlacement:
    """A unit with its back on wall A's face (on the side ``sign``), its centre ``along`` mm from P."""
    t = math.radians(theta_unit)
    ax, ay = (math.cos(t), math.sin(t)), (-math.sin(t), math.cos(t))
    ua = (ax[0] * sign, ax[1] * sign)
    centre = (ua[0] * along + ay[0] * (HALF + depth / 2), ua[1] * along + ay[1] * (HALF + depth / 2))
    return FreePlacement(x_mm=centre[0] - ax[0] * width / 2 - ay[0] * depth / 2,
                         y_mm=centre[1] - ax[1] * width / 2 - ay[1] * depth / 2, rotation_deg=theta_unit)


def test_a_unit_beside_a_neighbour_snaps_to_its_side_and_lines_up_its_front() -> None:
    neighbour = _unit(1000, 1000, 30, cab_id="cab-n")
    design = Design(cabinets=[neighbour])
    a = math.radians(30)
    ax, ay = (math.cos(a), math.sin(a)), (-math.sin(a), math.cos(a))
    # 630 mm to the right (30 mm gap), 20 mm further forward, turned 3° more
    start = FreePlacement(x_mm=1000 + ax[0] * 630 + ay[0] * 20, y_mm=1000 + ax[1] * 630 + ay[1] * 20, rotation_deg=33)
    snapped = snap_free(design, start, 600, 560, exclude_id="cab-1")
    assert _angle_diff(snapped.rotation_deg, 30) < 1e-5
    rel = (snapped.x_mm - 1000, snapped.y_mm - 1000)
    assert abs(rel[0] * ax[0] + rel[1] * ax[1] - 600) < 0.2  # side to side
    assert abs(rel[0] * ay[0] + rel[1] * ay[1]) < 0.2  # backs and fronts in one line


def test_a_unit_far_from_everything_stays_where_it_is() -> None:
    design = Design(plan=FloorPlan(walls=[_wall("wall-a", (0, 0), (5000, 0))]))
    start = FreePlacement(x_mm=1500, y_mm=1500, rotation_deg=37)
    assert snap_free(design, start, 1200, 900) == start


def test_the_move_command_snaps_and_its_inverse_restores() -> None:
    wall = _wall("wall-a", (0, 0), (5000, 0))
    design = Design(plan=FloorPlan(walls=[wall]), cabinets=[_unit(1000, 900, 0)])
    new, inverse = apply(design, MoveCabinet(cabinet_id="cab-1", snap=True,
                                             placement=FreePlacement(x_mm=1000, y_mm=80, rotation_deg=2)))
    placed = new.cabinets[0].placement
    assert isinstance(placed, FreePlacement) and placed.rotation_deg == 0
    assert abs(min(y for _, y in _corners(placed, 600, 560)) - HALF) < 0.2
    assert apply(new, inverse)[0] == design


# -- validation of rotated units and walls at any angle -------------------------------------------------


def _turned_room(theta: float) -> tuple[FloorPlan, tuple[float, float], tuple[float, float]]:
    """A 5 × 4 m room turned ``theta``° about (0, 0): walls clockwise on screen, so each wall's
    inside is its right. Returns the plan and the first wall's direction and inward normal."""
    t = math.radians(theta)
    u, n = (math.cos(t), math.sin(t)), (-math.sin(t), math.cos(t))
    corners = [(0.0, 0.0), (5000.0, 0.0), (5000.0, 4000.0), (0.0, 4000.0)]
    pts = [(x * u[0] + y * n[0], x * u[1] + y * n[1]) for x, y in corners]
    walls = [_wall(f"wall-{k}", pts[k], pts[(k + 1) % 4]) for k in range(4)]
    room = Room(id="room-a", type="living", polygon=[Point(x=x, y=y) for x, y in pts])
    return FloorPlan(walls=walls, rooms=[room]), u, n


def _against(theta: float, u: tuple[float, float], n: tuple[float, float], along: float, off: float,
             delta: float = 0.0, width: float = 800, depth: float = 600) -> PlacedCabinet:
    """A unit whose back-left corner is ``off`` mm in front of the first wall's face, turned ``delta``°."""
    x = u[0] * along + n[0] * (HALF + off)
    y = u[1] * along + n[1] * (HALF + off)
    return _unit(x, y, theta + delta, width, depth)


@settings(max_examples=30, deadline=None)
@given(theta=st.floats(-179, 179), into=st.floats(TOL.wall_fit_mm + 8, 200), along=st.floats(800, 3500))
def test_a_turned_unit_reaching_into_a_turned_wall_is_found(theta: float, into: float, along: float,
                                                            catalog: Catalog) -> None:
    plan, u, n = _turned_room(theta)
    design = Design(plan=plan, cabinets=[_against(theta, u, n, along, -into)])
    rules = {f.rule for f in validate(design, catalog, fixes=False)}
    assert "crosses_wall" in rules


@settings(max_examples=30, deadline=None)
@given(theta=st.floats(-179, 179), clear=st.floats(1, 300), delta=st.floats(-40, 40), along=st.floats(900, 3000))
def test_a_turned_unit_clear_of_the_walls_is_not_found(theta: float, clear: float, delta: float, along: float,
                                                       catalog: Catalog) -> None:
    plan, u, n = _turned_room(theta)
    unit = _against(theta, u, n, along, 0, delta)
    # push it off the wall until its nearest corner is ``clear`` mm from the face
    nearest = min(x * n[0] + y * n[1] for x, y in _corners(unit.placement, 800, 600)) - HALF  # type: ignore[arg-type]
    p = unit.placement
    assert isinstance(p, FreePlacement)
    shift = clear - nearest
    moved = unit.model_copy(update={"placement": FreePlacement(x_mm=p.x_mm + n[0] * shift, y_mm=p.y_mm + n[1] * shift,
                                                               rotation_deg=p.rotation_deg)})
    found = validate(Design(plan=plan, cabinets=[moved]), catalog, fixes=False)
    assert not [f for f in found if f.rule in ("crosses_wall", "outside_room", "overlap")], found


def test_a_turned_unit_in_a_door_swing_and_over_its_neighbour_is_found(catalog: Catalog) -> None:
    door = Door(id="door-1", offset_mm=2000, width_mm=800, hinge="start", swing="right")
    plan, u, n = _turned_room(20)
    walls = [plan.walls[0].model_copy(update={"openings": [door]}), *plan.walls[1:]]
    plan = FloorPlan(walls=walls, rooms=plan.rooms)
    in_swing = _against(20, u, n, 2100, 200, delta=30)
    found = {f.rule for f in validate(Design(plan=plan, cabinets=[in_swing]), catalog, fixes=False)}
    assert "door_swing" in found
    clear = _against(20, u, n, 600, 200, delta=30)
    found = {f.rule for f in validate(Design(plan=plan, cabinets=[clear]), catalog, fixes=False)}
    assert "door_swing" not in found
    p = clear.placement
    assert isinstance(p, FreePlacement)
    other = _unit(p.x_mm + 150, p.y_mm + 150, 45, cab_id="cab-2")
    found = {f.rule for f in validate(Design(plan=plan, cabinets=[clear, other]), catalog, fixes=False)}
    assert "overlap" in found
