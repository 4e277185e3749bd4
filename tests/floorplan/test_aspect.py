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


def test_printed_areas_pick_the_paper_format_with_one_line() -> None:
    """One known length along x (3000 mm over 300 px: 10 mm/px) and rooms whose printed areas say
    mm_x * mm_y = 115 (y squeezed by 15 %): of the formats the sheet may be, the one stretching y by
    1.15 is picked, and with it both axes."""
    stretches = (1.0, 1.093, 1.15, 0.9)
    product = scale.area_product([114.0, 116.5, 115.2, 160.0])  # the last room was traced merged: an outlier
    assert product == pytest.approx(115.2 / scale.ROOM_AREA_BIAS)
    product = 115.2  # as if traced exactly
    vector = np.array([300.0, 0.0])
    assert scale.pick_stretch(stretches, product, vector, 3000.0) == pytest.approx(1.15)
    fit = scale.stretched_fit(vector, 3000.0, 1.15, scale.PICKED_SURE)
    assert (fit.mm_x, fit.mm_y) == pytest.approx((10.0, 11.5))
    assert (fit.sure_x, fit.sure_y) == (1.0, scale.PICKED_SURE)
    along_y = np.array([0.0, 300.0])  # a line along y: y is known, x follows
    y_fit = scale.stretched_fit(along_y, 3450.0, 1.15, scale.PICKED_SURE)
    assert (y_fit.mm_x, y_fit.mm_y) == pytest.approx((10.0, 11.5))
    assert scale.pick_stretch(stretches, 115.0, along_y, 3450.0) == pytest.approx(1.15)


def test_printed_areas_that_do_not_tell_pick_nothing() -> None:
    vector = np.array([300.0, 0.0])
    assert scale.area_product([100.0]) is None  # one room alone
    assert scale.area_product([100.0, 130.0]) is None  # two rooms that disagree
    assert scale.pick_stretch((1.0, 1.15), 130.0, vector, 3000.0) is None  # far from every format
    assert scale.pick_stretch((1.0, 1.02), 101.0, vector, 3000.0) is None  # two formats too close to tell
