"""Placement: where a cabinet or item stands in the plan (pure, shapely).

Every placed object has a *frame*: plan origin (its back-left corner), unit vectors ``ax`` (along
its width, from its left side to its right side seen from the front) and ``ay`` (from its back to
its front), and its elevation.  The cabinet frame of ``construction.py`` maps to the plan as
``plan = origin + x·ax + y·ay`` and to height as ``elevation + z``.

Plan coordinates are mm with x right and y down; a wall's *left* is on your left walking from its
start to its end, i.e. the normal ``(dir_y, -dir_x)``.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import shapely
from shapely.geometry import Polygon

from backend.configurator.catalog import Catalog, Family, RulePack
from backend.design.model import (
    Design,
    FloorPlan,
    FreePlacement,
    PlacedCabinet,
    PlacedItem,
    Placement,
    Wall,
    WallPlacement,
)
from backend.errors import InvalidInput

Vec2 = tuple[float, float]

#: Item kinds that count as tall / base-height appliances for the placement rules.
TALL_ITEMS = frozenset({"fridge", "freezer", "tall_appliance", "wardrobe", "bookcase"})
APPLIANCE_ITEMS = frozenset({"fridge", "freezer", "dishwasher", "range", "cooker", "hob", "oven",
                             "washing_machine", "sink"})
#: How near (mm) a unit slid along a wall must come to an edge to snap to it (the editor's drag too).
SNAP_DISTANCE_MM = 50.0


@dataclass(frozen=True)
class Frame:
    origin: Vec2
    ax: Vec2
    ay: Vec2
    elevation_mm: float

    def to_plan(self, x: float, y: float) -> Vec2:
        o, ax, ay = self.origin, self.ax, self.ay
        return (o[0] + x * ax[0] + y * ay[0], o[1] + x * ax[1] + y * ay[1])

    @property
    def rotation_deg(self) -> float:
        """Clockwise on screen, 0 = front facing +y (same convention as FreePlacement)."""
        return math.degrees(math.atan2(self.ax[1], self.ax[0]))


def wall_normal(wall: Wall, side: str) -> Vec2:
    """Unit normal pointing from the wall's centreline into its ``side`` (left/right)."""
    dx, dy = wall.direction
    return (dy, -dx) if side == "left" else (-dy, dx)


def frame_of(placement: Placement, width_mm: float, elevation_mm: float, walls: dict[str, Wall]) -> Frame:
    if isinstance(placement, FreePlacement):
        a = math.radians(placement.rotation_deg)
        c, s = math.cos(a), math.sin(a)
        return Frame((placement.x_mm, placement.y_mm), (c, s), (-s, c), elevation_mm)
    wall = walls.get(placement.wall_id)
    if wall is None:
        raise InvalidInput(f"wall '{placement.wall_id}' is not in the plan", field="placement.wall_id")
    u = wall.direction
    n = wall_normal(wall, placement.side)
    half = wall.thickness_mm / 2
    base = (wall.start.x + n[0] * half, wall.start.y + n[1] * half)
    if placement.side == "left":  # seen from the front, the cabinet's left is towards the wall's end
        along = placement.offset_mm + width_mm
        return Frame((base[0] + u[0] * along, base[1] + u[1] * along), (-u[0], -u[1]), n, elevation_mm)
    along = placement.offset_mm
    return Frame((base[0] + u[0] * along, base[1] + u[1] * along), u, n, elevation_mm)


def rect_in_frame(frame: Frame, x0: float, y0: float, x1: float, y1: float) -> Polygon:
    corners = ((x0, y0), (x1, y0), (x1, y1), (x0, y1))
    return Polygon([frame.to_plan(x, y) for x, y in corners])


