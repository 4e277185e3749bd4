"""Tracing: wall pixels → cleaned wall segments with their openings, and the lines that close rooms.

Works in plan pixels on a :class:`framing.Frame`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import cv2
import numpy as np
from numpy.typing import NDArray

from backend.floorplan import graph, openings, walls
from backend.floorplan.framing import Frame
from backend.floorplan.openings import Opening
from backend.floorplan.segments import Segment, angle_diff


@dataclass
class Traced:
    """Wall pixels, cleaned segments, their openings and room-closing lines (plan pixels)."""

    mask: NDArray[np.bool_]
    segments: list[Segment]
    openings: list[list[Opening]]
    closures: list[Segment]
    thickness: float
    partition: float = 0.0
    """Thickness (px) of the thinner walls, the partitions (0: as ``thickness``)."""
    doorways: list[tuple[Segment, Opening]] = field(default_factory=list)
    """Openings across room-closing lines (a doorway with no wall traced on either side), each with its line."""
    open_gaps: list[list[tuple[float, float]]] = field(default_factory=list)
    """Per segment, the gaps (px along it) that are no opening: the wall stops there and goes on after."""


MIN_SOLID_WALL_T = 0.25
"""Where walls are drawn solid, strokes thinner than this fraction of the typical wall are furniture,
fixtures or lettering (outlined or hatched walls, once thinned by their outline, may be this thin)."""


def trace(frame: Frame) -> Traced:
    """Wall mask → raw segments → cleaned graph → openings and room closures (free ends extended or
    closed, doorways beside wall ends, drawn doors where they shut)."""
    style = frame.style
    mask, hatched = walls.wall_mask(frame.ink, style.thickness, style.outlined, style.close_px, frame.gray)
    raw = walls.trace_walls(mask, style.thickness)
    drawn_solid = not (style.outlined or hatched or walls.grey_inside(frame.gray, mask))
    if not drawn_solid:  # outlines sit centred on faces
        line = walls.line_width(frame.ink, style.thickness)
        for seg in raw:
            seg.thickness = max(1.0, seg.thickness - line)
    t, typical = style.thickness, style.thickness
    if raw:  # the graph is cleaned at the thin walls' scale (thick outer walls would hide the partitions)
        typical = float(np.average([s.thickness for s in raw], weights=[s.length for s in raw]))
        t = max(_typical_thickness(raw), MIN_CLEAN_SHARE * typical)
    ink = frame.faint
    probe = openings.thin_ink(ink, ink, t)  # thin strokes thickened: what arcs and pane lines are sampled on
    raw = [s for s in raw if not openings.is_door_leaf(probe, s, style.thickness)]
    if drawn_solid:
        raw = [s for s in raw if s.thickness >= MIN_SOLID_WALL_T * typical]
    anchors = _window_rows(ink, probe, raw, t) + _networked(mask, raw, t)
    segments = _split_long_passages(ink, probe, graph.clean(raw, t, anchors), t)
    closures = _close_free_ends(ink, probe, segments, t)
    sources = ["free_end"] * len(closures)
    _fill_slits(segments, typical)
    found = openings.find_openings(frame.faint, mask, segments, typical)
    keep = _not_door_leaves(segments, found, typical)
    segments = [s for s, k in zip(segments, keep, strict=True) if k]
    found = [f for f, k in zip(found, keep, strict=True) if k]
    for source, more in (("doorway", _doorway_closures(ink, probe, segments, t, closures)),
                         ("symbol", _door_symbol_closures(ink, mask, t)), ("jamb", jamb_closures(segments, t, ink))):
        closures += more
        sources += [source] * len(more)
    tagged = list(zip(sources, closures, strict=True))
    tagged += [("reach", line) for line in reach_lines(ink, segments, t)]  # candidates only: rooms keep to closures
    checked = openings.rescore(ink, mask, frame.gray, segments, found, tagged, typical)
    return Traced(mask, segments, checked.openings, closures, typical, min(t, typical), checked.doorways,
                  checked.open_gaps)


def wall_pieces(traced: Traced) -> list[tuple[Segment, list[Opening]]]:
    """The walls of the plan with their openings: every segment, cut where a gap is no opening
    (``Traced.open_gaps``), and every room-closing line with openings across it as a wall that is all opening
    (or, split at a pier, two openings and the pier between them)."""
    out: list[tuple[Segment, list[Opening]]] = []
    for i, (seg, ops) in enumerate(zip(traced.segments, traced.openings, strict=True)):
        cuts = sorted(traced.open_gaps[i]) if i < len(traced.open_gaps) else []
        start = 0.0
        for a, b in [*cuts, (seg.length, seg.length)]:
            if a - start >= 1.0:
                piece = seg if not cuts else Segment(seg.point_at(start), seg.point_at(a), seg.thickness,
                                                     seg.confidence, snapped=[start == 0.0 and seg.snapped[0],
                                                                              a == seg.length and seg.snapped[1]])
                shifted = [replace(o, start=o.start - start, end=o.end - start) for o in ops
                           if o.start >= start - 1e-6 and o.end <= a + 1e-6]
                out.append((piece, shifted))
            start = max(start, b)
    lines: dict[int, tuple[Segment, list[Opening]]] = {}
    for seg, op in traced.doorways:  # the openings of one line (its parts between piers) on one wall
        lines.setdefault(id(seg), (seg, []))[1].append(op)
    return out + [(seg, sorted(ops, key=lambda o: o.start)) for seg, ops in lines.values()]


MIN_OPENING_T = 1.5
"""Gaps narrower than this many wall thicknesses are no door or window: slits left where a crossing
wall's pixels went to the other axis."""


