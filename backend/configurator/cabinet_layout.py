"""The layout of a cabinet's zones (plain data shared by the cabinet engine and its inserts).

Cabinet frame (mm): x along the width from the left side, y from the back to the front, z up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from backend.configurator.builder import Draft
from backend.design.interior import Front, Path, Zone

Rect = tuple[float, float, float, float]
"""x0, x1, z0, z1 in the cabinet frame (mm)."""
Face = Literal["A", "B"]


@dataclass(frozen=True)
class ZoneLayout:
    """Where a zone ended up: its path, outer and inner rectangles, what fills it and what closes it
    (``front``: the kind of its own or an enclosing front, ``drawers`` for drawers with fronts, or
    ``open``)."""

    path: Path
    outer: Rect
    inner: Rect
    insert: str
    count: int
    front: str
    front_path: Path | None
    hang: str = ""
    internal: bool = False
    hinge: str = ""
    """The hinge of the door in front of it (hinged fronts)."""


@dataclass
class Node:
    path: Path
    zone: Zone
    outer: Rect
    inner: Rect
    left: tuple[Draft, Face]
    right: tuple[Draft, Face]
    front: Front | None = None
    front_path: Path | None = None
    children: list[Node] = field(default_factory=list)
    bounds: list[float] = field(default_factory=list)
    divided: list[bool] = field(default_factory=list)
