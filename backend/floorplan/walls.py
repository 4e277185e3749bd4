"""Walls: separate thick wall strokes from thin drawing, then trace centreline segments.

Images are (H, W) arrays in plan pixels; thicknesses are in pixels.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray

from backend.floorplan.rooms import label_max
from backend.floorplan.segments import Segment

Mask = NDArray[np.bool_]

MIN_THICK_PX = 1.5
"""Strokes thinner than 2 × this are never walls (text, dimension lines, arcs)."""


def _u8(mask: Mask) -> NDArray[np.uint8]:
    return np.asarray(mask, dtype=np.uint8) * np.uint8(255)


def _kernel(size: int) -> NDArray[np.uint8]:
    return np.asarray(cv2.getStructuringElement(cv2.MORPH_RECT, (max(1, size) | 1, max(1, size) | 1)), dtype=np.uint8)


def _pane_pairs(stats: NDArray[np.int32], candidates: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """Candidates lying side by side with another of the same extent: the panes of a window
    drawn as parallel lines between two jambs (axis-aligned boxes; ends within 3 px, gap ≤ 4 px)."""
    idx = np.flatnonzero(candidates)
    x0, y0 = stats[idx, 0], stats[idx, 1]
    x1, y1 = x0 + stats[idx, 2], y0 + stats[idx, 3]
    panes = np.zeros(len(stats), bool)
    for k, i in enumerate(idx):
        same_x = (np.abs(x0 - x0[k]) <= 3) & (np.abs(x1 - x1[k]) <= 3)
        same_y = (np.abs(y0 - y0[k]) <= 3) & (np.abs(y1 - y1[k]) <= 3)
        gap_y = np.maximum(y0 - y1[k], y0[k] - y1)
        gap_x = np.maximum(x0 - x1[k], x0[k] - x1)
        beside = (same_x & (gap_y >= 0) & (gap_y <= 4)) | (same_y & (gap_x >= 0) & (gap_x <= 4))
        beside[k] = False
        panes[i] = bool(beside.any())
    return panes


def fill_outlined(ink: Mask, max_half_width: float, min_half_width: float = 1.0, skip_panes: bool = False) -> Mask:
    """Fill narrow, elongated white channels enclosed by ink (walls drawn as two outlines).

    A white region is filled when it touches no image border, its largest inscribed radius is
    at most ``max_half_width`` px and it is long for its width (area / radius² ≥ 24);
    with ``skip_panes``, channels side by side with a twin (window panes) stay white.
    """
    white = _u8(~ink)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(white, connectivity=4)
    if count <= 1:
        return ink
    dist = cv2.distanceTransform(white, cv2.DIST_L2, 3)
    radius = label_max(dist, labels, count)  # one pass: ndimage.maximum sorts every pixel
    h, w = ink.shape
    x, y, bw, bh, area = (stats[:, i] for i in range(5))
    inner = (x > 0) & (y > 0) & (x + bw < w) & (y + bh < h)
    narrow = (radius <= max_half_width) & (radius >= min_half_width) & (area >= 24 * radius**2)
    fill = inner & narrow
    if skip_panes:
        fill &= ~_pane_pairs(np.asarray(stats, dtype=np.int32), fill)
    fill[0] = False
    return np.asarray(ink | fill[labels], dtype=bool)


@dataclass(frozen=True)
class WallStyle:
    """How walls are drawn.

    ``thickness``: px width of the thinnest common walls; ``outlined``: walls are two parallel
    outlines (hollow); ``close_px``: closing size that makes hatched walls solid (3 = no hatch).
    """

    thickness: float
    outlined: bool = False
    close_px: int = 3


HATCH_CLOSE_PX = 7
"""Closing used to test for (and to fill) hatched walls, in preview pixels."""


def long_strokes(mask: Mask, min_run: int) -> Mask:
    """Pixels on a horizontal or vertical run of at least ``min_run`` px (drops text and symbols)."""
    u8 = _u8(mask)
    horizontal = cv2.morphologyEx(u8, cv2.MORPH_OPEN, np.ones((1, min_run), np.uint8))
    vertical = cv2.morphologyEx(u8, cv2.MORPH_OPEN, np.ones((min_run, 1), np.uint8))
    return np.asarray((np.asarray(horizontal) > 0) | (np.asarray(vertical) > 0))


MIN_WALL_PX = 3.5
"""At preview resolution, strokes at least this wide are candidate walls (text is thinner)."""


def _stroke_values(mask: Mask) -> NDArray[np.float64]:
    """Widths (px) voted by the distance-transform ridge of the long straight strokes of a mask.

    Each ridge pixel votes for a stroke width of 2 × distance − 1, so the count of votes
    for a width is roughly the total length of strokes that wide.
    """
    strokes = long_strokes(mask, max(15, round(max(mask.shape) / 40)) | 1)
    padded = cv2.copyMakeBorder(_u8(strokes), 1, 1, 1, 1, cv2.BORDER_CONSTANT, value=0)
    dist = cv2.distanceTransform(padded, cv2.DIST_L2, 5)[1:-1, 1:-1]
    ridge = (dist >= MIN_THICK_PX) & (dist >= cv2.dilate(dist, _kernel(3)) - 1e-3)
    return np.asarray(2.0 * dist[ridge] - 1.0, dtype=np.float64)


def _typical_width(values: NDArray[np.float64]) -> float:
    """The thinnest histogram peak of wall-wide strokes holding ≥ 15 % of the largest peak."""
    wide = values[values >= MIN_WALL_PX - 0.5]
    if wide.size < 20:
        return 3.5
    hist, edges = np.histogram(wide, bins=np.arange(4.0, max(7.0, wide.max() + 2.0), 1.0))
    smooth = np.convolve(hist.astype(np.float64), [1.0, 2.0, 1.0], mode="same")
    n = len(smooth)
    peaks = [
        i
        for i in range(n)
        if smooth[i] >= smooth[max(i - 1, 0)]
        and smooth[i] >= smooth[min(i + 1, n - 1)]
        and smooth[i] >= 0.15 * smooth.max()
    ]
    return float(edges[min(peaks) if peaks else int(np.argmax(smooth))] + 0.5)


def _wall_support(values: NDArray[np.float64]) -> float:
    return float((values >= MIN_WALL_PX).sum())


def _closed(ink: Mask, size: int) -> Mask:
    return np.asarray(cv2.morphologyEx(_u8(ink), cv2.MORPH_CLOSE, _kernel(size)) > 0)


def _hollow_filled(ink: Mask) -> Mask:
    return fill_outlined(_closed(ink, 3), max(4.0, max(ink.shape) / 60))


def estimate_style(ink: Mask, like: WallStyle | None = None) -> WallStyle:
    """Wall thickness (px) and drawing style of a binarized plan (H, W).

    Three readings of the drawing are compared by how much long, wall-wide stroke they
    show: as is (filled walls), after a closing (hatched walls) and after filling narrow
    enclosed white channels (outlined walls); a reading must show 1.5× more to win. With
    ``like``, that style (decided on the preview) is kept and only the thickness measured.
    """
    if like is not None:
        variant = _hollow_filled(ink) if like.outlined else _closed(ink, like.close_px)
        return WallStyle(_typical_width(_stroke_values(variant)), like.outlined, like.close_px)
    plain = _stroke_values(_closed(ink, 3))
    plain_width = _typical_width(plain)
    candidates = [(_wall_support(plain) * 1.5 + 100, WallStyle(plain_width))]
    hatch = _stroke_values(_closed(ink, HATCH_CLOSE_PX))
    candidates.append((_wall_support(hatch), WallStyle(_typical_width(hatch), False, HATCH_CLOSE_PX)))
    hollow = _stroke_values(_hollow_filled(ink))
    candidates.append((_wall_support(hollow), WallStyle(_typical_width(hollow), True)))
    plain_support = _wall_support(plain)
    plausible = [c for c in candidates[1:] if c[1].thickness >= 1.4 * plain_width or plain_support < 0.4 * c[0]]
    return max([candidates[0], *plausible], key=lambda c: c[0])[1]


def line_width(ink: Mask, thickness: float) -> float:
    """Typical width (px) of the thin lines of a drawing (outlines, hatching): the median
    stroke width voted by distance-transform ridge pixels thinner than half a wall."""
    dist = cv2.distanceTransform(_u8(ink), cv2.DIST_L2, 3)
    ridge = (dist > 0) & (dist >= cv2.dilate(dist, _kernel(3)) - 1e-3)
    values = 2.0 * dist[ridge] - 1.0
    thin = values[(values > 0) & (values <= 0.5 * thickness)]
    return float(np.median(thin)) if thin.size else 1.0


def estimate_thickness(ink: Mask) -> float:
    """Typical wall thickness in pixels (see :func:`estimate_style`)."""
    return estimate_style(ink).thickness


def remove_glyphs(ink: Mask, thickness: float) -> Mask:
    """Drop small separate ink blobs that are not solid: letters, digits, small symbols.

    A blob goes when its bounding box is at most 3 × ``thickness`` on its longer side and
    it fills less than 60 % of that box, or when it is under 1.5 × ``thickness`` altogether.
    Walls form large connected networks and solid columns fill their box, so both stay.
    """
    _, labels, stats, _ = cv2.connectedComponentsWithStats(_u8(ink), connectivity=8)
    w, h, area = stats[:, 2], stats[:, 3], stats[:, 4]
    longest = np.maximum(w, h)
    fill = area / np.maximum(w * h, 1)
    glyph = (longest <= 3 * thickness) & ((fill < 0.6) | (longest <= 1.5 * thickness))
    glyph &= ~_blocks(stats, thickness)
    glyph[0] = False
    return np.asarray(ink & ~glyph[labels])


def wall_mask(
    ink: Mask, thickness: float, outlined: bool = False, close_px: int = 3, gray: NDArray[np.uint8] | None = None
) -> tuple[Mask, bool]:
    """Wall pixels (H, W) and whether the walls are hatched.

    :func:`solid_walls` as drawn, or with hatching closed when ``gray`` (the working image)
    shows that the wall interiors are grey (hatch or poché) rather than solid ink.
    """
    hatch_px = max(3, round(0.4 * thickness)) | 1
    if not outlined and gray is not None and hatch_px > close_px:
        hatched = solid_walls(ink, thickness, False, hatch_px)
        if grey_inside(gray, hatched):
            return hatched, True
    return solid_walls(ink, thickness, outlined, close_px), close_px > 3


def grey_inside(gray: NDArray[np.uint8], mask: Mask) -> bool:
    """Whether the interior of the walls in ``mask`` is grey (hatched or poché), not solid ink."""
    inner = cv2.erode(_u8(mask), np.ones((3, 3), np.uint8)) > 0
    return bool(inner.sum() > 100 and float(np.mean(gray[inner])) > 80)


def solid_walls(ink: Mask, thickness: float, outlined: bool = False, close_px: int = 3) -> Mask:
    """Pixels that belong to walls: hatch closed, outlines filled, thin strokes opened away.

    ``thickness`` is the expected wall thickness in px. Components too small to be a wall
    piece (longer side < 2.5 × thickness) are removed.
    """
    if outlined:  # wall interiors form large networks; lone small channels are window panes
        ink = fill_outlined(_closed(ink, 3), 1.6 * thickness, 0.25 * thickness, skip_panes=True)
    filled = ink
    filled = remove_glyphs(filled, thickness)
    filled = _closed(filled, close_px)
    k = int(0.5 * thickness)
    k = max(3, k - 1 if k % 2 == 0 else k)
    thick = cv2.morphologyEx(_u8(filled), cv2.MORPH_OPEN, _kernel(k))
    _count, labels, stats, _ = cv2.connectedComponentsWithStats(thick, connectivity=8)
    longest = np.maximum(stats[:, 2], stats[:, 3])
    keep = ((longest >= 2.5 * thickness) & (stats[:, 4] >= 1.5 * thickness**2)) | _blocks(stats, thickness)
    keep[0] = False
    return np.asarray(keep[labels])


BLOCK_FILL = 0.8
"""A solid block (a pier between windows, a column) fills at least this share of its bounding box."""
BLOCK_SIDE_T = 0.7
"""and is at least this many wall thicknesses across both ways (letters are strokes, thinner)."""


def _blocks(stats: NDArray[Any], thickness: float) -> NDArray[np.bool_]:
    """Which connected components (``cv2.connectedComponentsWithStats`` rows) are solid blocks about a
    wall thick, too short to be a wall piece on their own: the piers between the windows of an outer
    wall, columns. They bound rooms (a wall of windows whose piers were dropped lets the room out)."""
    w, h, area = stats[:, 2], stats[:, 3], stats[:, 4]
    fill = area / np.maximum(w * h, 1)
    return np.asarray((fill >= BLOCK_FILL) & (np.minimum(w, h) >= BLOCK_SIDE_T * thickness)
                      & (np.maximum(w, h) <= 3 * thickness))


def run_lengths(mask: Mask) -> NDArray[np.int32]:
    """For each True pixel of an (H, W) mask, the length of the horizontal run it lies in (0 elsewhere)."""
    h, w = mask.shape
    padded = np.zeros((h, w + 2), np.int8)
    padded[:, 1:-1] = mask
    flat = padded.ravel()
    edges = np.diff(flat)
    starts = np.flatnonzero(edges == 1) + 1
    ends = np.flatnonzero(edges == -1) + 1
    lengths = (ends - starts).astype(np.int32)
    marker = np.zeros(flat.size + 1, np.int32)
    marker[starts] = 1
    run_id = np.cumsum(marker[:-1])
    out = np.where(flat > 0, lengths[np.maximum(run_id - 1, 0)] if lengths.size else 0, 0)
    return np.asarray(out.reshape(h, w + 2)[:, 1:-1], dtype=np.int32)


def axis_masks(walls: Mask, thickness: float) -> tuple[Mask, Mask]:
    """Horizontal and vertical wall pixels.

    A pixel is horizontal when its horizontal run is at least 2.2 × ``thickness`` long and
    1.3× longer than its vertical run (so thick vertical walls and junction squares are not
    mistaken for horizontal walls), and vice versa; slivers thinner than 0.45 × thickness
    across are dropped.
    """
    along_x = run_lengths(walls)
    along_y = run_lengths(walls.T).T
    min_run = 2.2 * thickness
    horizontal = (along_x >= min_run) & (along_x >= 1.3 * along_y)
    vertical = (along_y >= min_run) & (along_y >= 1.3 * along_x)
    depth = max(3, round(0.45 * thickness)) | 1
    horizontal = cv2.morphologyEx(_u8(horizontal), cv2.MORPH_OPEN, np.ones((depth, 1), np.uint8)) > 0
    vertical = cv2.morphologyEx(_u8(vertical), cv2.MORPH_OPEN, np.ones((1, depth), np.uint8)) > 0
    return horizontal, vertical


def _split_profile(widths: NDArray[np.float64], tolerance: float) -> list[tuple[int, int]]:
    """Split a width profile (one value per column) into runs of similar non-zero width."""
    runs: list[tuple[int, int]] = []
    start = None
    ref = 0.0
    for i, value in enumerate(widths):
        if value <= 0:
            if start is not None:
                runs.append((start, i))
                start = None
            continue
        if start is None:
            start, ref = i, value
        elif abs(value - ref) > tolerance:
            runs.append((start, i))
            start, ref = i, value
    if start is not None:
        runs.append((start, len(widths)))
    return runs


def trace_axis(mask: Mask, thickness: float, vertical: bool) -> list[Segment]:
    """Centreline segments of horizontal (or, transposed, vertical) wall pixels.

    Each connected component is cut where its cross-section width changes; every piece at
    least one thickness long becomes one segment at its mean centre line.
    """
    work = mask.T if vertical else mask
    count, labels, stats, _ = cv2.connectedComponentsWithStats(_u8(work), connectivity=8)
    segments: list[Segment] = []
    for label in range(1, count):
        x, y, w, h, _ = stats[label]
        comp = labels[y : y + h, x : x + w] == label
        widths = comp.sum(axis=0).astype(np.float64)
        rows = np.arange(h, dtype=np.float64)[:, None]
        centres = (comp * rows).sum(axis=0) / np.maximum(widths, 1)
        for a, b in _split_profile(widths, max(2.0, 0.2 * float(np.median(widths[widths > 0])))):
            if b - a < max(3.0, 0.8 * thickness):
                continue
            cy = y + float(np.average(centres[a:b], weights=widths[a:b]))
            width = float(np.median(widths[a:b]))
            p, q = np.array([x + a - 0.5, cy]), np.array([x + b - 0.5, cy])
            if vertical:
                p, q = p[::-1].copy(), q[::-1].copy()
            segments.append(Segment(p, q, width, confidence=0.9))
    return segments


def trace_diagonals(walls: Mask, axis: Mask, thickness: float) -> list[Segment]:
    """Segments for wall pixels not explained by horizontal/vertical strokes (diagonal walls)."""
    grown = cv2.dilate(_u8(axis), _kernel(max(3, round(0.6 * thickness)))) > 0
    rest = _u8(walls & ~grown)
    opened = cv2.morphologyEx(rest, cv2.MORPH_OPEN, _kernel(max(2, round(0.4 * thickness))))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(opened, connectivity=8)
    segments: list[Segment] = []
    for label in range(1, count):
        if max(stats[label, 2], stats[label, 3]) < 3 * thickness:
            continue
        ys, xs = np.nonzero(labels == label)
        pts = np.column_stack([xs, ys]).astype(np.float32)
        (cx, cy), (w, h), angle = cv2.minAreaRect(pts)
        length, width = max(w, h), min(w, h)
        if length < 3 * thickness or width > 2.5 * thickness or len(xs) < 0.55 * length * max(width, 1):
            continue
        theta = np.radians(angle if w >= h else angle + 90.0)
        d = np.array([np.cos(theta), np.sin(theta)])
        centre = np.array([cx, cy])
        segments.append(Segment(centre - d * length / 2, centre + d * length / 2, width + 1.0, confidence=0.7))
    return segments


MIN_RELATIVE_THICKNESS = 0.4
"""Pieces thinner than this fraction of the typical wall are door leaves or furniture, not walls."""


def trace_walls(walls: Mask, thickness: float) -> list[Segment]:
    """All raw wall segments (before merging and junction snapping)."""
    horizontal, vertical = axis_masks(walls, thickness)
    segments = trace_axis(horizontal, thickness, vertical=False)
    segments += trace_axis(vertical, thickness, vertical=True)
    segments += trace_diagonals(walls, horizontal | vertical, thickness)
    return [s for s in segments if s.thickness >= MIN_RELATIVE_THICKNESS * thickness]
