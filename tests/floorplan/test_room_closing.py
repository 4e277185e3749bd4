"""Closing rooms: entrance doors beside wall ends, door leaves vs walls, slits, thin furniture strokes."""

from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np
from shapely.geometry import Point, Polygon

from backend.floorplan import framing, openings, rooms, tracing, vectorize, walls
from backend.floorplan.openings import Opening
from backend.floorplan.segments import Segment

WALL_PX = 10


def _wall(img: np.ndarray, x1: int, y1: int, x2: int, y2: int) -> None:
    half = WALL_PX // 2
    cv2.rectangle(img, (x1 - half, y1 - half), (x2 + half, y2 + half), 0, -1)


def _flat_with_entrance(blank: Callable[[int, int], np.ndarray]) -> np.ndarray:
    """Two rooms over a hall whose lower outer wall stops short: the entrance is at the hall's end,
    shut by a door hinged under the hall's upper wall (no wall end points across the doorway)."""
    img = blank(420, 620)
    _wall(img, 50, 50, 450, 50)
    _wall(img, 50, 50, 50, 340)
    _wall(img, 450, 50, 450, 250)
    _wall(img, 50, 250, 450, 250)
    _wall(img, 250, 50, 250, 250)
    _wall(img, 50, 340, 400, 340)
    cv2.line(img, (400, 256), (322, 256), 0, 2)
    cv2.ellipse(img, (400, 256), (78, 78), 0, 90, 180, 0, 1)
    return img


def test_entrance_beside_a_wall_end_still_closes_the_hall(
    blank: Callable[[int, int], np.ndarray], to_bytes: Callable[..., bytes]
) -> None:
    result = vectorize(to_bytes(_flat_with_entrance(blank)))
    outlines = [Polygon([(p.x, p.y) for p in room.polygon]) for room in result.plan.rooms]
    hall = Point(result.to_plan_mm((200.0, 295.0)))
    assert len(outlines) == 3
    assert sum(outline.contains(hall) for outline in outlines) == 1


def test_no_doorway_closure_without_a_door_drawn() -> None:
    segments = [
        Segment(np.array([50.0, 250.0]), np.array([450.0, 250.0]), 10.0, snapped=[True, True]),
        Segment(np.array([50.0, 340.0]), np.array([400.0, 340.0]), 10.0, snapped=[True, False]),
    ]
    ink = np.zeros((420, 620), bool)
    assert tracing._doorway_closures(ink, openings.thin_ink(ink, ink, 10.0), segments, 10.0, []) == []


def _door_at_end() -> Opening:
    """A door 150..230 px along the wall below (x = 250..330), hinged at x = 330."""
    return Opening("door", 150.0, 230.0, hinge="end", swing="left", score=1.0)


def test_full_thickness_stroke_from_a_hinge_is_a_wall_not_a_leaf() -> None:
    wall = Segment(np.array([100.0, 200.0]), np.array([500.0, 200.0]), 9.0)
    leaf = Segment(np.array([330.0, 196.0]), np.array([330.0, 120.0]), 2.0)
    next_wall = Segment(np.array([330.0, 196.0]), np.array([330.0, 120.0]), 9.0)
    keep = tracing._not_door_leaves([wall, leaf, next_wall], [[_door_at_end()], [], []], 9.0)
    assert keep == [True, False, True]


def test_slits_are_not_openings() -> None:
    seg = Segment(np.array([0.0, 0.0]), np.array([400.0, 0.0]), 10.0, gaps=[(100.0, 111.0), (200.0, 280.0)])
    tracing._fill_slits([seg], 10.0)
    assert seg.gaps == [(200.0, 280.0)]


