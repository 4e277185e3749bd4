"""Clean the wall graph: merge collinear pieces (keeping their gaps), snap junctions, drop spurs.

All lengths are plan pixels; ``t`` is the typical wall thickness in pixels.
"""

from __future__ import annotations

import numpy as np

from backend.floorplan.segments import Segment, angle_diff, line_intersection

MERGE_ANGLE_DEG = 4.0
"""Pieces whose orientations differ by more than this are never merged."""
MAX_GAP_T = 30.0
"""Largest gap (in wall thicknesses) bridged when merging collinear pieces (a wide window)."""
MAX_PASSAGE_T = 12.0
"""Longer gaps with no door or window drawn in them are not openings: the wall is split there."""


def _collinear(a: Segment, b: Segment, max_gap: float) -> bool:
    if angle_diff(a.angle_deg, b.angle_deg) > MERGE_ANGLE_DEG:
        return False
    thin, thick = sorted((a.thickness, b.thickness))
    if thick > 1.6 * thin + 2:
        return False
    ref = a if a.length >= b.length else b
    other = b if ref is a else a
    s1, o1 = ref.project(other.p)
    s2, o2 = ref.project(other.q)
    if max(abs(o1), abs(o2)) > max(0.5 * thick, 2.0):
        return False
    lo, hi = min(s1, s2), max(s1, s2)
    gap = max(lo - ref.length, -hi, 0.0)
    return gap <= max_gap