def _fill_slits(segments: list[Segment], t: float) -> None:
    """Drop the gaps narrower than ``MIN_OPENING_T`` × t (px) from every segment, in place."""
    for seg in segments:
        seg.gaps = [(a, b) for a, b in seg.gaps if b - a >= MIN_OPENING_T * t]


MIN_WINDOW_T = 2.0
"""Windows between the piers of an outer wall are at least this many wall thicknesses wide (the
spaces between the letters of a bold label are narrower)."""


def _window_rows(ink: NDArray[np.bool_], probe: NDArray[np.bool_], raw: list[Segment], t: float) -> list[Segment]:
    """Short wall pieces lined up in a row whose every gap is a window: the piers of an outer wall
    between its windows (a bold label also lines up, but its letters show no window between them).
    ``probe``: the ink thickened (:func:`openings.thin_ink`)."""
    kept: list[Segment] = []
    for row, parts in graph.short_rows(raw, t):
        if all(
            b - a >= MIN_WINDOW_T * t and openings.classify_gap(probe, row, a, b, ink).kind == "window"
            for a, b in row.gaps
        ):
            kept += parts
    return kept


def _networked(mask: NDArray[np.bool_], raw: list[Segment], t: float) -> list[Segment]:
    """Short wall pieces whose pixels join, in the wall mask, those of a long piece (at least
    ``graph.ANCHOR_T`` × t), at least ``NETWORKED_MIN_T`` × t thick: the walls of a closet or a duct
    hanging off the wall network, each too short to anchor itself (text and symbols are not joined to
    the walls, or are thinner where a label touches one)."""
    _, labels = cv2.connectedComponents(mask.astype(np.uint8), connectivity=8)
    h, w = mask.shape

    def label(seg: Segment) -> int:
        x, y = np.clip(np.rint((seg.p + seg.q) / 2).astype(int), 0, [w - 1, h - 1])
        return int(labels[y, x])

    anchored = {label(s) for s in raw if s.length >= graph.ANCHOR_T * t} - {0}
    return [s for s in raw if s.length < graph.ANCHOR_T * t and s.thickness >= NETWORKED_MIN_T * t
            and label(s) in anchored]


NETWORKED_MIN_T = 0.6
"""Short pieces joined to the wall network are kept as walls only when at least this share of the wall
thickness: the strokes of a bold label, or a door arc, touching a wall are thinner than a closet's walls."""


MAX_LEAF_THICKNESS = 0.85
"""A drawn door leaf is thinner than this fraction of the wall it opens in (a full-thickness stroke
starting at a hinge is the next wall)."""


def _not_door_leaves(segments: list[Segment], found: list[list[Opening]], t: float) -> list[bool]:
    """False for segments that are the drawn leaf of a found door: they start at its hinge,
    stand across its wall, are thinner than it and about as long as the door is wide."""
    keep = [True] * len(segments)
    for wall, ops in zip(segments, found, strict=True):
        for op in ops:
            if op.kind != "door" or op.swing == "none":
                continue
            hinge = wall.point_at(op.start if op.hinge == "start" else op.end)
            for j, seg in enumerate(segments):
                if seg is wall or angle_diff(seg.angle_deg, wall.angle_deg) < 60:
                    continue
                if seg.thickness >= MAX_LEAF_THICKNESS * wall.thickness:
                    continue
                near = min(float(np.linalg.norm(seg.p - hinge)), float(np.linalg.norm(seg.q - hinge)))
                if near <= wall.thickness / 2 + t and 0.5 * op.width <= seg.length <= 1.3 * op.width:
                    keep[j] = False
    return keep


