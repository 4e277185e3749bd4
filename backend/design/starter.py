"""Plans a design can start from without a photo: an empty rectangular room of typed size (pure)."""

from __future__ import annotations

from backend.design.model import FloorPlan, Point, Room, RoomType, Wall

MIN_SIDE_MM = 1000.0
MAX_SIDE_MM = 30000.0


def rectangular_room(width_mm: float, depth_mm: float, *, wall_mm: float = 100.0, height_mm: float = 2600.0,
                     room_type: RoomType = "kitchen", name: str = "") -> FloorPlan:
    """A room ``width_mm`` (left to right) × ``depth_mm`` (top to bottom) measured between the inner
    wall faces, as a person measures a room: the room's outline is that rectangle, from (0, 0), and
    four walls of ``wall_mm`` stand around it, their centrelines ``wall_mm / 2`` outside it, joined at
    the corners, in clockwise order on the screen (top, right, bottom, left).

    Raises ValueError naming the argument when a side is outside 1–30 m."""
    for arg, value in (("width_mm", width_mm), ("depth_mm", depth_mm)):
        if not MIN_SIDE_MM <= value <= MAX_SIDE_MM:
            raise ValueError(f"{arg} must be between {MIN_SIDE_MM:.0f} and {MAX_SIDE_MM:.0f} mm, not {value}")
    h = wall_mm / 2
    corners = [Point(x=-h, y=-h), Point(x=width_mm + h, y=-h), Point(x=width_mm + h, y=depth_mm + h),
               Point(x=-h, y=depth_mm + h)]
    sides = ("top", "right", "bottom", "left")
    walls = [Wall(id=f"wall-{side}", start=corners[i], end=corners[(i + 1) % 4], thickness_mm=wall_mm,
                  height_mm=height_mm) for i, side in enumerate(sides)]
    outline = [Point(x=0, y=0), Point(x=width_mm, y=0), Point(x=width_mm, y=depth_mm), Point(x=0, y=depth_mm)]
    return FloorPlan(walls=walls, rooms=[Room(id="room-1", name=name, type=room_type, polygon=outline)])
