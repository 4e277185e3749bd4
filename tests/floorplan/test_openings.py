"""Openings: doors (arc + leaf → hinge, swing) and windows (parallel lines) in wall gaps."""

from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np
import pytest

from backend.floorplan import openings
from backend.floorplan.segments import Segment


def _wall_with_gap(blank: Callable[[int, int], np.ndarray]) -> tuple[np.ndarray, Segment]:
    img = blank(400, 600)
    cv2.rectangle(img, (100, 196), (250, 204), 0, -1)
    cv2.rectangle(img, (330, 196), (500, 204), 0, -1)
    seg = Segment(np.array([100.0, 200.0]), np.array([500.0, 200.0]), 9.0, gaps=[(150.0, 230.0)])
    return img, seg


def test_door_with_hinge_and_swing(blank: Callable[[int, int], np.ndarray]) -> None:
    img, seg = _wall_with_gap(blank)
    # hinge at the gap's start (x=250), leaf opening upwards (to the wall's left when walking +x)
    cv2.line(img, (250, 196), (250, 116), 0, 2)
    cv2.ellipse(img, (250, 196), (80, 80), 0, -90, 0, 0, 1)
    found = openings.find_openings(np.asarray(img < 128), np.zeros_like(img, bool), [seg], 9.0)[0]
    assert len(found) == 1
    door = found[0]
    assert door.kind == "door" and door.hinge == "start" and door.swing == "left"
    assert door.width == pytest.approx(80, abs=2)


def test_door_hinged_at_end_swinging_right(blank: Callable[[int, int], np.ndarray]) -> None:
    img, seg = _wall_with_gap(blank)
    cv2.line(img, (330, 204), (330, 284), 0, 2)
    cv2.ellipse(img, (330, 204), (80, 80), 0, 90, 180, 0, 1)
    door = openings.find_openings(np.asarray(img < 128), np.zeros_like(img, bool), [seg], 9.0)[0][0]
    assert (door.kind, door.hinge, door.swing) == ("door", "end", "right")


def test_window_lines(blank: Callable[[int, int], np.ndarray]) -> None:
    img, seg = _wall_with_gap(blank)
    for y in (196, 200, 204):
        cv2.line(img, (250, y), (330, y), 0, 1)
    found = openings.find_openings(np.asarray(img < 128), np.zeros_like(img, bool), [seg], 9.0)[0]
    assert found[0].kind == "window"


def test_empty_gap_is_a_passage(blank: Callable[[int, int], np.ndarray]) -> None:
    img, seg = _wall_with_gap(blank)
    found = openings.find_openings(np.asarray(img < 128), np.zeros_like(img, bool), [seg], 9.0)[0]
    assert found[0].kind == "passage"
