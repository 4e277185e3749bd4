"""The vectorizer pipeline: intake → rectify → walls → openings → scale → rooms → FloorPlan."""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import cv2
import numpy as np
from numpy.typing import NDArray
from pydantic import ValidationError

from backend.design.model import Door, FloorPlan, PlanSource, Point, Room, ScaleInfo, Wall, Window
from backend.errors import InvalidInput
from backend.floorplan import dimensions, graph, intake, ocr, openings, rectify, rooms, scale, vanishing, walls
from backend.floorplan.openings import Opening
from backend.floorplan.result import FloorplanResult, RoomLabel, ScaleLine, VectorizeOptions
from backend.floorplan.segments import Segment, angle_diff, rectangle

MAX_COORD_MM = 1_000_000.0
"""Plans larger than a kilometre mean the scale is wrong."""
MIN_ROOM_HALF_WIDTH_MM = 200.0
"""A room is at least 0.4 m wide somewhere (narrower enclosed strips are wall cavities or panes)."""
MAX_PRIOR_EXTENT_MM = 60_000.0
"""A guessed (prior) scale is capped so the whole image spans at most 60 m."""


@dataclass
class Frame:
    """The rectified working image and how it relates to the photo."""

    gray: NDArray[np.uint8]
    ink: NDArray[np.bool_]
    faint: NDArray[np.bool_]
    photo_to_plan: rectify.Homography
    style: walls.WallStyle
    photo_shape: tuple[int, int]
    paper: NDArray[np.float64] | None = None
    """Outline (N, 2) of the sheet in plan pixels where the photo shows the table but not the whole
    sheet (outside it the light-flattened images are painted white); None otherwise."""
    warnings: list[str] = field(default_factory=list)


@dataclass
class Traced:
    """Wall pixels, cleaned segments, their openings and room-closing lines (plan pixels)."""

    mask: NDArray[np.bool_]
    segments: list[Segment]
    openings: list[list[Opening]]
    closures: list[Segment]
    thickness: float


class _Timer:
    def __init__(self) -> None:
        self.timings: dict[str, float] = {}

    @contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.timings[stage] = round(time.perf_counter() - start, 4)


MAX_RECTIFIED_GROWTH = 3.0
"""A perspective correction may enlarge the photo at most this much (more: the lines misled it)."""


def undo_perspective(pv: NDArray[np.uint8]) -> tuple[rectify.Homography, tuple[int, int], str]:
    """Homography from the preview to a fronto-parallel view, its output size (w, h) and what was done:
    the sheet of paper when all its edges show, else the drawing's own perpendicular lines (the plan
    fills the frame, or the sheet runs out of it), else nothing (a scan, or a photo taken straight on:
    deskewing follows)."""
    sheet = rectify.find_sheet(pv)
    if sheet is not None:
        return (rectify.sheet_homography(sheet), (sheet.width_px, sheet.height_px),
                "found the sheet of paper in the photo and removed the perspective")
    found = vanishing.perspective(pv)
    size = (pv.shape[1], pv.shape[0])
    if found is not None:
        h, w, hh = rectify.fit_output(found[0], *size)
        if w * hh <= MAX_RECTIFIED_GROWTH * size[0] * size[1]:
            return h, (w, hh), f"removed the perspective of a photo taken {found[1]:.0f}° off straight"
    return np.eye(3), size, ""


