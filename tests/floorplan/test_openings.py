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


def _door_drawn(img: np.ndarray) -> None:
    """Leaf and swing arc of the door hinged at the start of the gap of :func:`_wall_with_gap`."""
    cv2.line(img, (250, 196), (250, 116), 0, 2)
    cv2.ellipse(img, (250, 196), (80, 80), 0, -90, 0, 0, 1)


def test_door_arc_over_a_cluttered_floor_is_not_a_door(blank: Callable[[int, int], np.ndarray]) -> None:
    img, seg = _wall_with_gap(blank)
    _door_drawn(img)
    for x in range(254, 330, 6):  # tiles or hatching where the leaf would swing
        cv2.line(img, (x, 120), (x, 192), 0, 1)
    found = openings.find_openings(np.asarray(img < 128), np.zeros_like(img, bool), [seg], 9.0)[0]
    assert found[0].kind != "door"


def test_label_in_the_swing_is_not_a_door(blank: Callable[[int, int], np.ndarray]) -> None:
    img, seg = _wall_with_gap(blank)
    _door_drawn(img)
    cv2.putText(img, "BATH", (256, 170), cv2.FONT_HERSHEY_SIMPLEX, 0.7, 0, 2)
    found = openings.find_openings(np.asarray(img < 128), np.zeros_like(img, bool), [seg], 9.0)[0]
    assert found[0].kind != "door"


def test_gap_filled_by_a_crossing_wall_is_no_window(blank: Callable[[int, int], np.ndarray]) -> None:
    img = blank(400, 600)
    cv2.rectangle(img, (100, 196), (290, 204), 0, -1)
    cv2.rectangle(img, (302, 196), (500, 204), 0, -1)
    cv2.rectangle(img, (289, 100), (303, 300), 0, -1)  # the crossing wall fills the 12 px slit
    seg = Segment(np.array([100.0, 200.0]), np.array([500.0, 200.0]), 9.0, gaps=[(188.0, 204.0)])
    ink = np.asarray(img < 128)
    assert openings.window_score(ink, seg, 188.0, 204.0) == 0.0
    assert openings.classify_gap(openings.thin_ink(ink, ink, 9.0), seg, 188.0, 204.0, ink).kind == "passage"


