"""Shared PDF drawing helpers (reportlab): reproducible canvases, arrows, fitted text."""

from __future__ import annotations

import math
from pathlib import Path

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

FONT = "Helvetica"
BOLD = "Helvetica-Bold"


def new_canvas(path: Path, pagesize: tuple[float, float], title: str) -> Canvas:
    """A canvas whose output does not depend on the clock (``invariant``: fixed dates and file id)."""
    c = Canvas(str(path), pagesize=pagesize, invariant=1, pageCompression=1)
    c.setTitle(title)
    c.setAuthor("Roomwright")
    c.setCreator("Roomwright")
    return c


def fit_font(text: str, font: str, size: float, max_width: float, min_size: float = 3.0) -> float:
    """The largest font size ≤ ``size`` at which ``text`` fits ``max_width`` (not below ``min_size``)."""
    width = stringWidth(text, font, size)
    if width <= max_width or width == 0:
        return size
    return max(min_size, size * max_width / width)


def arrow(c: Canvas, x0: float, y0: float, x1: float, y1: float, head: float = 3.0) -> None:
    """A line from (x0, y0) to (x1, y1) with a filled head at the end."""
    c.line(x0, y0, x1, y1)
    angle = math.atan2(y1 - y0, x1 - x0)
    left = (x1 - head * math.cos(angle - 0.4), y1 - head * math.sin(angle - 0.4))
    right = (x1 - head * math.cos(angle + 0.4), y1 - head * math.sin(angle + 0.4))
    path = c.beginPath()
    path.moveTo(x1, y1)
    path.lineTo(*left)
    path.lineTo(*right)
    path.close()
    c.drawPath(path, stroke=0, fill=1)


def text(c: Canvas, x: float, y: float, value: str, size: float = 8.0, font: str = FONT) -> None:
    c.setFont(font, size)
    c.drawString(x, y, value)
