"""The vectorizer pipeline: intake → framing → tracing → OCR and scale → walls and rooms in mm.

:mod:`framing` rectifies the photo, :mod:`tracing` finds walls, openings and room closures in plan
pixels; here the scale is chosen and everything becomes design-document models in millimetres.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

import cv2
import numpy as np
from numpy.typing import NDArray
from pydantic import ValidationError
from shapely.geometry import Point as SPoint

from backend.design.model import Door, FloorPlan, PlanSource, Point, Room, ScaleInfo, Wall, Window
from backend.errors import InvalidInput
from backend.floorplan import aspect, dimensions, intake, ocr, rectify, rooms, scale
from backend.floorplan.framing import Frame, rectify_photo
from backend.floorplan.openings import Opening
from backend.floorplan.result import (
    FloorplanResult,
    Notice,
    RoomLabel,
    ScaleAxes,
    ScaleLine,
    VectorizeOptions,
    notice,
)
from backend.floorplan.segments import Segment, rectangle
from backend.floorplan.tracing import Traced, door_widths, trace, wall_pieces

MAX_COORD_MM = 1_000_000.0
"""Plans larger than a kilometre mean the scale is wrong."""
MIN_ROOM_HALF_WIDTH_MM = 200.0
"""A room is at least 0.4 m wide somewhere (narrower enclosed strips are wall cavities or panes)."""
MIN_ROOM_AREA_MM2 = 0.15e6
"""A room covers at least 0.15 m² (a shallow closet or a linen cupboard is a room on a plan)."""
MAX_PRIOR_EXTENT_MM = 60_000.0
"""A guessed (prior) scale is capped so the whole image spans at most 60 m."""


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

def choose_scale(traced: Traced, frame: Frame, opts: VectorizeOptions) -> ScaleInfo:
    """The door/wall priors (user lines and the printed scale are tried by :func:`vectorize`)."""
    widths = door_widths(traced)
    info = scale.from_priors(widths, traced.thickness, opts.door_width_prior_mm, opts.wall_thickness_prior_mm)
    extent_px = float(max(frame.gray.shape))
    if extent_px * info.mm_per_px > MAX_PRIOR_EXTENT_MM:  # a guess must not make a 100 m flat
        info = ScaleInfo(method="prior", mm_per_px=MAX_PRIOR_EXTENT_MM / extent_px, confidence=0.05)
    return info


OCR_PAINT_T = 4.0
"""Wall pieces shorter than this many typical wall thicknesses are not painted out of the OCR view."""
OCR_PAINT_SHARE = 0.6
"""Nor are wall pieces thinner than this share of the typical wall (partitions are not hatched)."""


def ocr_view(
    photo: NDArray[np.uint8], frame: Frame, walls: list[Segment], typical_px: float
) -> tuple[NDArray[np.uint8], float]:
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
        if seg.thickness < OCR_PAINT_SHARE * typical_px or seg.length < OCR_PAINT_T * typical_px:
            continue  # thin or short pieces may be strokes of text or ticks: painted out, the text breaks
        widened = Segment(seg.p * k, seg.q * k, seg.thickness * k + 4)
        cv2.fillPoly(image, [np.rint(rectangle(widened, widened.thickness / 2)).astype(np.int32)], 255)
    return image, k


DIMENSION_DEPTH = 0.03
"""Dimension text stands within this share of the plan's longer side from its line."""


def printed_scale(
    frame: Frame, traced: Traced, reading: ocr.Reading, view: tuple[NDArray[np.uint8], float] | None,
    guess: ScaleInfo,
) -> tuple[ScaleInfo | None, list[dimensions.Dimension]]:
    """The scale the plan prints: dimension lines first (they measure exactly what they say; the
    numbers OCR read beside lines, and when those do not agree twice, the numbers read along every
    dimension line found), then printed room sizes or areas compared with the rooms traced at the
    ``guess``; None when it prints none. And the dimensions read."""
    plausible = scale.Plausible(traced.thickness, tuple(door_widths(traced)))
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
    return info, dims


def areas_product(frame: Frame, traced: Traced, labels: list[ocr.Label], mm: float) -> float | None:
    """``mm_x * mm_y`` (mm² per plan px²) that the printed room areas say, against the rooms traced
    (built at ``mm`` per px; a room's area in plan px² does not depend on it): see
    :func:`scale.area_product`. None without two agreeing printed areas."""
    printed = [label for label in labels if label.area_m2]
    if len(printed) < 2:
        return None
    built, _ = build_rooms(frame, traced, mm)
    products = []
    for label in printed:
        at = SPoint(label.x * mm, label.y * mm)
        room = next((r for r in built if r.shape().contains(at)), None)
        if room is not None and room.shape().area > 0 and label.area_m2:
            products.append(label.area_m2 * 1e6 / (room.shape().area / mm**2))
    return scale.area_product(products)


