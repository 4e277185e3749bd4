"""A clean two-room floor plan drawn like a digital plan, for the tests that upload one."""

from __future__ import annotations

import io
import os
from pathlib import Path

from PIL import Image, ImageDraw

WALL_BOXES = ((50, 50, 850, 62), (50, 578, 850, 590), (50, 50, 62, 590), (838, 50, 850, 590),
              (450, 50, 462, 250), (450, 340, 462, 590))
"""12 px walls around 900 × 640 px, a middle wall with a door gap; the outer walls' centrelines are
788 px apart (call it 7880 mm for 10 mm per px)."""


def drawn_flat() -> Image.Image:
    image = Image.new("L", (900, 640), 255)
    draw = ImageDraw.Draw(image)
    for box in WALL_BOXES:
        draw.rectangle(box, fill=0)
    return image


def drawn_flat_png(path: Path | None = None) -> bytes:
    """PNG bytes of the drawn flat (also written to ``path`` when given)."""
    buffer = io.BytesIO()
    drawn_flat().save(buffer, "PNG")
    if path is not None:
        path.write_bytes(buffer.getvalue())
    return buffer.getvalue()


def real_plans_dir() -> Path:
    """The real floor plans (``shared/floorplans/real``, research-only licences: read, never copied):
    under ``$ROOMWRIGHT_SHARED`` when set, else in the ``shared`` folder beside the project (as in CI) or
    beside a folder above it (a git worktree under /work/wt)."""
    root = Path(__file__).resolve().parents[2]
    beside = next((p / "shared" for p in root.parents if (p / "shared").is_dir()), root.parent / "shared")
    shared = Path(os.environ["ROOMWRIGHT_SHARED"]) if os.environ.get("ROOMWRIGHT_SHARED") else beside
    return shared / "floorplans" / "real"
