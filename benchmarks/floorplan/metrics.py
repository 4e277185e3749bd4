"""Scoring helpers: wall IoU/F1 on rasters, one-to-one room and opening matching."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import cv2
import numpy as np
from numpy.typing import NDArray
from scipy.optimize import linear_sum_assignment
from shapely.geometry import Polygon

from backend.design.corners import corner_fills
from backend.design.model import Door, FloorPlan
from backend.floorplan.result import FloorplanResult

Mapper = Callable[[tuple[float, float]], tuple[float, float]]


def wall_bands(plan: FloorPlan) -> list[NDArray[np.float64]]:
    """(4, 2) polygons (mm) of the solid parts of every wall (openings cut out), with the outer corners
    where two walls meet (``corner_fills``, which the 3D view draws as wall too)."""
    bands = [np.array(fill, dtype=np.float64) for fills in corner_fills(plan.walls).values() for fill in fills]
    for wall in plan.walls:
        cuts = sorted((o.offset_mm, o.offset_mm + o.width_mm) for o in wall.openings)
        pos = 0.0
        for a, b in [*cuts, (wall.length_mm, wall.length_mm)]:
            if a > pos:
                bands.append(_band(wall.start.x, wall.start.y, *wall.direction, pos, a, wall.thickness_mm))
            pos = max(pos, b)
    return bands


def _band(x: float, y: float, dx: float, dy: float, a: float, b: float, t: float) -> NDArray[np.float64]:
    nx, ny = dy * t / 2, -dx * t / 2
    p, q = (x + dx * a, y + dy * a), (x + dx * b, y + dy * b)
    return np.array([(p[0] + nx, p[1] + ny), (q[0] + nx, q[1] + ny), (q[0] - nx, q[1] - ny), (p[0] - nx, p[1] - ny)])


def rasterize(polys: Sequence[NDArray[np.float64]], mapper: Mapper, shape: tuple[int, int]) -> NDArray[np.bool_]:
    """Fill polygons whose vertices ``mapper`` sends to raster pixels."""
    canvas = np.zeros(shape, np.uint8)
    for poly in polys:
        pts = np.array([mapper((float(x), float(y))) for x, y in poly]) * 4
        if np.all(np.isfinite(pts)):
            cv2.fillPoly(canvas, [np.rint(pts).astype(np.int32)], 1, cv2.LINE_8, 2)
    return canvas > 0


def iou(a: NDArray[np.bool_], b: NDArray[np.bool_]) -> float:
    union = np.logical_or(a, b).sum()
    return float(np.logical_and(a, b).sum() / union) if union else 1.0


def tolerant_f1(pred: NDArray[np.bool_], truth: NDArray[np.bool_], tol_px: int) -> float:
    """Pixel F1 where a pixel counts as matched within ``tol_px`` of the other mask."""
    k = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * tol_px + 1, 2 * tol_px + 1))
    grown_t = cv2.dilate(truth.astype(np.uint8), k) > 0
    grown_p = cv2.dilate(pred.astype(np.uint8), k) > 0
    precision = float((pred & grown_t).sum() / max(pred.sum(), 1))
    recall = float((truth & grown_p).sum() / max(truth.sum(), 1))
    return 2 * precision * recall / max(precision + recall, 1e-9)


def match_polygons(pred: list[Polygon], truth: list[Polygon], threshold: float = 0.5) -> list[tuple[int, int]]:
    """One-to-one matches (pred index, truth index) with IoU ≥ ``threshold`` (Hungarian on IoU)."""
    if not pred or not truth:
        return []
    scores = np.zeros((len(pred), len(truth)))
    for i, p in enumerate(pred):
        for j, t in enumerate(truth):
            if p.intersects(t):
                inter = p.intersection(t).area
                scores[i, j] = inter / max(p.union(t).area, 1e-9)
    rows, cols = linear_sum_assignment(-scores)
    return [(int(r), int(c)) for r, c in zip(rows, cols, strict=True) if scores[r, c] >= threshold]


def match_points(pred: list[tuple[float, float]], truth: list[tuple[float, float]], radius: float) -> int:
    """Number of one-to-one matches between point sets within ``radius``."""
    if not pred or not truth:
        return 0
    cost = np.array([[math.dist(p, t) for t in truth] for p in pred])
    rows, cols = linear_sum_assignment(np.where(cost <= radius, cost, 1e9))
    return int(sum(cost[r, c] <= radius for r, c in zip(rows, cols, strict=True)))


def match_regions(pred: list[tuple[float, float]], truth: list[tuple[float, float, float]]) -> int:
    """Number of one-to-one matches between points and regions given as (x, y, radius): a point
    matches a region when it lies within the region's own radius of its centre."""
    if not pred or not truth:
        return 0
    cost = np.array([[math.dist(p, t[:2]) / t[2] for t in truth] for p in pred])
    rows, cols = linear_sum_assignment(np.where(cost <= 1.0, cost, 1e9))
    return int(sum(cost[r, c] <= 1.0 for r, c in zip(rows, cols, strict=True)))


def f1(matches: int, n_pred: int, n_truth: int) -> float:
    if n_pred == 0 and n_truth == 0:
        return 1.0
    return 2 * matches / max(n_pred + n_truth, 1)


def opening_centres(result: FloorplanResult, kind: str) -> list[tuple[float, float]]:
    """Opening centres in plan mm of the given kind ('door', 'window' or 'any')."""
    out = []
    for wall in result.plan.walls:
        dx, dy = wall.direction
        for o in wall.openings:
            if kind == "any" or (kind == "door") == isinstance(o, Door):
                s = o.offset_mm + o.width_mm / 2
                out.append((wall.start.x + dx * s, wall.start.y + dy * s))
    return out