@dataclass(frozen=True)
class Placed:
    """A placed cabinet or item as the placement rules see it."""

    id: str
    kind: str  # "cabinet" or "item"
    category: str  # base, wall, tall, panel, worktop, item
    appliance: str | None
    family: Family | None
    width_mm: float
    depth_mm: float
    z0: float
    z1: float
    frame: Frame
    footprint: Polygon
    placement: Placement
    options: dict[str, object]

    @property
    def has_fronts(self) -> bool:
        return self.family is not None and self.family.has_fronts

    def front_span(self) -> tuple[float, float]:
        """x-range of the unit's fronts in its frame (a blind corner's blind part excluded)."""
        x0, x1 = 0.0, self.width_mm
        blind = self.options.get("blind_width_mm")
        if self.family is not None and self.family.recipe.blind and isinstance(blind, int | float):
            if self.options.get("blind_side", "left") == "left":
                x0 = float(blind)
            else:
                x1 = self.width_mm - float(blind)
        return x0, x1


def rects_in_frames(frames: list[Frame], rects: npt.ArrayLike) -> npt.NDArray[np.object_]:
    """Many frame rectangles at once: ``rects`` is (n, 4) of x0, y0, x1, y1 → n shapely polygons."""
    r = np.asarray(rects, dtype=np.float64).reshape(-1, 4)
    if not len(r):
        return np.empty(0, dtype=object)
    o = np.array([f.origin for f in frames], dtype=np.float64)[:, None, :]
    ax = np.array([f.ax for f in frames], dtype=np.float64)[:, None, :]
    ay = np.array([f.ay for f in frames], dtype=np.float64)[:, None, :]
    xs = r[:, [0, 2, 2, 0]][:, :, None]
    ys = r[:, [1, 1, 3, 3]][:, :, None]
    corners = o + xs * ax + ys * ay
    return shapely.polygons(corners)  # type: ignore[no-any-return]


def _l_footprint(frame: Frame, w: float, d: float, leg: float) -> Polygon:
    pts = [(0, 0), (w, 0), (w, leg), (leg, leg), (leg, d), (0, d)]
    return Polygon([frame.to_plan(x, y) for x, y in pts])


def place(obj: PlacedCabinet | PlacedItem, catalog: Catalog, walls: dict[str, Wall],
          frame: Frame | None = None, rect: Polygon | None = None) -> Placed:
    """How the placement rules see one object (``frame`` and its rectangle ``rect`` if already known)."""
    frame = frame or frame_of(obj.placement, obj.width_mm, obj.elevation_mm, walls)
    family: Family | None = None
    options: dict[str, object] = {}
    category: str
    appliance: str | None
    if isinstance(obj, PlacedCabinet):
        family = catalog.families.get(obj.family)
        category = family.category if family is not None else "base"
        appliance = family.appliance if family is not None else None
        kind = "cabinet"
        if family is not None:
            options = {**{k: v.default for k, v in family.options.items()}, **obj.options}
    else:
        category = "tall" if obj.kind in TALL_ITEMS else "item"
        appliance = obj.kind
        kind = "item"
    if family is not None and family.body == "l_corner":
        leg = float(options["leg_depth_mm"])  # type: ignore[arg-type]
        poly = _l_footprint(frame, obj.width_mm, obj.depth_mm, leg)
    else:
        poly = rect if rect is not None else rect_in_frame(frame, 0, 0, obj.width_mm, obj.depth_mm)
    return Placed(obj.id, kind, category, appliance, family, obj.width_mm, obj.depth_mm, obj.elevation_mm,
                  obj.elevation_mm + obj.height_mm, frame, poly, obj.placement, options)


def placed_objects(design: Design, catalog: Catalog) -> list[Placed]:
    walls = {w.id: w for w in design.plan.walls}
    objects: list[PlacedCabinet | PlacedItem] = [*design.cabinets, *design.items]
    frames = [frame_of(o.placement, o.width_mm, o.elevation_mm, walls) for o in objects]
    rects = rects_in_frames(frames, [(0, 0, o.width_mm, o.depth_mm) for o in objects])
    return [place(o, catalog, walls, f, r) for o, f, r in zip(objects, frames, rects, strict=True)]


