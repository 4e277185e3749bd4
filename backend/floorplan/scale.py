"""Scale: millimetres per plan pixel, from a user line (exact), printed text (OCR) or a prior."""

from __future__ import annotations

import numpy as np

from backend.design.model import ScaleInfo
from backend.errors import InvalidInput
from backend.floorplan.rectify import Homography
from backend.floorplan.result import ScaleLine

PRIOR_DOORS_CONFIDENCE = 0.35
"""Confidence of a scale from the typical door width (doors vary ±10–15 %)."""
PRIOR_WALL_CONFIDENCE = 0.15
"""Confidence of a scale from the typical wall thickness (walls vary 2–3×)."""


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
