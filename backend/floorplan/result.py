"""Input and output types of the vectorizer (pure pydantic data, no OpenCV).

Frames used throughout the package:

* **photo pixels**: the uploaded image as a browser shows it (EXIF orientation applied),
  x right, y down;
* **plan pixels**: the rectified, deskewed image at the working resolution in which the
  plan is traced;
* **plan millimetres**: plan pixels times ``mm_per_plan_px`` (the design document's frame).
"""

from __future__ import annotations

from typing import Annotated, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, computed_field, model_validator

from backend.design.model import Door, FloorPlan, PlanSource, Point, RoomType, ScaleInfo


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


NoticeCode = Literal[
    "sheet_found", "perspective_from_lines", "deskewed", "ocr_missing", "ocr_failed", "scale_guessed",
    "area_mismatch", "room_dropped", "no_walls",
]


class Notice(_Frozen):
    """Something the person checking the plan should know: a stable ``code`` with its ``params`` (what a
    page translates), and the English ``text``."""

    code: NoticeCode
    text: str
    params: dict[str, str | float] = Field(default_factory=dict)


NOTICE_TEXTS: dict[str, str] = {
    "sheet_found": "found the sheet of paper in the photo and removed the perspective",
    "perspective_from_lines": "removed the perspective of a photo taken {tilt}° off straight",
    "deskewed": "deskewed by {angle}°",
    "ocr_missing": "OCR is not installed (tesseract); room names and printed dimensions were not read",
    "ocr_failed": "reading the printed text failed ({error}); room names and sizes were not read",
    "scale_guessed": "scale guessed from typical door widths / wall thickness (low confidence): "
                     "draw a scale line over a known length for exact millimetres",
    "area_mismatch": "{room}: the plan prints {printed} m² but the traced room is {traced} m²; check the scale",
    "room_dropped": "dropped a room outline that was not a valid polygon ({reason})",
    "no_walls": "no walls were found; is this a floor plan?",
}


def notice(code: NoticeCode, **params: str | float) -> Notice:
    """A :class:`Notice` with its English text filled in from ``NOTICE_TEXTS``."""
    return Notice(code=code, text=NOTICE_TEXTS[code].format(**params), params=params)


class RoomLabel(_Frozen):
    """Text read inside a room by OCR."""

    room_id: str
    text: str
    name: str = ""
    printed_area_m2: float | None = None


class PlanWall(_Frozen):
    """A traced wall: centreline ends and thickness in plan millimetres, and how sure the tracing is
    (0–1; the correction page highlights the unsure ones)."""

    id: str
    start: Point
    end: Point
    thickness: float
    confidence: Annotated[float, Field(ge=0, le=1)] = 1.0


class PlanOpening(_Frozen):
    """A door or window attached to a wall: ``offset`` runs along the wall from its start to the
    opening's centre (mm); doors carry their hinge end, swing side and number of leaves."""

    id: str
    kind: Literal["door", "window"]
    wall: str
    offset: float
    width: float
    hinge: Literal["start", "end"] | None = None
    swing: Literal["left", "right", "none"] | None = None
    leaves: Literal[1, 2] | None = None


class PlanRoom(_Frozen):
    """A traced room: polygon in plan millimetres, its area, and the printed name and type if read."""

    id: str
    polygon: list[Point]
    area_m2: float
    name: str
    type: RoomType


class ScaleAxes(_Frozen):
    """The scale per axis of the plan: millimetres per plan pixel along x and y once the plan is
    stretched to its true shape (equal unless two known lengths or printed dimensions along both axes
    measured a stretch), and how sure each is (0–1), for the correction page to say."""

    mm_per_px_x: Annotated[float, Field(gt=0)]
    mm_per_px_y: Annotated[float, Field(gt=0)]
    sure_x: Annotated[float, Field(ge=0, le=1)]
    sure_y: Annotated[float, Field(ge=0, le=1)]


