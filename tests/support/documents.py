"""Builders of design documents for the API tests."""

from __future__ import annotations

from typing import Any


def kitchen(name: str = "Kitchen", cabinets: int = 1) -> dict[str, Any]:
    return {
        "schema_version": 1,
        "name": name,
        "plan": {
            "walls": [{"id": "wall-n", "start": {"x": 0, "y": 0}, "end": {"x": 4000, "y": 0}}],
            "rooms": [{"id": "room-k", "name": "Kitchen", "type": "kitchen",
                       "polygon": [{"x": 0, "y": 0}, {"x": 4000, "y": 0}, {"x": 4000, "y": 3000},
                                   {"x": 0, "y": 3000}]}],
        },
        "cabinets": [
            {"id": f"cab-{i}", "family": "base_1_door", "width_mm": 600, "height_mm": 720, "depth_mm": 560,
             "placement": {"kind": "wall", "wall_id": "wall-n", "offset_mm": 600 * i, "side": "right"}}
            for i in range(cabinets)
        ],
    }
