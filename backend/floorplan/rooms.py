"""Rooms: free regions enclosed by walls (openings closed) → valid polygons in plan pixels."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray
from scipy import ndimage
from shapely.geometry import MultiPolygon, Polygon
from shapely.validation import make_valid

from backend.floorplan.enclosures import enclosed_rooms
from backend.floorplan.openings import TreeModel
from backend.floorplan.segments import Segment, rectangle

Mask = NDArray[np.bool_]


def wall_raster(shape: tuple[int, int], segments: list[Segment], closures: list[Segment], walls: Mask) -> Mask:
    """Walls drawn full length (gaps closed) plus closure lines plus the detected wall pixels."""
    canvas = walls.astype(np.uint8)
    for seg in [*segments, *closures]:
        poly = rectangle(seg, extend=seg.thickness / 2)
        cv2.fillPoly(canvas, [np.rint(poly).astype(np.int32)], 1)
    return canvas > 0


def region_polygon(region: Mask, epsilon: float) -> Polygon | None:
    """The outer boundary of a (H, W) region mask as a simplified, valid shapely polygon (px)."""
    contours, _ = cv2.findContours(region.astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    contour = max(contours, key=cv2.contourArea)
    approx = cv2.approxPolyDP(contour, epsilon, True).reshape(-1, 2).astype(np.float64)
    if len(approx) < 3:
        return None
    shape = valid_polygon(Polygon(approx))
    # contour points are the centres of the region's edge pixels: grow by half a pixel
    return None if shape is None else valid_polygon(shape.buffer(0.5, join_style="mitre"))


def valid_polygon(poly: Polygon) -> Polygon | None:
    """Repair a polygon into one simple valid polygon (largest piece), or None if degenerate."""
    shape = poly if poly.is_valid else make_valid(poly)
    if isinstance(shape, MultiPolygon):
        shape = max(shape.geoms, key=lambda g: g.area)
    elif not isinstance(shape, Polygon):
        polys = [g for g in getattr(shape, "geoms", []) if isinstance(g, Polygon)]
        if not polys:
            return None
        shape = max(polys, key=lambda g: g.area)
    shape = Polygon(shape.exterior.coords)
    if not shape.is_valid or shape.area <= 0:
        return None
    return shape


BUILDING_SHARE = 0.15
"""A room's walls belong to a wall network holding at least this share of the largest one's pixels:
the frame of a text box or legend is a small network of its own."""


class _Building:
    """The connected networks of room-bounding pixels (8-connected) of a (H, W) ``blocked`` mask."""

    def __init__(self, blocked: Mask) -> None:
        _, self.labels, stats, _ = cv2.connectedComponentsWithStats(blocked.astype(np.uint8), connectivity=8)
        self.size = stats[:, cv2.CC_STAT_AREA].astype(np.float64)
        self.size[0] = 0.0
        self.largest = float(self.size.max()) if len(self.size) else 0.0

    def encloses(self, regions: NDArray[np.integer], label: int, box: tuple[int, int, int, int]) -> bool:
        """Whether region ``label`` of ``regions`` (its bounding box x, y, w, h in px) is bounded
        mostly by a large wall network rather than by a small frame of its own."""
        x, y, w, h = box
        y0, x0 = max(y - 1, 0), max(x - 1, 0)
        region = (regions[y0 : y + h + 1, x0 : x + w + 1] == label).astype(np.uint8)
        ring = (cv2.dilate(region, np.ones((3, 3), np.uint8)) > 0) & (region == 0)
        walls = self.labels[y0 : y + h + 1, x0 : x + w + 1][ring]
        walls = walls[walls > 0]
        if walls.size == 0:
            return False
        network = int(np.bincount(walls).argmax())
        return bool(self.size[network] >= BUILDING_SHARE * self.largest)


EXTERIOR_GAP_T = 6.0
"""Gaps in the building's outline up to this many wall thicknesses wide (an entrance door or a
doorway to a balcony whose jambs are too short to trace) are bridged when telling the outside from
the rooms: a hall behind the front door is a room, not part of the outside."""


MAX_BRIDGED_SHARE = 0.5
"""A free region cut from the outside by the closing of :func:`outside`, more than this share of which
that closing filled, is no room (the space between the building and a label beside it)."""


def outside(blocked: Mask, thickness: float) -> tuple[Mask, Mask]:
    """Free pixels (H, W) of the outside: connected to the image border once the gaps of the building's
    outline narrower than ``EXTERIOR_GAP_T`` × ``thickness`` px are closed (a morphological closing of
    the room-bounding pixels ``blocked``); and the free pixels that closing filled (narrow gaps,
    notches, the space between the building and a label beside it)."""
    k = max(3, round(EXTERIOR_GAP_T * thickness)) | 1
    pad = k + 1
    padded = cv2.copyMakeBorder(blocked.astype(np.uint8), pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=0)
    closed = cv2.morphologyEx(padded, cv2.MORPH_CLOSE, np.ones((k, k), np.uint8))[pad:-pad, pad:-pad] > 0
    # the outside is what a disc k across reaches from the border: a gap narrower than k lets it through
    # nowhere, even at a corner of the outline, where a square closing leaves a gap open
    free = (padded == 0).astype(np.uint8)
    core = _touching_border(cv2.distanceTransform(free, cv2.DIST_L2, 5) > k / 2)
    reach = cv2.distanceTransform((~core).astype(np.uint8), cv2.DIST_L2, 5)[pad:-pad, pad:-pad] <= k / 2 + 1
    return np.asarray(reach & ~blocked & _touching_border(~blocked)), np.asarray(
        closed & ~blocked
    )


def label_max(values: NDArray[Any], labels: NDArray[Any], count: int) -> NDArray[np.float64]:
    """The largest of the non-negative (H, W) ``values`` in each of the ``count`` labels of ``labels``
    (one pass; ``scipy.ndimage.maximum`` sorts every pixel, seconds on a 12 MP plan)."""
    out = np.zeros(count, np.float64)
    np.maximum.at(out, labels.ravel(), values.ravel().astype(np.float64))
    return out


def _touching_border(free: Mask) -> Mask:
    """The pixels of the 4-connected components of an (H, W) mask that touch the image border."""
    _, labels = cv2.connectedComponents(free.astype(np.uint8), connectivity=4)
    edge = np.unique(np.concatenate([labels[0], labels[-1], labels[:, 0], labels[:, -1]]))
    return np.asarray(np.isin(labels, edge[edge > 0]) & free)


def find_rooms(
    shape: tuple[int, int],
    segments: list[Segment],
    closures: list[Segment],
    walls: Mask,
    min_area_px: float,
    thickness: float,
    min_half_width_px: float = 0.0,
    ink: Mask | None = None,
    model: PartModel | bool | None = True,
    record: list[tuple[Polygon, str, NDArray[np.float64]]] | None = None,
) -> list[Polygon]:
    """Room polygons in plan pixels, largest first: enclosed free regions of at least ``min_area_px``
    whose widest point is at least 2 × ``min_half_width_px`` across (no slivers between lines).

    Regions framed by a small wall network of their own (text boxes, legends) are not rooms. With the
    plan's ``ink`` (H, W), closets drawn in thin line inside a room are rooms of their own
    (:func:`carve_closets`). A region that narrows to a neck between two room-sized parts is split
    there (:func:`split_necks`). The learned check of room parts (:class:`PartCheck`; ``model`` True: the
    trained one if its file is there, None or False: none) turns down closets and sides of a neck that are
    no rooms, which stay part of the room they were cut from. With ``record`` a list, every candidate part
    is appended to it as (polygon in plan px, source, features) for training the check.
    """
    blocked = wall_raster(shape, segments, closures, walls)
    out, bridged = outside(blocked, thickness)
    free = (~blocked & ~out).astype(np.uint8)
    was_outside = _touching_border(~blocked)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(free, connectivity=4)
    dist = cv2.distanceTransform(free, cv2.DIST_L2, 3)
    half_width = label_max(dist, labels, count)
    h, w = shape
    building = _Building(blocked)
    m = CLOSET_MARGIN_PX  # the walls round a region, for its closets to stand against
    padded_blocked, padded_walls = np.pad(blocked, m), np.pad(walls, m)
    padded_ink = np.pad(ink, m) if ink is not None else None
    check = PartCheck(model, min_area_px, min_half_width_px, record)
    rooms: list[Polygon] = []
    for label in range(1, count):
        x, y, bw, bh, area = stats[label]
        if area < min_area_px or half_width[label] < min_half_width_px:
            continue
        if x == 0 or y == 0 or x + bw >= w or y + bh >= h:
            continue
        region = np.asarray(labels[y : y + bh, x : x + bw] == label)
        if was_outside[y : y + bh, x : x + bw][region].any() and (
            bridged[y : y + bh, x : x + bw][region].mean() > MAX_BRIDGED_SHARE
        ):
            continue  # cut from the outside, mostly by what the closing filled: a gap, not a room
        if not building.encloses(np.asarray(labels), label, (x, y, bw, bh)):
            continue
        window = (slice(y, y + bh + 2 * m), slice(x, x + bw + 2 * m))  # in the padded rasters
        padded = np.pad(region, m)
        check.look_at(padded, padded_blocked[window], padded_walls[window],
                      padded_ink[window] if padded_ink is not None else None, (x - m, y - m), max(1.0, 0.3 * thickness))
        closets: list[Mask] = []
        if padded_ink is not None:
            carved = carve_closets(padded, padded_blocked[window], padded_ink[window], min_area_px, min_half_width_px)
            # a closet the check rejects (a bath, a bed, a counter) stays part of the room
            closets = check.keep(carved, "closet")
        rest = padded & ~np.any(closets, axis=0) if closets else padded
        necks = split_necks(rest, min_area_px, NECK_MAX * min_half_width_px)
        if len(necks) > 1:
            necks = check.merge(necks, "neck")  # a rejected side of a neck joins the side it borders most
        elif closets:
            check.describe(rest, "rest")
        elif not check.accepts(padded, "region"):
            continue  # a free region the check turns down (a bath, a counter traced as walls): no room
        for part in [*necks, *closets]:
            poly = region_polygon(part[m:-m, m:-m], max(1.0, 0.3 * thickness))
            if poly is None or poly.area < 0.5 * min_area_px:
                continue
            rooms.append(Polygon(np.asarray(poly.exterior.coords) + np.array([x, y], dtype=np.float64)))
    if ink is not None:
        taken, leaked = enclosed_rooms(out, blocked, ink, min_area_px, min_half_width_px)  # wide windows
        for x, y, region in leaked:
            for part in split_necks(region, min_area_px, NECK_MAX * min_half_width_px):
                poly = region_polygon(part, max(1.0, 0.3 * thickness))
                if poly is not None and poly.area >= 0.5 * min_area_px:
                    rooms.append(Polygon(np.asarray(poly.exterior.coords) + np.array([x, y], dtype=np.float64)))
        rooms += balconies(out & ~taken, blocked, ink, min_area_px, min_half_width_px)
    rooms.sort(key=lambda p: -p.area)
    return rooms


NECK_RATIO = 0.5
"""A free region narrows to a neck between two rooms (a doorway with no door or wall traced across it,
the opening from a hall into a living room) when the neck is at most this share as wide as each side
at its widest (the half widths of the distance transform: its saddle against its two peaks)."""
NECK_MIN_AREA = 4.0
"""Both sides of a neck cover at least this many times the least room area (a nook is no room)."""
NECK_DEPTH = 3
"""A region is split at its narrowest neck, and its parts again, this many times at most."""
NECK_STEP = 0.02
"""The levels tried rise by this share of the region's widest half width (at least a pixel)."""
NECK_MAX = 4.0
"""A neck is at most this many least room half widths across at its saddle (4 × 0.2 m: 1.6 m, a double
doorway): wider openings between two parts of a region are an open plan, one room."""