def footprint(obj: PlacedCabinet | PlacedItem, plan: FloorPlan, catalog: Catalog) -> Polygon:
    """The plan footprint (mm) of a placed cabinet or item."""
    return place(obj, catalog, {w.id: w for w in plan.walls}).footprint


def wall_polygon(wall: Wall) -> Polygon:
    """The wall's body in plan (centreline ± thickness/2, flat ends)."""
    n = wall_normal(wall, "left")
    h = wall.thickness_mm / 2
    a, b = (wall.start.x, wall.start.y), (wall.end.x, wall.end.y)
    return Polygon([(a[0] + n[0] * h, a[1] + n[1] * h), (b[0] + n[0] * h, b[1] + n[1] * h),
                    (b[0] - n[0] * h, b[1] - n[1] * h), (a[0] - n[0] * h, a[1] - n[1] * h)])


def default_elevation(family: Family, rules: RulePack, height_mm: float | None = None) -> float:
    """Where a family stands by default: base and tall units on their plinth, wall units at the rule
    pack's height above the worktop, a worktop at the worktop height; a family that names its own
    elevation (a wardrobe on its plinth, a floating TV unit) there."""
    if family.elevation_mm is not None:
        return family.elevation_mm
    if family.category in ("base", "tall"):
        return rules.plinth_height_mm.value_mm
    if family.category == "wall":
        return rules.wall_unit_elevation_mm
    if family.category == "worktop":
        return rules.worktop_height_mm.value_mm - (height_mm or family.height.default)
    return 0.0


def _corner_offsets(wall: Wall, walls: Iterable[Wall]) -> list[float]:
    """Offsets along ``wall`` of the faces of walls that join it at an end (inside corners)."""
    out: list[float] = []
    for other in walls:
        if other.id == wall.id:
            continue
        for end, at in ((wall.start, 0.0), (wall.end, wall.length_mm)):
            if min(end.distance_to(other.start), end.distance_to(other.end)) <= other.thickness_mm:
                out.append(abs(at - other.thickness_mm / 2))
    return out


def snap_offset(design: Design, catalog: Catalog, wall_id: str, offset_mm: float, width_mm: float,
                side: str = "left", distance_mm: float = SNAP_DISTANCE_MM, exclude_id: str | None = None) -> float:
    """Snap a unit's offset along a wall to the wall's ends, the faces of walls meeting it at a corner,
    the edges of its openings, or its neighbours on the same side, if one is within ``distance_mm``.

    Returns the snapped offset (or the given one), kept within ``0 .. wall length − width``.
    """
    walls = {w.id: w for w in design.plan.walls}
    wall = walls.get(wall_id)
    if wall is None:
        raise InvalidInput(f"wall '{wall_id}' is not in the plan", field="placement.wall_id")
    length = wall.length_mm
    edges = [0.0, length, *_corner_offsets(wall, walls.values())]
    edges += [e for o in wall.openings for e in (o.offset_mm, o.offset_mm + o.width_mm)]
    objects: list[PlacedCabinet | PlacedItem] = [*design.cabinets, *design.items]
    for obj in objects:
        p = obj.placement
        if obj.id != exclude_id and isinstance(p, WallPlacement) and p.wall_id == wall_id and p.side == side:
            edges += [p.offset_mm, p.offset_mm + obj.width_mm]
    # our start may snap to an edge, or our end may (start = edge − width)
    candidates = np.array(edges + [e - width_mm for e in edges])
    candidates = candidates[(candidates >= -1e-6) & (candidates <= length - width_mm + 1e-6)]
    if len(candidates):
        best = candidates[np.argmin(np.abs(candidates - offset_mm))]
        if abs(best - offset_mm) <= distance_mm:
            offset_mm = float(best)
    return float(min(max(offset_mm, 0.0), max(length - width_mm, 0.0)))


