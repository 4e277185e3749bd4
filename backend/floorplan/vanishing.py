"""Perspective from the drawing itself, for photos where no sheet edge is seen (the plan fills the frame).

Floor plans are drawn with two families of mutually perpendicular lines (walls, frames, dimension
lines). In a tilted photo each family converges on a vanishing point; with the camera model that
phones obey (square pixels, principal point at the photo's centre), two vanishing points of
perpendicular directions give the focal length and the plane's orientation, and with them the
homography that makes the drawing fronto-parallel again, with its true proportions (a metric
rectification; Hartley & Zisserman, "Multiple View Geometry", 2nd ed., §8.6 and §2.7).

Written here: OpenCV finds line segments (LSD) but has no vanishing-point estimator. Images are
(H, W) uint8 previews; points and homographies are in preview pixels.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np
from numpy.typing import NDArray

GrayImage = NDArray[np.uint8]
Homography = NDArray[np.float64]

MIN_SEGMENT = 0.03
"""Line segments shorter than this fraction of the image's longer side are ignored (text, symbols)."""
FAMILY_DEG = 20.0
"""First guess of a family: segments within this angle of a dominant orientation."""
INLIER_DEG = 1.0
"""A segment belongs to a vanishing point when it points at it within this angle."""
MIN_TILT_DEG = 3.0
"""Tilts smaller than this are left to deskewing (the drawing is as good as straight on)."""
MAX_TILT_DEG = 50.0
"""Steeper views are not plausible photos of a plan lying on a table (and are badly conditioned)."""
DEFAULT_FOCAL = 0.8
"""Focal length over the image's longer side when the photo does not tell it (a phone's main camera)."""


@dataclass(frozen=True)
class Segments:
    """Line segments (N, 4) as x1, y1, x2, y2, their homogeneous lines (N, 3, unit normal), lengths and
    undirected angles in degrees [0, 180)."""

    ends: NDArray[np.float64]
    lines: NDArray[np.float64]
    lengths: NDArray[np.float64]
    angles: NDArray[np.float64]


def segments(gray: GrayImage) -> Segments:
    """Long straight segments of a preview (LSD)."""
    found = cv2.createLineSegmentDetector().detect(gray)[0]
    ends = np.zeros((0, 4)) if found is None else found.reshape(-1, 4).astype(np.float64)
    lengths = np.hypot(ends[:, 2] - ends[:, 0], ends[:, 3] - ends[:, 1])
    keep = lengths >= MIN_SEGMENT * max(gray.shape)
    ends, lengths = ends[keep], lengths[keep]
    p = np.column_stack([ends[:, :2], np.ones(len(ends))])
    q = np.column_stack([ends[:, 2:], np.ones(len(ends))])
    lines = np.cross(p, q)
    lines /= np.maximum(np.linalg.norm(lines[:, :2], axis=1, keepdims=True), 1e-12)
    angles = np.degrees(np.arctan2(ends[:, 3] - ends[:, 1], ends[:, 2] - ends[:, 0])) % 180.0
    return Segments(ends, lines, lengths, angles)


def _angle_gap(a: NDArray[np.float64], b: float) -> NDArray[np.float64]:
    d = np.abs(a - b) % 180.0
    return np.minimum(d, 180.0 - d)


def _dominant(segs: Segments, avoid: float | None = None) -> float | None:
    """The orientation (degrees) carrying the most segment length, at least 40° from ``avoid``."""
    hist = np.zeros(180)
    np.add.at(hist, np.round(segs.angles).astype(int) % 180, segs.lengths)
    smooth = np.array([hist.take(range(i - 3, i + 4), mode="wrap").sum() for i in range(180)])
    if avoid is not None:
        smooth[_angle_gap(np.arange(180.0), avoid) < 40] = 0
    return float(np.argmax(smooth)) if smooth.max() > 0 else None


def _pointing_error(segs: Segments, idx: NDArray[np.intp], vp: NDArray[np.float64]) -> NDArray[np.float64]:
    """Angle (degrees) between each segment and the line from its midpoint to the vanishing point."""
    mid = np.column_stack([(segs.ends[idx, 0] + segs.ends[idx, 2]) / 2, (segs.ends[idx, 1] + segs.ends[idx, 3]) / 2])
    toward = vp[:2][None, :] - mid * vp[2]  # homogeneous: a point at infinity gives its direction
    seg_dir = segs.ends[idx, 2:] - segs.ends[idx, :2]
    cos = np.abs((toward * seg_dir).sum(axis=1)) / np.maximum(
        np.linalg.norm(toward, axis=1) * np.linalg.norm(seg_dir, axis=1), 1e-12)
    return np.asarray(np.degrees(np.arccos(np.clip(cos, 0.0, 1.0))), dtype=np.float64)