def split_necks(region: Mask, min_area_px: float, max_neck_px: float = float("inf"), depth: int = 0) -> list[Mask]:
    """The free ``region`` (h, w) split at its necks (``NECK_RATIO``): for rising levels of its distance
    transform, the first at which it falls apart into two or more cores each twice as wide as the level
    (``NECK_RATIO`` 0.5), every pixel going to the nearest core, when every part is room-sized
    (``NECK_MIN_AREA`` × ``min_area_px``) and the level at most ``max_neck_px``; each part split again up
    to ``NECK_DEPTH`` times. The region itself (a one-item list) when it has no such neck."""
    # islands inside the region (a label traced as wall strokes, a fixture) leave it whole: a neck runs
    # between the walls round it, and a room narrowed between a wall and its label is still one room
    solid = ~_touching_border(~np.pad(region, 1))
    d = cv2.distanceTransform(solid.astype(np.uint8), cv2.DIST_L2, 3)[1:-1, 1:-1]
    peak = float(d.max())
    tau = 1.0
    while tau <= min(NECK_RATIO * peak, max_neck_px):
        count, lab = cv2.connectedComponents((d > tau).astype(np.uint8), connectivity=4)
        if count > 2:
            peaks = label_max(d, lab, count)
            big = [k for k in range(1, count) if peaks[k] * NECK_RATIO >= tau]
            if len(big) >= 2:
                cores = np.isin(lab, big)
                _, idx = ndimage.distance_transform_edt(~cores, return_indices=True)
                nearest = lab[idx[0], idx[1]]
                parts = [region & (nearest == k) for k in big]
                if all(float(part.sum()) >= NECK_MIN_AREA * min_area_px for part in parts):
                    if depth + 1 >= NECK_DEPTH:
                        return parts
                    return [q for part in parts for q in split_necks(part, min_area_px, max_neck_px, depth + 1)]
        tau += max(1.0, NECK_STEP * peak)  # the levels a pixel apart on a small plan, fewer on a 12 MP one
    return [region]


