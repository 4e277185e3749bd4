"""Rectification: find the sheet in a photo and undo perspective, deskew scans, even out light.

All homographies here are 3×3 float64 arrays acting on homogeneous pixel coordinates
``(x, y, 1)``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np
from numpy.typing import NDArray

GrayImage = NDArray[np.uint8]
Mask = NDArray[np.bool_]
Homography = NDArray[np.float64]

PREVIEW_SIDE_PX = 1000
"""Longer side of the preview used to find the sheet and estimate skew and wall thickness."""
MIN_SHEET_FRACTION = 0.2
"""A sheet must cover at least this fraction of the photo."""
MAX_DESKEW_DEG = 20.0
"""Skews larger than this are treated as intended (a plan drawn at an angle)."""


@dataclass(frozen=True)
class Sheet:
    """A found sheet: its corners in preview pixels (4, 2), clockwise from top-left, and the size
    (preview pixels) it is rectified to.

    ``options``: the width-over-height ratios of the paper formats the corners allow over every
    plausible principal point (:func:`aspect_range`); the rectified ratio is one of them when any is,
    and when there are several the print (areas against room shapes) may tell which
    (:func:`options_stretches`)."""

    corners: NDArray[np.float64]
    width_px: int
    height_px: int
    options: tuple[float, ...] = ()

    @property
    def ratio(self) -> float:
        return self.width_px / self.height_px


def scaling(factor_x: float, factor_y: float | None = None) -> Homography:
    """3×3 scaling matrix."""
    return np.diag([factor_x, factor_x if factor_y is None else factor_y, 1.0])


def preview(gray: GrayImage, max_side: int = PREVIEW_SIDE_PX) -> tuple[GrayImage, float]:
    """Downscale (never upscale) so the longer side is at most ``max_side``; returns (image, factor)."""
    factor = min(1.0, max_side / max(gray.shape))
    if factor >= 1.0:
        return gray, 1.0
    size = (max(1, round(gray.shape[1] * factor)), max(1, round(gray.shape[0] * factor)))
    return np.asarray(cv2.resize(gray, size, interpolation=cv2.INTER_AREA), dtype=np.uint8), factor


def order_corners(points: NDArray[np.float64]) -> NDArray[np.float64]:
    """Order 4 points (4, 2) as top-left, top-right, bottom-right, bottom-left."""
    pts = points.reshape(4, 2).astype(np.float64)
    s = pts.sum(axis=1)
    d = pts[:, 0] - pts[:, 1]
    return np.array([pts[np.argmin(s)], pts[np.argmax(d)], pts[np.argmax(s)], pts[np.argmin(d)]])


def find_sheet(pv: GrayImage) -> Sheet | None:
    """Find a bright quadrilateral sheet on a darker background in a preview image.

    Returns ``None`` for scans and digital plans (the "sheet" is the whole image).
    """
    h, w = pv.shape
    blur = np.asarray(cv2.GaussianBlur(pv, (5, 5), 0), dtype=np.uint8)
    _, bright = cv2.threshold(blur, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    k = max(3, round(max(h, w) / 60)) | 1
    bright = cv2.morphologyEx(bright, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    contours, _ = cv2.findContours(bright, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    contour = max(contours, key=cv2.contourArea)
    area = cv2.contourArea(contour)
    if area < MIN_SHEET_FRACTION * h * w:
        return None
    hull = np.asarray(cv2.convexHull(contour), dtype=np.int32)
    quad = cv2.approxPolyDP(hull, 0.02 * cv2.arcLength(hull, True), True)
    if len(quad) != 4:
        return None
    corners = order_corners(quad.astype(np.float64))
    if _at_border(corners, w, h) or not _darker_outside(blur, hull):
        return None
    top, bottom = np.linalg.norm(corners[1] - corners[0]), np.linalg.norm(corners[2] - corners[3])
    left, right = np.linalg.norm(corners[3] - corners[0]), np.linalg.norm(corners[2] - corners[1])
    width = float(max(top, bottom))
    ratio, options = choose_aspect(corners, (w, h))
    if ratio is None:  # no camera reading: the sides as seen
        return Sheet(corners, round(width), round(max(left, right)), options)
    return Sheet(corners, round(width), max(1, round(width / ratio)), options)


PAPER_RATIOS = (math.sqrt(2.0), 11.0 / 8.5, 17.0 / 11.0, 14.0 / 8.5)
"""Sheets of paper, long side over short side: ISO A-series (A4, A3...), US Letter, Tabloid, Legal."""
SNAP_PAPERS = PAPER_RATIOS[:2]
"""The formats a measured ratio is snapped to without more evidence (A-series and Letter: most plans are
printed on them; a reading near Tabloid or Legal is as likely a Letter or A sheet seen wrongly)."""
PAPER_SNAP = 0.015
"""A measured sheet within 1.5 % of a paper ratio is taken to be that paper."""
PRINCIPAL_SPREAD = 0.3
"""The principal point lies at most this share of the photo's width and height off its centre: a
photo as taken has it at the centre, a crop moves it (keeping at least ~40 % of the photo)."""
FOCAL_RANGE = (0.5, 3.0)
"""Focal lengths over the photo's longer side a phone photo can have: a wide main lens is about 0.7-0.9,
a 2-3x lens or a crop of the photo lengthens it."""
ASPECT_GRID = 41
"""Principal points tried per axis over the plausible box (:func:`aspect_range`)."""


def aspect_range(corners: NDArray[np.float64], frame: tuple[int, int]) -> tuple[float, float] | None:
    """The lowest and highest width-over-height ratio of the real rectangle whose photo (``frame``: w, h
    px) has these corners, over the principal points within ``PRINCIPAL_SPREAD`` of the centre whose
    focal length (which the corners then fix) is in ``FOCAL_RANGE``; None when none is.

    One rectangle gives one constraint on the camera (its two vanishing directions are perpendicular)
    and three unknowns (focal length, principal point): where the principal point is not known, its
    true shape is only known to lie in this range."""
    w, h = frame
    n = _vanishing(corners)
    if n is None or n[0][2] * n[1][2] == 0:
        return None
    n2, n3 = n
    grid = np.linspace(0.5 - PRINCIPAL_SPREAD, 0.5 + PRINCIPAL_SPREAD, ASPECT_GRID)
    u, v = np.meshgrid(w * grid, h * grid)
    with np.errstate(divide="ignore", invalid="ignore"):
        f2 = -((n2[0] - n2[2] * u) * (n3[0] - n3[2] * u) + (n2[1] - n2[2] * v) * (n3[1] - n3[2] * v)) / (n2[2] * n3[2])
        long_side = float(max(w, h))
        ok = (f2 >= (FOCAL_RANGE[0] * long_side) ** 2) & (f2 <= (FOCAL_RANGE[1] * long_side) ** 2)
        if not ok.any():
            return None
        u, v, f2 = u[ok], v[ok], f2[ok]

        def norm2(m: NDArray[np.float64]) -> NDArray[np.float64]:  # |K^-1 m|^2
            return np.asarray(((m[0] - u * m[2]) ** 2 + (m[1] - v * m[2]) ** 2) / f2 + m[2] ** 2)

        ratios = np.sqrt(norm2(n2) / norm2(n3))
    ratios = ratios[np.isfinite(ratios)]
    return (float(ratios.min()), float(ratios.max())) if ratios.size else None


def _vanishing(corners: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.float64]] | None:
    """The two vanishing points (homogeneous) of the rectangle's sides seen with these corners."""
    m1, m2, m4, m3 = (np.array([x, y, 1.0]) for x, y in corners)  # m1 m2 across the top, m3 m4 below
    with np.errstate(divide="ignore", invalid="ignore"):
        k2 = np.dot(np.cross(m1, m4), m3) / np.dot(np.cross(m2, m4), m3)
        k3 = np.dot(np.cross(m1, m4), m2) / np.dot(np.cross(m3, m4), m2)
    n2, n3 = k2 * m2 - m1, k3 * m3 - m1
    if not (np.isfinite(n2).all() and np.isfinite(n3).all()):
        return None
    return n2, n3