def _union_groups(segments: list[Segment], max_gap: float) -> list[list[int]]:
    parent = list(range(len(segments)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(segments)):
        for j in range(i + 1, len(segments)):
            if _collinear(segments[i], segments[j], max_gap):
                parent[find(i)] = find(j)
    groups: dict[int, list[int]] = {}
    for i in range(len(segments)):
        groups.setdefault(find(i), []).append(i)
    return list(groups.values())


THIN_INSERT = 0.75
"""A piece thinner than this fraction of its wall is a window pane or sill, i.e. part of an opening."""


def _merge_group(parts: list[Segment], min_gap: float) -> Segment:
    """One segment for a group of collinear pieces; the holes between solid pieces become gaps.

    Pieces much thinner than the longest one (window panes drawn between the jambs) count
    towards the wall's extent but not as solid wall.
    """
    ref = max(parts, key=lambda s: s.length)
    d = ref.direction
    solid = [p for p in parts if p.thickness >= THIN_INSERT * ref.thickness]
    extent = [sorted((ref.project(p.p)[0], ref.project(p.q)[0])) for p in parts]
    lo, hi = min(e[0] for e in extent), max(e[1] for e in extent)
    spans = sorted(tuple(sorted((ref.project(p.p)[0], ref.project(p.q)[0]))) for p in solid)
    weights = [p.length for p in solid]
    offsets = [(ref.project(p.p)[1] + ref.project(p.q)[1]) / 2 for p in solid]
    offset = float(np.average(offsets, weights=weights))
    thickness = float(np.average([p.thickness for p in solid], weights=weights))
    gaps: list[tuple[float, float]] = []
    reach = lo
    for a, b in [*spans, (hi, hi)]:
        if a - reach >= min_gap:
            gaps.append((reach - lo, a - lo))
        reach = max(reach, b)
    normal = np.array([d[1], -d[0]])
    base = ref.p + normal * offset
    confidence = float(np.average([p.confidence for p in solid], weights=weights))
    return Segment(base + d * lo, base + d * hi, thickness, confidence, gaps)


def merge_collinear(segments: list[Segment], t: float) -> list[Segment]:
    """Merge collinear pieces separated by at most ``MAX_GAP_T`` × t; gaps ≥ 0.8 t are kept as openings."""
    groups = _union_groups(segments, MAX_GAP_T * t)
    return [_merge_group([segments[i] for i in g], 0.8 * t) for g in groups]


def split_at_gap(seg: Segment, index: int) -> tuple[Segment, Segment]:
    """Cut a segment in two at its gap number ``index`` (the gap itself is dropped)."""
    a, b = seg.gaps[index]
    first = Segment(seg.p.copy(), seg.point_at(a), seg.thickness, seg.confidence, seg.gaps[:index])
    second = Segment(
        seg.point_at(b), seg.q.copy(), seg.thickness, seg.confidence, [(x - b, y - b) for x, y in seg.gaps[index + 1 :]]
    )
    first.snapped, second.snapped = [seg.snapped[0], False], [False, seg.snapped[1]]
    return first, second


def snap_junctions(segments: list[Segment], t: float) -> None:
    """Move each end onto the centreline of a crossing wall when it lies within about a thickness.

    Trims overshoots at L corners and extends stems of T junctions. Works in place.
    """
    for i, seg in enumerate(segments):
        for end in (0, 1):
            best = _best_snap(segments, i, end, t)
            if best is None:
                continue
            point = best
            if end == 0:
                shift = seg.project(point)[0]
                seg.gaps = [(a - shift, b - shift) for a, b in seg.gaps]
                seg.p = point
            else:
                seg.q = point
            seg.snapped[end] = True


def _best_snap(segments: list[Segment], i: int, end: int, t: float) -> np.ndarray | None:
    seg = segments[i]
    point = seg.p if end == 0 else seg.q
    best, best_dist = None, np.inf
    for j, other in enumerate(segments):
        if j == i or angle_diff(seg.angle_deg, other.angle_deg) < 20:
            continue
        x = line_intersection(seg, other)
        if x is None:
            continue
        along, _ = other.project(x)
        if along < -other.thickness or along > other.length + other.thickness:
            continue
        dist = float(np.linalg.norm(x - point))
        limit = 0.75 * max(other.thickness, seg.thickness) + 0.25 * t + 2.0
        if dist <= limit and dist < best_dist:
            best, best_dist = x, dist
    return best


def free_end_rays(segments: list[Segment], t: float, max_t: float = 10.0) -> list[tuple[int, int, float]]:
    """For each free end, the distance along the wall to the first wall it would hit.

    Returns (segment index, end 0/1, distance px) for hits within ``max_t`` × t.
    """
    hits = []
    for i, seg in enumerate(segments):
        for end in (0, 1):
            if seg.snapped[end]:
                continue
            point = seg.p if end == 0 else seg.q
            outward = -seg.direction if end == 0 else seg.direction
            dist = _ray_hit(segments, i, point, outward, max_t * t)
            if dist is not None:
                hits.append((i, end, dist))
    return hits


def _ray_hit(segments: list[Segment], i: int, origin: np.ndarray, d: np.ndarray, max_dist: float) -> float | None:
    best: float | None = None
    for j, other in enumerate(segments):
        if j == i or angle_diff(segments[i].angle_deg, other.angle_deg) < 20:
            continue
        probe = Segment(origin, origin + d, 1.0)
        x = line_intersection(probe, other)
        if x is None:
            continue
        dist = float((x - origin) @ d)
        along, _ = other.project(x)
        if 0 < dist <= max_dist and -other.thickness / 2 <= along <= other.length + other.thickness / 2:
            best = dist if best is None else min(best, dist)
    return best


def nearest_points(segments: list[Segment], i: int, end: int, max_dist: float) -> list[tuple[float, np.ndarray]]:
    """Nearest point of every other wall centreline to an end of segment ``i`` within ``max_dist``
    px, as (distance px, point (2,)), nearest first; walls it runs along (nearly collinear) are skipped."""
    seg = segments[i]
    origin = seg.p if end == 0 else seg.q
    found = []
    for j, other in enumerate(segments):
        if j == i:
            continue
        along, across = other.project(origin)
        if angle_diff(seg.angle_deg, other.angle_deg) < MERGE_ANGLE_DEG and abs(across) <= other.thickness:
            continue
        point = other.point_at(float(np.clip(along, 0.0, other.length)))
        dist = float(np.linalg.norm(point - origin))
        if dist <= max_dist:
            found.append((dist, point))
    found.sort(key=lambda f: f[0])
    return found


def extend_end(seg: Segment, end: int, dist: float, as_gap: bool) -> None:
    """Lengthen a segment by ``dist`` px at one end, recording the new stretch as a gap if asked."""
    if end == 0:
        seg.p = seg.p - seg.direction * dist
        seg.gaps = [(a + dist, b + dist) for a, b in seg.gaps]
        if as_gap:
            seg.gaps.insert(0, (0.0, dist))
    else:
        old = seg.length
        seg.q = seg.q + seg.direction * dist
        if as_gap:
            seg.gaps.append((old, old + dist))
    seg.snapped[end] = True


def drop_spurs(segments: list[Segment], t: float) -> list[Segment]:
    """Remove short dangling pieces: < 2 t with a free end, or < 4 t with both ends free."""
    kept = []
    for seg in segments:
        free = 2 - sum(seg.snapped)
        if (free >= 1 and seg.length < 2.0 * t) or (free == 2 and seg.length < 4.0 * t):
            continue
        if seg.length < 1.0:
            continue
        kept.append(seg)
    return kept


def _supported(seg: Segment, anchors: list[Segment], t: float) -> bool:
    """Whether a short piece touches, or lines up with, one of the long wall pieces."""
    for anchor in anchors:
        if anchor is seg:
            return True
        for end in (seg.p, seg.q):
            along, across = anchor.project(end)
            if -t <= along <= anchor.length + t and abs(across) <= anchor.thickness / 2 + 1.5 * t:
                return True
        if angle_diff(seg.angle_deg, anchor.angle_deg) < MERGE_ANGLE_DEG:
            offsets = [abs(anchor.project(p)[1]) for p in (seg.p, seg.q)]
            if max(offsets) <= max(anchor.thickness, seg.thickness) / 2 + 1:
                return True
    return False


ANCHOR_T = 4.0
"""Pieces at least this many wall thicknesses long anchor a wall network (shorter ones must touch one)."""
MIN_ROW_GAPS = 2
"""A row of short collinear pieces is a wall candidate with at least this many openings between them
(the piers between the windows of an outer wall)."""


def short_rows(segments: list[Segment], t: float) -> list[tuple[Segment, list[Segment]]]:
    """Rows of short (< ``ANCHOR_T`` × t), full-thickness collinear pieces with no gap over
    ``MAX_PASSAGE_T`` × t, at least ``MIN_ROW_GAPS`` gaps and ``ANCHOR_T`` × t of solid wall:
    (the row merged into one segment whose gaps are the openings, its pieces)."""
    short = [s for s in segments if s.length < ANCHOR_T * t and s.thickness >= THIN_INSERT * t]
    rows = []
    for group in _union_groups(short, MAX_PASSAGE_T * t):
        parts = [short[i] for i in group]
        if sum(p.length for p in parts) < ANCHOR_T * t:
            continue
        row = _merge_group(parts, 0.8 * t)
        if len(row.gaps) >= MIN_ROW_GAPS:
            rows.append((row, parts))
    return rows


def drop_isolated(segments: list[Segment], t: float, rows: list[Segment] | None = None) -> list[Segment]:
    """Drop short pieces (< 4 t) that neither touch nor line up with a long one (text, symbols).

    ``rows`` are short pieces that anchor like long ones (piers between windows, see :func:`short_rows`).
    """
    extra = rows or []
    anchors = [s for s in segments if s.length >= ANCHOR_T * t] + extra
    return [s for s in segments if s.length >= ANCHOR_T * t or _supported(s, anchors, t)]


def clean(segments: list[Segment], t: float, rows: list[Segment] | None = None) -> list[Segment]:
    """Drop isolated bits (``rows``: short pieces kept as anchors), merge, snap, drop spurs, snap again;
    returns new segments."""
    merged = merge_collinear(drop_isolated(segments, t, rows), t)
    snap_junctions(merged, t)
    merged = drop_spurs(merged, t)
    for seg in merged:
        seg.snapped = [False, False]
    snap_junctions(merged, t)
    for seg in merged:
        seg.gaps = [(max(a, 0.0), min(b, seg.length)) for a, b in seg.gaps if min(b, seg.length) - max(a, 0) > 1]
    return merged
