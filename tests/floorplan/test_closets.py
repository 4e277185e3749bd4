"""Closets drawn in thin line inside a room are rooms of their own; furniture drawn alike is not."""

from __future__ import annotations

import cv2
import numpy as np
from scipy import ndimage
from shapely.geometry import Polygon

from backend.floorplan import graph, rooms, tracing
from backend.floorplan.segments import Segment

SHAPE = (300, 500)


def _box() -> list[Segment]:
    """One room 400 × 200 px inside walls 8 px thick."""
    pts = [(50, 50), (450, 50), (450, 250), (50, 250)]
    return [Segment(np.array(a, float), np.array(b, float), 8.0) for a, b in zip(pts, pts[1:] + pts[:1], strict=True)]


def _ink(draw: list[tuple[tuple[int, int], tuple[int, int]]]) -> np.ndarray:
    img = np.zeros(SHAPE, np.uint8)
    for a, b in draw:
        cv2.line(img, a, b, 1, 1)
    return img > 0


def _find(ink: np.ndarray | None) -> list[Polygon]:
    # the walls seen in the drawing where they are traced (the learned check of room parts tells a doorway,
    # a wall line drawn across a gap of them, from a drawn wall)
    walls = rooms.wall_raster(SHAPE, _box(), [], np.zeros(SHAPE, bool))
    return rooms.find_rooms(SHAPE, _box(), [], walls, 500, 8.0, 10.0, ink=ink)


def test_a_closet_fronted_in_thin_line_in_a_corner_is_its_own_room() -> None:
    # a closet 60 px deep and 120 px wide in the top right corner, its side and front in thin line
    ink = _ink([((330, 54), (330, 114)), ((330, 114), (446, 114))])
    assert len(_find(None)) == 1
    found = _find(ink)
    assert len(found) == 2
    room, closet = found
    assert 100 * 50 < closet.area < 125 * 70
    assert room.area + closet.area > 0.97 * 392 * 192
    assert not room.buffer(-2).intersects(closet.buffer(-2))


def test_a_bed_drawn_away_from_the_walls_does_not_split_the_room() -> None:
    ink = _ink([((150, 100), (260, 100)), ((260, 100), (260, 200)), ((260, 200), (150, 200)), ((150, 200), (150, 100))])
    assert len(_find(ink)) == 1


def test_a_door_swing_is_no_closet() -> None:
    img = np.zeros(SHAPE, np.uint8)
    cv2.line(img, (54, 150), (134, 150), 1, 1)  # the leaf standing open along the wall's normal
    cv2.ellipse(img, (54, 150), (80, 80), 0, -90, 0, 1, 1)  # its arc up to the wall
    assert len(_find(img > 0)) == 1


def test_label_max_is_the_largest_value_per_label() -> None:
    rng = np.random.default_rng(3)
    labels = rng.integers(0, 40, (60, 80)).astype(np.int32)
    values = rng.random((60, 80)).astype(np.float32)
    expected = ndimage.maximum(values, labels, index=np.arange(40))
    assert np.allclose(rooms.label_max(values, labels, 40), expected)


def test_a_balcony_railed_in_thin_line_outside_a_wall_is_a_room() -> None:
    shape = (400, 500)
    img = np.zeros(shape, np.uint8)
    for a, b in [((100, 254), (100, 340)), ((100, 340), (300, 340)), ((300, 340), (300, 254))]:
        cv2.line(img, a, b, 1, 1)
    found = rooms.find_rooms(shape, _box(), [], np.zeros(shape, bool), 500, 8.0, 10.0, ink=img > 0)
    assert len(found) == 2
    balcony = found[1]
    assert balcony.representative_point().y > 254
    assert 190 * 80 < balcony.area < 205 * 92
    # no railing: the outside stays outside
    none = np.zeros(shape, bool)
    assert len(rooms.find_rooms(shape, _box(), [], none, 500, 8.0, 10.0, ink=none)) == 1


def test_only_wall_thick_short_pieces_joined_to_the_walls_stay_walls() -> None:
    t = 10.0
    mask = np.zeros(SHAPE, bool)
    mask[95:105, 50:450] = True  # a long wall
    mask[105:135, 100:109] = True  # a closet wall hanging off it, 9 px thick
    mask[105:135, 300:303] = True  # a letter stroke touching it, 3 px
    wall = Segment(np.array([50.0, 100.0]), np.array([450.0, 100.0]), 10.0)
    closet = Segment(np.array([104.5, 105.0]), np.array([104.5, 135.0]), 9.0)
    stroke = Segment(np.array([301.5, 105.0]), np.array([301.5, 135.0]), 3.0)
    assert closet.length < graph.ANCHOR_T * t
    assert tracing._networked(mask, [wall, closet, stroke], t) == [closet]


def _carve(ink: np.ndarray) -> list[np.ndarray]:
    blocked = rooms.wall_raster(SHAPE, _box(), [], np.zeros(SHAPE, bool))
    _, labels = cv2.connectedComponents((~blocked).astype(np.uint8), connectivity=4)
    region = labels == labels[150, 250]
    return rooms.carve_closets(region, blocked, ink, 500, 10.0)


def test_a_closet_narrower_than_a_room_is_carved_for_the_check_to_judge() -> None:
    # a linen cupboard 16 px deep and 46 wide (half width 8, below the least room half width 10) in a corner
    depth = 16
    found = _carve(_ink([((400, 54 + depth), (446, 54 + depth)), ((400, 54), (400, 54 + depth))]))
    assert rooms.CLOSET_HALF_WIDTH * 10.0 < depth / 2 < 10.0
    assert len(found) == 1
    assert 40 * depth < found[0].sum() < 50 * (depth + 4)
    # a strip 6 px deep (the space between a wall and a line drawn along it) is still no closet
    assert _carve(_ink([((300, 60), (446, 60)), ((300, 54), (300, 60))])) == []