def rectify_photo(gray: NDArray[np.uint8], opts: VectorizeOptions) -> Frame:
    """Find the sheet, deskew, pick the working resolution and binarize (see :mod:`rectify`)."""
    pv, f = rectify.preview(gray)
    notes: list[str] = []
    h1, size1, note = undo_perspective(pv)
    paper = None if note.startswith("found the sheet") else rectify.paper_outline(pv)  # the table shows
    if note:
        pv = rectify.warp(pv, h1, size1)
        notes.append(note)
    ink_pv = rectify.binarize(rectify.whiten_outside(rectify.flatten_light(pv), _mapped(paper, h1)))
    angle = rectify.skew_angle(ink_pv)
    h2, w2, hh2 = rectify.fit_output(rectify.rotation_about(angle, (size1[0] / 2, size1[1] / 2)), *size1)
    if angle:
        notes.append(f"deskewed by {angle:.1f}°")
    style_pv = walls.estimate_style(ink_pv)
    wall_full = style_pv.thickness / f
    target = opts.target_wall_px * (1.5 if style_pv.outlined else 1.0)
    s = intake.working_scale(wall_full, (round(hh2 / f), round(w2 / f)), target, opts.max_working_side_px)
    photo_to_plan = rectify.scaling(s / f) @ h2 @ h1 @ rectify.scaling(f)
    size = (max(1, math.ceil(w2 * s / f)), max(1, math.ceil(hh2 * s / f)))
    paper_px = _mapped(paper, rectify.scaling(s / f) @ h2 @ h1)
    work = rectify.warp(gray, photo_to_plan, size)
    norm = rectify.whiten_outside(rectify.flatten_light(work), paper_px)
    ink = rectify.binarize(norm)
    faint = rectify.binarize(norm, faint=True)
    close_px = max(3, round(style_pv.close_px * s / f)) if style_pv.close_px > 3 else 3
    style = walls.estimate_style(ink, like=walls.WallStyle(0.0, style_pv.outlined, close_px))
    return Frame(work, ink, faint, photo_to_plan, style, (gray.shape[0], gray.shape[1]), paper_px, notes)


def _mapped(points: NDArray[np.float64] | None, h: rectify.Homography) -> NDArray[np.float64] | None:
    """Points (N, 2) through a homography; None stays None."""
    if points is None:
        return None
    return np.asarray(cv2.perspectiveTransform(points.reshape(-1, 1, 2), h).reshape(-1, 2), dtype=np.float64)


MIN_SOLID_WALL_T = 0.25
"""Where walls are drawn solid, strokes thinner than this fraction of the typical wall are furniture,
fixtures or lettering (outlined or hatched walls, once thinned by their outline, may be this thin)."""


def trace(frame: Frame) -> Traced:
    """Wall mask → raw segments → cleaned graph → openings and room closures (free ends extended or
    closed, doorways beside wall ends, drawn doors where they shut)."""
    style = frame.style
    mask, hatched = walls.wall_mask(frame.ink, style.thickness, style.outlined, style.close_px, frame.gray)
    raw = walls.trace_walls(mask, style.thickness)
    drawn_solid = not (style.outlined or hatched or walls.grey_inside(frame.gray, mask))
    if not drawn_solid:  # outlines sit centred on faces
        line = walls.line_width(frame.ink, style.thickness)
        for seg in raw:
            seg.thickness = max(1.0, seg.thickness - line)
    t = style.thickness
    if raw:
        t = float(np.average([s.thickness for s in raw], weights=[s.length for s in raw]))
    probe = openings.thin_ink(frame.faint, frame.faint, t)
    raw = [s for s in raw if not openings.is_door_leaf(probe, s, style.thickness)]
    if drawn_solid:
        raw = [s for s in raw if s.thickness >= MIN_SOLID_WALL_T * t]
    segments = _split_long_passages(frame.faint, graph.clean(raw, t, _window_rows(frame.faint, raw, t)), t)
    closures = _close_free_ends(frame.faint, segments, t)
    _fill_slits(segments, t)
    found = openings.find_openings(frame.faint, mask, segments, t)
    keep = _not_door_leaves(segments, found, t)
    segments = [s for s, k in zip(segments, keep, strict=True) if k]
    found = [f for f, k in zip(found, keep, strict=True) if k]
    closures += _doorway_closures(frame.faint, segments, t, closures)
    closures += _door_symbol_closures(frame.faint, mask, t)
    return Traced(mask, segments, found, closures, t)


MIN_OPENING_T = 1.5
"""Gaps narrower than this many wall thicknesses are no door or window: slits left where a crossing
wall's pixels went to the other axis."""


def _fill_slits(segments: list[Segment], t: float) -> None:
    """Drop the gaps narrower than ``MIN_OPENING_T`` × t (px) from every segment, in place."""
    for seg in segments:
        seg.gaps = [(a, b) for a, b in seg.gaps if b - a >= MIN_OPENING_T * t]


