"""Rooms the outside leaks into: free space that the wall test counts as outside (its windows, or walls
drawn too thin to trace, leave gaps wider than the outside's closing bridges) but that thin ink lines (the
panes of the windows, the thin walls) close off from the image border."""

from __future__ import annotations

import cv2
import numpy as np
from numpy.typing import NDArray
from scipy import ndimage

Mask = NDArray[np.bool_]

ENCLOSED_WALL_SHARE = 0.4
"""A room the outside leaked into stands inside the building: at least this share of its outline (holes
filled: the furniture in it) runs along traced walls. The space between a wall and a dimension line drawn
beside it, or a legend's frame, has thin lines on most of its outline."""
ENCLOSED_HALF_WIDTH = 1.5
"""and it is this many times the least room half width wide somewhere (the strip between the panes of a
window, or between a wall and its dimension line, is narrower)."""
ENCLOSED_MAX_ASPECT = 6.0
"""and it is at most this many times longer than wide (its area against the square of its widest
half width: a strip along a wall is longer)."""


def enclosed_rooms(out: Mask, blocked: Mask, ink: Mask, min_area_px: float,
                   min_half_width_px: float) -> tuple[Mask, list[tuple[int, int, Mask]]]:
    """Rooms (each as its top-left corner x, y and its mask there, holes filled) inside the ``out`` side
    (H, W) of the building that its thin ``ink`` lines close off from the image border, against the walls
    ``blocked`` (``ENCLOSED_WALL_SHARE``) and room-sized (furniture drawn in them, away from the walls, is
    not: its outline is thin line). And all of them as one (H, W) mask (first)."""
    lines = cv2.dilate((ink & out).astype(np.uint8), np.ones((3, 3), np.uint8)) > 0
    inner = (out & ~lines).astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(inner, connectivity=4)
    # the widest point of each region wide enough (rooms.label_max, which is not imported: rooms imports this
    # module; and only over the pixels that pass, a few of the image's)
    dist = cv2.distanceTransform(inner, cv2.DIST_L2, 3)
    wide = dist >= ENCLOSED_HALF_WIDTH * min_half_width_px
    half_width = np.zeros(count, np.float64)
    np.maximum.at(half_width, np.asarray(labels[wide], np.intp), dist[wide].astype(np.float64))
    near_wall = cv2.dilate(blocked.astype(np.uint8), np.ones((7, 7), np.uint8)) > 0
    h, w = out.shape
    x, y, bw, bh, areas = (stats[:, i].astype(np.int64) for i in range(5))
    inside = (x > 0) & (y > 0) & (x + bw < w) & (y + bh < h)
    sized = inside & (areas >= min_area_px) & (half_width >= ENCLOSED_HALF_WIDTH * min_half_width_px)
    sized &= areas <= ENCLOSED_MAX_ASPECT * 4.0 * half_width**2
    sized[0] = False
    taken = np.zeros((h, w), bool)
    found: list[tuple[int, int, Mask]] = []
    for label in np.flatnonzero(sized):
        y0, x0 = max(y[label] - 3, 0), max(x[label] - 3, 0)
        y1, x1 = min(y[label] + bh[label] + 3, h), min(x[label] + bw[label] + 3, w)
        part = labels[y0:y1, x0:x1] == label
        # grown back over the lines that bound it (the region stops a line and a px short of them)
        filled = ndimage.binary_fill_holes(cv2.dilate(part.astype(np.uint8), np.ones((5, 5), np.uint8)) > 0)
        ring = (cv2.dilate(filled.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0) & ~filled
        if float(near_wall[y0:y1, x0:x1][ring].mean()) < ENCLOSED_WALL_SHARE:
            continue
        room = filled & ~blocked[y0:y1, x0:x1]
        taken[y0:y1, x0:x1] |= room
        found.append((int(x0), int(y0), room))
    return taken, found