def paper_options(span: tuple[float, float], landscape: bool) -> tuple[float, ...]:
    """The paper formats (width over height, in the orientation the sheet is seen in) within ``span``
    (widened by ``PAPER_SNAP``), nearest the span's middle first."""
    lo, hi = span[0] * (1 - PAPER_SNAP), span[1] * (1 + PAPER_SNAP)
    found = {t for paper in PAPER_RATIOS for t in ((paper,) if landscape else (1 / paper,)) if lo <= t <= hi}
    middle = math.sqrt(span[0] * span[1])
    return tuple(sorted(found, key=lambda t: abs(math.log(t / middle))))


def choose_aspect(corners: NDArray[np.float64], frame: tuple[int, int]) -> tuple[float | None, tuple[float, ...]]:
    """The sheet's width over height (None: the photo does not tell) and the paper formats it may be.

    With the principal point at the photo's centre the corners give one ratio (:func:`sheet_aspect`),
    right for a photo as taken; a cropped photo moves the principal point and the ratio with it. So
    the paper formats the corners allow over all plausible principal points (:func:`aspect_range`)
    are found: exactly one, and the sheet is that paper wherever the camera looked; several, and the
    one the centre reading is nearest is taken (it may still be corrected by the print, see
    :func:`options_stretches`); none (not a paper format), and the centre reading stands."""
    w, h = frame
    centre = sheet_aspect(corners, (w / 2, h / 2), snap=False)
    span = aspect_range(corners, frame)
    if span is None:
        return (None if centre is None else _snapped(centre)), ()
    seen = centre if centre is not None else math.sqrt(span[0] * span[1])
    options = paper_options(span, seen >= 1.0)
    if len(options) == 1:
        return options[0], options
    if not options:
        return (None if centre is None else _snapped(centre)), options
    if centre is None:  # the commoner papers first, then the nearest
        return min(options, key=lambda t: (not _common(t), abs(math.log(t / seen)))), options
    snapped = _snapped(centre)
    return (snapped if any(math.isclose(snapped, t) for t in options) else centre), options


