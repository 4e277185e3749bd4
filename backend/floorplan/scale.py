"""Scale: millimetres per plan pixel, from a user line (exact), printed text (OCR) or a prior."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from backend.design.model import ScaleInfo
from backend.errors import InvalidInput
from backend.floorplan.rectify import Homography
from backend.floorplan.result import ScaleLine

PRIOR_DOORS_CONFIDENCE = 0.35
"""Confidence of a scale from the typical door width (doors vary ±10–15 %)."""
PRIOR_WALL_CONFIDENCE = 0.15
"""Confidence of a scale from the typical wall thickness (walls vary 2–3×)."""
WALL_MM_RANGE = (40.0, 800.0)
"""Traced walls thinner or thicker than this (mm) mean a scale read in the wrong unit or misread."""
DOOR_MM_RANGE = (450.0, 1500.0)
"""The same for the median single door."""


@dataclass(frozen=True)
class Plausible:
    """Whether a scale read off the print (mm per plan px) makes the traced walls and doors
    ordinary: it catches a dropped decimal point ("95 m2" for 9.5), a unit mixed up (cm read as
    mm), a misread digit that changes the magnitude."""

    wall_px: float
    door_widths_px: tuple[float, ...] = ()

    def __call__(self, mm_per_px: float) -> bool:
        return self.walls(mm_per_px) and self.doors(mm_per_px)

    def walls(self, mm_per_px: float) -> bool:
        """The traced walls come out of ordinary thickness."""
        return WALL_MM_RANGE[0] <= self.wall_px * mm_per_px <= WALL_MM_RANGE[1]

    def doors(self, mm_per_px: float) -> bool:
        """The traced doors (if any) come out of ordinary width (door tracing is the less reliable)."""
        if not self.door_widths_px:
            return True
        door = float(np.median(self.door_widths_px)) * mm_per_px
        return DOOR_MM_RANGE[0] <= door <= DOOR_MM_RANGE[1]


def from_user_line(line: ScaleLine, photo_to_plan: Homography) -> ScaleInfo:
    """Exact scale from two photo points and their true distance (measured in the rectified plan)."""
    pts = np.array([[line.x1, line.y1, 1.0], [line.x2, line.y2, 1.0]]).T
    mapped = photo_to_plan @ pts
    mapped = mapped[:2] / mapped[2]
    length_px = float(np.linalg.norm(mapped[:, 1] - mapped[:, 0]))
    if length_px < 1.0:
        raise InvalidInput("the scale line is shorter than one plan pixel", field="scale_line")
    return ScaleInfo(method="user_line", mm_per_px=line.length_mm / length_px, confidence=1.0)


def from_priors(door_widths_px: list[float], wall_px: float, door_prior_mm: float, wall_prior_mm: float) -> ScaleInfo:
    """Fallback scale: median door width ↔ a typical door, else wall thickness ↔ a typical wall."""
    widths = [w for w in door_widths_px if w > 0]
    if widths:
        confidence = PRIOR_DOORS_CONFIDENCE if len(widths) >= 2 else 0.25
        return ScaleInfo(method="prior", mm_per_px=door_prior_mm / float(np.median(widths)), confidence=confidence)
    return ScaleInfo(method="prior", mm_per_px=wall_prior_mm / max(wall_px, 1.0), confidence=PRIOR_WALL_CONFIDENCE)


MIN_AXIS_SPREAD_DEG = 30.0
"""Two known lengths fit both axes only when their directions differ by at least this much (nearly
parallel lines say nothing about the other direction)."""


@dataclass(frozen=True)
class AxisFit:
    """Millimetres per plan pixel along the plan's x and y axes, and how sure each is (0–1).

    ``stretch`` = ``mm_y / mm_x``: how much the rectified photo squeezed y relative to x (1 when the
    photo's proportions were right)."""

    mm_x: float
    mm_y: float
    sure_x: float
    sure_y: float

    @property
    def stretch(self) -> float:
        return self.mm_y / self.mm_x


def plan_vector(line: ScaleLine, photo_to_plan: Homography) -> NDArray[np.float64]:
    pts = photo_to_plan @ np.array([[line.x1, line.y1, 1.0], [line.x2, line.y2, 1.0]]).T
    pts = pts[:2] / pts[2]
    return np.asarray(np.abs(pts[:, 1] - pts[:, 0]), dtype=np.float64)


def fit_axes(vectors_px: list[NDArray[np.float64]], lengths_mm: list[float]) -> tuple[float, float] | None:
    """Per-axis scale (mm_x, mm_y per plan px) from plan-pixel vectors (dx, dy) of known lengths (mm):
    the least-squares solution of ``L² = mm_x² dx² + mm_y² dy²``; None when the vectors do not span
    both axes (all within ``MIN_AXIS_SPREAD_DEG`` of one direction) or the fit is not positive."""
    angles = [float(np.degrees(np.arctan2(v[1], v[0]))) for v in vectors_px]
    if max(angles) - min(angles) < MIN_AXIS_SPREAD_DEG:
        return None
    a = np.array([[v[0] ** 2, v[1] ** 2] for v in vectors_px])
    b = np.array([length**2 for length in lengths_mm])
    solution, *_ = np.linalg.lstsq(a, b, rcond=None)
    if (solution <= 0).any():
        return None
    return float(np.sqrt(solution[0])), float(np.sqrt(solution[1]))


SHAPE_SURE = {"scan": 0.95, "sheet": 0.8, "lines": 0.6}
"""How sure the rectified proportions are, by how the perspective was removed: none to remove (a scan
or a photo taken straight on), from the sheet's corners (a crop or an off-centre sheet can still
stretch it), from the drawing's lines (the least sure)."""


def from_user_lines(lines: list[ScaleLine], photo_to_plan: Homography, shape: str) -> tuple[ScaleInfo, AxisFit]:
    """The scale from one or more known lengths drawn over the photo (photo px → plan px through
    ``photo_to_plan``). Two lines in different directions fit both axes (exact, per axis); one line
    fixes the axis it runs along, and the other follows from the rectified proportions (``shape``:
    a key of ``SHAPE_SURE``, how sure they are)."""
    vectors = [plan_vector(line, photo_to_plan) for line in lines]
    for v in vectors:
        if float(np.hypot(*v)) < 1.0:
            raise InvalidInput("the scale line is shorter than one plan pixel", field="scale_line")
    fitted = fit_axes(vectors, [line.length_mm for line in lines]) if len(lines) >= 2 else None
    if fitted is None and len(lines) >= 2:
        raise InvalidInput("the two known lengths run in the same direction: draw the second one across "
                           "the first (e.g. one along the width, one along the depth)", field="second_line")
    if fitted is not None:
        mm_x, mm_y = fitted
        return ScaleInfo(method="user_line", mm_per_px=mm_x, confidence=1.0), AxisFit(mm_x, mm_y, 1.0, 1.0)
    v = vectors[0]
    mm = lines[0].length_mm / float(np.hypot(*v))
    along_x = float(v[0] / np.hypot(*v))
    other = SHAPE_SURE.get(shape, 0.6)
    sure_x, sure_y = (1.0, other) if along_x >= 0.7 else (other, 1.0) if along_x <= 0.3 else (0.9, 0.9)
    return ScaleInfo(method="user_line", mm_per_px=mm, confidence=1.0), AxisFit(mm, mm, sure_x, sure_y)


def uniform(info: ScaleInfo) -> AxisFit:
    """The same scale on both axes, as sure as the scale itself."""
    return AxisFit(info.mm_per_px, info.mm_per_px, info.confidence, info.confidence)


AREAS_AGREE = 0.08
"""Printed room areas over traced room areas (mm² per plan px²) that agree within this share are one
reading (a room traced merged with its hall gives an outlier)."""
STRETCH_TOLERANCE = 0.07
"""A paper format the sheet may be is taken when the printed areas, with the known length, say the same
product of the axes' scales within this share (log ratio), and nearer by ``STRETCH_MARGIN`` than any other
(formats differ by 6-9 %: Legal and Tabloid, A-series and Letter; the traced rooms' areas by a few %)."""
STRETCH_MARGIN = 0.03
PICKED_SURE = 0.9
"""How sure the other axis is once the printed areas picked the sheet's paper format."""
AMBIGUOUS_SURE = 0.5
"""How sure the other axis is when the sheet's corners allow several paper formats and nothing picked one
(they differ by 9 % and more)."""


ROOM_AREA_BIAS = 1.022
"""Printed room areas over the traced rooms' areas when the scale is right on both axes: traced walls come
out a little thicker than drawn, the rooms a little smaller (median of the rooms of the synthetic photos
and cropped photos, tuning seeds, measured with two known lengths)."""


def area_product(products: list[float]) -> float | None:
    """The product ``mm_x * mm_y`` (mm² per plan px²) the rooms' printed areas agree on (each room's
    printed area over its traced area in plan pixels, taken ``ROOM_AREA_BIAS`` too large): the median
    of the largest group within ``AREAS_AGREE``, of at least two rooms; None when fewer agree."""
    best: list[float] = []
    for centre in products:
        group = [p for p in products if abs(p - centre) <= AREAS_AGREE * centre]
        if len(group) > len(best):
            best = group
    return float(np.median(best)) / ROOM_AREA_BIAS if len(best) >= 2 else None


def pick_stretch(stretches: tuple[float, ...], product: float, vector_px: NDArray[np.float64],
                 length_mm: float) -> float | None:
    """Which of the ``stretches`` (plan y multipliers the sheet's possible paper formats take) the print
    confirms: with the known length (``length_mm`` over ``vector_px``, plan px before any stretch) the
    stretch ``s`` gives ``mm_x = L / |(dx, s dy)|`` and ``mm_y = s mm_x``, whose product the printed
    areas measure (``product``). The stretch whose product is nearest, when within
    ``STRETCH_TOLERANCE`` and nearer by ``STRETCH_MARGIN`` than any other; None otherwise."""
    dx, dy = float(vector_px[0]), float(vector_px[1])

    def miss(s: float) -> float:
        return abs(float(np.log(s * length_mm**2 / (dx**2 + (s * dy) ** 2) / product)))

    ranked = sorted(stretches, key=miss)
    if not ranked or miss(ranked[0]) > STRETCH_TOLERANCE:
        return None
    if len(ranked) > 1 and miss(ranked[1]) - miss(ranked[0]) < STRETCH_MARGIN:
        return None
    return ranked[0]


def stretched_fit(vector_px: NDArray[np.float64], length_mm: float, stretch: float, sure_other: float) -> AxisFit:
    """Per-axis scale from one known length once plan y is known to need ``stretch``: the axis the
    length runs along is sure, the other as sure as ``sure_other``."""
    dx, dy = float(vector_px[0]), float(vector_px[1])
    mm_x = length_mm / float(np.hypot(dx, stretch * dy))
    along_x = abs(dx) / float(np.hypot(dx, dy))
    sure_x, sure_y = (1.0, sure_other) if along_x >= 0.7 else (sure_other, 1.0) if along_x <= 0.3 else (0.9, 0.9)
    return AxisFit(mm_x, stretch * mm_x, sure_x, sure_y)