# -- free-standing units: snapping at any angle ------------------------------------------------------

ROTATION_SNAP_DEG = 5.0
"""A free-standing unit turned within this many degrees of a wall's or a neighbour's angle (or a
right angle to it) turns onto it."""
WALL_REACH_MM = 600.0
"""Walls and neighbours nearer than this to a free-standing unit are what its rotation snaps to."""


@dataclass(frozen=True)
class _Edge:
    """A straight edge something may touch: from ``a`` to ``b`` with its outward unit ``normal``
    (away from the wall's body or the neighbour); ``align``: a neighbour's edge, which a unit may also
    line up with (fronts in one line), not only touch."""

    a: Vec2
    b: Vec2
    normal: Vec2
    align: bool


def _edges_of_polygon(poly: Polygon, align: bool) -> list[_Edge]:
    """The edges of a polygon with outward normals (shapely orients exteriors either way)."""
    coords = list(shapely.geometry.polygon.orient(poly, sign=1.0).exterior.coords)
    out = []
    for (x0, y0), (x1, y1) in itertools.pairwise(coords):
        length = math.hypot(x1 - x0, y1 - y0)
        if length < 1:
            continue
        # counter-clockwise in maths axes: the outward normal is the edge direction turned clockwise
        out.append(_Edge((x0, y0), (x1, y1), ((y1 - y0) / length, -(x1 - x0) / length), align))
    return out


def _snap_edges(design: Design, exclude_id: str | None) -> list[_Edge]:
    """Edges a free-standing unit snaps to: wall faces and other units' outlines."""
    walls = {w.id: w for w in design.plan.walls}
    edges: list[_Edge] = []
    for wall in design.plan.walls:
        edges += _edges_of_polygon(wall_polygon(wall), align=False)
    objects: list[PlacedCabinet | PlacedItem] = [*design.cabinets, *design.items]
    for obj in objects:
        if obj.id == exclude_id:
            continue
        frame = frame_of(obj.placement, obj.width_mm, obj.elevation_mm, walls)
        edges += _edges_of_polygon(rect_in_frame(frame, 0, 0, obj.width_mm, obj.depth_mm), align=True)
    return edges


def _segment_distance(p: Vec2, a: Vec2, b: Vec2) -> float:
    return float(shapely.distance(shapely.points(p), shapely.linestrings([a, b])))


def _snap_rotation(rotation: float, centre: Vec2, reach: float, design: Design, exclude_id: str | None) -> float:
    """The rotation turned onto the nearest wall's or neighbour's angle (any multiple of 90° from it)
    within ``ROTATION_SNAP_DEG``, among those within ``reach`` of the unit's centre."""
    near_angles: list[float] = []
    for wall in design.plan.walls:
        if _segment_distance(centre, (wall.start.x, wall.start.y), (wall.end.x, wall.end.y)) <= reach:
            near_angles.append(math.degrees(math.atan2(wall.direction[1], wall.direction[0])))
    walls = {w.id: w for w in design.plan.walls}
    objects: list[PlacedCabinet | PlacedItem] = [*design.cabinets, *design.items]
    for obj in objects:
        if obj.id == exclude_id:
            continue
        frame = frame_of(obj.placement, obj.width_mm, obj.elevation_mm, walls)
        if math.dist(centre, frame.to_plan(obj.width_mm / 2, obj.depth_mm / 2)) <= reach + obj.width_mm / 2:
            near_angles.append(frame.rotation_deg)
    best, best_diff = rotation, ROTATION_SNAP_DEG + 1e-9
    for angle in near_angles:
        diff = (rotation - angle + 45) % 90 - 45  # to the nearest of angle + k·90°
        if abs(diff) < best_diff:
            best, best_diff = rotation - diff, abs(diff)
    return best