MIN_WINDOW_T = 2.0
"""Windows between the piers of an outer wall are at least this many wall thicknesses wide (the
spaces between the letters of a bold label are narrower)."""


def _window_rows(ink: NDArray[np.bool_], raw: list[Segment], t: float) -> list[Segment]:
    """Short wall pieces lined up in a row whose every gap is a window: the piers of an outer wall
    between its windows (a bold label also lines up, but its letters show no window between them)."""
    probe = openings.thin_ink(ink, ink, t)
    kept: list[Segment] = []
    for row, parts in graph.short_rows(raw, t):
        if all(
            b - a >= MIN_WINDOW_T * t and openings.classify_gap(probe, row, a, b, ink).kind == "window"
            for a, b in row.gaps
        ):
            kept += parts
    return kept


MAX_LEAF_THICKNESS = 0.85
"""A drawn door leaf is thinner than this fraction of the wall it opens in (a full-thickness stroke
starting at a hinge is the next wall)."""


def _not_door_leaves(segments: list[Segment], found: list[list[Opening]], t: float) -> list[bool]:
    """False for segments that are the drawn leaf of a found door: they start at its hinge,
    stand across its wall, are thinner than it and about as long as the door is wide."""
    keep = [True] * len(segments)
    for wall, ops in zip(segments, found, strict=True):
        for op in ops:
            if op.kind != "door" or op.swing == "none":
                continue
            hinge = wall.point_at(op.start if op.hinge == "start" else op.end)
            for j, seg in enumerate(segments):
                if seg is wall or angle_diff(seg.angle_deg, wall.angle_deg) < 60:
                    continue
                if seg.thickness >= MAX_LEAF_THICKNESS * wall.thickness:
                    continue
                near = min(float(np.linalg.norm(seg.p - hinge)), float(np.linalg.norm(seg.q - hinge)))
                if near <= wall.thickness / 2 + t and 0.5 * op.width <= seg.length <= 1.3 * op.width:
                    keep[j] = False
    return keep


def _split_long_passages(ink: NDArray[np.bool_], segments: list[Segment], t: float) -> list[Segment]:
    """Split walls at long gaps that show neither a door nor a window (two separate walls)."""
    probe = openings.thin_ink(ink, ink, t)
    out: list[Segment] = []
    todo = list(segments)
    while todo:
        seg = todo.pop()
        for i, (a, b) in enumerate(seg.gaps):
            if b - a > graph.MAX_PASSAGE_T * t and openings.classify_gap(probe, seg, a, b, ink).kind == "passage":
                first, second = graph.split_at_gap(seg, i)
                todo += [part for part in (first, second) if part.length >= 2 * t]
                break
        else:
            out.append(seg)
    return out


def _close_free_ends(ink: NDArray[np.bool_], segments: list[Segment], t: float) -> list[Segment]:
    """Extend free ends that stop short of a wall: into openings if one is drawn, else as room closures."""
    closures: list[Segment] = []
    for i, end, dist in graph.free_end_rays(segments, t):
        seg = segments[i]
        if dist <= 1.5 * t:
            graph.extend_end(seg, end, dist, as_gap=False)
            continue
        origin = seg.p if end == 0 else seg.q
        outward = -seg.direction if end == 0 else seg.direction
        probe = Segment(origin, origin + outward * dist, seg.thickness)
        if dist >= 2.5 * t and openings.has_evidence(ink, probe, 0.0, dist, t):
            graph.extend_end(seg, end, dist, as_gap=True)
        else:
            closures.append(probe)
    return closures


MAX_DOORWAY_T = 10.0
"""A doorway closed from a free wall end is at most this many wall thicknesses wide."""
MIN_DOORWAY_T = 2.5
"""A free end nearer than this many thicknesses to another wall is a loose joint, not a doorway."""


