"""The design document: one typed, versioned description of a room design, in millimetres.

Everything else (3D scene, BOM, price, drawings, orders) is a pure function of a
:class:`Design` plus catalog data.  The document is plain data: it never holds
meshes or computed prices.

Conventions (see ``docs/design-format.md``):

* lengths are millimetres (``*_mm``), angles degrees, plan coordinates have x to
  the right and y down (as in images and SVG);
* ids are stable and prefixed: ``wall-``, ``door-``, ``win-``, ``room-``, ``cab-``,
  ``item-``;
* a wall's *left* side is the side on your left when walking from ``start`` to
  ``end``.
"""

from __future__ import annotations

import functools
import itertools
import math
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from shapely.geometry import Polygon
from shapely.validation import explain_validity

from backend.design.interior import Zone
from backend.design.units import TOL

SCHEMA_VERSION: Literal[1] = 1

Mm = Annotated[float, Field(description="length in millimetres")]
PositiveMm = Annotated[float, Field(gt=0, le=100_000, description="positive length in millimetres")]
NonNegMm = Annotated[float, Field(ge=0, le=100_000, description="non-negative length in millimetres")]
Coordinate = Annotated[float, Field(ge=-1_000_000, le=1_000_000, description="plan coordinate in mm")]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_prefix(value: str, prefix: str) -> str:
    if not value.startswith(prefix) or len(value) <= len(prefix):
        raise ValueError(f"id must start with '{prefix}' followed by a name, got '{value}'")
    return value


class Point(_Model):
    """A plan point in millimetres (x right, y down)."""

    x: Coordinate
    y: Coordinate

    def distance_to(self, other: Point) -> float:
        return math.hypot(other.x - self.x, other.y - self.y)


class Door(_Model):
    """A door in a wall.

    ``offset_mm`` is the distance along the wall from its start to the near edge
    of the opening.  ``hinge`` says at which end of the opening (towards the wall's
    start or end) the leaf is hinged; ``swing`` says into which side of the wall
    (left/right when walking start→end) it opens.
    """

    kind: Literal["door"] = "door"
    id: str
    offset_mm: NonNegMm
    width_mm: Annotated[float, Field(gt=0, le=5000)] = 800
    height_mm: Annotated[float, Field(gt=0, le=5000)] = 2050
    hinge: Literal["start", "end"] = "start"
    swing: Literal["left", "right", "none"] = "left"
    leaves: Literal[1, 2] = 1

    _prefix = field_validator("id")(lambda v: _check_prefix(v, "door-"))


class Window(_Model):
    """A window in a wall; ``sill_mm`` is the height of the sill above the floor."""

    kind: Literal["window"] = "window"
    id: str
    offset_mm: NonNegMm
    width_mm: Annotated[float, Field(gt=0, le=10000)] = 1200
    height_mm: Annotated[float, Field(gt=0, le=5000)] = 1400
    sill_mm: NonNegMm = 900

    _prefix = field_validator("id")(lambda v: _check_prefix(v, "win-"))


Opening = Annotated[Door | Window, Field(discriminator="kind")]


class Wall(_Model):
    """A straight wall: centreline from ``start`` to ``end`` with a thickness and height."""

    id: str
    start: Point
    end: Point
    thickness_mm: Annotated[float, Field(gt=0, le=2000)] = 100
    height_mm: Annotated[float, Field(gt=0, le=20000)] = 2600
    openings: list[Opening] = Field(default_factory=list)

    _prefix = field_validator("id")(lambda v: _check_prefix(v, "wall-"))

    @property
    def length_mm(self) -> float:
        return self.start.distance_to(self.end)

    @property
    def direction(self) -> tuple[float, float]:
        """Unit vector from start to end."""
        length = self.length_mm
        return ((self.end.x - self.start.x) / length, (self.end.y - self.start.y) / length)

    @model_validator(mode="after")
    def _check_geometry(self) -> Wall:
        if self.length_mm < TOL.min_wall_length_mm:
            raise ValueError(
                f"wall is too short ({self.length_mm:.1f} mm); a wall needs start and end at least "
                f"{TOL.min_wall_length_mm:g} mm apart"
            )
        spans: list[tuple[float, float, str]] = []
        for opening in self.openings:
            end = opening.offset_mm + opening.width_mm
            if end > self.length_mm + TOL.length_mm:
                raise ValueError(
                    f"{opening.id} ends at {end:.0f} mm along the wall but the wall is only "
                    f"{self.length_mm:.0f} mm long"
                )
            spans.append((opening.offset_mm, end, opening.id))
        spans.sort()
        for (_, a_end, a_id), (b_start, _, b_id) in itertools.pairwise(spans):
            if b_start < a_end - TOL.length_mm:
                raise ValueError(f"openings {a_id} and {b_id} overlap along the wall")
        return self


