"""Aspect: stretch a traced plan along y when the per-axis scale says the photo's proportions were off.

A rectified photo whose camera was not where the rectification assumed (a cropped photo, a sheet far
off-centre) keeps right angles but can come out squeezed along one axis; two known lengths in
different directions (:func:`scale.fit_axes`) or printed dimensions along both axes measure it.
"""

from __future__ import annotations

import math

import numpy as np

from backend.design.model import FloorPlan, Point, Room, Wall

MIN_STRETCH = 0.002
"""Stretches smaller than this (0.2 %) are left alone: below what a drawn line measures."""


def stretch_plan(plan: FloorPlan, stretch: float) -> FloorPlan:
    """The plan (mm) with every y multiplied by ``stretch``: wall ends and room corners move, opening
    offsets and widths follow their wall's length, thicknesses keep the wall's area right (a vertical
    wall keeps its thickness, a horizontal one grows with y)."""
    if abs(stretch - 1.0) < MIN_STRETCH:
        return plan

    def moved(p: Point) -> Point:
        return Point(x=p.x, y=p.y * stretch)

    walls = []
    for wall in plan.walls:
        dx, dy = wall.direction
        along = math.hypot(dx, dy * stretch)
        thickness = min(2000.0, max(1.0, wall.thickness_mm * stretch / along))
        openings = [o.model_copy(update={"offset_mm": o.offset_mm * along, "width_mm": o.width_mm * along})
                    for o in wall.openings]
        walls.append(Wall.model_validate({**wall.model_dump(), "start": moved(wall.start), "end": moved(wall.end),
                                          "thickness_mm": thickness, "openings": [o.model_dump() for o in openings]}))
    rooms = [Room.model_validate({**r.model_dump(), "polygon": [moved(p) for p in r.polygon]}) for r in plan.rooms]
    return plan.model_copy(update={"walls": walls, "rooms": rooms})


def stretched_homography(plan_to_photo: np.ndarray, stretch: float) -> np.ndarray:
    """The plan-px → photo-px homography once plan y is multiplied by ``stretch`` (same photo points)."""
    if abs(stretch - 1.0) < MIN_STRETCH:
        return plan_to_photo
    return np.asarray(plan_to_photo @ np.diag([1.0, 1.0 / stretch, 1.0]), dtype=np.float64)