def options_stretches(sheet: Sheet) -> tuple[float, ...]:
    """For each paper format the sheet may be, how much plan y must be multiplied by (x kept) to
    give the sheet that shape: 1 for the ratio it was rectified to."""
    return tuple(sheet.ratio / option for option in sheet.options)


def _common(ratio: float) -> bool:
    return any(math.isclose(ratio, t) for paper in SNAP_PAPERS for t in (paper, 1 / paper))


def _snapped(ratio: float) -> float:
    for paper in SNAP_PAPERS:
        for target in (paper, 1 / paper):
            if abs(ratio / target - 1) <= PAPER_SNAP:
                return target
    return ratio


def sheet_aspect(corners: NDArray[np.float64], principal: tuple[float, float], snap: bool = True) -> float | None:
    """Width over height of the real rectangle whose photo has these corners (4, 2: top-left,
    top-right, bottom-right, bottom-left), or None when the photo does not tell.

    The perspective of a rectangle fixes the camera's focal length (pixels square, the principal
    point at the photo's centre, as in phone cameras) and with it the rectangle's true aspect ratio
    (Zhang & He, "Whiteboard scanning and image enhancement", 2007). Seen almost straight on, the
    focal length is undetermined but does not matter: the ratio is that of the sides. A ratio
    within ``PAPER_SNAP`` of a paper size is snapped to it (unless ``snap`` is False). Written here:
    OpenCV has no such routine and the formula is a few lines.
    """
    u0, v0 = principal
    n = _vanishing(corners)
    if n is None:
        return None
    n2, n3 = n
    scale = float(np.hypot(u0, v0))
    if abs(n2[2]) * scale < 1e-3 * np.linalg.norm(n2[:2]) or abs(n3[2]) * scale < 1e-3 * np.linalg.norm(n3[:2]):
        ratio = float(np.linalg.norm(n2[:2]) / np.linalg.norm(n3[:2]))  # an affine view: sides as seen
    else:
        f2 = -((n2[0] * n3[0] - (n2[0] * n3[2] + n2[2] * n3[0]) * u0 + n2[2] * n3[2] * u0**2)
               + (n2[1] * n3[1] - (n2[1] * n3[2] + n2[2] * n3[1]) * v0 + n2[2] * n3[2] * v0**2)) / (n2[2] * n3[2])
        if not 0.09 * scale**2 < f2 < 100 * scale**2:  # no phone lens: the corners are not a rectangle's
            return None
        a_inv = np.linalg.inv(np.array([[math.sqrt(f2), 0, u0], [0, math.sqrt(f2), v0], [0, 0, 1.0]]))
        ratio = float(np.sqrt((a_inv @ n2) @ (a_inv @ n2) / ((a_inv @ n3) @ (a_inv @ n3))))
    return _snapped(ratio) if snap else ratio


