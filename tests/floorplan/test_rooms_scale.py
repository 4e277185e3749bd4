"""Rooms (closed regions → valid polygons) and scale (user line, priors)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from backend.floorplan import rooms, scale
from backend.floorplan.result import ScaleLine
from backend.floorplan.segments import Segment


def _seg(x1: float, y1: float, x2: float, y2: float, gaps: list[tuple[float, float]] | None = None) -> Segment:
    return Segment(np.array([x1, y1], float), np.array([x2, y2], float), 8.0, gaps=gaps or [])


def _two_rooms() -> list[Segment]:
    """A 400 × 200 px box split in two by a wall with a door gap."""
    return [
        _seg(50, 50, 450, 50),
        _seg(450, 50, 450, 250),
        _seg(450, 250, 50, 250),
        _seg(50, 250, 50, 50),
        _seg(250, 50, 250, 250, gaps=[(80, 140)]),
    ]


def test_two_rooms_with_a_door_gap_closed() -> None:
    polys = rooms.find_rooms((300, 500), _two_rooms(), [], np.zeros((300, 500), bool), 500, 8.0)
    assert len(polys) == 2
    for poly in polys:
        assert poly.is_valid
        assert poly.area == pytest.approx(192 * 192, rel=0.05)


def test_open_region_is_not_a_room() -> None:
    segs = [_seg(50, 50, 450, 50), _seg(450, 50, 450, 250), _seg(50, 250, 50, 50)]
    assert rooms.find_rooms((300, 500), segs, [], np.zeros((300, 500), bool), 500, 8.0) == []


def test_valid_polygon_repairs_a_bow_tie() -> None:
    from shapely.geometry import Polygon

    fixed = rooms.valid_polygon(Polygon([(0, 0), (10, 10), (10, 0), (0, 10)]))
    assert fixed is not None and fixed.is_valid and fixed.area > 0


def test_user_line_scale_is_exact() -> None:
    line = ScaleLine(x1=10, y1=10, x2=110, y2=10, length_mm=5000)
    info = scale.from_user_line(line, np.diag([0.5, 0.5, 1.0]))
    assert info.method == "user_line" and info.confidence == 1.0
    assert info.mm_per_px == pytest.approx(100.0)


def test_prior_from_doors_and_from_walls() -> None:
    doors = scale.from_priors([40.0, 42.0, 44.0], 8.0, 850.0, 150.0)
    assert doors.method == "prior" and doors.mm_per_px == pytest.approx(850 / 42)
    assert 0 < doors.confidence < 0.5
    walls = scale.from_priors([], 8.0, 850.0, 150.0)
    assert walls.mm_per_px == pytest.approx(150 / 8) and walls.confidence < doors.confidence


def test_scale_line_needs_two_distinct_points() -> None:
    with pytest.raises(ValueError, match="2 px"):
        ScaleLine(x1=1, y1=1, x2=1.5, y2=1, length_mm=100)


def test_framed_label_beside_the_building_is_not_a_room() -> None:
    building = _two_rooms()
    corners = [(500, 100), (590, 100), (590, 150), (500, 150), (500, 100)]
    frame = [Segment(np.array(a, float), np.array(b, float), 4.0) for a, b in itertools.pairwise(corners)]
    polys = rooms.find_rooms((300, 620), building + frame, [], np.zeros((300, 620), bool), 500, 8.0)
    assert len(polys) == 2
    assert all(poly.centroid.x < 450 for poly in polys)


def test_hall_behind_an_untraced_entrance_is_a_room() -> None:
    """The outer wall stops on both sides of an entrance 48 px (6 thicknesses) wide with nothing traced
    across it: the hall behind it is still a room, and the outside is not."""
    segs = [*_two_rooms()[:2], _seg(450, 250, 300, 250), _seg(252, 250, 50, 250), *_two_rooms()[3:]]
    polys = rooms.find_rooms((300, 500), segs, [], np.zeros((300, 500), bool), 500, 8.0)
    assert len(polys) == 2
    assert all(poly.bounds[3] <= 256 for poly in polys)  # the room ends in the doorway
    wide = [*_two_rooms()[:2], _seg(450, 250, 400, 250), _seg(300, 250, 50, 250), *_two_rooms()[3:]]
    assert len(rooms.find_rooms((300, 500), wide, [], np.zeros((300, 500), bool), 500, 8.0)) == 1


def test_room_behind_a_gap_at_a_corner_of_the_outline_is_a_room() -> None:
    """The outline steps back at its top left, and the outer wall leaves a gap 64 px (8 thicknesses)
    across at the inner corner of the step (the piers of a wall of windows were not traced): the room
    is still a room. A square closing of the outline bridges no such gap, since the step's notch
    leaves room for the square on the outside."""
    segs = [
        _seg(100, 150, 100, 300), _seg(100, 300, 400, 300), _seg(400, 300, 400, 100),
        _seg(400, 100, 245, 100), _seg(100, 150, 200, 150),
    ]
    polys = rooms.find_rooms((400, 500), segs, [], np.zeros((400, 500), bool), 500, 10.0)
    assert len(polys) == 1
    assert polys[0].area > 0.8 * 290 * 140
    wide = [*segs[:3], _seg(400, 100, 330, 100), segs[4]]
    assert rooms.find_rooms((400, 500), wide, [], np.zeros((400, 500), bool), 500, 10.0) == []  # open