def _doorway_closures(
    ink: NDArray[np.bool_], segments: list[Segment], t: float, closures: list[Segment]
) -> list[Segment]:
    """Room-closing lines from free wall ends (where no closure starts yet) to the nearest wall across a
    drawn door or window, whatever the direction: an entrance door beside the end of a wall (plan px).
    Run it once door leaves are gone, or a leaf's tip is closed against its own swing."""
    probe = openings.thin_ink(ink, ink, t)
    starts = [c.p for c in closures]
    lines: list[Segment] = []
    for i, seg in enumerate(segments):
        for end in (0, 1):
            origin = seg.p if end == 0 else seg.q
            if seg.snapped[end] or any(float(np.linalg.norm(origin - p)) < 1.0 for p in starts):
                continue
            line = _doorway(ink, probe, segments, i, end, t)
            if line is not None:
                lines.append(line)
    return lines


def _doorway(
    ink: NDArray[np.bool_], probe: NDArray[np.bool_], segments: list[Segment], i: int, end: int, t: float
) -> Segment | None:
    """The line from an end of segment ``i`` to the nearest wall point (within ``MAX_DOORWAY_T`` × t,
    not back along itself) across which a door or window is drawn; None if the end as good as meets
    a wall (closer than ``MIN_DOORWAY_T`` × t) or no such line is found. ``probe``: thickened ink."""
    seg = segments[i]
    origin = seg.p if end == 0 else seg.q
    outward = -seg.direction if end == 0 else seg.direction
    for dist, point in graph.nearest_points(segments, i, end, MAX_DOORWAY_T * t):
        if dist < MIN_DOORWAY_T * t:
            return None
        if float((point - origin) @ outward) < 0:
            continue
        line = Segment(origin.copy(), point, seg.thickness)
        if openings.classify_gap(probe, line, 0.0, dist, ink).kind != "passage":
            return line
    return None


def _door_symbol_closures(ink: NDArray[np.bool_], mask: NDArray[np.bool_], t: float) -> list[Segment]:
    """Room-closing lines where drawn doors shut (hinge to the tip's closed position), one wall
    thickness wide, so that a doorway closes even where its jambs are too short to trace (plan px)."""
    return [Segment(door.hinge.copy(), door.closed.copy(), t) for door in openings.door_symbols(ink, mask, t)]


def choose_scale(traced: Traced, frame: Frame, scale_line: ScaleLine | None, opts: VectorizeOptions) -> ScaleInfo:
    """User line if given, else the door/wall priors (OCR-based scale is tried by :func:`vectorize`)."""
    if scale_line is not None:
        return scale.from_user_line(scale_line, frame.photo_to_plan)
    widths = _door_widths(traced)
    info = scale.from_priors(widths, traced.thickness, opts.door_width_prior_mm, opts.wall_thickness_prior_mm)
    extent_px = float(max(frame.gray.shape))
    if extent_px * info.mm_per_px > MAX_PRIOR_EXTENT_MM:  # a guess must not make a 100 m flat
        info = ScaleInfo(method="prior", mm_per_px=MAX_PRIOR_EXTENT_MM / extent_px, confidence=0.05)
    return info


def ocr_view(photo: NDArray[np.uint8], frame: Frame, walls: list[Segment]) -> tuple[NDArray[np.uint8], float]:
    """The plan as OCR reads it, and its pixels per plan pixel: rectified from the photo like the
    working image but ``ocr.MAX_OCR_SIDE_PX`` on its longer side (the working image is sized for the
    walls, and its letters are often too small to read), light flattened, walls painted out (hatching
    is read as text otherwise, slowly)."""
    h, w = frame.gray.shape
    k = ocr.MAX_OCR_SIDE_PX / max(h, w)
    size = (max(1, round(w * k)), max(1, round(h * k)))
    image = rectify.warp(photo, rectify.scaling(k) @ frame.photo_to_plan, size)
    image = rectify.whiten_outside(rectify.flatten_light(image), None if frame.paper is None else frame.paper * k)
    for seg in walls:
        widened = Segment(seg.p * k, seg.q * k, seg.thickness * k + 4)
        cv2.fillPoly(image, [np.rint(rectangle(widened, widened.thickness / 2)).astype(np.int32)], 255)
    return image, k


DIMENSION_DEPTH = 0.03
"""Dimension text stands within this share of the plan's longer side from its line."""


