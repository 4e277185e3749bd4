"""Wall centreline segments in plan pixels and the small vector maths they need."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

Vec = NDArray[np.float64]


@dataclass(eq=False)
class Segment:
    """A wall centreline from ``p`` to ``q`` (plan pixels, shape (2,)) with a thickness in pixels.

    ``gaps`` are intervals ``(a, b)`` in pixels along the segment from ``p`` where the wall
    has an opening; ``snapped`` says whether each end joins another wall.
    """

    p: Vec
    q: Vec
    thickness: float
    confidence: float = 0.8
    gaps: list[tuple[float, float]] = field(default_factory=list)
    snapped: list[bool] = field(default_factory=lambda: [False, False])

    @property
    def length(self) -> float:
        return float(np.linalg.norm(self.q - self.p))

    @property
    def direction(self) -> Vec:
        """Unit vector from p to q."""
        return (self.q - self.p) / max(self.length, 1e-9)

    @property
    def angle_deg(self) -> float:
        """Orientation in degrees, in [0, 180)."""
        d = self.q - self.p
        return math.degrees(math.atan2(d[1], d[0])) % 180.0

    def point_at(self, s: float) -> Vec:
        """The point ``s`` pixels along the segment from ``p``."""
        return self.p + self.direction * s

    def project(self, point: Vec) -> tuple[float, float]:
        """(along, across) coordinates of ``point``: distance along from p, signed offset to the left."""
        d = self.direction
        v = point - self.p
        return float(v @ d), float(v @ left_normal(d))


def left_normal(d: Vec) -> Vec:
    """The unit normal on the *left* of direction ``d`` when x is right and y is down."""
    return np.array([d[1], -d[0]])


def angle_diff(a_deg: float, b_deg: float) -> float:
    """Smallest difference between two undirected orientations, in degrees [0, 90]."""
    diff = abs(a_deg - b_deg) % 180.0
    return min(diff, 180.0 - diff)


def line_intersection(a: Segment, b: Segment) -> Vec | None:
    """Intersection of the infinite lines through two segments, or None when (nearly) parallel."""
    d1, d2 = a.q - a.p, b.q - b.p
    denom = d1[0] * d2[1] - d1[1] * d2[0]
    if abs(denom) < 1e-9 * max(a.length * b.length, 1.0):
        return None
    t = ((b.p[0] - a.p[0]) * d2[1] - (b.p[1] - a.p[1]) * d2[0]) / denom
    return np.asarray(a.p + t * d1, dtype=np.float64)


def rectangle(seg: Segment, extend: float = 0.0) -> NDArray[np.float64]:
    """The wall band as a (4, 2) polygon: thickness across, extended by ``extend`` px at each end."""
    d = seg.direction
    n = left_normal(d) * seg.thickness / 2
    p, q = seg.p - d * extend, seg.q + d * extend
    return np.array([p + n, q + n, q - n, p - n])
