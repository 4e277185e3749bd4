"""Per-axis scale from known lengths, and the plan stretched to its true shape."""

from __future__ import annotations

import numpy as np
import pytest

from backend.design.model import Door, FloorPlan, Point, Room, Wall
from backend.floorplan import aspect, scale


def test_two_lengths_fit_both_axes_exactly() -> None:
    mm_x, mm_y = 10.0, 11.5  # the photo came out squeezed along y
    vectors = [np.array([300.0, 0.0]), np.array([40.0, 200.0])]
    lengths = [float(np.hypot(v[0] * mm_x, v[1] * mm_y)) for v in vectors]
    assert scale.fit_axes(vectors, lengths) == pytest.approx((mm_x, mm_y))


def test_parallel_lengths_say_nothing_about_the_other_axis() -> None:
    assert scale.fit_axes([np.array([300.0, 0.0]), np.array([200.0, 20.0])], [3000.0, 2000.0]) is None


def test_stretch_keeps_vertical_thickness_and_scales_along_each_wall() -> None:
    horizontal = Wall(id="wall-1", start=Point(x=0, y=1000), end=Point(x=4000, y=1000), thickness_mm=100,
                      openings=[Door(id="door-1", offset_mm=1000, width_mm=800)])
    vertical = Wall(id="wall-2", start=Point(x=0, y=0), end=Point(x=0, y=3000), thickness_mm=100,
                    openings=[Door(id="door-2", offset_mm=1000, width_mm=800)])
    room = Room(id="room-1", polygon=[Point(x=0, y=0), Point(x=4000, y=0), Point(x=4000, y=3000)])
    plan = aspect.stretch_plan(FloorPlan(walls=[horizontal, vertical], rooms=[room]), 1.1)
    h, v = plan.walls
    assert h.start.y == pytest.approx(1100) and h.length_mm == pytest.approx(4000)
    assert h.thickness_mm == pytest.approx(110) and h.openings[0].width_mm == pytest.approx(800)
    assert v.length_mm == pytest.approx(3300) and v.thickness_mm == pytest.approx(100)
    assert v.openings[0].offset_mm == pytest.approx(1100) and v.openings[0].width_mm == pytest.approx(880)
    assert plan.rooms[0].area_m2 == pytest.approx(room.area_m2 * 1.1)
    assert aspect.stretch_plan(plan, 1.0) is plan
