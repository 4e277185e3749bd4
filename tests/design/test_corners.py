"""The outer corner where two walls meet end to end is closed (backend.design.corners)."""

from __future__ import annotations

import pytest
from shapely.geometry import Point as ShapelyPoint
from shapely.geometry import Polygon, box

from backend.design.corners import corner_fills
from backend.design.model import Point, Wall


def wall(wid: str, x0: float, y0: float, x1: float, y1: float, t: float = 200) -> Wall:
    return Wall(id=wid, start=Point(x=x0, y=y0), end=Point(x=x1, y=y1), thickness_mm=t)


def solid(w: Wall) -> Polygon:
    """The wall's box from its start to its end (what the scene draws without the fills)."""
    (ux, uy), h = w.direction, w.thickness_mm / 2
    nx, ny = uy * h, -ux * h
    s, e = w.start, w.end
    return Polygon([(s.x + nx, s.y + ny), (e.x + nx, e.y + ny), (e.x - nx, e.y - ny), (s.x - nx, s.y - ny)])


@pytest.mark.parametrize("order", [(0, 1), (1, 0)])
@pytest.mark.parametrize("reverse", [False, True])
def test_an_l_corner_gets_its_outer_quarter_and_nothing_overlaps(order: tuple[int, int], reverse: bool) -> None:
    # a room's top-left corner: one wall runs right from it, the other down from it
    walls = [wall("wall-a", 0, 0, 4000, 0, 200), wall("wall-b", 0, 0, 0, 3000, 100)]
    if reverse:  # the same walls drawn the other way round: the joint is at their ends
        walls = [wall("wall-a", 4000, 0, 0, 0, 200), wall("wall-b", 0, 3000, 0, 0, 100)]
    fills = corner_fills([walls[i] for i in order])
    assert list(fills) == ["wall-a"]  # one of the two closes it, always the same one
    (quarter,) = fills["wall-a"]
    filled = Polygon(quarter)
    # up and to the left of the joint: half of wall-b's thickness by half of wall-a's
    assert filled.symmetric_difference(box(-50, -100, 0, 0)).area < 1e-6
    assert all(filled.intersection(solid(w)).area < 1e-6 for w in walls)
    # with it the outside of the corner is square: the walls' outline turns at (-50, -100), no notch
    union = solid(walls[0]).union(solid(walls[1])).union(filled)
    assert (-50.0, -100.0) in [tuple(c) for c in union.exterior.coords]
    assert (0.0, 0.0) not in [tuple(c) for c in union.exterior.coords]
    assert not solid(walls[0]).union(solid(walls[1])).covers(ShapelyPoint(-25, -50))  # the notch it closes


def test_straight_runs_tees_and_skewed_corners_get_none() -> None:
    straight = [wall("wall-a", 0, 0, 2000, 0), wall("wall-b", 2000, 0, 5000, 0)]
    tee = [wall("wall-a", 0, 0, 2000, 0), wall("wall-b", 2000, 0, 4000, 0), wall("wall-c", 2000, 0, 2000, 2000)]
    skewed = [wall("wall-a", 0, 0, 2000, 0), wall("wall-b", 2000, 0, 3000, 1500)]  # 56 degrees off straight
    assert corner_fills(straight) == {} and corner_fills(tee) == {} and corner_fills(skewed) == {}
    # a corner 5 degrees off square is still closed
    assert list(corner_fills([wall("wall-a", 0, 0, 2000, 0), wall("wall-b", 2000, 0, 2175, 2000)])) == ["wall-a"]