RoomType = Literal[
    "kitchen", "living", "dining", "bedroom", "bathroom", "toilet", "hall", "closet",
    "balcony", "study", "laundry", "storage", "other",
]


class Room(_Model):
    """A room: a simple closed polygon (first point not repeated) with a name and type."""

    id: str
    name: str = Field(default="", max_length=120)
    type: RoomType = "other"
    polygon: list[Point] = Field(min_length=3, max_length=2000)

    _prefix = field_validator("id")(lambda v: _check_prefix(v, "room-"))

    def shape(self) -> Polygon:
        return Polygon([(p.x, p.y) for p in self.polygon])

    @property
    def area_m2(self) -> float:
        return float(self.shape().area) / 1_000_000

    @model_validator(mode="after")
    def _check_polygon(self) -> Room:
        first, last = self.polygon[0], self.polygon[-1]
        if len(self.polygon) > 3 and first.distance_to(last) < TOL.length_mm:
            raise ValueError("polygon must not repeat its first point at the end; it is closed implicitly")
        problem = _polygon_problem(tuple((p.x, p.y) for p in self.polygon))
        if problem:
            raise ValueError(problem)
        return self


@functools.lru_cache(maxsize=4096)
def _polygon_problem(corners: tuple[tuple[float, float], ...]) -> str | None:
    """Why a room polygon is refused (not simple, no usable area), or None. A pure function of its
    corners, kept for the most recent 4096 polygons: a design is validated again at every save and at
    every load a process has not cached, and its rooms rarely change between two saves, so the shapely
    polygon is built once per room shape rather than once per room per request."""
    shape = Polygon(corners)
    if not shape.is_valid:
        return f"polygon is not a simple closed shape: {explain_validity(shape)}"
    if shape.area < TOL.min_room_area_mm2:
        return f"polygon encloses no usable area ({shape.area / 1e6:.3f} m²)"
    return None


class ScaleInfo(_Model):
    """How a plan traced from an image got its millimetres (``mm_per_px`` per pixel of the rectified
    plan image the vectorizer worked on, not of the original photo)."""

    method: Literal["user_line", "dimension_line", "dimension_text", "room_area", "prior", "manual"]
    mm_per_px: Annotated[float, Field(gt=0)]
    confidence: Annotated[float, Field(ge=0, le=1)]


class PlanSource(_Model):
    """Where a plan came from: an uploaded image (size after EXIF orientation), the scale used, and
    ``homography``: the 3×3 matrix (row-major) taking homogeneous plan pixels (plan mm divided by
    ``mm_per_plan_px``) to pixels of the original photo, so the plan can be drawn over it again."""

    upload_id: str | None = None
    image_width_px: int | None = None
    image_height_px: int | None = None
    scale: ScaleInfo | None = None
    homography: list[list[float]] | None = Field(default=None, min_length=3, max_length=3)
    mm_per_plan_px: Annotated[float, Field(gt=0)] | None = None


class FloorPlan(_Model):
    walls: list[Wall] = Field(default_factory=list)
    rooms: list[Room] = Field(default_factory=list)
    source: PlanSource | None = None

    def wall(self, wall_id: str) -> Wall:
        for wall in self.walls:
            if wall.id == wall_id:
                return wall
        raise KeyError(wall_id)


class WallPlacement(_Model):
    """Placed against a wall: ``offset_mm`` from the wall start to the unit's edge nearest the start,
    on the given ``side`` of the wall (the unit's back faces the wall)."""

    kind: Literal["wall"] = "wall"
    wall_id: str
    offset_mm: NonNegMm
    side: Literal["left", "right"] = "left"


class FreePlacement(_Model):
    """Free-standing (e.g. an island): the plan position of the unit's back-left corner and its
    rotation in degrees (0 = the unit's front faces +y, clockwise as seen on screen)."""

    kind: Literal["free"] = "free"
    x_mm: Coordinate
    y_mm: Coordinate
    rotation_deg: Annotated[float, Field(ge=-360, le=360)] = 0