def _split_long_passages(
    ink: NDArray[np.bool_], probe: NDArray[np.bool_], segments: list[Segment], t: float
) -> list[Segment]:
    """Split walls at long gaps that show neither a door nor a window (two separate walls).
    ``probe``: the ink thickened (:func:`openings.thin_ink`)."""
    out: list[Segment] = []
    todo = list(segments)
    while todo:
        seg = todo.pop()
        for i, (a, b) in enumerate(seg.gaps):
            if b - a > graph.MAX_PASSAGE_T * t and openings.classify_gap(probe, seg, a, b, ink).kind == "passage":
                first, second = graph.split_at_gap(seg, i)
                todo += [part for part in (first, second) if part.length >= 2 * t]
                break
        else:
            out.append(seg)
    return out


def _close_free_ends(
    ink: NDArray[np.bool_], probe: NDArray[np.bool_], segments: list[Segment], t: float
) -> list[Segment]:
    """Extend free ends that stop short of a wall: into openings if one is drawn, else as room closures.
    ``probe``: the ink thickened (:func:`openings.thin_ink`)."""
    closures: list[Segment] = []
    for i, end, dist in graph.free_end_rays(segments, t):
        seg = segments[i]
        if dist <= 1.5 * t:
            graph.extend_end(seg, end, dist, as_gap=False)
            continue
        origin = seg.p if end == 0 else seg.q
        outward = -seg.direction if end == 0 else seg.direction
        reach = Segment(origin, origin + outward * dist, seg.thickness)
        if dist >= 2.5 * t and openings.classify_gap(probe, reach, 0.0, dist, ink).kind != "passage":
            graph.extend_end(seg, end, dist, as_gap=True)  # a door or window is drawn across the stretch
        else:
            closures.append(reach)
    return closures


MAX_DOORWAY_T = 10.0
"""A doorway closed from a free wall end is at most this many wall thicknesses wide."""
MIN_DOORWAY_T = 2.5
"""A free end nearer than this many thicknesses to another wall is a loose joint, not a doorway."""


def _doorway_closures(
    ink: NDArray[np.bool_], probe: NDArray[np.bool_], segments: list[Segment], t: float, closures: list[Segment]
) -> list[Segment]:
    """Room-closing lines from free wall ends (where no closure starts yet) to the nearest wall across a
    drawn door or window, whatever the direction: an entrance door beside the end of a wall (plan px;
    ``probe``: the ink thickened, :func:`openings.thin_ink`). Run it once door leaves are gone, or a
    leaf's tip is closed against its own swing."""
    starts = [c.p for c in closures]
    lines: list[Segment] = []
    for i, seg in enumerate(segments):
        for end in (0, 1):
            origin = seg.p if end == 0 else seg.q
            if seg.snapped[end] or any(float(np.linalg.norm(origin - p)) < 1.0 for p in starts):
                continue
            line = _doorway(ink, probe, segments, i, end, t)
            if line is not None:
                lines.append(line)
    return lines


def _doorway(
    ink: NDArray[np.bool_], probe: NDArray[np.bool_], segments: list[Segment], i: int, end: int, t: float
) -> Segment | None:
    """The line from an end of segment ``i`` to the nearest wall point (within ``MAX_DOORWAY_T`` × t,
    not back along itself) across which a door or window is drawn; None if the end as good as meets
    a wall (closer than ``MIN_DOORWAY_T`` × t) or no such line is found. ``probe``: thickened ink."""
    seg = segments[i]
    origin = seg.p if end == 0 else seg.q
    outward = -seg.direction if end == 0 else seg.direction
    for dist, point in graph.nearest_points(segments, i, end, MAX_DOORWAY_T * t):
        if dist < MIN_DOORWAY_T * t:
            return None
        if float((point - origin) @ outward) < 0:
            continue
        line = Segment(origin.copy(), point, seg.thickness)
        if openings.classify_gap(probe, line, 0.0, dist, ink).kind != "passage":
            return line
    return None


def _door_symbol_closures(ink: NDArray[np.bool_], mask: NDArray[np.bool_], t: float) -> list[Segment]:
    """Room-closing lines where drawn doors shut (hinge to the tip's closed position), one wall
    thickness wide, so that a doorway closes even where its jambs are too short to trace (plan px)."""
    return [Segment(door.hinge.copy(), door.closed.copy(), t) for door in openings.door_symbols(ink, mask, t)]


JAMB_T = (2.0, 7.0)
"""Two wall ends facing each other across a doorway are this many wall thicknesses apart (the front
of a closet, a doorway between rooms; nearer ends are a loose joint, farther ones an open plan)."""
JAMB_SQUARE = 0.26
"""The line between two jambs runs at most this far (sine of the angle) off square to their walls."""


WINDOW_SPAN_T = 40.0
"""Two such wall ends farther apart than ``JAMB_T`` (up to this many wall thicknesses) are closed when a
window is drawn between them: a wall that is all window between two corners, with no pier to trace."""