def _slide(corners: list[Vec2], axis: Vec2, edges: list[_Edge], distance_mm: float) -> float:
    """The shortest move along ``axis`` (mm, within ``distance_mm``) that makes the rectangle with
    ``corners`` touch an edge from outside, or line up with a neighbour's edge; 0 if none."""
    best = 0.0
    best_abs = distance_mm + 1e-9
    for e in edges:
        n = e.normal
        along_axis = n[0] * axis[0] + n[1] * axis[1]
        if abs(along_axis) < 0.3:  # the edge runs along the axis: moving does not bring it nearer
            continue
        s = [n[0] * (c[0] - e.a[0]) + n[1] * (c[1] - e.a[1]) for c in corners]
        # the nearest corner onto the edge: touching, not crossing; and for a neighbour, our side facing
        # the same way in line with its edge (fronts in one line), when we stand next to it
        candidates = [(-min(s) / along_axis, 0.0)]
        if e.align and abs(along_axis) > 0.999:
            candidates.append((-max(s) / along_axis, distance_mm))
        for t, slack in candidates:
            if abs(t) >= best_abs or not _overlaps_edge(corners, (axis[0] * t, axis[1] * t), e, slack):
                continue
            best, best_abs = t, abs(t)
    return best


def _overlaps_edge(corners: list[Vec2], shift: Vec2, e: _Edge, slack: float = 0.0) -> bool:
    """Whether the rectangle moved by ``shift`` lies beside the edge (their extents along it overlap, or
    come within ``slack`` mm)."""
    dx, dy = e.b[0] - e.a[0], e.b[1] - e.a[1]
    length = math.hypot(dx, dy)
    u = (dx / length, dy / length)
    ts = [(c[0] + shift[0] - e.a[0]) * u[0] + (c[1] + shift[1] - e.a[1]) * u[1] for c in corners]
    return min(ts) < length - 1.0 + slack and max(ts) > 1.0 - slack


def snap_free(design: Design, placement: FreePlacement, width_mm: float, depth_mm: float,
              exclude_id: str | None = None, distance_mm: float = SNAP_DISTANCE_MM) -> FreePlacement:
    """A free-standing unit's placement snapped: its rotation onto a nearby wall's or neighbour's angle
    (or at right angles to it), then moved (front-to-back first, then sideways, each within
    ``distance_mm``) so that it touches a wall's face or a neighbour, or lines up with a neighbour,
    at whatever angle the walls stand; a corner of the room at any angle is where both moves meet.

    ``placement`` is the proposed back-left corner and rotation; ``exclude_id`` the unit itself.
    """
    edges = _snap_edges(design, exclude_id)
    a = math.radians(placement.rotation_deg)
    centre = (placement.x_mm + math.cos(a) * width_mm / 2 - math.sin(a) * depth_mm / 2,
              placement.y_mm + math.sin(a) * width_mm / 2 + math.cos(a) * depth_mm / 2)
    rotation = _snap_rotation(placement.rotation_deg, centre, max(width_mm, depth_mm) / 2 + WALL_REACH_MM,
                              design, exclude_id)
    r = math.radians(rotation)
    ax, ay = (math.cos(r), math.sin(r)), (-math.sin(r), math.cos(r))
    origin = (centre[0] - ax[0] * width_mm / 2 - ay[0] * depth_mm / 2,
              centre[1] - ax[1] * width_mm / 2 - ay[1] * depth_mm / 2)  # turned about its centre
    for axis in (ay, ax):
        frame = Frame(origin, ax, ay, 0.0)
        corners = [frame.to_plan(x, y) for x, y in ((0, 0), (width_mm, 0), (width_mm, depth_mm), (0, depth_mm))]
        t = _slide(corners, axis, edges, distance_mm)
        origin = (origin[0] + axis[0] * t, origin[1] + axis[1] * t)
    rotation = (rotation + 180) % 360 - 180
    return FreePlacement(x_mm=round(origin[0], 2), y_mm=round(origin[1], 2), rotation_deg=round(rotation, 6))
