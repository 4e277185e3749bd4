"""Named views of a design, for renders and for framing the 3D view (pure; plan mm in, glTF out).

Every camera is given in the scene GLB's frame (metres, Y up: ``plan_to_gltf``), the frame the
browser's three.js camera lives in, so a view taken in the editor and a named view are one type.

Named views: ``room`` (default: from the far side of the room that holds most cabinets, looking
at them), ``door`` (from that room's door) and ``wall-…`` (square on to each wall with cabinets).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np
import shapely
from shapely.geometry import Point, Polygon

from backend.configurator.catalog import Catalog
from backend.configurator.placement import footprint
from backend.configurator.scene import plan_to_gltf
from backend.design.model import Design, Door, Room, WallPlacement
from backend.errors import InvalidInput

EYE_MM = 1550.0
LOOK_AT_MM = 1000.0
FOV_DEG = 62.0


@dataclass(frozen=True)
class Camera:
    """A pinhole camera in the GLB frame: ``position`` and ``target`` in metres, vertical field of view."""

    position: tuple[float, float, float]
    target: tuple[float, float, float]
    fov_deg: float = FOV_DEG

    def as_dict(self) -> dict[str, object]:
        return asdict(self)

    @classmethod
    def parse(cls, data: dict[str, object]) -> Camera:
        """From ``{"position": [x, y, z], "target": [...], "fov_deg": f}`` (the editor's current view)."""
        try:
            pos = tuple(float(v) for v in data["position"])  # type: ignore[attr-defined]
            tgt = tuple(float(v) for v in data["target"])  # type: ignore[attr-defined]
            fov = float(data.get("fov_deg", FOV_DEG))  # type: ignore[arg-type]
        except (KeyError, TypeError, ValueError) as exc:
            raise InvalidInput("a camera needs position and target as three numbers each", field="camera") from exc
        if len(pos) != 3 or len(tgt) != 3 or not all(map(math.isfinite, (*pos, *tgt, fov))):
            raise InvalidInput("a camera needs position and target as three finite numbers each", field="camera")
        if not 10 <= fov <= 120:
            raise InvalidInput("the field of view must be between 10° and 120°", field="camera.fov_deg")
        if math.dist(pos, tgt) < 0.05:
            raise InvalidInput("the camera must look at a point away from it", field="camera")
        return cls((pos[0], pos[1], pos[2]), (tgt[0], tgt[1], tgt[2]), fov)


def _gltf(x: float, y: float, z: float) -> tuple[float, float, float]:
    gx, gy, gz = plan_to_gltf(x, y, z)
    return (round(gx, 4), round(gy, 4), round(gz, 4))


def main_room(design: Design, catalog: Catalog) -> tuple[Room | None, list[Polygon]]:
    """The room that holds most cabinet footprints (or the largest room), and every footprint."""
    prints = []
    for cab in design.cabinets:
        try:
            prints.append(footprint(cab, design.plan, catalog))
        except InvalidInput:
            continue
    rooms = design.plan.rooms
    if not rooms:
        return None, prints
    def score(room: Room) -> tuple[int, float]:
        shape = room.shape()
        return (sum(1 for p in prints if shape.buffer(50).contains(p.centroid)), shape.area)
    return max(rooms, key=score), prints


def named_cameras(design: Design, catalog: Catalog) -> dict[str, Camera]:
    """Every named view of the design (``room`` always; ``door`` and ``wall-…`` where they exist)."""
    room, prints = main_room(design, catalog)
    shape = room.shape() if room is not None else _bounds(design, prints)
    inside = (prints and [p for p in prints if shape.buffer(50).contains(p.centroid)]) or prints
    focus = shapely.union_all(inside).centroid if inside else shape.centroid
    centres = [_gltf(p.centroid.x, p.centroid.y, 900.0) for p in inside]
    cams = {"room": _fit(_far_view(shape, focus), centres)}
    if room is not None:
        door = _room_door(design, shape)
        if door is not None:
            cams["door"] = _fit(_view_from(door, focus, shape), centres)
    for wall in design.plan.walls:
        units = [c for c in design.cabinets
                 if isinstance(c.placement, WallPlacement) and c.placement.wall_id == wall.id]
        on_wall = [footprint(c, design.plan, catalog) for c in units]
        if on_wall:
            corners = [_gltf(x, y, z) for c, poly in zip(units, on_wall, strict=True)
                       for x, y in list(poly.exterior.coords)[:-1]
                       for z in (c.elevation_mm, c.elevation_mm + c.height_mm)]
            cams[wall.id] = _fit(_square_on(shapely.union_all(on_wall), shape), corners)
    return cams


ASPECT = 16 / 9  # the default render (1280×720) and the editor's usual canvas


def _fit(cam: Camera, points: list[tuple[float, float, float]], margin: float = 0.95) -> Camera:
    """Widen the vertical field of view (up to 90°) until every point (GLB frame) is in a 16:9 picture:
    a camera close to a corner otherwise cuts the unit beside it off at the edge, a wall's view the
    wall units' tops."""
    forward = np.subtract(cam.target, cam.position)
    forward = forward / np.linalg.norm(forward)
    right = np.cross(forward, (0.0, 1.0, 0.0))
    right = right / max(float(np.linalg.norm(right)), 1e-9)
    up = np.cross(right, forward)
    need = 0.0
    for point in points:
        rel = np.subtract(point, cam.position)
        depth = float(rel @ forward)
        if depth <= 0.1:
            continue
        need = max(need, abs(float(rel @ right)) / depth / ASPECT, abs(float(rel @ up)) / depth)
    fov = math.degrees(2 * math.atan(need / margin)) if need else cam.fov_deg
    return Camera(cam.position, cam.target, round(min(max(cam.fov_deg, fov), 90.0), 2))


def _bounds(design: Design, prints: list[Polygon]) -> Polygon:
    pts = [(p.x, p.y) for wall in design.plan.walls for p in (wall.start, wall.end)]
    geoms = [shapely.MultiPoint(pts).envelope] if pts else []
    geoms += prints
    if not geoms:
        return shapely.box(0, 0, 4000, 3000)
    box = shapely.union_all(geoms).envelope
    return box if box.area > 0 else box.buffer(1500)


def _far_view(shape: Polygon, focus: Point) -> Camera:
    """From the point of the (slightly shrunk) room farthest from what is looked at."""
    inner = shape.buffer(-350)
    if inner.is_empty:
        inner = shape
    candidates = [Point(c) for c in inner.exterior.coords] if isinstance(inner, Polygon) else [inner.centroid]
    candidates.append(shape.centroid)
    eye = max(candidates, key=lambda p: p.distance(focus))
    return _view_from(eye, focus, shape)


def _view_from(eye: Point, focus: Point, shape: Polygon) -> Camera:
    fov = FOV_DEG if eye.distance(focus) > 2500 else 75.0
    return Camera(_gltf(eye.x, eye.y, EYE_MM), _gltf(focus.x, focus.y, LOOK_AT_MM), fov)


def _room_door(design: Design, shape: Polygon) -> Point | None:
    """A step inside the room from the middle of its first door."""
    for wall in design.plan.walls:
        for op in wall.openings:
            if not isinstance(op, Door):
                continue
            ux, uy = wall.direction
            mid = op.offset_mm + op.width_mm / 2
            px, py = wall.start.x + ux * mid, wall.start.y + uy * mid
            for side in (1, -1):
                p = Point(px - uy * 600 * side, py + ux * 600 * side)
                if shape.contains(p):
                    return p
    return None


def _square_on(cabinets: Polygon, shape: Polygon) -> Camera:
    """Facing a wall's cabinets from far enough back to take in their width (inside the room if it can)."""
    centre = cabinets.centroid
    rect = cabinets.minimum_rotated_rectangle
    coords = list(rect.exterior.coords)[:4] if isinstance(rect, Polygon) else [(centre.x, centre.y)] * 4
    edges = [(coords[i], coords[(i + 1) % 4]) for i in range(4)]
    (ax, ay), (bx, by) = max(edges, key=lambda e: math.dist(*e))
    width = math.dist((ax, ay), (bx, by))
    nx, ny = -(by - ay) / max(width, 1), (bx - ax) / max(width, 1)
    if not shape.contains(Point(centre.x + nx * 800, centre.y + ny * 800)):
        nx, ny = -nx, -ny
    distance = max(width / 2 / math.tan(math.radians(FOV_DEG * 0.8)), 1800)
    eye = Point(centre.x + nx * distance, centre.y + ny * distance)
    if not shape.contains(eye):
        hit = shapely.LineString([centre, eye]).intersection(shape.buffer(-250))
        if not hit.is_empty:
            far = max(shapely.get_coordinates(hit), key=lambda c: math.dist(c, (centre.x, centre.y)))
            eye = Point(far)
    return Camera(_gltf(eye.x, eye.y, EYE_MM), _gltf(centre.x, centre.y, LOOK_AT_MM * 1.1), FOV_DEG)
