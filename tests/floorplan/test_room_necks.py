"""Free regions that narrow to a neck between two rooms are split there; rooms without one are not."""

from __future__ import annotations

import cv2
import numpy as np
from shapely.geometry import Polygon

from backend.floorplan import rooms

SHAPE = (300, 500)


def _walls(*rects: tuple[int, int, int, int]) -> np.ndarray:
    """The outline of a 400 × 200 px flat (walls 8 px thick) plus filled wall rectangles (x0, y0, x1, y1)."""
    img = np.zeros(SHAPE, np.uint8)
    cv2.rectangle(img, (46, 46), (454, 254), 1, 8)
    for x0, y0, x1, y1 in rects:
        cv2.rectangle(img, (x0, y0), (x1, y1), 1, -1)
    return img > 0


def _find(walls: np.ndarray) -> list[Polygon]:
    return rooms.find_rooms(SHAPE, [], [], walls, 500, 8.0, 10.0)


def test_two_rooms_joined_by_an_untraced_doorway_are_split_at_it() -> None:
    # a partition at x 246-254 with a doorway 30 px wide in it and nothing traced across
    found = _find(_walls((246, 50, 254, 135), (246, 165, 254, 250)))
    assert len(found) == 2
    left, right = sorted(found, key=lambda p: p.centroid.x)
    assert left.bounds[2] < 262 and right.bounds[0] > 238  # the cut runs through the doorway
    assert abs(left.area - right.area) < 0.1 * left.area


def test_an_l_shaped_room_is_not_split() -> None:
    # the top right quarter walled off: what is left is an L whose arms are as wide as its corner
    found = _find(_walls((246, 50, 450, 146)))
    assert len(found) == 1


def test_a_room_narrowing_to_a_nook_keeps_the_nook() -> None:
    # a nook 30 × 40 px behind a gap 20 px wide: too small to be a room of its own
    walls = _walls((50, 50, 450, 60))
    walls[50:100, 200:300] = True
    walls[60:100, 240:270] = False  # the nook
    walls[95:100, 240:270] = True
    walls[95:100, 245:265] = False  # its mouth
    found = _find(walls)
    assert len(found) == 1


def test_split_necks_leaves_a_rectangle_whole() -> None:
    region = np.zeros((100, 200), bool)
    region[10:90, 10:190] = True
    parts = rooms.split_necks(region, 100.0)
    assert len(parts) == 1 and parts[0] is region


def test_split_necks_splits_a_dumbbell_into_its_two_ends() -> None:
    region = np.zeros((100, 260), bool)
    region[10:90, 10:110] = True
    region[10:90, 150:250] = True
    region[45:55, 110:150] = True  # the handle: a neck 10 px wide between two 80 px rooms
    parts = rooms.split_necks(region, 100.0)
    assert len(parts) == 2
    assert sum(int(p.sum()) for p in parts) == int(region.sum())
    assert not np.logical_and(*parts).any()
    assert {int(np.nonzero(p)[1].mean() > 130) for p in parts} == {0, 1}


def test_a_room_narrowed_by_its_label_traced_as_wall_stays_one() -> None:
    # a bold label 20 px high across most of the flat, 16 px from the walls at either end
    found = _find(_walls((70, 140, 430, 160)))
    assert len(found) == 1