Placement = Annotated[WallPlacement | FreePlacement, Field(discriminator="kind")]
OptionValue = str | int | float | bool


class PlacedCabinet(_Model):
    """A cabinet from the catalog, sized and placed.

    ``family`` is a catalog family code (e.g. ``base_2_doors``); the catalog says which
    sizes and ``options`` it accepts.  Materials left ``None`` use the design defaults.
    """

    id: str
    family: str = Field(min_length=1, max_length=80)
    width_mm: PositiveMm
    height_mm: PositiveMm
    depth_mm: PositiveMm
    elevation_mm: NonNegMm = 0
    placement: Placement
    options: dict[str, OptionValue] = Field(default_factory=dict)
    carcass_material: str | None = None
    front_material: str | None = None
    handle: str | None = None
    interior: Zone | None = Field(default=None, description="the zone tree with its inserts and fronts "
                                  "(backend/design/interior.py); None: the catalog preset's")

    _prefix = field_validator("id")(lambda v: _check_prefix(v, "cab-"))


class PlacedItem(_Model):
    """Anything placed that the factory does not make: appliances, loose furniture."""

    id: str
    kind: str = Field(min_length=1, max_length=80, description="e.g. fridge, range, dishwasher, table")
    width_mm: PositiveMm
    height_mm: PositiveMm
    depth_mm: PositiveMm
    elevation_mm: NonNegMm = 0
    placement: Placement

    _prefix = field_validator("id")(lambda v: _check_prefix(v, "item-"))


class DesignSettings(_Model):
    region: Literal["CN", "EU", "US"] = "CN"
    ceiling_height_mm: Annotated[float, Field(gt=1800, le=10000)] = 2700
    carcass_material: str = "pb_white_18"
    front_material: str = "mdf_matt_white_18"
    countertop_material: str = "quartz_white_20"
    handle: str = "bar_128_steel"
    currency: Literal["CNY", "EUR", "USD"] = "CNY"


class Design(_Model):
    """The whole design document."""

    schema_version: Literal[1] = SCHEMA_VERSION
    name: str = Field(default="Untitled design", min_length=1, max_length=200)
    plan: FloorPlan = Field(default_factory=FloorPlan)
    cabinets: list[PlacedCabinet] = Field(default_factory=list)
    items: list[PlacedItem] = Field(default_factory=list)
    settings: DesignSettings = Field(default_factory=DesignSettings)

    @model_validator(mode="after")
    def _check_references(self) -> Design:
        ids: set[str] = set()
        for obj_id in self._all_ids():
            if obj_id in ids:
                raise ValueError(f"id '{obj_id}' is used twice; ids must be unique in a design")
            ids.add(obj_id)
        walls = {w.id: w for w in self.plan.walls}
        placed_objects: list[PlacedCabinet | PlacedItem] = [*self.cabinets, *self.items]
        for placed in placed_objects:
            if isinstance(placed.placement, WallPlacement):
                wall = walls.get(placed.placement.wall_id)
                if wall is None:
                    raise ValueError(f"{placed.id} is placed on wall '{placed.placement.wall_id}', "
                                     "which is not in the plan")
                if placed.placement.offset_mm + placed.width_mm > wall.length_mm + TOL.length_mm:
                    raise ValueError(f"{placed.id} runs past the end of {wall.id} "
                                     f"({placed.placement.offset_mm + placed.width_mm:.0f} mm along a "
                                     f"{wall.length_mm:.0f} mm wall)")
        return self

    def _all_ids(self) -> list[str]:
        ids = [w.id for w in self.plan.walls]
        ids += [o.id for w in self.plan.walls for o in w.openings]
        ids += [r.id for r in self.plan.rooms]
        ids += [c.id for c in self.cabinets] + [i.id for i in self.items]
        return ids

    def cabinet(self, cabinet_id: str) -> PlacedCabinet:
        for cab in self.cabinets:
            if cab.id == cabinet_id:
                return cab
        raise KeyError(cabinet_id)


def design_json_schema() -> dict[str, object]:
    """The JSON Schema of the design document, as published at ``/api/schema/design.json``."""
    schema = Design.model_json_schema()
    schema["$id"] = "https://roomwright.local/schema/design.json"
    schema["title"] = f"Roomwright design document, schema version {SCHEMA_VERSION}"
    return schema