def known_length_fit(frame: Frame, traced: Traced, labels: list[ocr.Label], mm: float,
                     vector: NDArray[np.float64], length_mm: float, unsure: float) -> tuple[scale.AxisFit, bool]:
    """Per-axis scale from one known length (``length_mm`` over ``vector``, plan px) where the sheet's
    corners allow several paper formats: the printed room areas pick the format (:func:`scale.pick_stretch`)
    and the other axis is then :data:`scale.PICKED_SURE`; when they do not, no stretch and the other axis
    as sure as ``unsure``. And whether a format was picked."""
    product = areas_product(frame, traced, labels, mm)
    stretch = scale.pick_stretch(frame.stretch_options, product, vector, length_mm) if product else None
    if stretch is None:
        return scale.stretched_fit(vector, length_mm, 1.0, unsure), False
    return scale.stretched_fit(vector, length_mm, stretch, scale.PICKED_SURE), True


def printed_axes(frame: Frame, traced: Traced, labels: list[ocr.Label], info: ScaleInfo,
                 dims: list[dimensions.Dimension]) -> scale.AxisFit:
    """Both axes' scale from the print: where the sheet's corners allow several paper formats (a cropped
    photo), a printed dimension that agrees with the scale read and the printed room areas pick the
    format (:func:`scale.pick_stretch`); else the same scale on both axes, the one across the dimension
    less sure when the format was not picked."""
    if not frame.stretch_options:
        return scale.uniform(info)
    known = [(np.subtract(d.end, d.start), v) for d in dims for v in d.values_mm
             if d.span_px > 0 and abs(v / d.span_px / info.mm_per_px - 1) <= 0.02]
    if info.method != "dimension_line" or not known:
        low = min(info.confidence, scale.AMBIGUOUS_SURE)
        return scale.AxisFit(info.mm_per_px, info.mm_per_px, low, low)
    vector, length = max(known, key=lambda k: float(np.hypot(*k[0])))
    fit, _ = known_length_fit(frame, traced, labels, info.mm_per_px, vector, length,
                              min(info.confidence, scale.AMBIGUOUS_SURE))
    return scale.AxisFit(fit.mm_x, fit.mm_y, min(fit.sure_x, info.confidence), min(fit.sure_y, info.confidence))


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
    """Design-document walls (mm) with their openings, and a confidence per wall id (the walls as
    :func:`tracing.wall_pieces` gives them)."""
    result: list[Wall] = []
    confidence: dict[str, float] = {}
    opening_id = 0
    for seg, ops in wall_pieces(traced):
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


def build_rooms(frame: Frame, traced: Traced, mm: float) -> tuple[list[Room], list[Notice]]:
    """Design-document rooms (mm) from enclosed free regions."""
    thin = traced.partition or traced.thickness
    min_area_px = max((2.0 * thin) ** 2, MIN_ROOM_AREA_MM2 / mm**2)
    min_half_width_px = max(thin, MIN_ROOM_HALF_WIDTH_MM / mm)
    polys = rooms.find_rooms(
        frame.gray.shape,
        traced.segments,
        traced.closures,
        traced.mask,
        min_area_px,
        traced.thickness,
        min_half_width_px,
        ink=frame.faint,
    )
    result: list[Room] = []
    notes: list[Notice] = []
    # numbered in reading order (top to bottom by rows a wall thick, then left to right), whatever order the
    # room finder produced them in: "Room 2" stays the same room when the finder's internals change
    band = max(2.0 * traced.thickness, 1.0)
    for poly in sorted(polys, key=lambda p: (round(p.bounds[1] / band), p.bounds[0], p.bounds[3], p.bounds[2])):
        coords = list(poly.exterior.coords)[:-1]
        try:
            result.append(Room(id=f"room-{len(result) + 1}", polygon=[_point(np.asarray(c), mm) for c in coords]))
        except ValidationError as exc:
            notes.append(notice("room_dropped", reason=str(exc.errors()[0]["msg"])))
    return result, notes


def _shape_source(frame: Frame) -> str:
    """How the rectified proportions were found (a key of ``scale.SHAPE_SURE``)."""
    codes = {n.code for n in frame.notices}
    return "sheet" if "sheet_found" in codes else "lines" if "perspective_from_lines" in codes else "scan"