BALCONY_WALL_SHARE = 0.2
"""A balcony (or a terrace) is a region of the outside that thin lines (its railing) close against the
building: at least this share of its outline runs along the walls."""
BALCONY_HALF_WIDTH = 2.5
"""and it is this many times the least room half width deep somewhere (the swing of an entrance door
outside, cut off by a dimension line, is narrower),"""
BALCONY_FILL = 0.8
"""and it fills at least this share of its least rotated bounding rectangle,"""
BALCONY_MAX_ASPECT = 5.0
"""and it is at most this many times longer than deep (the strip between a wall and a dimension line
drawn along it is longer)."""


def balconies(out: Mask, blocked: Mask, ink: Mask, min_area_px: float, min_half_width_px: float) -> list[Polygon]:
    """Balconies and terraces (plan px): parts of the ``out`` side (H, W) of the building that the thin
    ``ink`` lines close off from the image border, rectangular (``BALCONY_FILL``), against the building's
    walls (``blocked``; ``BALCONY_WALL_SHARE``) and not too long for their depth."""
    lines = cv2.dilate((ink & out).astype(np.uint8), np.ones((3, 3), np.uint8)) > 0
    inner = (out & ~lines).astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(inner, connectivity=4)
    half_width = label_max(cv2.distanceTransform(inner, cv2.DIST_L2, 3), labels, count)
    near_wall = cv2.dilate(blocked.astype(np.uint8), np.ones((7, 7), np.uint8)) > 0
    h, w = out.shape
    x, y, bw, bh, areas = (stats[:, i].astype(np.int64) for i in range(5))
    inside = (x > 0) & (y > 0) & (x + bw < w) & (y + bh < h)
    sized = inside & (areas >= min_area_px) & (half_width >= BALCONY_HALF_WIDTH * min_half_width_px)
    sized &= areas >= 0.5 * BALCONY_FILL * bw * bh
    found: list[Polygon] = []
    for label in np.flatnonzero(sized[1:]) + 1:
        y0, x0, y1, x1 = max(y[label] - 3, 0), max(x[label] - 3, 0), y[label] + bh[label] + 3, x[label] + bw[label] + 3
        part = (labels[y0:y1, x0:x1] == label).astype(np.uint8)
        if not _rectangular(part, float(areas[label]), BALCONY_FILL, BALCONY_MAX_ASPECT):
            continue
        grown = cv2.dilate(part, np.ones((5, 5), np.uint8)) > 0
        if float(near_wall[y0:y1, x0:x1][grown & (part == 0)].mean()) < BALCONY_WALL_SHARE:
            continue
        poly = region_polygon(grown & out[y0:y1, x0:x1], 1.0)
        if poly is not None:
            found.append(Polygon(np.asarray(poly.exterior.coords) + np.array([x0, y0], dtype=np.float64)))
    return found