def printed_scale(
    frame: Frame, traced: Traced, reading: ocr.Reading, view: tuple[NDArray[np.uint8], float] | None,
    guess: ScaleInfo,
) -> ScaleInfo | None:
    """The scale the plan prints: dimension lines first (they measure exactly what they say; the
    numbers OCR read beside lines, and when those do not agree twice, the numbers read along every
    dimension line found), then printed room sizes or areas compared with the rooms traced at the
    ``guess``; None when it prints none."""
    plausible = scale.Plausible(traced.thickness, tuple(_door_widths(traced)))
    dims = dimensions.find(frame.faint, reading.loose_words(), traced.thickness)
    info = dimensions.scale_from(dims, plausible)
    if view is not None and (info is None or info.confidence < 0.9):
        walls_px = cv2.dilate(traced.mask.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0
        found = dimensions.dimension_lines(frame.faint, walls_px, traced.thickness)
        depth = max(4 * traced.thickness, DIMENSION_DEPTH * max(frame.gray.shape))
        dims += dimensions.read_lines(*view, found, depth)
        info = dimensions.scale_from(dims, plausible) or info
    if info is None and any(lb.dims_m or lb.area_m2 for lb in reading.labels):
        provisional, _ = build_rooms(frame, traced, guess.mm_per_px)
        info = ocr.scale_from_labels(reading.labels, provisional, guess.mm_per_px, plausible)
    return info


def _door_widths(traced: Traced) -> list[float]:
    """Widths (plan px) of the single-leaf doors found."""
    return [o.width for ops in traced.openings for o in ops if o.kind == "door" and o.leaves == 1]


def _opening_model(op: Opening, ident: int, mm: float, length_mm: float) -> Door | Window | None:
    start = max(0.0, op.start * mm)
    width = min(op.width * mm, length_mm - start)
    if width <= 1.0:
        return None
    try:
        if op.kind == "window":
            return Window(id=f"win-{ident}", offset_mm=start, width_mm=min(width, 10_000))
        return Door(
            id=f"door-{ident}", offset_mm=start, width_mm=width, hinge=op.hinge, swing=op.swing, leaves=op.leaves
        )
    except ValidationError:  # outside the document's limits (e.g. > 5 m door): leave it out
        return None


def _point(v: NDArray[np.float64], mm: float) -> Point:
    x, y = float(v[0] * mm), float(v[1] * mm)
    if abs(x) > MAX_COORD_MM or abs(y) > MAX_COORD_MM:
        raise InvalidInput(
            "with this scale the plan would be larger than a kilometre; check the scale line",
            field="scale_line",
        )
    return Point(x=x, y=y)


def build_walls(traced: Traced, mm: float) -> tuple[list[Wall], dict[str, float]]:
    """Design-document walls (mm) with their openings, and a confidence per wall id."""
    result: list[Wall] = []
    confidence: dict[str, float] = {}
    opening_id = 0
    for seg, ops in zip(traced.segments, traced.openings, strict=True):
        length_mm = seg.length * mm
        if length_mm < 10.0:
            continue
        models: list[Door | Window] = []
        for op in sorted(ops, key=lambda o: o.start):
            opening_id += 1
            model = _opening_model(op, opening_id, mm, length_mm)
            if model is not None and (not models or model.offset_mm >= models[-1].offset_mm + models[-1].width_mm):
                models.append(model)
        wall_id = f"wall-{len(result) + 1}"
        start, end = _point(seg.p, mm), _point(seg.q, mm)
        thickness = min(max(seg.thickness * mm, 1.0), 2000.0)
        try:
            wall = Wall(id=wall_id, start=start, end=end, thickness_mm=thickness, openings=models)
        except ValidationError:  # openings the document refuses: keep the wall without them
            wall = Wall(id=wall_id, start=start, end=end, thickness_mm=thickness)
        result.append(wall)
        confidence[wall_id] = wall_confidence(seg, traced.thickness)
    return result, confidence


def wall_confidence(seg: Segment, t: float) -> float:
    """0..1: trust from the trace quality, joined ends and length relative to the wall thickness."""
    joined = sum(seg.snapped) / 2
    long_enough = min(1.0, seg.length / (6 * t))
    return round(float(np.clip(0.4 * seg.confidence + 0.35 * joined + 0.25 * long_enough, 0.0, 1.0)), 3)


def build_rooms(frame: Frame, traced: Traced, mm: float) -> tuple[list[Room], list[str]]:
    """Design-document rooms (mm) from enclosed free regions."""
    min_area_px = max((2.0 * traced.thickness) ** 2, 0.3e6 / mm**2)
    min_half_width_px = max(traced.thickness, MIN_ROOM_HALF_WIDTH_MM / mm)
    polys = rooms.find_rooms(
        frame.gray.shape,
        traced.segments,
        traced.closures,
        traced.mask,
        min_area_px,
        traced.thickness,
        min_half_width_px,
    )
    result: list[Room] = []
    notes: list[str] = []
    for poly in polys:
        coords = list(poly.exterior.coords)[:-1]
        try:
            result.append(Room(id=f"room-{len(result) + 1}", polygon=[_point(np.asarray(c), mm) for c in coords]))
        except ValidationError as exc:
            notes.append(f"dropped a room outline that was not a valid polygon ({exc.errors()[0]['msg']})")
    return result, notes


def vectorize(
    data: bytes, *, scale_line: ScaleLine | None = None, options: VectorizeOptions | None = None
) -> FloorplanResult:
    """Trace a floor plan photo/scan (JPEG, PNG, WebP or HEIC bytes) into walls, openings and rooms in mm
    (see :class:`FloorplanResult`; ``result.to_floor_plan()`` is the design document's plan).

    Raises ``PayloadTooLarge`` (> 25 MB), ``UnsupportedMedia`` (not an image we read) or
    ``InvalidInput`` (damaged, > 50 MP, or a scale line that makes no sense).
    """
    opts = options or VectorizeOptions()
    timer = _Timer()
    with timer("intake"):
        gray = intake.decode_gray(data)
    with timer("rectify"):
        frame = rectify_photo(gray, opts)
    with timer("walls_openings"):
        traced = trace(frame)
    notes = list(frame.warnings)
    with timer("ocr"):
        view = ocr_view(gray, frame, traced.segments) if opts.use_ocr else None
        reading = ocr.read_text(*view) if view is not None else ocr.Reading([], [], [])
    labels = reading.labels
    notes += reading.notes
    with timer("scale"):
        info = choose_scale(traced, frame, scale_line, opts)
        if scale_line is None:
            info = printed_scale(frame, traced, reading, view, info) or info
    with timer("rooms"):
        wall_models, confidence = build_walls(traced, info.mm_per_px)
        room_models, room_notes = build_rooms(frame, traced, info.mm_per_px)
        room_models, read = ocr.name_rooms(room_models, labels, info.mm_per_px)
        if info.method == "user_line":
            notes += ocr.area_warnings(room_models, labels, info.mm_per_px)
    notes += room_notes
    if info.method == "prior":
        notes.append(
            "scale guessed from typical door widths / wall thickness (low confidence): "
            "draw a scale line over a known length for exact millimetres"
        )
    if not wall_models:
        notes.append("no walls were found; is this a floor plan?")
    plan_to_photo = np.linalg.inv(frame.photo_to_plan)
    homography = (plan_to_photo / plan_to_photo[2, 2]).tolist()
    source = PlanSource(image_width_px=gray.shape[1], image_height_px=gray.shape[0], scale=info,
                        homography=homography, mm_per_plan_px=info.mm_per_px)
    return FloorplanResult(
        plan=FloorPlan(walls=wall_models, rooms=room_models, source=source),
        wall_confidence=confidence,
        homography=homography,
        mm_per_plan_px=info.mm_per_px,
        plan_width_px=frame.gray.shape[1],
        plan_height_px=frame.gray.shape[0],
        room_labels=[RoomLabel(room_id=rid, text=text[:200], printed_area_m2=area,
                               name=next((r.name for r in room_models if r.id == rid), ""))
                     for rid, text, area in read],
        warnings=notes,
        timings_s=timer.timings,
    )
