"""Openings: classify each gap in a wall as a door (leaf and/or swing arc) or a window (parallel lines),
and find door symbols (leaf + arc) wherever they are drawn.

Works in plan pixels on the raw ink mask (H, W) bool, where thin strokes are still present.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import ClassVar, Literal, Self

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
SOLID_COVER = 0.9
"""A gap whose band is covered at this fraction of its offsets is filled by a crossing wall."""
SWEEP_MAX = 0.1
"""Largest fraction of ink in the quarter disc a door sweeps and on the ring just beyond its arc: a
door swings through empty floor and its arc is a thin line, while text, fixtures, hatching and the
edges of dark areas are inked all over."""
SWEEP_DISC = (0.3, 0.85)
"""Radii (fractions of the leaf) between which the swept quarter disc is sampled: clear of the hinge,
where the leaf and the wall meet, and of the arc itself."""
SWEEP_RING = 1.2
"""Radius (fraction of the leaf) of the ring just beyond the arc that is sampled too."""
SWEEP_RING_WEIGHT = 0.2
"""Share of the ring in the swept-ink fraction (the rest is the disc's)."""
SWEEP_STEP = 2.0
"""Spacing (px) of the samples over the swept quarter disc: dense enough that a compact label or a
fixture in the swing counts by its area, not by whether a handful of samples happen to hit its strokes."""


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
    lines, previous, best_central, solid = 0, False, 0.0, 0
    offsets = np.arange(-half, half + 0.01, 0.5)
    for u in offsets:
        pts = seg.p[None, :] + along[:, None] * d[None, :] + u * n[None, :]
        cover = float(_sample(ink, pts).mean())
        covered = cover >= WINDOW_MIN_COVER
        if covered and not previous:
            lines += 1
        previous = covered
        solid += covered
        if abs(u) <= 0.35 * seg.thickness + 1:
            best_central = max(best_central, cover)
    if solid >= SOLID_COVER * len(offsets):
        return 0.0  # inked right across: a crossing wall, not window lines
    if lines == 1 and best_central >= 0.9:
        return 2.0
    return float(lines)


def swept_ink(
    ink: Mask, hinge: NDArray[np.float64], closed: NDArray[np.float64], open_: NDArray[np.float64], radius: float
) -> float:
    """Fraction of ink in the quarter disc of ``radius`` px around ``hinge`` (shape (2,)) between the
    unit directions ``closed`` (leaf shut) and ``open_`` (leaf open), leaf and arc left out, and on
    the ring just beyond the arc (see ``SWEEP_DISC``, ``SWEEP_RING``), sampled every ``SWEEP_STEP`` px."""
    lo, hi = SWEEP_DISC
    n_angles = max(9, math.ceil(math.radians(60) * SWEEP_RING * radius / SWEEP_STEP))
    n_radii = max(4, math.ceil((hi - lo) * radius / SWEEP_STEP))
    angles = np.radians(np.linspace(15, 75, n_angles))
    unit = np.cos(angles)[:, None] * closed[None, :] + np.sin(angles)[:, None] * open_[None, :]
    radii = np.linspace(lo, hi, n_radii) * radius
    disc = (hinge[None, None, :] + radii[:, None, None] * unit[None, :, :]).reshape(-1, 2)
    ring = hinge[None, :] + SWEEP_RING * radius * unit
    return float(
        (1 - SWEEP_RING_WEIGHT) * _sample(ink, disc).mean() + SWEEP_RING_WEIGHT * _sample(ink, ring).mean()
    )


def door_score(
    ink: Mask, seg: Segment, hinge_s: float, width: float, side: int, towards: int, raw: Mask | None = None
) -> float:
    """How well a quarter-circle swing arc (radius ``width``) around the hinge is inked, 0..1; 0 when
    the quarter disc it sweeps is cluttered (more than ``SWEEP_MAX`` of ``raw`` ink, default ``ink``).

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
    if swept_ink(ink if raw is None else raw, hinge, d * towards, n, width) > SWEEP_MAX:
        return 0.0
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
            score = door_score(ink, seg, hinge_s, width, side, towards, raw)
            if score > best.score:
                best = Opening("door", a, b, hinge, swing, 1, score)  # type: ignore[arg-type]
    for swing, side in (("left", 1), ("right", -1)):
        double = 0.5 * (
            door_score(ink, seg, a, width / 2, side, 1, raw) + door_score(ink, seg, b, width / 2, side, -1, raw)
        )
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


SYMBOL_ARC_MIN = 0.75
"""Fraction of swing-arc samples on ink for a free-standing door symbol (no wall gap to go by)."""
SYMBOL_LEAF_T = (2.5, 16.0)
"""A free-standing door leaf is this many wall thicknesses long (shortest, longest)."""
SYMBOL_REACH_T = 1.5
"""Both ends of a door's closed position lie within this many thicknesses of wall pixels."""


@dataclass(frozen=True)
class DoorSymbol:
    """A door drawn as a straight leaf and a quarter-circle swing arc, wherever it stands: ``hinge``
    and ``tip`` of the open leaf and ``closed``, where the tip rests when shut (plan px, shape (2,))."""

    hinge: NDArray[np.float64]
    tip: NDArray[np.float64]
    closed: NDArray[np.float64]


def skeleton(mask: Mask) -> Mask:
    """Morphological skeleton of an (H, W) mask: the centre lines of its strokes, one or two px wide.

    Written here: OpenCV's thinning lives in the contrib build (not opencv-python-headless), and a
    few lines of erosions spare the project scikit-image for one function."""
    kernel = cv2.getStructuringElement(cv2.MORPH_CROSS, (3, 3))
    work = mask.astype(np.uint8)
    out = np.zeros(mask.shape, dtype=bool)
    while work.any():
        eroded = np.asarray(cv2.erode(work, kernel), dtype=np.uint8)
        out |= (work > 0) & (np.asarray(cv2.dilate(eroded, kernel)) == 0)
        work = eroded
    return out


def _leaf_lines(thin: Mask, thickness: float) -> NDArray[np.float64]:
    """Straight thin strokes door-leaf long, as (N, 4) x1, y1, x2, y2 (probabilistic Hough on their
    skeleton, so that leaves drawn a few px wide give one line each)."""
    shortest = SYMBOL_LEAF_T[0] * thickness
    found = cv2.HoughLinesP(
        skeleton(thin).astype(np.uint8) * 255, 1, np.pi / 180, max(8, round(0.5 * shortest)),
        minLineLength=shortest, maxLineGap=3,
    )
    if found is None:
        return np.zeros((0, 4))
    lines = found.reshape(-1, 4).astype(np.float64)
    length = np.hypot(lines[:, 2] - lines[:, 0], lines[:, 3] - lines[:, 1])
    return lines[length <= SYMBOL_LEAF_T[1] * thickness]


SYMBOL_RADII = (0.9, 1.0, 1.1, 1.2, 1.3)
"""Leaf lengths tried, as multiples of the Hough line found (its ends are a few px short)."""


def _swing(probe: Mask, ink: Mask, hinge: NDArray[np.float64], tip: NDArray[np.float64]) -> tuple[int, float]:
    """(side, radius px) of the best-inked quarter arc around ``hinge`` starting in the leaf's
    direction (towards ``tip``) over empty floor: side +1 / -1 for the leaf's left / right, 0 when no
    arc has ``SYMBOL_ARC_MIN`` of its samples on ``probe`` with at most ``SWEEP_MAX`` of ``ink`` swept."""
    length = float(np.linalg.norm(tip - hinge))
    u = (tip - hinge) / length
    angles = np.radians(np.linspace(12, 80, 24))
    best, best_score = (0, 0.0), SYMBOL_ARC_MIN
    for side in (1, -1):
        v = left_normal(u) * side
        unit = np.cos(angles)[:, None] * u[None, :] + np.sin(angles)[:, None] * v[None, :]
        for k in SYMBOL_RADII:
            score = float(_sample(probe, hinge[None, :] + k * length * unit).mean())
            if score >= best_score and swept_ink(ink, hinge, u, v, k * length) <= SWEEP_MAX:
                best, best_score = (side, k * length), score
    return best


def door_symbols(ink: Mask, walls: Mask, thickness: float) -> list[DoorSymbol]:
    """Doors drawn with leaf and arc whose hinge and closed tip both rest on wall pixels: the doorway
    they shut is known even where the wall is not traced as a segment (short jambs, diagonal doors).

    ``ink`` is the raw (H, W) ink, ``walls`` the (H, W) wall pixels, ``thickness`` in px.
    """
    lines = _leaf_lines(ink & ~(cv2.dilate(walls.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0), thickness)
    if not len(lines):
        return []
    reach = SYMBOL_REACH_T * thickness
    probe = thin_ink(ink, walls, thickness)
    found: list[DoorSymbol] = []
    for x1, y1, x2, y2 in lines:
        for hinge, tip in ((np.array([x1, y1]), np.array([x2, y2])), (np.array([x2, y2]), np.array([x1, y1]))):
            if not _near(walls, hinge, reach):
                continue
            side, radius = _swing(probe, ink, hinge, tip)
            if side == 0:
                continue
            u = (tip - hinge) / np.linalg.norm(tip - hinge)
            closed = hinge + left_normal(u) * side * radius
            if _near(walls, closed, reach):
                found.append(DoorSymbol(hinge, hinge + u * radius, closed))
    return found


def _near(mask: Mask, point: NDArray[np.float64], reach: float) -> bool:
    """Whether any pixel of an (H, W) mask lies within ``reach`` px (a square window) of ``point`` (x, y)."""
    x, y, r = round(float(point[0])), round(float(point[1])), max(1, round(reach))
    return bool(mask[max(y - r, 0) : y + r + 1, max(x - r, 0) : x + r + 1].any())


# --- Learned opening check -------------------------------------------------------------------------
# Every candidate opening (a gap in a traced wall, or a line that closes a room: a free wall end's reach,
# a doorway beside a wall end, where a drawn door shuts, the front between two jambs) is described by a
# few numbers read off the plan, and a few small boosted trees trained on the R3D tuning plans
# (``python -m benchmarks.floorplan.train_openings``) says how likely it is an opening. Without the model
# file the rule-based classification above stands alone (and room-closing lines stay no openings).

SOURCES = ("gap", "free_end", "doorway", "symbol", "jamb", "pier", "reach")
"""Where a candidate comes from: a wall's gap, one of the kinds of room-closing lines (see tracing), a part of
either between solid piers (``pier_pieces``: two windows side by side with a pier left untraced), or a free wall
end's reach to the next solid ink along its line (``tracing.reach_lines``, a candidate only: it closes no room)."""
KINDS = ("door", "window", "passage")
FEATURES = (
    *(f"src_{s}" for s in SOURCES), *(f"kind_{k}" for k in KINDS),
    "width_t", "log_width_t", "thick_t", "door", "lines", "band_ink", "band_faint", "band_wall", "band_gray",
    "side_ink", "duplicate", "diagonal", "rule_score", "jamb_min", "jamb_max", "band_fill",
)
"""The numbers a candidate is described by, in the model's order."""
MODEL_PATH = Path(__file__).with_name("opening_model.json")
PIER_FILL = 0.9
"""A cross-section of a candidate inked at least this much (over the central 0.8 of its band) is solid wall."""
PIER_T = 0.5
"""A pier between two openings is at least this many wall thicknesses long (and 2 px)."""
MIN_PIECE_T = 1.5
"""A piece of a candidate between piers is an opening when at least this many wall thicknesses wide."""
DUPLICATE_W = 0.75
"""A candidate whose centre lies within this share of its width from a more likely one is the same opening."""


@dataclass(frozen=True)
class Candidate:
    """A possible opening: the stretch [a, b] px along ``seg`` (for a room-closing line, all of it), where
    it comes from (one of ``SOURCES``), the rule-based reading and the index of its wall in the traced
    segments (-1 for a room-closing line)."""

    seg: Segment
    a: float
    b: float
    source: str
    opening: Opening
    wall: int = -1

    @property
    def centre(self) -> NDArray[np.float64]:
        return self.seg.point_at((self.a + self.b) / 2)


def _grid(seg: Segment, along: NDArray[np.float64], across: NDArray[np.float64]) -> NDArray[np.float64]:
    """(len(along) × len(across), 2) points at ``along`` px along ``seg`` and ``across`` px to its left,
    row by row (one row per position along)."""
    d, n = seg.direction, left_normal(seg.direction)
    return (seg.p[None, None, :] + along[:, None, None] * d + across[None, :, None] * n).reshape(-1, 2)


def _band_points(seg: Segment, a: float, b: float, half: float, offset: float = 0.0) -> NDArray[np.float64]:
    """(N, 2) sample points over the band [a, b] × [offset - half, offset + half] across ``seg``."""
    along = np.linspace(a + 0.1 * (b - a), b - 0.1 * (b - a), 12)
    return _grid(seg, along, np.linspace(offset - half, offset + half, 5))


def band_profile(ink: Mask, seg: Segment, s: NDArray[np.float64], share: float = 0.8) -> NDArray[np.float64]:
    """(len(s),) share of ink across the central ``share`` of ``seg``'s band at the positions ``s`` px."""
    across = np.linspace(-share / 2, share / 2, 7) * seg.thickness
    return np.asarray(_sample(ink, _grid(seg, s, across)).reshape(len(s), len(across)).mean(axis=1))


def pier_pieces(ink: Mask, seg: Segment, a: float, b: float, t: float) -> list[tuple[float, float]]:
    """The parts of the stretch [a, b] px along ``seg`` between solid piers (``PIER_FILL``, at least
    ``PIER_T`` × t long), when there are two or more at least ``MIN_PIECE_T`` × t wide: a gap or a closing
    line across two windows whose pier was too short to trace. Empty when no pier splits it."""
    if b - a < 2 * MIN_PIECE_T * t + PIER_T * t:
        return []
    s = np.arange(a, b, 1.0)
    solid = band_profile(ink, seg, s) >= PIER_FILL
    edges = np.flatnonzero(np.diff(np.concatenate([[0], solid.astype(np.int8), [0]])))
    piers = [(float(s[i]), float(s[j - 1]) + 1.0) for i, j in zip(edges[::2], edges[1::2], strict=True)
             if s[j - 1] + 1.0 - s[i] >= max(2.0, PIER_T * t)]
    pieces, start = [], a
    for lo, hi in [*piers, (b, b)]:
        if lo - start >= MIN_PIECE_T * t:
            pieces.append((start, lo))
        start = max(start, hi)
    return pieces if len(pieces) >= 2 else []


def _jambs(ink: Mask, seg: Segment, a: float, b: float, t: float) -> tuple[float, float]:
    """(smaller, larger) share of ink across the wall band just outside either end of [a, b]: an opening in
    a wall has wall on both sides."""
    reach = max(2.0, 0.75 * t)
    ends = []
    for lo, hi in ((a - reach, a - 1.0), (b + 1.0, b + reach)):
        ends.append(float(band_profile(ink, seg, np.linspace(lo, hi, 5)).mean()))
    return min(ends), max(ends)


def features(cand: Candidate, ink: Mask, probe: Mask, walls: Mask, gray: NDArray[np.uint8],
             t: float, others: list[NDArray[np.float64]]) -> NDArray[np.float64]:
    """The ``FEATURES`` of a candidate (``ink`` raw, ``probe`` thickened thin strokes, ``walls`` the wall
    pixels, ``gray`` the working image, ``t`` the typical wall thickness px; ``others``: the centres of the
    gap candidates, to tell a room-closing line that only repeats one)."""
    seg, a, b = cand.seg, cand.a, cand.b
    width = max(b - a, 1e-6)
    th = max(seg.thickness, 1.0)
    door = 0.0
    for hinge_s, towards in ((a, 1), (b, -1)):
        for side in (1, -1):
            door = max(door, door_score(probe, seg, hinge_s, width, side, towards, ink))
    lines = window_score(ink, seg, a, b)
    band = _band_points(seg, a, b, th / 2)
    xy = np.clip(np.rint(band).astype(np.int64), 0, [gray.shape[1] - 1, gray.shape[0] - 1])
    sides = np.vstack([_band_points(seg, a, b, th / 4, off) for off in (th / 2 + t, -th / 2 - t)])
    centre = cand.centre
    near = min((float(np.linalg.norm(c - centre)) for c in others if c is not None), default=1e9)
    dup = float(cand.source != "gap" and near < DUPLICATE_W * width)
    angle = math.radians(seg.angle_deg)
    kind = cand.opening.kind
    return np.array([
        *(float(cand.source == s) for s in SOURCES), *(float(kind == k) for k in KINDS),
        min(width / t, 30.0), math.log(max(width / t, 0.1)), min(th / t, 5.0), door, min(lines, 6.0),
        float(_sample(ink, band).mean()), float(_sample(probe, band).mean()), float(_sample(walls, band).mean()),
        float(gray[xy[:, 1], xy[:, 0]].mean()) / 255.0, float(_sample(ink, sides).mean()), dup,
        abs(math.sin(2 * angle)), cand.opening.score, *_jambs(ink, seg, a, b, t),
        float(band_profile(ink, seg, np.linspace(a + 0.1 * width, b - 0.1 * width, 12)).mean()),
    ])


Tree = list[list[float]]
"""A regression tree as rows ``[feature, threshold, left, right, value]``: row 0 is the root; a row whose
feature is -1 is a leaf worth ``value``; else rows ``left`` (feature value <= threshold) and ``right``."""


@dataclass(frozen=True)
class TreeModel:
    """Boosted trees over ``FEATURE_NAMES`` (a subclass names them): p = sigmoid(bias + the sum of the
    trees' values); a candidate below ``threshold`` is turned down."""

    trees: list[Tree]
    bias: float
    threshold: float = 0.5
    FEATURE_NAMES: ClassVar[tuple[str, ...]] = ()

    @cached_property
    def forest(self) -> NDArray[np.float64]:
        return stack_trees(self.trees)

    def probability(self, x: NDArray[np.float64]) -> NDArray[np.float64]:
        """(N,) probabilities of (N, len(FEATURE_NAMES)) feature rows."""
        z = forest_sum(self.forest, x, self.bias)
        return np.asarray(1.0 / (1.0 + np.exp(-np.clip(z, -30, 30))))

    def to_json(self) -> dict[str, object]:
        return {"features": list(self.FEATURE_NAMES), "bias": self.bias, "threshold": self.threshold,
                "trees": self.trees}

    @classmethod
    def load(cls, path: Path) -> Self | None:
        """The model trained into ``path``, or None when the file is missing or was trained on other
        features."""
        try:
            data = json.loads(path.read_text())
        except (OSError, ValueError):
            return None
        if data.get("features") != list(cls.FEATURE_NAMES):
            return None
        return cls([[list(map(float, row)) for row in tree] for tree in data["trees"]], float(data["bias"]),
                   float(data["threshold"]))


class OpeningModel(TreeModel):
    """The opening check: boosted trees over ``FEATURES``."""

    FEATURE_NAMES = FEATURES


def tree_values(tree: Tree, x: NDArray[np.float64]) -> NDArray[np.float64]:
    """(N,) values one tree gives (N, F) feature rows."""
    node = np.zeros(len(x), dtype=np.int64)
    table = np.asarray(tree, dtype=np.float64)
    for _ in range(len(tree)):
        feature = table[node, 0].astype(np.int64)
        inner = feature >= 0
        if not inner.any():
            break
        rows = np.nonzero(inner)[0]
        go_left = x[rows, feature[rows]] <= table[node[rows], 1]
        node[rows] = np.where(go_left, table[node[rows], 2], table[node[rows], 3]).astype(np.int64)
    return np.asarray(table[node, 4])


def stack_trees(trees: list[Tree]) -> NDArray[np.float64]:
    """The trees as one (T, nodes, 5) table, shorter trees padded with leaves worth nothing (never reached)."""
    nodes = max((len(tree) for tree in trees), default=1)
    table = np.zeros((len(trees), nodes, 5), dtype=np.float64)
    table[:, :, 0] = -1.0
    for t, tree in enumerate(trees):
        table[t, : len(tree)] = np.asarray(tree, dtype=np.float64)
    return table


def forest_sum(table: NDArray[np.float64], x: NDArray[np.float64], bias: float) -> NDArray[np.float64]:
    """(N,) ``bias`` plus the values all the trees of ``table`` (:func:`stack_trees`) give (N, F) feature
    rows: what adding :func:`tree_values` tree by tree gives, to the last bit (the same sums in the same
    order), with the rows walked down every tree at once (a model's 80-120 trees, each a call of its own,
    were most of the learned checks' time)."""
    n, (count, nodes, _) = len(x), table.shape
    trees = np.arange(count)[None, :]
    node = np.zeros((n, count), dtype=np.int64)
    for _ in range(nodes):
        rows = table[trees, node]  # (N, T, 5)
        feature = rows[..., 0].astype(np.int64)
        inner = feature >= 0
        if not inner.any():
            break
        value = np.take_along_axis(x, np.where(inner, feature, 0), axis=1)
        node = np.where(inner, np.where(value <= rows[..., 1], rows[..., 2], rows[..., 3]).astype(np.int64), node)
    values = table[trees, node, 4]
    z = np.full(n, bias)
    for t in range(count):
        z += values[:, t]
    return z


def load_model(path: Path = MODEL_PATH) -> OpeningModel | None:
    """The trained model, or None when the file is missing or was trained on other features."""
    return OpeningModel.load(path)


_MODEL: list[OpeningModel | None] = []


def model() -> OpeningModel | None:
    """The model shipped beside this module, read once."""
    if not _MODEL:
        _MODEL.append(load_model())
    return _MODEL[0]


def candidates(segments: list[Segment], found: list[list[Opening]],
               closures: list[tuple[str, Segment]], probe: Mask, ink: Mask, t: float = 0.0) -> list[Candidate]:
    """Every gap of every segment (with its rule-based reading) and every room-closing line
    (``(source, line)``, classified as a gap spanning the line); with ``t`` (the typical wall thickness px)
    also the parts of either that piers split (:func:`pier_pieces`, source "pier", on the same wall or line:
    a line whose parts are kept is one wall with two openings and its pier, closed all along)."""
    out = [Candidate(seg, op.start, op.end, "gap", op, i)
           for i, (seg, ops) in enumerate(zip(segments, found, strict=True)) for op in ops]
    for source, line in closures:
        if line.length >= 1.0:
            out.append(Candidate(line, 0.0, line.length, source, classify_gap(probe, line, 0.0, line.length, ink)))
    if t > 0:
        for c in list(out):
            for a, b in pier_pieces(ink, c.seg, c.a, c.b, t):
                out.append(Candidate(c.seg, a, b, "pier", classify_gap(probe, c.seg, a, b, ink), c.wall))
    return out


@dataclass
class Checked:
    """What :func:`rescore` keeps: per segment its openings and its gaps that are none (the wall is cut
    there), and the openings across room-closing lines, each with its line."""

    openings: list[list[Opening]]
    open_gaps: list[list[tuple[float, float]]]
    doorways: list[tuple[Segment, Opening]]


def _repeats(c: Candidate, kept: list[Candidate]) -> bool:
    """Whether ``c`` repeats a kept candidate: centres within ``DUPLICATE_W`` of the wider one's width."""
    return any(float(np.linalg.norm(c.centre - o.centre)) < DUPLICATE_W * max(c.b - c.a, o.b - o.a) for o in kept)


KEEP_REJECTED_GAPS = True
"""A gap in a traced wall that the rules read as a passage (no leaf, no arc, no panes) stays a passage when
the learned check rejects it: a plain doorway between two rooms is still a way through, and cutting the wall
there left the plan editor one room where the reader had found two (tests/e2e/test_plan_editing.py). Other
rejected gaps cut their wall. Chosen for that behaviour, not by the benchmark: held-out R3D opening F1
0.629 -> 0.618, wall IoU 0.704 -> 0.701 against cutting every rejected gap."""
KEEP_PASSAGE_P = 0.1
"""...but only when the check gives it at least this probability: the gaps it is surest are none (a label's
letters, a wall end's slit) cut their wall too. Tuning part, 5-fold cross-check: opening F1 0.693 (every rejected
passage kept) -> 0.703 (0.15: 0.703, none kept: 0.702); the clean two-room plan's doorway scores about 0.2."""


def rescore(
    ink: Mask, walls: Mask, gray: NDArray[np.uint8], segments: list[Segment], found: list[list[Opening]],
    closures: list[tuple[str, Segment]], t: float, learned: OpeningModel | None = None,
) -> Checked:
    """With the ``learned`` model (default: the shipped one): the gaps kept as openings and the others,
    per segment, and the room-closing lines that are openings. Without a model: every gap is an
    opening as the rules read it and no line is. Of candidates repeating one another (centres within
    ``DUPLICATE_W`` of a width) only the likeliest is kept."""
    learned = learned or model()
    none: list[list[tuple[float, float]]] = [[] for _ in segments]
    if learned is None:
        return Checked(found, none, [])
    probe = thin_ink(ink, walls, t)
    cands = candidates(segments, found, closures, probe, ink, t)
    if not cands:
        return Checked(found, none, [])
    gap_centres = [c.centre for c in cands if c.source == "gap"]
    x = np.array([features(c, ink, probe, walls, gray, t, gap_centres) for c in cands])
    p = learned.probability(x)
    kept: list[Candidate] = []
    for k in np.argsort(-p):
        c = cands[int(k)]
        if p[k] < learned.threshold:
            break
        if _repeats(c, kept):
            continue
        kept.append(c)
    out: list[list[Opening]] = [[] for _ in segments]
    lines: list[tuple[Segment, Opening]] = []
    for c in kept:
        if c.wall >= 0:
            out[c.wall].append(c.opening)
        else:
            lines.append((c.seg, c.opening))
    chosen = {id(c) for c in kept}
    for i, c in enumerate(cands):
        if c.wall >= 0 and id(c) not in chosen and c.source == "gap":
            if any(o.source == "pier" and o.wall == c.wall and c.a <= o.a and o.b <= c.b for o in kept):
                continue  # its parts between piers are the openings: the wall goes on through the gap
            if KEEP_REJECTED_GAPS and c.opening.kind == "passage" and p[i] >= KEEP_PASSAGE_P:
                if not _repeats(c, kept):
                    out[c.wall].append(c.opening)
            else:
                none[c.wall].append((c.a, c.b))
    for ops in out:
        ops.sort(key=lambda o: o.start)
    return Checked(out, none, lines)
