"""The design document refuses bad geometry with messages that name the field."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from backend.design.model import SCHEMA_VERSION, Design, design_json_schema


def room_doc(**overrides: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "schema_version": 1,
        "name": "Kitchen",
        "plan": {
            "walls": [
                {"id": "wall-n", "start": {"x": 0, "y": 0}, "end": {"x": 4000, "y": 0}, "thickness_mm": 200,
                 "openings": [{"kind": "window", "id": "win-1", "offset_mm": 1500, "width_mm": 1200}]},
                {"id": "wall-e", "start": {"x": 4000, "y": 0}, "end": {"x": 4000, "y": 3000},
                 "openings": [{"kind": "door", "id": "door-1", "offset_mm": 200, "width_mm": 900,
                               "hinge": "end", "swing": "right"}]},
            ],
            "rooms": [{"id": "room-k", "name": "Kitchen", "type": "kitchen",
                       "polygon": [{"x": 0, "y": 0}, {"x": 4000, "y": 0}, {"x": 4000, "y": 3000},
                                   {"x": 0, "y": 3000}]}],
        },
        "cabinets": [{"id": "cab-1", "family": "base_1_door", "width_mm": 600, "height_mm": 720, "depth_mm": 560,
                      "placement": {"kind": "wall", "wall_id": "wall-n", "offset_mm": 0}}],
    }
    doc.update(overrides)
    return doc


def errors_of(data: dict[str, Any]) -> list[tuple[str, str]]:
    with pytest.raises(ValidationError) as info:
        Design.model_validate(data)
    return [(".".join(str(p) for p in e["loc"]), e["msg"]) for e in info.value.errors()]


def test_valid_document_round_trips() -> None:
    design = Design.model_validate(room_doc())
    assert design.schema_version == SCHEMA_VERSION
    assert design.plan.rooms[0].area_m2 == pytest.approx(12.0)
    assert Design.model_validate_json(design.model_dump_json()) == design


def test_zero_length_wall_is_refused_naming_the_wall() -> None:
    doc = room_doc()
    doc["plan"]["walls"][0]["end"] = {"x": 0, "y": 0}
    doc["plan"]["walls"][0]["openings"] = []
    (loc, msg), *_ = errors_of(doc)
    assert loc == "plan.walls.0"
    assert "too short" in msg


def test_self_intersecting_room_is_refused() -> None:
    doc = room_doc()
    doc["plan"]["rooms"][0]["polygon"] = [{"x": 0, "y": 0}, {"x": 4000, "y": 3000}, {"x": 4000, "y": 0},
                                          {"x": 0, "y": 3000}]
    (loc, msg), *_ = errors_of(doc)
    assert loc == "plan.rooms.0"
    assert "not a simple closed shape" in msg and "Self-intersection" in msg


def test_room_polygon_repeating_first_point_or_too_few_points_is_refused() -> None:
    doc = room_doc()
    poly = doc["plan"]["rooms"][0]["polygon"]
    doc["plan"]["rooms"][0]["polygon"] = [*poly, poly[0]]
    assert "closed implicitly" in errors_of(doc)[0][1]
    doc["plan"]["rooms"][0]["polygon"] = poly[:2]
    assert errors_of(doc)[0][0] == "plan.rooms.0.polygon"


def test_degenerate_room_is_refused() -> None:
    doc = room_doc()
    doc["plan"]["rooms"][0]["polygon"] = [{"x": 0, "y": 0}, {"x": 1000, "y": 0}, {"x": 2000, "y": 0}]
    assert "no usable area" in errors_of(doc)[0][1] or "simple" in errors_of(doc)[0][1]


@pytest.mark.parametrize(
    ("path", "value", "expected_loc"),
    [
        (("cabinets", 0, "width_mm"), -600, "cabinets.0.width_mm"),
        (("cabinets", 0, "depth_mm"), 0, "cabinets.0.depth_mm"),
        (("plan", "walls", 0, "thickness_mm"), -10, "plan.walls.0.thickness_mm"),
        (("plan", "walls", 0, "openings", 0, "width_mm"), -1, "plan.walls.0.openings.0.window.width_mm"),
        (("cabinets", 0, "id"), "cupboard-1", "cabinets.0.id"),
    ],
)
def test_negative_sizes_and_bad_ids_name_the_field(path: tuple[Any, ...], value: Any, expected_loc: str) -> None:
    doc = room_doc()
    target: Any = doc
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    assert expected_loc in [loc for loc, _ in errors_of(doc)]


def test_opening_past_the_wall_end_and_overlapping_openings() -> None:
    doc = room_doc()
    doc["plan"]["walls"][0]["openings"][0]["offset_mm"] = 3500
    assert "only 4000 mm long" in errors_of(doc)[0][1]
    doc = room_doc()
    doc["plan"]["walls"][0]["openings"].append({"kind": "window", "id": "win-2", "offset_mm": 2000})
    assert "overlap" in errors_of(doc)[0][1]


def test_references_and_unique_ids() -> None:
    doc = room_doc()
    doc["cabinets"][0]["placement"]["wall_id"] = "wall-missing"
    assert "not in the plan" in errors_of(doc)[0][1]
    doc = room_doc()
    doc["cabinets"].append(dict(doc["cabinets"][0]))
    assert "used twice" in errors_of(doc)[0][1]
    doc = room_doc()
    doc["cabinets"][0]["placement"]["offset_mm"] = 3600
    assert "runs past the end" in errors_of(doc)[0][1]


def test_unknown_fields_and_versions_are_refused() -> None:
    assert errors_of(room_doc(colour="red"))[0][0] == "colour"
    assert errors_of(room_doc(schema_version=99))[0][0] == "schema_version"


def test_json_schema_describes_the_document() -> None:
    schema = design_json_schema()
    assert schema["type"] == "object"
    properties = schema["properties"]
    assert isinstance(properties, dict)
    assert {"schema_version", "plan", "cabinets", "items", "settings"} <= set(properties)
    assert "Wall" in schema["$defs"]  # type: ignore[operator]