PAPER_LEVEL = 0.35
"""Paper is what is brighter than the table by this share of the step from table to paper."""


def paper_outline(pv: GrayImage) -> NDArray[np.float64] | None:
    """The sheet of paper where the photo shows part of the table around it but not a whole
    quadrilateral (the sheet runs out of the frame): the convex outline (N, 2) of the largest bright
    region, in preview pixels, drawn a little inside its edge; None when no darker surround shows."""
    h, w = pv.shape
    blur = np.asarray(cv2.GaussianBlur(pv, (5, 5), 0), dtype=np.uint8)
    otsu, _ = cv2.threshold(blur, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    dark, light = blur[blur < otsu], blur[blur >= otsu]
    if not dark.size or not light.size:  # one even tone: nothing but paper (or nothing at all)
        return None
    table, paper = float(np.median(dark)), float(np.median(light))
    # nearer the table's level than the paper's: paper in a shadow is still paper
    bright = np.asarray(blur > table + PAPER_LEVEL * (paper - table), dtype=np.uint8) * np.uint8(255)
    bright = np.asarray(cv2.morphologyEx(bright, cv2.MORPH_OPEN, np.ones((5, 5), np.uint8)), dtype=np.uint8)
    contours, _ = cv2.findContours(bright, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    contour = max(contours, key=cv2.contourArea)
    if cv2.contourArea(contour) < MIN_SHEET_FRACTION * h * w:
        return None
    hull = np.asarray(cv2.convexHull(contour), dtype=np.int32)
    if not _darker_outside(blur, hull):
        return None
    filled = np.zeros((h, w), np.uint8)
    cv2.fillPoly(filled, [hull.reshape(-1, 2)], 255)
    inset = max(2, round(max(h, w) / 200))
    inside = np.asarray(cv2.erode(filled, np.ones((2 * inset + 1, 2 * inset + 1), np.uint8)), dtype=np.uint8)
    shrunk, _ = cv2.findContours(inside, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not shrunk:
        return None
    return np.asarray(max(shrunk, key=cv2.contourArea).reshape(-1, 2), dtype=np.float64)


def whiten_outside(gray: GrayImage, outline: NDArray[np.float64] | None) -> GrayImage:
    """``gray`` with everything outside the polygon ``outline`` (N, 2, in its pixels) painted paper-white."""
    if outline is None:
        return gray
    inside = np.zeros(gray.shape, np.uint8)
    cv2.fillPoly(inside, [np.rint(outline).astype(np.int32)], 255)
    return np.asarray(np.where(inside > 0, gray, np.uint8(255)), dtype=np.uint8)


def _at_border(corners: NDArray[np.float64], w: int, h: int) -> bool:
    """Whether a corner of the quadrilateral lies on the photo's border: then it is most likely the
    photo's corner or where the sheet runs out of the frame, not the sheet's own corner (and a
    quadrilateral on all four borders is a scan's page)."""
    margin = 0.015 * max(w, h)
    x, y = corners[:, 0], corners[:, 1]
    return bool(((x < margin) | (y < margin) | (x > w - 1 - margin) | (y > h - 1 - margin)).any())


def _darker_outside(blur: GrayImage, hull: NDArray[np.int32]) -> bool:
    inside = np.zeros(blur.shape, np.uint8)
    cv2.fillPoly(inside, [hull.reshape(-1, 2)], 255)
    outside = inside == 0
    if outside.sum() < 0.02 * blur.size:
        return False
    return float(blur[outside].mean()) < float(blur[~outside].mean()) - 25


def sheet_homography(sheet: Sheet) -> Homography:
    """Homography from preview pixels to the rectified sheet (preview scale)."""
    dst = np.array(
        [
            [0, 0],
            [sheet.width_px - 1, 0],
            [sheet.width_px - 1, sheet.height_px - 1],
            [0, sheet.height_px - 1],
        ],
        dtype=np.float32,
    )
    return np.asarray(cv2.getPerspectiveTransform(sheet.corners.astype(np.float32), dst), dtype=np.float64)


def flatten_light(gray: GrayImage) -> GrayImage:
    """Divide by an estimate of the paper brightness (removes shadows and uneven light).

    The background is a max-filter (which erases dark ink) of a 4× smaller copy, blurred.
    """
    h, w = gray.shape
    small, _factor = preview(gray, max(64, max(h, w) // 4))
    k = max(5, round(max(small.shape) / 25)) | 1
    background = cv2.dilate(small, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    background = cv2.GaussianBlur(background, (k, k), 0)
    background = cv2.resize(background, (w, h), interpolation=cv2.INTER_LINEAR)
    norm = gray.astype(np.float32) * 255.0 / np.maximum(background.astype(np.float32), 1.0)
    return np.clip(norm, 0, 255).astype(np.uint8)


def binarize(norm: GrayImage, faint: bool = False) -> Mask:
    """Ink mask (H, W) bool from a light-flattened image: halfway between the ink and paper
    levels that Otsu separates, clamped to a sane range.

    ``faint=True`` also keeps light strokes (anti-aliased hairlines of windows and door
    arcs) by raising the threshold halfway towards white.
    """
    otsu, _ = cv2.threshold(norm, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    dark, light = norm[norm < otsu], norm[norm >= otsu]
    threshold = float(otsu)
    if dark.size and light.size:  # halfway between ink and paper: edges neither grow nor shrink
        threshold = 0.5 * (float(np.median(dark)) + float(np.median(light)))
    threshold = float(np.clip(threshold, 90, 210))
    if faint:
        threshold = float(np.clip(threshold + 0.5 * (255 - threshold), 225.0, 235.0))
    return np.asarray(norm < threshold)


def _profile_score(points: NDArray[np.float64], angle_deg: float) -> float:
    """Sharpness of the row and column histograms of (N, 2) points rotated by ``-angle_deg``."""
    theta = np.radians(angle_deg)
    c, si = np.cos(theta), np.sin(theta)
    x = points[:, 0] * c + points[:, 1] * si
    y = -points[:, 0] * si + points[:, 1] * c
    hx = np.bincount(np.rint(x - x.min()).astype(np.int64))
    hy = np.bincount(np.rint(y - y.min()).astype(np.int64))
    return float((hx.astype(np.float64) ** 2).sum() + (hy.astype(np.float64) ** 2).sum())


def skew_angle(ink: Mask, max_points: int = 40_000) -> float:
    """Skew of the drawing in degrees, from the sharpness of edge projection profiles.

    Edges of the ink are rotated by candidate angles; straight walls make the row/column
    histograms peaky when the candidate matches the skew. Returns 0 for |skew| ≤ 0.3°
    (not worth resampling) or when no angle in ±``MAX_DESKEW_DEG`` stands out.
    """
    u8 = np.asarray(ink, dtype=np.uint8)
    edges = u8 > np.asarray(cv2.erode(u8, np.ones((3, 3), np.uint8)))
    ys, xs = np.nonzero(edges)
    if len(xs) < 50:
        return 0.0
    pick = np.random.default_rng(0).choice(len(xs), min(max_points, len(xs)), replace=False)
    points = np.column_stack([xs[pick], ys[pick]]).astype(np.float64)
    coarse = np.arange(-MAX_DESKEW_DEG, MAX_DESKEW_DEG + 0.01, 0.5)
    scores = np.array([_profile_score(points, a) for a in coarse])
    best = float(coarse[int(np.argmax(scores))])
    fine = np.arange(best - 0.5, best + 0.51, 0.05)
    angle = float(fine[int(np.argmax([_profile_score(points, a) for a in fine]))])
    if scores.max() < 1.15 * np.median(scores):
        return 0.0
    return angle if abs(angle) > 0.3 else 0.0


def rotation_about(angle_deg: float, center: tuple[float, float]) -> Homography:
    """Homography rotating by ``-angle_deg`` (undoing a skew of ``angle_deg``) about ``center``."""
    m = cv2.getRotationMatrix2D(center, angle_deg, 1.0)
    return np.vstack([m, [0.0, 0.0, 1.0]]).astype(np.float64)


def fit_output(h_src_to_dst: Homography, src_w: int, src_h: int) -> tuple[Homography, int, int]:
    """Translate a homography so the warped source rectangle starts at (0, 0); returns (H, w, h)."""
    corners = np.array([[0, 0], [src_w, 0], [src_w, src_h], [0, src_h]], dtype=np.float64)
    warped = cv2.perspectiveTransform(corners.reshape(-1, 1, 2), h_src_to_dst).reshape(-1, 2)
    x0, y0 = warped.min(axis=0)
    x1, y1 = warped.max(axis=0)
    shift = np.array([[1.0, 0.0, -x0], [0.0, 1.0, -y0], [0.0, 0.0, 1.0]])
    return shift @ h_src_to_dst, max(1, math.ceil(x1 - x0)), max(1, math.ceil(y1 - y0))


def local_scale(h: Homography, point: tuple[float, float]) -> float:
    """Linear magnification of homography ``h`` at ``point`` (geometric mean of the axis stretches)."""
    p = np.array([[point, (point[0] + 1.0, point[1]), (point[0], point[1] + 1.0)]], dtype=np.float64)
    q = cv2.perspectiveTransform(p, h)[0]
    return float(np.sqrt(np.linalg.norm(q[1] - q[0]) * np.linalg.norm(q[2] - q[0])))


def warp(gray: GrayImage, h_src_to_dst: Homography, size: tuple[int, int]) -> GrayImage:
    """Warp ``gray`` into an image of ``size`` (w, h); pre-shrinks with INTER_AREA to avoid aliasing."""
    scale = local_scale(h_src_to_dst, (gray.shape[1] / 2, gray.shape[0] / 2))
    src, pre = gray, 1.0
    if scale < 0.6:
        pre = min(1.0, scale * 1.5)
        src = np.asarray(cv2.resize(gray, None, fx=pre, fy=pre, interpolation=cv2.INTER_AREA), dtype=np.uint8)
    h = h_src_to_dst @ scaling(1.0 / pre)
    return np.asarray(cv2.warpPerspective(src, h, size, flags=cv2.INTER_LINEAR, borderValue=255), dtype=np.uint8)
