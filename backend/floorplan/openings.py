"""Openings: classify each gap in a wall as a door (leaf and/or swing arc) or a window (parallel lines).

Works in plan pixels on the raw ink mask (H, W) bool, where thin strokes are still present.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import cv2
import numpy as np
from numpy.typing import NDArray

from backend.floorplan.segments import Segment, left_normal

Mask = NDArray[np.bool_]

ARC_MIN = 0.55
"""Fraction of swing-arc samples that must be on ink for a door."""
LEAF_ARC_MIN = 0.85
"""Fraction of arc samples on ink for a thin stroke to be taken as a door leaf (strict: walls
must not be dropped by accident)."""
WINDOW_MIN_COVER = 0.6
"""Fraction of the gap a line must span to count as a window pane line."""


@dataclass(frozen=True)
class Opening:
    """An opening found in a segment: ``start``/``end`` in px along the segment from its ``p``."""

    kind: Literal["door", "window", "passage"]
    start: float
    end: float
    hinge: Literal["start", "end"] = "start"
    swing: Literal["left", "right", "none"] = "none"
    leaves: Literal[1, 2] = 1
    score: float = 0.0

    @property
    def width(self) -> float:
        return self.end - self.start


def _sample(mask: Mask, points: NDArray[np.float64]) -> NDArray[np.bool_]:
    """Mask values at (N, 2) points (x, y); points outside the image read as False."""
    xy = np.rint(points).astype(np.int64)
    h, w = mask.shape
    inside = (xy[:, 0] >= 0) & (xy[:, 0] < w) & (xy[:, 1] >= 0) & (xy[:, 1] < h)
    out = np.zeros(len(xy), dtype=bool)
    out[inside] = mask[xy[inside, 1], xy[inside, 0]]
    return out


def window_score(ink: Mask, seg: Segment, a: float, b: float) -> float:
    """Window evidence in the gap [a, b] (px along ``seg``): the number of distinct ink lines
    parallel to the wall across the gap, counting a single line only when it spans almost
    all of the gap near the centreline (the one-line window symbol)."""
    if b - a < 3:
        return 0.0
    d, n = seg.direction, left_normal(seg.direction)
    along = np.linspace(a + 0.1 * (b - a), b - 0.1 * (b - a), 32)
    half = 0.6 * seg.thickness + 1.0
    lines, previous, best_central = 0, False, 0.0
    for u in np.arange(-half, half + 0.01, 0.5):
        pts = seg.p[None, :] + along[:, None] * d[None, :] + u * n[None, :]
        cover = float(_sample(ink, pts).mean())
        covered = cover >= WINDOW_MIN_COVER
        if covered and not previous:
            lines += 1
        previous = covered
        if abs(u) <= 0.35 * seg.thickness + 1:
            best_central = max(best_central, cover)
    if lines == 1 and best_central >= 0.9:
        return 2.0
    return float(lines)


def door_score(ink: Mask, seg: Segment, hinge_s: float, width: float, side: int, towards: int) -> float:
    """How well a quarter-circle swing arc (radius ``width``) around the hinge is inked, 0..1.

    ``side`` is +1 for the wall's left and -1 for its right; ``towards`` is +1 when the
    leaf closes towards the segment's end, -1 towards its start.
    """
    d, n = seg.direction, left_normal(seg.direction) * side
    hinge = seg.point_at(hinge_s) + n * seg.thickness / 2
    angles = np.radians(np.linspace(12, 80, 24))
    arc = hinge[None, :] + width * (np.cos(angles)[:, None] * (d * towards)[None, :] + np.sin(angles)[:, None] * n)
    leaf = hinge[None, :] + np.linspace(0.3, 0.95, 12)[:, None] * width * n[None, :]
    arc_score = float(_sample(ink, arc).mean())
    leaf_score = float(_sample(ink, leaf).mean())
    return max(arc_score, 0.5 * (arc_score + leaf_score) if leaf_score > 0.7 else 0.0)


def is_door_leaf(ink: Mask, seg: Segment, thickness: float) -> bool:
    """Whether a thin stroke is a drawn door leaf: a quarter-circle arc of its own length,
    centred on one of its ends, starts at its other end."""
    if seg.thickness >= 0.7 * thickness or not 3 * thickness <= seg.length <= 16 * thickness:
        return False
    angles = np.radians(np.linspace(12, 78, 20))
    for hinge, tip in ((seg.p, seg.q), (seg.q, seg.p)):
        u = (tip - hinge) / seg.length
        for side in (1.0, -1.0):
            v = left_normal(u) * side
            arc = hinge[None, :] + seg.length * (np.cos(angles)[:, None] * u + np.sin(angles)[:, None] * v)
            if float(_sample(ink, arc).mean()) >= LEAF_ARC_MIN:
                return True
    return False


def classify_gap(ink: Mask, seg: Segment, a: float, b: float, raw: Mask | None = None) -> Opening:
    """Decide what a gap [a, b] in ``seg`` is: door (with hinge and swing), window or open passage.

    ``ink`` is the thickened thin-stroke mask used for arcs; ``raw`` the unthickened ink used
    to count window lines (defaults to ``ink``).
    """
    width = b - a
    best = Opening("passage", a, b)
    for hinge, hinge_s, towards in (("start", a, 1), ("end", b, -1)):
        for swing, side in (("left", 1), ("right", -1)):
            score = door_score(ink, seg, hinge_s, width, side, towards)
            if score > best.score:
                best = Opening("door", a, b, hinge, swing, 1, score)  # type: ignore[arg-type]
    for swing, side in (("left", 1), ("right", -1)):
        double = 0.5 * (door_score(ink, seg, a, width / 2, side, 1) + door_score(ink, seg, b, width / 2, side, -1))
        if double > best.score + 0.1:
            best = Opening("door", a, b, "start", swing, 2, double)  # type: ignore[arg-type]
    if best.score >= ARC_MIN:
        return best
    lines = window_score(ink if raw is None else raw, seg, a, b)
    if lines >= 2:
        return Opening("window", a, b, score=min(1.0, lines / 3))
    return Opening("passage", a, b, score=0.3)


def thin_ink(ink: Mask, walls: Mask, thickness: float) -> Mask:
    """Ink not belonging to walls, slightly thickened so sampled curves hit it."""
    k = max(3, round(0.35 * thickness)) | 1
    grown = cv2.dilate(ink.astype(np.uint8), cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k)))
    return np.asarray(grown > 0)


def find_openings(ink: Mask, walls: Mask, segments: list[Segment], thickness: float) -> list[list[Opening]]:
    """Classify the gaps of every segment; returns one list of openings per segment."""
    probe = thin_ink(ink, walls, thickness)
    return [[classify_gap(probe, seg, a, b, ink) for a, b in seg.gaps] for seg in segments]


def has_evidence(ink: Mask, seg: Segment, a: float, b: float, thickness: float) -> bool:
    """Whether a stretch [a, b] beyond a wall end shows a door arc or window lines."""
    probe = thin_ink(ink, ink, thickness)
    opening = classify_gap(probe, seg, a, b, ink)
    return opening.kind != "passage"
