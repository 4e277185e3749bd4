"""Floor plan from a photo or scan: image bytes in, walls, openings and rooms in millimetres out.

The only package that imports OpenCV. Pure: no web, database or settings imports.
Stages: :mod:`intake` → :mod:`framing` (:mod:`rectify`, :mod:`vanishing`) → :mod:`tracing`
(:mod:`walls`, :mod:`graph`, :mod:`openings`) → :mod:`ocr` / :mod:`dimensions` / :mod:`scale` →
:mod:`rooms`; :mod:`pipeline` runs them and builds the millimetre models.
``vectorize(data, scale_line=...)`` returns a :class:`FloorplanResult`, whose ``to_floor_plan()``
is the design document's plan.
"""

from backend.floorplan.pipeline import vectorize
from backend.floorplan.result import (
    FloorplanResult,
    PlanOpening,
    PlanRoom,
    PlanWall,
    RoomLabel,
    ScaleLine,
    VectorizeOptions,
)

__all__ = [
    "FloorplanResult",
    "PlanOpening",
    "PlanRoom",
    "PlanWall",
    "RoomLabel",
    "ScaleLine",
    "VectorizeOptions",
    "vectorize",
]
