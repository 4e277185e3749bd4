"""Scale: millimetres per plan pixel, from a user line (exact), printed text (OCR) or a prior."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

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