def jamb_closures(segments: list[Segment], t: float, ink: NDArray[np.bool_] | None = None) -> list[Segment]:
    """Room-closing lines between the free ends of two parallel walls that stop side by side, the line
    between them square to both and both walls on the same side of it: the open front of a closet or a
    doorway, whatever is drawn in it (bifold or sliding doors, curtains, nothing); with the ``ink``, also
    a window up to ``WINDOW_SPAN_T`` × t wide drawn between them (a wall all window). Plan px."""
    ends = [(i, e) for i, s in enumerate(segments) for e in (0, 1) if not s.snapped[e]]
    lines: list[Segment] = []
    for k, (i, e) in enumerate(ends):
        a, pa, out_a = _end(segments[i], e)
        for j, f in ends[k + 1:]:
            if j == i:
                continue
            b, pb, out_b = _end(segments[j], f)
            if angle_diff(a.angle_deg, b.angle_deg) > 10:
                continue
            gap = pb - pa
            dist = float(np.linalg.norm(gap))
            far = ink is not None and JAMB_T[1] * t < dist <= WINDOW_SPAN_T * t
            if not (JAMB_T[0] * t <= dist <= JAMB_T[1] * t or far):
                continue
            if abs(float(gap @ a.direction)) > JAMB_SQUARE * dist or float(out_a @ out_b) < 0.9:
                continue
            line = Segment(pa.copy(), pb.copy(), min(a.thickness, b.thickness))
            if far and (ink is None or openings.window_score(ink, line, 0.0, dist) < 2):
                continue
            lines.append(line)
    return lines


REACH_T = (1.5, 12.0)
"""A free wall end's reach to the next solid ink along its line is a candidate opening when this many wall
thicknesses long (narrower is a slit, wider is no door or window)."""
REACH_SOLID_T = 0.5
"""Ink right across the wall band for at least this many wall thicknesses (and 3 px) is wall: a pier, a jamb, the
next piece of a wall too short to trace (a pane line or a door leaf across the band is a px or two)."""


def reach_lines(ink: NDArray[np.bool_], segments: list[Segment], t: float) -> list[Segment]:
    """Lines from every free wall end along its wall to the next solid ink (``REACH_SOLID_T``) within ``REACH_T``
    × t, as wide as the wall: a window or doorway between a traced wall and a pier or a wall piece that is not
    traced (the short pieces between the windows of a diagonal or curved wall, the jambs of thin partitions).
    Candidate openings for the learned check only (they close no room). Plan px."""
    lines: list[Segment] = []
    solid_run = max(3.0, REACH_SOLID_T * t)
    for seg in segments:
        for e in (0, 1):
            if seg.snapped[e]:
                continue
            _, origin, outward = _end(seg, e)
            ray = Segment(origin - outward, origin + outward * (REACH_T[1] * t + solid_run), seg.thickness)
            s = np.arange(0.0, ray.length, 1.0)
            solid = openings.band_profile(ink, ray, s) >= openings.PIER_FILL
            clear = np.flatnonzero(~solid)
            if not len(clear):
                continue
            a = int(clear[0])
            after = np.flatnonzero(solid[a:])
            if not len(after):
                continue
            b = a + int(after[0])
            run = np.flatnonzero(~solid[b:])
            if (int(run[0]) if len(run) else len(s) - b) < solid_run:
                continue
            if REACH_T[0] * t <= b - a <= REACH_T[1] * t:
                lines.append(Segment(ray.point_at(float(s[a])), ray.point_at(float(s[b])), seg.thickness))
    return lines


def _end(seg: Segment, end: int) -> tuple[Segment, NDArray[np.float64], NDArray[np.float64]]:
    """A segment, the point of one of its ends and the outward direction there."""
    return (seg, seg.p, -seg.direction) if end == 0 else (seg, seg.q, seg.direction)


def door_widths(traced: Traced) -> list[float]:
    """Widths (plan px) of the single-leaf doors found."""
    return [o.width for ops in traced.openings for o in ops if o.kind == "door" and o.leaves == 1]


def _typical_thickness(raw: list[Segment]) -> float:
    """The thickness (px) of the thinner walls among raw segments: the length-weighted
    ``TYPICAL_QUANTILE`` of their thicknesses (a plan's thick outer walls outweigh its partitions,
    which a length-weighted mean would then drop as too thin or too short for walls)."""
    order = sorted(raw, key=lambda s: s.thickness)
    lengths = np.cumsum([s.length for s in order])
    return float(order[int(np.searchsorted(lengths, TYPICAL_QUANTILE * lengths[-1]))].thickness)


TYPICAL_QUANTILE = 0.2
MIN_CLEAN_SHARE = 0.75
"""The graph is cleaned at no less than this share of the length-weighted mean thickness."""
"""Share of the wall length, thinnest first, below which the thickness the graph is cleaned at lies."""