def test_thin_furniture_strokes_do_not_split_a_room(blank: Callable[[int, int], np.ndarray]) -> None:
    img = blank(400, 600)
    cv2.rectangle(img, (50, 50), (550, 350), 0, 28)
    cv2.line(img, (100, 200), (500, 200), 0, 3)  # a counter drawn in thin line across the room
    ink = np.asarray(img < 128)
    frame = framing.Frame(img, ink, ink, np.eye(3), walls.WallStyle(5.5), (400, 600))
    traced = tracing.trace(frame)
    assert all(seg.thickness > 10 for seg in traced.segments)
    polys = rooms.find_rooms(img.shape, traced.segments, traced.closures, traced.mask, 500, traced.thickness)
    assert len(polys) == 1


def test_a_drawn_door_closes_where_it_shuts(blank: Callable[[int, int], np.ndarray]) -> None:
    img = blank(400, 600)
    _wall(img, 60, 60, 540, 60)
    _wall(img, 60, 60, 60, 340)
    _wall(img, 540, 60, 540, 340)
    _wall(img, 60, 340, 540, 340)
    _wall(img, 300, 60, 300, 160)  # a wall that stops short of the door's far jamb
    _wall(img, 300, 250, 300, 340)
    cv2.line(img, (306, 160), (386, 160), 0, 2)  # leaf open into the right room, hinge at the wall end
    cv2.ellipse(img, (306, 160), (80, 80), 0, 0, 90, 0, 1)
    ink = np.asarray(img < 128)
    frame = framing.Frame(img, ink, ink, np.eye(3), walls.WallStyle(float(WALL_PX)), (400, 600))
    closures = tracing.trace(frame).closures
    assert any(
        min(np.linalg.norm(c.p - [306, 160]), np.linalg.norm(c.q - [306, 160])) < 6
        and min(np.linalg.norm(c.p - [306, 240]), np.linalg.norm(c.q - [306, 240])) < 8
        for c in closures
    )


def test_a_closet_front_between_two_wall_ends_closes() -> None:
    """Two parallel closet side walls stop side by side (40 px = 5 thicknesses apart, both pointing the
    same way): the open front between their ends closes the closet, whatever is drawn in it. Ends too
    far apart, not square to the walls, or pointing opposite ways do not close."""
    def seg(x1: float, y1: float, x2: float, y2: float) -> Segment:
        """A wall whose end at y = 50 meets the closet's back wall (snapped)."""
        s = Segment(np.array([x1, y1], float), np.array([x2, y2], float), 8.0)
        s.snapped = [y1 == 50, y2 == 50]
        return s

    lines = tracing.jamb_closures([seg(100, 50, 100, 110), seg(140, 50, 140, 110)], 8.0)
    assert len(lines) == 1 and {tuple(lines[0].p), tuple(lines[0].q)} == {(100.0, 110.0), (140.0, 110.0)}
    assert tracing.jamb_closures([seg(100, 50, 100, 110), seg(300, 50, 300, 110)], 8.0) == []  # open plan
    assert tracing.jamb_closures([seg(100, 50, 100, 110), seg(140, 10, 140, 70)], 8.0) == []  # staggered
    assert tracing.jamb_closures([seg(100, 50, 100, 110), seg(140, 110, 140, 50)], 8.0)  # direction-free
    assert tracing.jamb_closures([seg(100, 50, 100, 110), seg(140, 170, 140, 230)], 8.0) == []  # back to back


def test_a_wall_that_is_all_window_between_two_corners_closes() -> None:
    """Two walls end side by side 200 px (25 thicknesses) apart with a triple-line window drawn between
    their ends and no pier to trace: the window closes the room. The same ends with nothing drawn
    between them, or with the window too wide, stay open (an open plan)."""
    def seg(x: float) -> Segment:
        s = Segment(np.array([x, 300.0]), np.array([x, 100.0]), 8.0)
        s.snapped = [True, False]
        return s

    ink = np.zeros((400, 700), bool)
    for y in (97, 100, 103):  # the window's three lines, along the missing wall
        ink[y, 100:301] = True
    lines = tracing.jamb_closures([seg(100), seg(300)], 8.0, ink)
    assert len(lines) == 1 and {tuple(lines[0].p), tuple(lines[0].q)} == {(100.0, 100.0), (300.0, 100.0)}
    assert tracing.jamb_closures([seg(100), seg(300)], 8.0, np.zeros_like(ink)) == []
    assert tracing.jamb_closures([seg(100), seg(300)], 8.0) == []  # no ink to see a window in
    wide = ink.copy()
    wide[97:104:3, 100:700] = True
    assert tracing.jamb_closures([seg(100), seg(690)], 8.0, wide) == []  # 74 thicknesses: no wall