def _overall_fit(traced: Traced, overall_mm: tuple[float, float]) -> scale.AxisFit:
    """Per-axis scale from the typed overall width and depth (mm) of the traced walls' bounding box."""
    if not traced.segments:
        raise InvalidInput("no walls were traced to measure the overall width and depth on", field="overall")
    pts = np.array([p for s in traced.segments for p in (s.p, s.q)])
    half = np.array([max(s.thickness for s in traced.segments) / 2] * 2)
    span = pts.max(axis=0) - pts.min(axis=0) + 2 * half
    if (span < 1.0).any():
        raise InvalidInput("the traced walls do not span both directions", field="overall")
    return scale.AxisFit(overall_mm[0] / float(span[0]), overall_mm[1] / float(span[1]), 0.95, 0.95)


def user_scale(frame: Frame, traced: Traced, lines: list[ScaleLine], overall_mm: tuple[float, float] | None,
               labels: list[ocr.Label] | None = None) -> tuple[ScaleInfo, scale.AxisFit] | None:
    """The scale the person gave: known lengths drawn over the photo, or the overall width and depth.

    One line where the sheet's corners allow several paper formats (a cropped photo: the principal
    point is not known): the printed room areas (``labels``) pick the format, which fixes the other
    axis (:func:`scale.pick_stretch`); when they do not, the other axis is said to be unsure."""
    if overall_mm is not None:
        fit = _overall_fit(traced, overall_mm)
        return ScaleInfo(method="user_line", mm_per_px=fit.mm_x, confidence=1.0), fit
    if not lines:
        return None
    info, fit = scale.from_user_lines(lines, frame.photo_to_plan, _shape_source(frame))
    if len(lines) > 1 or not frame.stretch_options:
        return info, fit
    vector = scale.plan_vector(lines[0], frame.photo_to_plan)
    fit, picked = known_length_fit(frame, traced, labels or [], info.mm_per_px, vector, lines[0].length_mm,
                                   scale.AMBIGUOUS_SURE)
    if not picked:
        return info, fit
    return ScaleInfo(method="user_line", mm_per_px=fit.mm_x, confidence=1.0), fit


def vectorize(
    data: bytes, *, scale_line: ScaleLine | None = None, second_line: ScaleLine | None = None,
    overall_mm: tuple[float, float] | None = None, options: VectorizeOptions | None = None,
) -> FloorplanResult:
    """Trace a floor plan photo/scan (JPEG, PNG, WebP or HEIC bytes) into walls, openings and rooms in mm
    (see :class:`FloorplanResult`; ``result.to_floor_plan()`` is the design document's plan).

    The scale: ``scale_line`` (a known length drawn over the photo) and a ``second_line`` across it fit
    both axes; ``overall_mm`` (the walls' overall width and depth) does too; else the printed
    dimensions, else a flagged guess.

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
    notes = list(frame.notices)
    with timer("ocr"):
        view = ocr_view(gray, frame, traced.segments, traced.thickness) if opts.use_ocr else None
        reading = ocr.read_text(*view) if view is not None else ocr.Reading([], [], [])
    labels = reading.labels
    notes += reading.notes
    with timer("scale"):
        lines = [line for line in (scale_line, second_line) if line is not None]
        given = user_scale(frame, traced, lines, overall_mm, labels)
        if given is not None:
            info, axes = given
        else:
            guess = choose_scale(traced, frame, opts)
            printed, dims = printed_scale(frame, traced, reading, view, guess)
            info = printed or guess
            axes = printed_axes(frame, traced, labels, info, dims) if printed is not None else scale.uniform(info)
    with timer("rooms"):
        wall_models, confidence = build_walls(traced, info.mm_per_px)
        room_models, room_notes = build_rooms(frame, traced, info.mm_per_px)
        room_models, read = ocr.name_rooms(room_models, labels, info.mm_per_px)
        if info.method == "user_line":
            notes += ocr.area_warnings(room_models, labels, info.mm_per_px)
    notes += room_notes
    plan = aspect.stretch_plan(FloorPlan(walls=wall_models, rooms=room_models), axes.stretch)
    wall_models, room_models = plan.walls, plan.rooms
    if info.method == "prior":
        notes.append(notice("scale_guessed"))
    if not wall_models:
        notes.append(notice("no_walls"))
    plan_to_photo = aspect.stretched_homography(np.linalg.inv(frame.photo_to_plan), axes.stretch)
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
        notices=notes,
        scale_axes=ScaleAxes(mm_per_px_x=axes.mm_x, mm_per_px_y=axes.mm_y, sure_x=round(axes.sure_x, 3),
                             sure_y=round(axes.sure_y, 3)),
        timings_s=timer.timings,
    )
