"""The hardware machining tables (``assets/models/machining/hardware_machining.json``), validated.

In the manner of CabMaster's machining tables: per hardware item, the holes it needs (diameter,
depth), their rows (count, pitch, offsets from an edge or an end) and the smallest panel that
takes them.  Millimetres.  Rules that read these tables are in ``derive.py``; docs/machining.md.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

TABLE_PATH = Path(__file__).resolve().parents[3] / "assets" / "models" / "machining" / "hardware_machining.json"


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class Hole(_Model):
    diameter_mm: float = Field(gt=0)
    depth_mm: float | Literal["through"]


class CamHole(Hole):
    inset_mm: float = Field(gt=0)
    """Cam housing centre from the joint face (into the edge panel)."""


class Connector(_Model):
    purpose: Literal["cam", "confirmat", "dowel"]
    partner: str | None = None
    """The dowel that goes with this connector, one pitch further along the joint."""
    min_edge_panel_thickness_mm: float
    min_face_panel_thickness_mm: float
    cam: CamHole | None = None
    edge_hole: Hole
    face_hole: Hole


class JointRows(_Model):
    end_offset_mm: float
    pitch_mm: float
    short_joint_mm: float
    joint_roles: list[str]
    connector_only_roles: list[str] = []
    """Face panels whose joints take connectors only, no dowels (a filler: its front is the visible face)."""


class Plate(_Model):
    holes: int = Field(ge=0)
    pitch_mm: float
    setback_mm: float
    diameter_mm: float
    depth_mm: float


class Envelope(_Model):
    """The hinge's body behind the door: ``depth_mm`` into the cabinet from the door's back,
    ``half_height_mm`` each way along the hinge edge, ``reach_mm`` from the cup centre towards the
    mounting panel beyond the panel's face."""

    depth_mm: float
    half_height_mm: float
    reach_mm: float


class Hinge(_Model):
    cup_diameter_mm: float
    cup_depth_mm: float
    min_door_thickness_mm: float
    plate: Plate
    envelope: Envelope


class ShelfPin(_Model):
    diameter_mm: float
    depth_mm: float
    setback_mm: float
    pitch_mm: float
    below_shelf_mm: float
    adjust_holes_each_way: int = Field(ge=0)
    clear_of_fixed_panels_mm: float


class Slide(_Model):
    diameter_mm: float
    depth_mm: float
    above_box_bottom_mm: float
    drawer_diameter_mm: float
    drawer_depth_mm: float
    cabinet_holes_by_length: dict[str, list[float]]
    drawer_holes_by_length: dict[str, list[float]]


class Leg(_Model):
    diameter_mm: float
    depth_mm: float
    inset_side_mm: float
    inset_front_mm: float
    inset_back_mm: float


class Hanger(_Model):
    diameter_mm: float
    depth_mm: float
    from_back_mm: float
    from_top_mm: list[float]


class Tools(_Model):
    router_diameter_mm: float
    groove_tool: str
    min_edge_clearance_mm: dict[str, float]


class Limits(_Model):
    min_wall_mm: float
    min_floor_mm: float
    edge_hole_wall_mm: float


class MachiningTables(_Model):
    version: str
    limits: Limits
    connectors: dict[str, Connector]
    joint_rows: JointRows
    hinges: dict[str, Hinge]
    shelf_pins: dict[str, ShelfPin]
    slides: dict[str, Slide]
    legs: dict[str, Leg]
    hangers: dict[str, Hanger]
    tools: Tools

    def clearance(self, kind: str) -> float:
        return self.tools.min_edge_clearance_mm.get(kind, 0.0)


@lru_cache(maxsize=4)
def _load(path: Path) -> MachiningTables:
    with path.open(encoding="utf-8") as f:
        data = json.load(f)
    data = {k: ({n: v for n, v in val.items() if n != "about"} if isinstance(val, dict) else val)
            for k, val in data.items() if k != "about"}
    return MachiningTables.model_validate(data)


def load_tables(path: Path | str | None = None) -> MachiningTables:
    """The validated machining tables (default file); cached per path."""
    return _load(Path(path) if path is not None else TABLE_PATH)