def vanishing_point(segs: Segments, orientation: float) -> tuple[NDArray[np.float64], int] | None:
    """The point where the family of segments near ``orientation`` meets (homogeneous, unit norm; its
    last coordinate is near 0 when they are parallel), and how many segments agree with it.

    Least squares on the lines (the smallest singular vector of their weighted stack), then twice
    again on the segments that point at it within ``INLIER_DEG``.
    """
    idx = np.flatnonzero(_angle_gap(segs.angles, orientation) <= FAMILY_DEG)
    vp = None
    for _ in range(3):
        if len(idx) < 3:
            return None
        weighted = segs.lines[idx] * np.sqrt(segs.lengths[idx])[:, None]
        vp = np.linalg.svd(weighted)[2][-1]
        candidates = np.flatnonzero(_angle_gap(segs.angles, orientation) <= FAMILY_DEG)
        idx = candidates[_pointing_error(segs, candidates, vp) <= INLIER_DEG]
    if vp is None or len(idx) < 3:
        return None
    return vp / np.linalg.norm(vp), len(idx)


def rectifying_homography(
    v1: NDArray[np.float64], v2: NDArray[np.float64], size: tuple[int, int]
) -> tuple[Homography, float] | None:
    """Homography (image → fronto-parallel plane, roughly the same scale at the centre) from the
    vanishing points of two perpendicular directions, and the tilt in degrees; None when they are not
    those of a plausible photo. ``v1`` becomes the plane's x axis. ``size`` is (w, h)."""
    w, h = size
    c = np.array([w / 2, h / 2])
    f2 = None
    if abs(v1[2]) > 1e-9 and abs(v2[2]) > 1e-9:
        f2 = -float(np.dot(v1[:2] / v1[2] - c, v2[:2] / v2[2] - c))
    f = math.sqrt(f2) if f2 is not None and f2 > (0.3 * max(w, h)) ** 2 else DEFAULT_FOCAL * max(w, h)
    if f > 5 * max(w, h):  # nearly parallel families: the focal length is unknowable and irrelevant
        f = DEFAULT_FOCAL * max(w, h)
    k = np.array([[f, 0, c[0]], [0, f, c[1]], [0, 0, 1.0]])
    k_inv = np.linalg.inv(k)
    r1 = k_inv @ v1
    r1 /= np.linalg.norm(r1)
    r2 = k_inv @ v2
    r2 -= np.dot(r2, r1) * r1
    r2 /= np.linalg.norm(r2)
    r3 = np.cross(r1, r2)
    if r3[2] < 0:  # the plane's normal faces the camera
        r2, r3 = -r2, -r3
    tilt = math.degrees(math.acos(min(1.0, abs(float(r3[2])))))
    if tilt > MAX_TILT_DEG:
        return None
    t = np.array([0.0, 0.0, f])  # the plane's origin on the optical axis, where a unit is about a pixel
    plane_to_image = k @ np.column_stack([r1, r2, t])
    image_to_plane = np.linalg.inv(plane_to_image)
    return image_to_plane / image_to_plane[2, 2], tilt


def _orient(h: Homography, size: tuple[int, int]) -> Homography:
    """Turn and mirror the rectified plane so it reads as the photo does: the photo's rightward and
    downward directions at its centre stay (roughly) rightward and downward."""
    c = np.array([[[size[0] / 2, size[1] / 2], [size[0] / 2 + 10, size[1] / 2], [size[0] / 2, size[1] / 2 + 10]]])
    p = cv2.perspectiveTransform(c, h)[0]
    right, down = p[1] - p[0], p[2] - p[0]
    best = np.eye(3)
    best_score = -np.inf
    for quarter in range(4):
        for mirror in (1.0, -1.0):
            a = math.radians(90 * quarter)
            m = np.array([[math.cos(a), -math.sin(a) * mirror], [math.sin(a), math.cos(a) * mirror]])
            score = float((m @ right)[0] / np.linalg.norm(right) + (m @ down)[1] / np.linalg.norm(down))
            if score > best_score:
                best_score, best = score, np.block([[m, np.zeros((2, 1))], [np.zeros((1, 2)), np.ones((1, 1))]])
    return np.asarray(best @ h, dtype=np.float64)


def perspective(gray: GrayImage) -> tuple[Homography, float] | None:
    """The homography that undoes a photo's perspective, from the drawing's two line families, and the
    tilt (degrees) it removes; None when the drawing shows no perspective worth removing (a scan, a
    photo taken straight on) or too few lines to tell."""
    segs = segments(gray)
    if len(segs.lengths) < 8:
        return None
    first = _dominant(segs)
    second = None if first is None else _dominant(segs, avoid=first)
    if first is None or second is None:
        return None
    a, b = vanishing_point(segs, first), vanishing_point(segs, second)
    if a is None or b is None:
        return None
    v1, v2 = (a[0], b[0]) if _angle_gap(np.array([first]), 0.0)[0] <= 45 else (b[0], a[0])
    size = (gray.shape[1], gray.shape[0])
    found = rectifying_homography(v1, v2, size)
    if found is None or found[1] < MIN_TILT_DEG:
        return None
    return _orient(found[0], size), found[1]
