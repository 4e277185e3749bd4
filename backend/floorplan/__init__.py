"""Floor plan from a photo or scan: image bytes in, a design-document plan in millimetres out.

The only package that imports OpenCV. Pure: no web, database or settings imports.
Stages: :mod:`intake` → :mod:`rectify` → :mod:`walls` / :mod:`graph` → :mod:`openings` →
:mod:`scale` → :mod:`rooms`; :mod:`pipeline` runs them.
"""

from backend.floorplan.pipeline import vectorize
from backend.floorplan.result import RoomLabel, ScaleLine, VectorizeOptions, VectorizeResult

__all__ = ["RoomLabel", "ScaleLine", "VectorizeOptions", "VectorizeResult", "vectorize"]
