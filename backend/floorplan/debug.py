"""Debug overlay: the traced plan drawn over the original photo (for the CLI and for tuning)."""

from __future__ import annotations

import cv2
import numpy as np
from numpy.typing import NDArray

from backend.design.model import Door
from backend.floorplan import intake
from backend.floorplan.result import FloorplanResult


def overlay(data: bytes, result: FloorplanResult) -> NDArray[np.uint8]:
    """A BGR (H, W, 3) image: the photo, rooms (blue), walls (red→green by confidence), openings."""
    gray = intake.decode_gray(data)
    canvas = cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR)
    layer = canvas.copy()
    width = max(2, round(max(gray.shape) / 400))
    for room in result.plan.rooms:
        pts = np.array([result.to_photo_px(p) for p in room.polygon], dtype=np.int32)
        cv2.fillPoly(layer, [pts], (255, 200, 120))
    canvas = cv2.addWeighted(layer, 0.35, canvas, 0.65, 0)
    for wall in result.plan.walls:
        c = result.wall_confidence.get(wall.id, 0.5)
        colour = (0, round(255 * c), round(255 * (1 - c)))
        a, b = result.to_photo_px(wall.start), result.to_photo_px(wall.end)
        cv2.line(canvas, (round(a[0]), round(a[1])), (round(b[0]), round(b[1])), colour, width)
        dx, dy = wall.direction
        for op in wall.openings:
            p = (wall.start.x + dx * op.offset_mm, wall.start.y + dy * op.offset_mm)
            q = (p[0] + dx * op.width_mm, p[1] + dy * op.width_mm)
            pa, pb = result.to_photo_px(p), result.to_photo_px(q)
            tone = (255, 0, 255) if isinstance(op, Door) else (255, 255, 0)
            cv2.line(canvas, (round(pa[0]), round(pa[1])), (round(pb[0]), round(pb[1])), tone, width * 2)
    return np.asarray(canvas, dtype=np.uint8)


def save_overlay(path: str, data: bytes, result: FloorplanResult) -> None:
    """Write :func:`overlay` to a PNG/JPEG file."""
    if not cv2.imwrite(path, overlay(data, result)):
        raise OSError(f"could not write the debug overlay to {path}")