def _short_jambs(blank: Callable[[int, int], np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    img = blank(400, 600)
    walls = np.zeros((400, 600), bool)
    for x0, x1 in ((100, 250), (330, 480)):
        cv2.rectangle(img, (x0, 196), (x1, 204), 0, -1)
        walls[196:205, x0 : x1 + 1] = True
    return img, walls


def test_door_symbol_gives_where_the_door_shuts(blank: Callable[[int, int], np.ndarray]) -> None:
    img, walls = _short_jambs(blank)
    cv2.line(img, (252, 196), (252, 118), 0, 2)
    cv2.ellipse(img, (252, 196), (78, 78), 0, -90, 0, 0, 1)
    (door,) = openings.door_symbols(np.asarray(img < 128), walls, 9.0)
    assert np.linalg.norm(door.hinge - [252, 196]) < 4
    assert np.linalg.norm(door.closed - [330, 196]) < 6


def test_no_door_symbol_for_a_leaf_without_arc(blank: Callable[[int, int], np.ndarray]) -> None:
    img, walls = _short_jambs(blank)
    cv2.line(img, (252, 196), (252, 118), 0, 2)
    assert openings.door_symbols(np.asarray(img < 128), walls, 9.0) == []


def _walls_of(img: np.ndarray) -> np.ndarray:
    """The wall pixels of :func:`_wall_with_gap`'s drawing (the two thick pieces)."""
    walls = np.zeros(img.shape, bool)
    walls[196:205, 100:251] = True
    walls[196:205, 330:501] = True
    return walls


def test_shipped_model_is_read_and_matches_the_features() -> None:
    model = openings.load_model()
    assert model is not None, "backend/floorplan/opening_model.json: python -m benchmarks.floorplan.train_openings"
    assert model.trees and 0.0 < model.threshold < 1.0
    features_used = {int(row[0]) for tree in model.trees for row in tree if row[0] >= 0}
    assert features_used <= set(range(len(openings.FEATURES)))


def test_missing_or_stale_model_file_gives_none(tmp_path: pytest.TempPathFactory) -> None:
    path = tmp_path / "model.json"  # type: ignore[operator]
    assert openings.load_model(path) is None
    path.write_text('{"features": ["something else"], "trees": [], "bias": 0, "threshold": 0.5}')
    assert openings.load_model(path) is None


def test_without_a_model_every_gap_stays_as_the_rules_read_it(blank: Callable[[int, int], np.ndarray]) -> None:
    img, seg = _wall_with_gap(blank)
    _door_drawn(img)
    ink = np.asarray(img < 128)
    found = openings.find_openings(ink, _walls_of(img), [seg], 9.0)
    never = openings.OpeningModel([[[-1.0, 0.0, 0.0, 0.0, 0.0]]], -40.0, 0.5)  # p ~ 0: rejects everything
    checked = openings.rescore(ink, _walls_of(img), img, [seg], found, [], 9.0, learned=never)
    assert checked.openings == [[]] and checked.open_gaps == [[(150.0, 230.0)]]
    assert openings.load_model(openings.MODEL_PATH.with_name("absent.json")) is None


def test_shipped_model_keeps_a_drawn_door_and_a_window(blank: Callable[[int, int], np.ndarray]) -> None:
    for draw in (_door_drawn, lambda im: [cv2.line(im, (250, y), (330, y), 0, 1) for y in (196, 200, 204)]):
        img, seg = _wall_with_gap(blank)
        draw(img)
        ink = np.asarray(img < 128)
        found = openings.find_openings(ink, _walls_of(img), [seg], 9.0)
        checked = openings.rescore(ink, _walls_of(img), img, [seg], found, [], 9.0)
        assert [op.kind for op in checked.openings[0]] == [found[0][0].kind]
        assert checked.open_gaps == [[]]


def test_shipped_model_rejects_a_gap_filled_by_wall(blank: Callable[[int, int], np.ndarray]) -> None:
    img, seg = _wall_with_gap(blank)
    cv2.rectangle(img, (250, 196), (330, 204), 0, -1)  # the "gap" is solid wall on the plan
    ink = np.asarray(img < 128)
    walls = _walls_of(img)
    walls[196:205, 250:331] = True
    found = openings.find_openings(ink, walls, [seg], 9.0)
    checked = openings.rescore(ink, walls, img, [seg], found, [], 9.0)
    assert checked.openings == [[]]


def test_doorway_line_between_jambs_becomes_an_opening(blank: Callable[[int, int], np.ndarray]) -> None:
    """A drawn door that shuts between two wall ends with no traced wall on the line: the closing line
    is reported as an opening (a wall that is all opening)."""
    img, _ = _wall_with_gap(blank)
    _door_drawn(img)
    ink = np.asarray(img < 128)
    line = Segment(np.array([250.0, 200.0]), np.array([330.0, 200.0]), 9.0)
    solid = Segment(np.array([100.0, 200.0]), np.array([250.0, 200.0]), 9.0)
    checked = openings.rescore(ink, _walls_of(img), img, [solid], [[]], [("symbol", line)], 9.0)
    assert len(checked.doorways) == 1
    kept, op = checked.doorways[0]
    assert kept is line and op.kind == "door" and op.width == pytest.approx(80, abs=1)


def test_wall_pieces_cut_the_wall_at_gaps_that_are_no_opening() -> None:
    from backend.floorplan.tracing import Traced, wall_pieces

    seg = Segment(np.array([0.0, 0.0]), np.array([400.0, 0.0]), 9.0, snapped=[True, True])
    door = openings.Opening("door", 250.0, 330.0, score=0.9)
    line = Segment(np.array([0.0, 50.0]), np.array([0.0, 130.0]), 9.0)
    traced = Traced(np.zeros((10, 10), bool), [seg], [[door]], [], 9.0, doorways=[(line, door)],
                    open_gaps=[[(100.0, 180.0)]])
    pieces = wall_pieces(traced)
    assert [(float(p.p[0]), float(p.q[0])) for p, _ in pieces[:2]] == [(0.0, 100.0), (180.0, 400.0)]
    assert pieces[0][1] == [] and [(o.start, o.end) for o in pieces[1][1]] == [(70.0, 150.0)]
    assert pieces[0][0].snapped == [True, False] and pieces[1][0].snapped == [False, True]
    assert pieces[2] == (line, [door])


def test_a_plain_doorway_between_two_rooms_stays_a_way_through() -> None:
    """The clean two-room plan's middle wall has a plain gap (no leaf, no arc): the learned check scores such
    gaps low on the R3D plans, but a passage the rules read is kept, so the wall is one wall with its opening
    (cut in two, the editor would flood one room into the other when the user adds a room)."""
    from backend.floorplan.pipeline import vectorize
    from support.plans import drawn_flat_png

    plan = vectorize(drawn_flat_png())
    plan = getattr(plan, "plan", plan)
    assert openings.model() is not None
    middle = [w for w in plan.walls if abs(w.start.x - w.end.x) < 1 and 2000 < w.start.x < 9000]
    assert len(middle) == 1 and len(middle[0].openings) == 1
    assert len(plan.rooms) == 2


def _two_windows_one_gap(blank: Callable[[int, int], np.ndarray]) -> tuple[np.ndarray, Segment]:
    """A wall from x=100 to 500 with a gap from x=200 to 400 (traced) holding two windows of pane lines either
    side of a solid pier at x=290..310 too short to be traced as a wall."""
    img = blank(400, 600)
    cv2.rectangle(img, (100, 196), (200, 204), 0, -1)
    cv2.rectangle(img, (400, 196), (500, 204), 0, -1)
    cv2.rectangle(img, (290, 196), (310, 204), 0, -1)
    for y in (196, 200, 204):
        cv2.line(img, (200, y), (400, y), 0, 1)
    return img, Segment(np.array([100.0, 200.0]), np.array([500.0, 200.0]), 9.0, gaps=[(100.0, 300.0)])


def test_a_pier_splits_a_gap_into_two_windows(blank: Callable[[int, int], np.ndarray]) -> None:
    img, seg = _two_windows_one_gap(blank)
    pieces = openings.pier_pieces(np.asarray(img < 128), seg, 100.0, 300.0, 9.0)
    assert [(round(a), round(b)) for a, b in pieces] == [(100, 190), (211, 300)]
    img, seg = _wall_with_gap(blank)  # one window, no pier: nothing to split
    for y in (196, 200, 204):
        cv2.line(img, (250, y), (330, y), 0, 1)
    assert openings.pier_pieces(np.asarray(img < 128), seg, 150.0, 230.0, 9.0) == []


def test_the_parts_between_piers_the_check_keeps_are_openings_of_the_wall(
    blank: Callable[[int, int], np.ndarray],
) -> None:
    img, seg = _two_windows_one_gap(blank)
    ink = np.asarray(img < 128)
    walls = np.zeros(img.shape, bool)
    walls[196:205, 100:201] = walls[196:205, 400:501] = True
    found = openings.find_openings(ink, walls, [seg], 9.0)
    pier = openings.FEATURES.index("src_pier")  # keeps the parts, rejects the whole gap
    parts = openings.OpeningModel([[[float(pier), 0.5, 1.0, 2.0, 0.0], [-1, 0, 0, 0, -40.0], [-1, 0, 0, 0, 40.0]]], 0.0)
    checked = openings.rescore(ink, walls, img, [seg], found, [], 9.0, learned=parts)
    assert [(o.kind, round(o.start), round(o.end)) for o in checked.openings[0]] == [
        ("window", 100, 190), ("window", 211, 300)]
    assert checked.open_gaps == [[]]  # the wall is not cut at the gap: its windows are in it


def test_jamb_features_tell_wall_on_both_sides(blank: Callable[[int, int], np.ndarray]) -> None:
    img, seg = _wall_with_gap(blank)
    ink = np.asarray(img < 128)
    assert openings._jambs(ink, seg, 150.0, 230.0, 9.0) == (pytest.approx(1.0), pytest.approx(1.0))
    low, high = openings._jambs(ink, seg, 230.0, 300.0, 9.0)  # starts at the jamb, ends in the gap
    assert low < 0.2 and high == pytest.approx(1.0)


def test_a_plain_gap_the_check_is_sure_is_none_cuts_its_wall(blank: Callable[[int, int], np.ndarray]) -> None:
    """A passage gap is kept as a way through when rejected, unless its probability is below KEEP_PASSAGE_P."""
    img, seg = _wall_with_gap(blank)
    ink = np.asarray(img < 128)
    found = openings.find_openings(ink, _walls_of(img), [seg], 9.0)
    assert found[0][0].kind == "passage"
    for bias, cut in ((-40.0, True), (-1.0, False)):  # p ~ 0 and p ~ 0.27 (below the 0.5 threshold)
        learned = openings.OpeningModel([[[-1.0, 0.0, 0.0, 0.0, 0.0]]], bias, 0.5)
        checked = openings.rescore(ink, _walls_of(img), img, [seg], found, [], 9.0, learned=learned)
        assert (checked.open_gaps == [[(150.0, 230.0)]]) is cut
        assert (checked.openings == [[]]) is cut


def test_the_parts_of_one_closing_line_are_one_wall_with_their_openings() -> None:
    """Two windows either side of a pier across one room-closing line: one wall, closed all along (the pier
    too), with both openings, not two short walls that leave the pier open."""
    from backend.floorplan.tracing import Traced, wall_pieces

    line = Segment(np.array([0.0, 0.0]), np.array([200.0, 0.0]), 9.0)
    first, second = openings.Opening("window", 0.0, 90.0), openings.Opening("window", 110.0, 200.0)
    traced = Traced(np.zeros((10, 10), bool), [], [], [], 9.0, doorways=[(line, second), (line, first)])
    assert wall_pieces(traced) == [(line, [first, second])]
