"""Input and output types of the vectorizer (pure pydantic data, no OpenCV).

Frames used throughout the package:

* **photo pixels**: the uploaded image as a browser shows it (EXIF orientation applied),
  x right, y down;
* **plan pixels**: the rectified, deskewed image at the working resolution in which the
  plan is traced;
* **plan millimetres**: plan pixels times ``mm_per_plan_px`` (the design document's frame).
"""

from __future__ import annotations

from typing import Annotated

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from backend.design.model import FloorPlan, Point


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ScaleLine(_Frozen):
    """A known length drawn by the user: two points in photo pixels and their distance in mm."""

    x1: float
    y1: float
    x2: float
    y2: float
    length_mm: Annotated[float, Field(gt=0, le=1_000_000)]

    @model_validator(mode="after")
    def _check_length(self) -> ScaleLine:
        if np.hypot(self.x2 - self.x1, self.y2 - self.y1) < 2:
            raise ValueError("the scale line's two points must be at least 2 px apart")
        return self


class VectorizeOptions(_Frozen):
    """Tuning knobs; the defaults suit printed plans photographed with a phone or scanned."""

    target_wall_px: Annotated[float, Field(gt=2, le=40)] = 8.0
    """Wall thickness, in plan pixels, that the working resolution is chosen to give."""
    max_working_side_px: Annotated[int, Field(ge=256, le=8000)] = 2600
    """Upper bound on the working image's longer side (keeps big plans fast)."""
    use_ocr: bool = True
    """Read room names/areas/dimensions with Tesseract when it is installed."""
    door_width_prior_mm: Annotated[float, Field(gt=300, le=2000)] = 850.0
    """Typical single door width used by the fallback scale prior."""
    wall_thickness_prior_mm: Annotated[float, Field(gt=20, le=1000)] = 150.0
    """Typical wall thickness used when no door is found (very low confidence)."""


class RoomLabel(_Frozen):
    """Text read inside a room by OCR."""

    room_id: str
    text: str
    name: str = ""
    printed_area_m2: float | None = None


class VectorizeResult(_Frozen):
    """Everything the vectorizer found, in the design document's types.

    ``homography`` (3×3, row-major) maps homogeneous *plan pixels* to *photo pixels*;
    plan millimetres become plan pixels by dividing by ``mm_per_plan_px``.
    """

    plan: FloorPlan
    wall_confidence: dict[str, Annotated[float, Field(ge=0, le=1)]] = Field(default_factory=dict)
    homography: list[list[float]]
    mm_per_plan_px: Annotated[float, Field(gt=0)]
    plan_width_px: int
    plan_height_px: int
    room_labels: list[RoomLabel] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    timings_s: dict[str, float] = Field(default_factory=dict)

    def to_photo_px(self, point_mm: Point | tuple[float, float]) -> tuple[float, float]:
        """Where a plan point (mm) lies in the original photo (pixels, EXIF-oriented)."""
        x, y = (point_mm.x, point_mm.y) if isinstance(point_mm, Point) else point_mm
        h = np.asarray(self.homography, dtype=np.float64)
        v = h @ np.array([x / self.mm_per_plan_px, y / self.mm_per_plan_px, 1.0])
        return float(v[0] / v[2]), float(v[1] / v[2])

    def to_plan_mm(self, photo_px: tuple[float, float]) -> tuple[float, float]:
        """The inverse of :meth:`to_photo_px`: a photo pixel to plan millimetres."""
        h_inv = np.linalg.inv(np.asarray(self.homography, dtype=np.float64))
        v = h_inv @ np.array([photo_px[0], photo_px[1], 1.0])
        return float(v[0] / v[2] * self.mm_per_plan_px), float(v[1] / v[2] * self.mm_per_plan_px)
