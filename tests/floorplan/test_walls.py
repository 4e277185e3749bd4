"""Walls: thickness estimate, wall/non-wall separation, centreline tracing, graph cleaning."""

from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np
import pytest

from backend.floorplan import graph, openings, tracing, walls
from backend.floorplan.segments import Segment


def _ink(img: np.ndarray) -> np.ndarray:
    return np.asarray(img < 128)


def _room(blank: Callable[[int, int], np.ndarray], t: int = 8) -> np.ndarray:
    img = blank(400, 600)
    cv2.rectangle(img, (100, 100), (500, 300), 0, t)
    return img


def test_thickness_of_filled_walls_ignores_text(blank: Callable[[int, int], np.ndarray]) -> None:
    img = _room(blank, 10)
    cv2.putText(img, "KITCHEN 12.5 m2", (150, 200), cv2.FONT_HERSHEY_SIMPLEX, 0.8, 0, 2)
    assert walls.estimate_thickness(_ink(img)) == pytest.approx(10, abs=2)


def test_thickness_of_outlined_walls(blank: Callable[[int, int], np.ndarray]) -> None:
    img = blank(400, 600)
    cv2.rectangle(img, (100, 100), (500, 300), 0, 1)
    cv2.rectangle(img, (110, 110), (490, 290), 0, 1)
    assert walls.estimate_thickness(_ink(img)) == pytest.approx(11, abs=3)


def test_wall_mask_drops_thin_lines_and_text(blank: Callable[[int, int], np.ndarray]) -> None:
    img = _room(blank, 8)
    cv2.line(img, (50, 50), (550, 50), 0, 1)  # dimension line
    cv2.ellipse(img, (300, 300), (60, 60), 0, 180, 270, 0, 1)  # door arc
    cv2.putText(img, "BED 9.1", (200, 200), cv2.FONT_HERSHEY_SIMPLEX, 0.6, 0, 1)
    mask = walls.solid_walls(_ink(img), 8.0)
    assert not mask[50, 300] and not mask[200, 230] and mask[100, 300] and mask[200, 100]


def test_traces_rectangle_walls(blank: Callable[[int, int], np.ndarray]) -> None:
    ink = _ink(_room(blank, 8))
    segs = graph.clean(walls.trace_walls(walls.solid_walls(ink, 8.0), 8.0), 8.0)
    assert len(segs) == 4
    for seg in segs:
        assert seg.thickness == pytest.approx(9, abs=2)
        assert all(seg.snapped)
    ys = sorted(round(s.p[1]) for s in segs if abs(s.direction[0]) > 0.9)
    assert ys == [pytest.approx(100, abs=1), pytest.approx(300, abs=1)]


def test_keeps_diagonal_walls(blank: Callable[[int, int], np.ndarray]) -> None:
    img = blank(400, 600)
    cv2.line(img, (100, 300), (400, 100), 0, 9)
    segs = walls.trace_walls(walls.solid_walls(_ink(img), 9.0), 9.0)
    assert len(segs) == 1
    assert segs[0].angle_deg == pytest.approx(180 - np.degrees(np.arctan2(200, 300)), abs=2)
    assert segs[0].length == pytest.approx(np.hypot(300, 200), rel=0.08)


def _seg(x1: float, y1: float, x2: float, y2: float, t: float = 8.0) -> Segment:
    return Segment(np.array([x1, y1], float), np.array([x2, y2], float), t)


def test_merge_keeps_gap_as_opening() -> None:
    merged = graph.merge_collinear([_seg(0, 100, 200, 100), _seg(260, 101, 500, 101)], 8.0)
    assert len(merged) == 1
    assert merged[0].length == pytest.approx(500, abs=1)
    ((a, b),) = merged[0].gaps
    assert a == pytest.approx(200, abs=1) and b == pytest.approx(260, abs=1)


def test_no_merge_of_parallel_offset_walls() -> None:
    assert len(graph.merge_collinear([_seg(0, 100, 200, 100), _seg(220, 140, 400, 140)], 8.0)) == 2


def test_snap_l_corner_and_t_stem() -> None:
    segs = [_seg(-4, 100, 300, 100), _seg(0, 96, 0, 400), _seg(150, 104, 150, 400)]
    graph.snap_junctions(segs, 8.0)
    assert np.allclose(segs[0].p, [0, 100]) and np.allclose(segs[1].p, [0, 100])
    assert np.allclose(segs[2].p, [150, 100])


def test_drop_spurs() -> None:
    segs = [_seg(0, 0, 10, 0), _seg(0, 50, 300, 50)]
    segs[1].snapped = [True, True]
    assert len(graph.drop_spurs(segs, 8.0)) == 1


def test_hatched_walls_are_closed_when_their_inside_is_grey(blank: Callable[[int, int], np.ndarray]) -> None:
    img = blank(400, 600)
    yy, xx = np.mgrid[0:400, 0:600]
    band = (np.abs(yy - 200) <= 8) & (xx >= 100) & (xx <= 500)
    img[band & (((xx + yy) % 5) < 2)] = 0
    img[(np.abs(np.abs(yy - 200) - 8) <= 0) & (xx >= 100) & (xx <= 500)] = 0
    mask, hatched = walls.wall_mask(_ink(img), 16.0, gray=img)
    assert hatched
    assert mask[195:206, 150:450].mean() > 0.95


def _piers(blank: Callable[[int, int], np.ndarray], windows: bool) -> np.ndarray:
    """An outer wall drawn as three 12 px piers, 3 thicknesses long, with (or without) windows between."""
    img = blank(400, 600)
    for x0 in (100, 190, 280):
        cv2.rectangle(img, (x0, 94), (x0 + 36, 106), 0, -1)
    if windows:
        for a, b in ((137, 189), (227, 279)):
            for y in (96, 104):
                cv2.line(img, (a, y), (b, y), 0, 1)
    return img


def test_piers_between_windows_stay_one_wall(blank: Callable[[int, int], np.ndarray]) -> None:
    ink = _ink(_piers(blank, windows=True))
    raw = walls.trace_walls(walls.solid_walls(ink, 12.0), 12.0)
    assert len(raw) == 3
    (wall,) = graph.clean(raw, 12.0, tracing._window_rows(ink, openings.thin_ink(ink, ink, 12.0), raw, 12.0))
    assert wall.length == pytest.approx(216, abs=4)
    assert len(wall.gaps) == 2


def test_short_pieces_in_a_row_without_windows_are_dropped(blank: Callable[[int, int], np.ndarray]) -> None:
    ink = _ink(_piers(blank, windows=False))
    raw = walls.trace_walls(walls.solid_walls(ink, 12.0), 12.0)
    assert tracing._window_rows(ink, openings.thin_ink(ink, ink, 12.0), raw, 12.0) == []
    assert graph.clean(raw, 12.0, []) == []


def test_solid_piers_shorter_than_a_wall_piece_stay_wall_pixels(blank: Callable[[int, int], np.ndarray]) -> None:
    """Square piers a wall thick (the piers between the windows of an outer wall, a column) stay in the
    wall mask though each is shorter than a wall piece: the room behind them is bounded. Letters of the
    same size are strokes, and go."""
    img = blank(300, 400)
    for x0 in (100, 160, 220):
        cv2.rectangle(img, (x0, 50), (x0 + 15, 63), 0, -1)
    cv2.putText(img, "HX", (100, 200), cv2.FONT_HERSHEY_SIMPLEX, 0.6, 0, 2)
    mask = walls.solid_walls(_ink(img), 12.0)
    assert mask[56, 107] and mask[56, 167] and mask[56, 227]
    assert not mask[150:250, 90:140].any()
