"""Framing: the photo rectified to a fronto-parallel plan at the working resolution, and binarized.

The sheet of paper's corners when they all show, else the drawing's own perpendicular lines
(:mod:`vanishing`), then deskewing (:mod:`rectify`); the working resolution follows from the wall
thickness seen on a preview.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import cv2
import numpy as np
from numpy.typing import NDArray

from backend.floorplan import intake, rectify, vanishing, walls
from backend.floorplan.result import Notice, VectorizeOptions, notice


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
    notices: list[Notice] = field(default_factory=list)
    stretch_options: tuple[float, ...] = ()
    """Where the sheet's corners allow more than one paper format (the principal point is not known,
    e.g. a cropped photo): for each, what plan y must be multiplied by to give the sheet that shape
    (1.0 among them: the format rectified to). Empty: the proportions have no known alternatives."""


MAX_RECTIFIED_GROWTH = 3.0
"""A perspective correction may enlarge the photo at most this much (more: the lines misled it)."""


def undo_perspective(
    pv: NDArray[np.uint8],
) -> tuple[rectify.Homography, tuple[int, int], Notice | None, tuple[float, ...]]:
    """Homography from the preview to a fronto-parallel view, its output size (w, h) and what was done:
    the sheet of paper when all its edges show, else the drawing's own perpendicular lines (the plan
    fills the frame, or the sheet runs out of it), else nothing (a scan, or a photo taken straight on:
    deskewing follows); and, from the sheet, the stretches its other possible paper formats would
    take (:func:`rectify.options_stretches`; only when there is more than one)."""
    sheet = rectify.find_sheet(pv)
    if sheet is not None:
        stretches = rectify.options_stretches(sheet)
        return (rectify.sheet_homography(sheet), (sheet.width_px, sheet.height_px),
                notice("sheet_found"), stretches if len(stretches) > 1 else ())
    found = vanishing.perspective(pv)
    size = (pv.shape[1], pv.shape[0])
    if found is not None:
        h, w, hh = rectify.fit_output(found[0], *size)
        if w * hh <= MAX_RECTIFIED_GROWTH * size[0] * size[1]:
            return h, (w, hh), notice("perspective_from_lines", tilt=round(found[1])), ()
    return np.eye(3), size, None, ()


def rectify_photo(gray: NDArray[np.uint8], opts: VectorizeOptions) -> Frame:
    """Find the sheet, deskew, pick the working resolution and binarize (see :mod:`rectify`)."""
    pv, f = rectify.preview(gray)
    notes: list[Notice] = []
    h1, size1, note, stretches = undo_perspective(pv)
    paper = None if note is not None and note.code == "sheet_found" else rectify.paper_outline(pv)  # table shows
    if note is not None:
        pv = rectify.warp(pv, h1, size1)
        notes.append(note)
    ink_pv = rectify.binarize(rectify.whiten_outside(rectify.flatten_light(pv), _mapped(paper, h1)))
    angle = rectify.skew_angle(ink_pv)
    h2, w2, hh2 = rectify.fit_output(rectify.rotation_about(angle, (size1[0] / 2, size1[1] / 2)), *size1)
    if angle:
        notes.append(notice("deskewed", angle=round(angle, 1)))
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
    return Frame(work, ink, faint, photo_to_plan, style, (gray.shape[0], gray.shape[1]), paper_px, notes, stretches)


def _mapped(points: NDArray[np.float64] | None, h: rectify.Homography) -> NDArray[np.float64] | None:
    """Points (N, 2) through a homography; None stays None."""
    if points is None:
        return None
    return np.asarray(cv2.perspectiveTransform(points.reshape(-1, 1, 2), h).reshape(-1, 2), dtype=np.float64)
