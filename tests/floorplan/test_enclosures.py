"""Rooms the outside leaks into (windows too wide for the outside's closing) are found where thin ink closes them
against the walls; a frame drawn against the building, and furniture, are not rooms."""

from __future__ import annotations

import itertools

import cv2
import numpy as np
from shapely.geometry import Polygon

from backend.floorplan import enclosures, rooms
from backend.floorplan.segments import Segment

SHAPE = (300, 500)
WINDOW = (150, 350)
"""The window in the bottom wall: 200 px, 25 wall thicknesses wide (the outside bridges 6)."""


def _walls() -> list[Segment]:
    """One room 400 × 200 px inside walls 8 px thick, its bottom wall broken by ``WINDOW``."""
    pts = [(WINDOW[0], 250), (50, 250), (50, 50), (450, 50), (450, 250), (WINDOW[1], 250)]
    return [Segment(np.array(a, float), np.array(b, float), 8.0) for a, b in itertools.pairwise(pts)]


def _ink(*lines: tuple[tuple[int, int], tuple[int, int]]) -> np.ndarray:
    img = np.zeros(SHAPE, np.uint8)
    for a, b in lines:
        cv2.line(img, a, b, 1, 1)
    return img > 0


def _panes() -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """The window's two pane lines across the gap."""
    return [((WINDOW[0], 247), (WINDOW[1], 247)), ((WINDOW[0], 253), (WINDOW[1], 253))]


def _find(ink: np.ndarray | None) -> list[Polygon]:
    return rooms.find_rooms(SHAPE, _walls(), [], np.zeros(SHAPE, bool), 500, 8.0, 10.0, ink=ink)


def test_a_room_behind_a_wide_window_is_found_where_its_panes_close_it() -> None:
    assert _find(None) == []  # the outside runs in through the window
    found = _find(_ink(*_panes()))
    assert len(found) == 1
    assert 0.95 * 392 * 192 < found[0].area < 1.05 * 392 * 196


def test_furniture_in_such_a_room_is_no_room_of_its_own_and_filled_into_it() -> None:
    bed = [((150, 100), (260, 100)), ((260, 100), (260, 200)), ((260, 200), (150, 200)), ((150, 200), (150, 100))]
    found = _find(_ink(*_panes(), *bed))
    assert len(found) == 1
    assert found[0].area > 0.95 * 392 * 192  # the bed's outline is filled in


def test_a_frame_drawn_against_the_building_is_no_room() -> None:
    # a legend's frame, 150 px square, drawn in thin line against the outer face of a closed room's top wall:
    # a quarter of its outline runs along the wall
    walls = [Segment(np.array(a, float), np.array(b, float), 8.0)
             for a, b in [((50, 290), (50, 170)), ((50, 170), (450, 170)), ((450, 170), (450, 290)),
                          ((450, 290), (50, 290))]]
    ink = _ink(((150, 10), (300, 10)), ((150, 10), (150, 166)), ((300, 10), (300, 166)))
    blocked = rooms.wall_raster(SHAPE, walls, [], np.zeros(SHAPE, bool))
    out, _ = rooms.outside(blocked, 8.0)
    taken, found = enclosures.enclosed_rooms(out, blocked, ink, 500, 10.0)
    assert found == [] and not taken.any()
