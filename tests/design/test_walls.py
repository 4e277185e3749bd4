"""Walls named as people name them: room + compass side + length, for any plan angle (backend/design/walls.py)."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from backend.design.model import FloorPlan, Point, Room, Wall
from backend.design.walls import compass, named_walls, render, wall_name, wall_names


def _rotated(points: list[tuple[float, float]], deg: float, about: tuple[float, float]) -> list[Point]:
    a = math.radians(deg)
    c, s = math.cos(a), math.sin(a)
    return [Point(x=about[0] + (x - about[0]) * c - (y - about[1]) * s,
                  y=about[1] + (x - about[0]) * s + (y - about[1]) * c) for x, y in points]


def _box_plan(w: float, h: float, deg: float, name: str = "Kitchen", rtype: str = "kitchen") -> FloorPlan:
    """One rectangular room w × h (mm) rotated ``deg`` about its centre, walls drawn clockwise on screen."""
    corners = _rotated([(0, 0), (w, 0), (w, h), (0, h)], deg, (w / 2, h / 2))
    walls = [Wall(id=f"wall-{k}", start=corners[k], end=corners[(k + 1) % 4], thickness_mm=120) for k in range(4)]
    return FloorPlan(walls=walls, rooms=[Room(id="room-a", name=name, type=rtype, polygon=corners)])  # type: ignore[arg-type]


def test_compass_uses_plan_axes_with_y_down() -> None:
    assert compass(0, -1) == "north"  # up on the drawing
    assert compass(0, 1) == "south"
    assert compass(1, 0) == "east"
    assert compass(-1, 0) == "west"
    assert compass(1, -1) == "north-east"


def test_kitchen_walls_in_english_and_words() -> None:
    plan = _box_plan(3553, 2500, 0)
    names = named_walls(plan)
    assert names == {"wall-0": "Kitchen, north wall, 3,553 mm", "wall-1": "Kitchen, east wall, 2,500 mm",
                     "wall-2": "Kitchen, south wall, 3,553 mm", "wall-3": "Kitchen, west wall, 2,500 mm"}
    chinese = {"{room}, {side}, {length} mm": "{room}，{side}，{length} 毫米", "north wall": "北墙"}
    assert render(wall_name(plan, "wall-0"), lambda m: chinese.get(m, m)) == "Kitchen，北墙，3,553 毫米"


def test_an_unnamed_room_is_named_by_its_type() -> None:
    plan = _box_plan(3000, 3000, 0, name="", rtype="bedroom")
    assert named_walls(plan)["wall-0"] == "Bedroom, north wall, 3,000 mm"


@settings(max_examples=40, deadline=None)
@given(w=st.floats(1500, 9000), h=st.floats(1500, 9000), deg=st.floats(-22, 22))
def test_every_side_of_a_turned_room_is_named_once(w: float, h: float, deg: float) -> None:
    """Up to 22° off the axes, the four walls are still the north, east, south and west walls."""
    plan = _box_plan(w, h, deg)
    names = wall_names(plan)
    assert [names[f"wall-{k}"].side for k in range(4)] == ["north", "east", "south", "west"]
    for k, wall in enumerate(plan.walls):
        assert names[f"wall-{k}"].length_mm == round(wall.length_mm)
        assert names[f"wall-{k}"].room_id == "room-a"


@settings(max_examples=30, deadline=None)
@given(deg=st.floats(24, 66))
def test_a_room_turned_near_45_degrees_has_diagonal_sides(deg: float) -> None:
    sides = [n.side for n in wall_names(_box_plan(3000, 2000, deg)).values()]
    assert sides == ["north-east", "south-east", "south-west", "north-west"]


@settings(max_examples=30, deadline=None)
@given(split=st.floats(1500, 4500), deg=st.floats(-15, 15))
def test_a_shared_wall_is_named_from_the_room_being_worked_in(split: float, deg: float) -> None:
    """Two rooms side by side share the wall between them: east of the one, west of the other."""
    centre = (3000.0, 1500.0)
    left = _rotated([(0, 0), (split, 0), (split, 3000), (0, 3000)], deg, centre)
    right = _rotated([(split, 0), (6000, 0), (6000, 3000), (split, 3000)], deg, centre)
    mid = _rotated([(split, 0), (split, 3000)], deg, centre)
    plan = FloorPlan(walls=[Wall(id="wall-mid", start=mid[0], end=mid[1])],
                     rooms=[Room(id="room-k", name="Kitchen", type="kitchen", polygon=left),
                            Room(id="room-d", name="Dining", type="dining", polygon=right)])
    assert wall_name(plan, "wall-mid", "room-k").side == "east"
    assert wall_name(plan, "wall-mid", "room-k").room_id == "room-k"
    assert wall_name(plan, "wall-mid", "room-d").side == "west"
    assert wall_name(plan, "wall-mid", "room-d").room_id == "room-d"
    assert set(wall_name(plan, "wall-mid").rooms) == {"room-k", "room-d"}
    assert wall_name(plan, "wall-mid").room_id == "room-k"  # without a working room: the kitchen


def test_a_wall_facing_no_room_is_named_by_its_side_of_the_plan() -> None:
    plan = FloorPlan(walls=[Wall(id="wall-a", start=Point(x=0, y=0), end=Point(x=4000, y=0)),
                            Wall(id="wall-b", start=Point(x=0, y=3000), end=Point(x=4000, y=3000))])
    assert named_walls(plan) == {"wall-a": "North wall of the plan, 4,000 mm",
                                 "wall-b": "South wall of the plan, 4,000 mm"}


def test_no_internal_ids_in_the_words() -> None:
    for text in named_walls(_box_plan(3000, 2000, 10)).values():
        assert "wall-" not in text and "room-" not in text