CORNER_STEP = 0.4
"""A rectangular region fills its bounding rectangle's corners: the point this share of the way from each
corner to the centre is inside it (the swing of a door, a quarter disc, leaves one corner empty)."""


def _rectangular(part: NDArray[np.uint8], area: float, fill: float, max_aspect: float = float("inf")) -> bool:
    """Whether the region ``part`` (h, w; 1 inside) of ``area`` px fills at least ``fill`` of its least
    rotated bounding rectangle and every corner of it (``CORNER_STEP``), and is at most ``max_aspect``
    times longer than wide."""
    contours, _ = cv2.findContours(part, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    box = cv2.minAreaRect(max(contours, key=cv2.contourArea))
    (cx, cy), (rw, rh), _ = box
    if area < fill * max(rw * rh, 1.0) or max(rw, rh) > max_aspect * max(min(rw, rh), 1.0):
        return False
    tolerant = cv2.dilate(part, np.ones((3, 3), np.uint8))
    h, w = part.shape
    for corner in cv2.boxPoints(box):
        px, py = corner + CORNER_STEP * (np.array([cx, cy]) - corner)
        if not tolerant[min(max(round(py), 0), h - 1), min(max(round(px), 0), w - 1)]:
            return False
    return True


CLOSET_MARGIN_PX = 4
"""How far round a room its walls are looked at for the closets in it (px; rooms never touch the border)."""
CLOSET_MAX_SHARE = 0.3
"""A closet drawn inside a room takes at most this share of the room's free area."""
CLOSET_FILL = 0.8
"""and fills at least this share of its least rotated bounding rectangle (furniture seldom does: a bed
holds its pillows, a table its chairs, a sofa its cushions)."""
CLOSET_MAX_ASPECT = 4.0
"""and it is at most this many times longer than deep (a run of kitchen cabinets along a wall is longer)."""
CLOSET_WALL_SHARE = 0.4
"""and at least this share of its outline runs along the room's walls (a closet stands against them)."""
CLOSET_HALF_WIDTH = 0.5
"""and it is at least this share of the least room half width across (linen cupboards, ducts and shallow
wardrobes are narrower than rooms; the learned check turns down the furniture this lets through)."""
CLOSET_AREA = 0.5
"""and its area is at least this share of the least room area."""


def carve_closets(region: Mask, blocked: Mask, ink: Mask, min_area_px: float, min_half_width_px: float) -> list[Mask]:
    """Closets drawn in thin line inside a room (their fronts bifold, sliding or hinged doors drawn
    across the room's free space): the parts of the room's free ``region`` (h, w) that its thin
    ``ink`` lines cut off, rectangular, against the walls (``blocked``, h, w) and at most
    ``CLOSET_MAX_SHARE`` of it. Each is returned as a mask (h, w), grown back over the lines that
    bound it (at most 2 px)."""
    lines = cv2.dilate((ink & region).astype(np.uint8), np.ones((3, 3), np.uint8)) > 0
    inner = (region & ~lines).astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(inner, connectivity=4)
    total = float(region.sum())
    near_wall = cv2.dilate(blocked.astype(np.uint8), np.ones((7, 7), np.uint8)) > 0
    dist = cv2.distanceTransform(inner, cv2.DIST_L2, 3)
    half_width = label_max(dist, labels, count)
    half_width[0] = 0.0
    found: list[Mask] = []
    h, w = region.shape
    areas = stats[:, cv2.CC_STAT_AREA].astype(np.float64)
    boxes = (stats[:, cv2.CC_STAT_WIDTH] * stats[:, cv2.CC_STAT_HEIGHT]).astype(np.float64)
    # not even half its upright box: far from a rectangle however it is turned
    sized = (areas >= CLOSET_AREA * min_area_px) & (areas <= CLOSET_MAX_SHARE * total)
    sized &= areas >= 0.5 * CLOSET_FILL * boxes
    for label in np.flatnonzero(sized & (half_width >= CLOSET_HALF_WIDTH * min_half_width_px)):
        x, y, bw, bh, area = (int(v) for v in stats[label])
        y0, x0, y1, x1 = max(y - 3, 0), max(x - 3, 0), min(y + bh + 3, h), min(x + bw + 3, w)
        part = (labels[y0:y1, x0:x1] == label).astype(np.uint8)
        if not _rectangular(part, area, CLOSET_FILL, CLOSET_MAX_ASPECT):
            continue
        grown = cv2.dilate(part, np.ones((5, 5), np.uint8)) > 0
        ring = grown & (part == 0)
        if float(near_wall[y0:y1, x0:x1][ring].mean()) < CLOSET_WALL_SHARE:
            continue
        closet = np.zeros_like(region)
        closet[y0:y1, x0:x1] = grown & region[y0:y1, x0:x1]
        found.append(closet)
    return found


PART_SOURCES = ("region", "rest", "closet", "neck")
"""Where a candidate room part comes from: a whole free region, what is left of one once its closets are
carved, a closet carved from one (:func:`carve_closets`), a side of a neck (:func:`split_necks`)."""
PART_FEATURES = (
    *(f"src_{s}" for s in PART_SOURCES), "log_area", "share", "fill", "aspect", "log_half_width",
    "wall_edge", "room_edge", "ink_edge", "ink_inside", "log_region", "gap_edge", "ink_beyond",
)
"""The numbers a candidate room part is described by, in the model's order (:meth:`PartCheck.features`)."""
PART_MODEL_PATH = Path(__file__).with_name("room_model.json")
PART_EDGE_PX = 2
"""A part's edge is looked at this many px either side of its outline (a closet is grown 2 px over the
thin line that fronts it)."""
PART_NEAR_WALL_PX = 3
"""An edge pixel within this many px of a wall runs along the wall."""


class PartModel(TreeModel):
    """The check of room parts: boosted trees over ``PART_FEATURES``; a candidate part below ``threshold``
    is no room of its own."""

    FEATURE_NAMES = PART_FEATURES


def load_part_model(path: Path = PART_MODEL_PATH) -> PartModel | None:
    """The trained check, or None when the file is missing or was trained on other features."""
    return PartModel.load(path)


_PART_MODEL: dict[Path, PartModel | None] = {}


def _cached_part_model() -> PartModel | None:
    if PART_MODEL_PATH not in _PART_MODEL:
        _PART_MODEL[PART_MODEL_PATH] = load_part_model()
    return _PART_MODEL[PART_MODEL_PATH]


class PartCheck:
    """The learned check of the candidate parts of one free region at a time (:meth:`look_at`): closets
    and sides of a neck it turns down stay part of the room they were cut from. Without a model every
    part is kept (the rules alone)."""

    def __init__(self, model: PartModel | bool | None, min_area_px: float, min_half_width_px: float,
                 record: list[tuple[Polygon, str, NDArray[np.float64]]] | None = None) -> None:
        self.model = _cached_part_model() if model is True else (model or None)
        self.min_area, self.min_half = max(min_area_px, 1.0), max(min_half_width_px, 1.0)
        self.record = record

    def look_at(self, region: Mask, blocked: Mask, walls: Mask, ink: Mask | None, offset: tuple[int, int],
                epsilon: float) -> None:
        """The next free ``region`` (h, w), the room-bounding pixels, the wall pixels seen in the drawing and
        the thin ink round it (h, w), where its window sits in the plan (x, y px) and the outline
        simplification (px)."""
        self.region, self.ink, self.offset, self.epsilon = region, ink, offset, epsilon
        self.blocked, self.walls = blocked, walls
        self.region_area = max(float(region.sum()), 1.0)

    def features(self, part: Mask, source: str) -> NDArray[np.float64]:
        """The ``PART_FEATURES`` of a candidate ``part`` (h, w) of the current region."""
        x, y, w, h = cv2.boundingRect(part.astype(np.uint8))
        pad = PART_EDGE_PX + PART_NEAR_WALL_PX + 1
        y0, x0 = max(y - pad, 0), max(x - pad, 0)
        window = (slice(y0, y + h + pad), slice(x0, x + w + pad))
        p = part[window].astype(np.uint8)
        area = float(p.sum())
        contours, _ = cv2.findContours(p, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
        (_, _), (rw, rh), _ = cv2.minAreaRect(max(contours, key=cv2.contourArea))
        half = float(cv2.distanceTransform(p, cv2.DIST_L2, 3).max())
        k = np.ones((2 * PART_EDGE_PX + 1, 2 * PART_EDGE_PX + 1), np.uint8)
        grown = cv2.dilate(p, k) > 0
        edge = grown & ~(cv2.erode(p, k) > 0)
        near = np.ones((2 * PART_NEAR_WALL_PX + 1,) * 2, np.uint8)
        near_wall = cv2.dilate(self.blocked[window].astype(np.uint8), near) > 0
        outside_edge = grown & (p == 0)
        room = self.region[window] & (p == 0)  # the rest of the region beside the part
        thin = self.ink[window] if self.ink is not None else np.zeros_like(room)
        open_edge = edge & ~near_wall
        inner = cv2.erode(p, k) > 0
        # a doorway: the outline runs along a wall line drawn across a gap (an opening closed) rather than
        # along wall pixels of the drawing; furniture traced as walls has none
        seen = cv2.dilate(self.walls[window].astype(np.uint8), near) > 0
        gap = edge & near_wall & ~seen
        # the fronts of a closet (bifold, sliding doors, a swing) put ink just outside it in the room
        beyond = (cv2.dilate(p, np.ones((4 * PART_EDGE_PX + 5,) * 2, np.uint8)) > 0) & ~grown & room
        return np.array([
            *(float(source == s) for s in PART_SOURCES),
            math.log(area / self.min_area), area / self.region_area, area / max(rw * rh, 1.0),
            max(rw, rh) / max(min(rw, rh), 1.0), math.log(max(half, 0.5) / self.min_half),
            float(near_wall[edge].mean()) if edge.any() else 0.0,
            float(room[outside_edge].mean()) if outside_edge.any() else 0.0,
            float(thin[open_edge].mean()) if open_edge.any() else 0.0,
            float(thin[inner].mean()) if inner.any() else 0.0,
            math.log(self.region_area / self.min_area),
            float(gap.sum()) / max(float(edge.sum()), 1.0),
            float(thin[beyond].mean()) if beyond.any() else 0.0,
        ])

    def describe(self, part: Mask, source: str) -> float:
        """The probability that ``part`` is a room of its own (1 without a model); recorded if asked."""
        if self.model is None and self.record is None:
            return 1.0
        x = self.features(part, source)
        if self.record is not None:
            poly = region_polygon(part, self.epsilon)
            if poly is not None:
                shifted = Polygon(np.asarray(poly.exterior.coords) + np.array(self.offset, dtype=np.float64))
                self.record.append((shifted, source, x))
        return 1.0 if self.model is None else float(self.model.probability(x[None])[0])

    def accepts(self, part: Mask, source: str) -> bool:
        """Whether the check takes ``part`` for a room of its own (always without a model)."""
        p = self.describe(part, source)
        return self.model is None or p >= self.model.threshold

    def keep(self, parts: list[Mask], source: str) -> list[Mask]:
        """The candidate ``parts`` the check accepts."""
        threshold = self.model.threshold if self.model is not None else 0.0
        return [part for part in parts if self.describe(part, source) >= threshold]

    def merge(self, parts: list[Mask], source: str) -> list[Mask]:
        """The sides of a neck, each one the check turns down (least likely first) joined to the side it
        borders most; the region whole when it turns them all down but one."""
        scores = [self.describe(part, source) for part in parts]
        if self.model is None:
            return parts
        parts = list(parts)
        k = np.ones((3, 3), np.uint8)
        while len(parts) > 1:
            worst = int(np.argmin(scores))
            if scores[worst] >= self.model.threshold:
                break
            grown = cv2.dilate(parts[worst].astype(np.uint8), k) > 0
            shared = [float((grown & other).sum()) if i != worst else -1.0 for i, other in enumerate(parts)]
            into = int(np.argmax(shared))
            parts[into] = parts[into] | parts[worst]
            scores[into] = max(scores[into], scores[worst])
            del parts[worst], scores[worst]
        return parts