class FloorplanResult(_Frozen):
    """Everything the vectorizer found.

    ``plan`` is the design document's floor plan (walls with their openings, rooms, and the source
    photo with the scale and homography): the one truth, which :meth:`to_floor_plan` hands to a
    design. ``walls``, ``openings``, ``rooms``, ``scale`` and ``image_to_plan`` are flat views of it
    (computed, also in the JSON): the vectorizer's output contract. ``homography`` (3×3, row-major)
    maps homogeneous *plan pixels* to *photo pixels* (what the browser draws the plan over the photo
    with); plan millimetres become plan pixels by dividing by ``mm_per_plan_px``.
    """

    plan: FloorPlan
    wall_confidence: dict[str, Annotated[float, Field(ge=0, le=1)]] = Field(default_factory=dict)
    homography: list[list[float]]
    mm_per_plan_px: Annotated[float, Field(gt=0)]
    plan_width_px: int
    plan_height_px: int
    room_labels: list[RoomLabel] = Field(default_factory=list)
    notices: list[Notice] = Field(default_factory=list)
    scale_axes: ScaleAxes | None = None
    timings_s: dict[str, float] = Field(default_factory=dict)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def warnings(self) -> list[str]:
        """The notices' English texts."""
        return [n.text for n in self.notices]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def walls(self) -> list[PlanWall]:
        return [PlanWall(id=w.id, start=w.start, end=w.end, thickness=w.thickness_mm,
                         confidence=self.wall_confidence.get(w.id, 1.0)) for w in self.plan.walls]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def openings(self) -> list[PlanOpening]:
        out = []
        for wall in self.plan.walls:
            for op in wall.openings:
                door = op if isinstance(op, Door) else None
                out.append(PlanOpening(
                    id=op.id, kind=op.kind, wall=wall.id, offset=op.offset_mm + op.width_mm / 2, width=op.width_mm,
                    hinge=door.hinge if door else None, swing=door.swing if door else None,
                    leaves=door.leaves if door else None))
        return out

    @computed_field  # type: ignore[prop-decorator]
    @property
    def rooms(self) -> list[PlanRoom]:
        return [PlanRoom(id=r.id, polygon=r.polygon, area_m2=round(r.area_m2, 3), name=r.name, type=r.type)
                for r in self.plan.rooms]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def scale(self) -> ScaleInfo:
        """How the millimetres were found: ``method`` (user_line, dimension_line, dimension_text,
        room_area, prior), ``mm_per_px`` (per plan pixel) and ``confidence`` 0–1."""
        source = self.plan.source
        if source is None or source.scale is None:
            return ScaleInfo(method="prior", mm_per_px=self.mm_per_plan_px, confidence=0.0)
        return source.scale

    @computed_field  # type: ignore[prop-decorator]
    @property
    def image_to_plan(self) -> list[list[float]]:
        """3×3 homography (row-major) from original-photo pixels (EXIF orientation applied) to plan mm."""
        h = np.diag([self.mm_per_plan_px, self.mm_per_plan_px, 1.0]) @ np.linalg.inv(np.asarray(self.homography))
        return (h / h[2, 2]).tolist()  # type: ignore[no-any-return]

    def to_floor_plan(self, upload_id: str | None = None) -> FloorPlan:
        """The design document's floor plan, its source naming the stored upload when given."""
        source = (self.plan.source or PlanSource()).model_copy(
            update={"upload_id": upload_id, "homography": self.homography, "mm_per_plan_px": self.mm_per_plan_px})
        return self.plan.model_copy(update={"source": source})

    def to_photo_px(self, point_mm: Point | tuple[float, float]) -> tuple[float, float]:
        """Where a plan point (mm) lies in the original photo (pixels, EXIF-oriented)."""
        x, y = (point_mm.x, point_mm.y) if isinstance(point_mm, Point) else point_mm
        h = np.asarray(self.homography, dtype=np.float64)
        v = h @ np.array([x / self.mm_per_plan_px, y / self.mm_per_plan_px, 1.0])
        return float(v[0] / v[2]), float(v[1] / v[2])

    def to_plan_mm(self, photo_px: tuple[float, float]) -> tuple[float, float]:
        """The inverse of :meth:`to_photo_px`: a photo pixel to plan millimetres (through ``image_to_plan``)."""
        h = np.asarray(self.image_to_plan, dtype=np.float64)
        v = h @ np.array([photo_px[0], photo_px[1], 1.0])
        return float(v[0] / v[2]), float(v[1] / v[2])
