"""The learned check of room parts: a part it turns down stays part of the room it was cut from (a closet,
a side of a neck) or is no room (a whole region); without a model the rules alone decide."""

from __future__ import annotations

import cv2
import numpy as np
from shapely.geometry import Polygon

from backend.floorplan import rooms
from backend.floorplan.segments import Segment

SHAPE = (300, 500)


def _box() -> list[Segment]:
    """One room 400 × 200 px inside walls 8 px thick."""
    pts = [(50, 50), (450, 50), (450, 250), (50, 250)]
    return [Segment(np.array(a, float), np.array(b, float), 8.0) for a, b in zip(pts, pts[1:] + pts[:1], strict=True)]


def _closet_ink() -> np.ndarray:
    """A closet 60 px deep and 120 px wide in the top right corner, its side and front in thin line."""
    img = np.zeros(SHAPE, np.uint8)
    cv2.line(img, (330, 54), (330, 114), 1, 1)
    cv2.line(img, (330, 114), (446, 114), 1, 1)
    return img > 0


def _stump(feature: str, threshold: float, below: float, above: float, cut: float = 0.5) -> rooms.PartModel:
    """A one-split model: probability sigmoid(below) when ``feature`` <= ``threshold``, else sigmoid(above)."""
    f = float(rooms.PART_FEATURES.index(feature))
    return rooms.PartModel([[[f, threshold, 1.0, 2.0, 0.0], [-1.0, 0, 0, 0, below], [-1.0, 0, 0, 0, above]]], 0.0, cut)


def _find(model: rooms.PartModel | None, ink: np.ndarray | None = None, walls: np.ndarray | None = None,
          segments: list[Segment] | None = None) -> list[Polygon]:
    walls = np.zeros(SHAPE, bool) if walls is None else walls
    return rooms.find_rooms(SHAPE, _box() if segments is None else segments, [], walls, 500, 8.0, 10.0,
                            ink=ink, model=model)


def test_a_closet_the_check_turns_down_stays_part_of_the_room() -> None:
    ink = _closet_ink()
    assert len(_find(None, ink)) == 2  # the rules alone carve it
    reject_closets = _stump("src_closet", 0.5, 5.0, -5.0)  # every closet below the cut, the rest above
    found = _find(reject_closets, ink)
    assert len(found) == 1
    assert found[0].area > 0.97 * 392 * 192  # the room whole, the closet's area back in it
    assert len(_find(_stump("src_closet", 0.5, 5.0, 5.0), ink)) == 2  # accepted: carved as before


def test_a_side_of_a_neck_the_check_turns_down_joins_the_other_side() -> None:
    img = np.zeros(SHAPE, np.uint8)
    cv2.rectangle(img, (46, 46), (454, 254), 1, 8)
    cv2.rectangle(img, (246, 50), (254, 135), 1, -1)
    cv2.rectangle(img, (246, 165), (254, 250), 1, -1)  # a partition with an untraced doorway 30 px wide
    walls = img > 0
    assert len(_find(None, walls=walls, segments=[])) == 2
    found = _find(_stump("src_neck", 0.5, 5.0, -5.0), walls=walls, segments=[])
    assert len(found) == 1
    assert found[0].area > 0.9 * 392 * 192


def test_a_whole_region_the_check_turns_down_is_no_room() -> None:
    # a bath traced as walls in the room's corner: a small walled region with no doorway
    img = np.zeros(SHAPE, np.uint8)
    cv2.rectangle(img, (330, 54), (446, 120), 1, 3)
    walls = img > 0
    assert len(_find(None, walls=walls)) == 2
    small = _stump("log_area", float(np.log(20.0)), -5.0, 5.0)  # regions under 20 least room areas rejected
    found = _find(small, walls=walls)
    assert len(found) == 1 and found[0].area > 300 * 150


def test_the_features_tell_a_doorway_from_a_wall() -> None:
    # a region closed by a wall line drawn across a gap of the drawing's walls has part of its outline
    # along that gap; one closed all round by drawn walls has none
    img = np.zeros(SHAPE, np.uint8)
    cv2.rectangle(img, (46, 46), (454, 254), 1, 8)
    closed = img > 0
    cv2.line(img, (150, 250), (220, 250), 0, 9)  # a doorway 70 px wide in the bottom wall
    check = rooms.PartCheck(None, 500, 10.0)
    features = []
    for walls in (closed, img > 0):
        region = np.zeros(SHAPE, bool)
        region[51:250, 51:450] = True  # the free space inside the walls
        check.look_at(region, closed, walls, None, (0, 0), 1.0)
        features.append(dict(zip(rooms.PART_FEATURES, check.features(region, "region"), strict=True)))
    assert features[0]["gap_edge"] < 0.01
    assert features[1]["gap_edge"] > 0.05
    assert features[0]["wall_edge"] > 0.95


def test_the_model_file_loads_and_a_missing_one_leaves_the_rules_alone(tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert rooms.load_part_model(tmp_path / "none.json") is None
    model = _stump("log_area", 1.0, -1.0, 1.0, 0.3)
    path = tmp_path / "room_model.json"
    import json

    path.write_text(json.dumps(model.to_json()))
    assert rooms.load_part_model(path) == model