def test_short_closet_walls_joined_to_the_wall_network_are_kept() -> None:
    """A closet hangs off a long wall: its two side walls and front are each shorter than the pieces that
    anchor a wall network, but their pixels join the long wall's, so they are kept; the same short
    piece standing apart (a bold label, a symbol) is not."""
    mask = np.zeros((300, 400), bool)
    mask[46:55, 20:380] = True  # the long wall (y = 50)
    mask[50:90, 96:105] = True  # closet side walls x = 100 and 140, down to y = 90
    mask[50:90, 136:145] = True
    mask[196:205, 200:230] = True  # a short piece on its own
    long_wall = Segment(np.array([20.0, 50.0]), np.array([380.0, 50.0]), 9.0)
    sides = [Segment(np.array([x, 55.0]), np.array([x, 90.0]), 9.0) for x in (100.0, 140.0)]
    apart = Segment(np.array([200.0, 200.0]), np.array([230.0, 200.0]), 9.0)
    kept = tracing._networked(mask, [long_wall, *sides, apart], 9.0)
    assert kept == sides


def test_a_free_wall_end_reaches_along_its_wall_to_an_untraced_pier() -> None:
    """A diagonal wall (45°, 8 px thick, traced) stops; along its line come the three lines of a window, then a
    short solid piece too short to be traced: the stretch up to that piece is a candidate opening. With no
    solid ink within reach, or with the end snapped to another wall, there is none; a thin pane line
    across the band is no pier."""
    d = np.array([1.0, 1.0]) / np.sqrt(2.0)
    n = np.array([-d[1], d[0]])
    start = np.array([40.0, 40.0])

    def band(ink: np.ndarray, a: float, b: float, offsets: tuple[float, ...]) -> None:
        for u in offsets:
            for s in np.arange(a, b, 0.25):
                x, y = np.rint(start + s * d + u * n).astype(int)
                ink[y, x] = True

    ink = np.zeros((300, 300), bool)
    band(ink, 0.0, 100.0, tuple(np.arange(-4.0, 4.25, 0.5)))  # the traced wall
    band(ink, 100.0, 160.0, (-3.5, 0.0, 3.5))  # the window's lines
    band(ink, 160.0, 185.0, tuple(np.arange(-4.0, 4.25, 0.5)))  # the short piece after it
    wall = Segment(start.copy(), start + 100.0 * d, 8.0)
    wall.snapped = [True, False]
    lines = tracing.reach_lines(ink, [wall], 8.0)
    assert len(lines) == 1
    assert abs(float(np.linalg.norm(lines[0].p - wall.q))) < 3.0
    assert abs(lines[0].length - 60.0) < 3.0
    assert abs(lines[0].angle_deg - wall.angle_deg) < 1.0
    open_plan = np.zeros_like(ink)
    band(open_plan, 0.0, 100.0, tuple(np.arange(-4.0, 4.25, 0.5)))
    assert tracing.reach_lines(open_plan, [wall], 8.0) == []  # nothing ahead: no opening to reach across
    wall.snapped = [True, True]
    assert tracing.reach_lines(ink, [wall], 8.0) == []  # the end meets a wall
    wall.snapped = [True, False]
    tick = open_plan.copy()
    band(tick, 100.0, 160.0, (0.0,))
    band(tick, 130.0, 131.0, tuple(np.arange(-4.0, 4.25, 0.5)))  # a pane line's tick right across the band
    assert tracing.reach_lines(tick, [wall], 8.0) == []
