"""Walls as people name them: *room + side + length* ("Kitchen, north wall, 3,553 mm"), pure.

A wall id (``wall-12``) means nothing to a person; every list that offers walls (auto-fill, the
designer's measurement form, findings) names a wall by the room it faces, the compass side of that
room it stands on and its length. :func:`wall_name` works that out from the plan alone:

* **which room(s)**: a line ``FACE_PROBE_MM`` in front of each face of the wall is cut with every
  room's outline; a room faces the wall where that line runs inside it for at least
  ``MIN_FACING_MM`` (or a fifth of the wall, for short walls). A wall between two rooms faces both.
* **which room names it**: the room being worked in (``room_id``) when it faces the wall, otherwise
  the room facing the longest stretch of it (ties within 5 cm: the kitchen first, then the plan's order).
* **the side**: the compass direction from the room to the wall (the wall's normal pointing away from
  the room), in plan coordinates with x right (east) and y *down* (south), as a plan is drawn with
  north up. Eight sectors of 45°, so a wall at 30° off the axes is still "north", one across a corner
  at 45° is "north-east".
* **the length**: the centreline length, rounded to whole millimetres (what the measurement form and
  the plan's dimension lines use).

A wall facing no room (a stray traced line) is named by its side of the plan's middle and its length.
Rendering is separate (:func:`render`) so a page can give its own ``gettext``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from shapely.geometry import LineString
from shapely.geometry.base import BaseGeometry

from backend.design.model import FloorPlan, Room, Wall

Gettext = Callable[[str], str]

FACE_PROBE_MM = 150.0
"""How far in front of a wall's face (mm) the probe line runs: past a traced outline's pixel of slack,
short of anything a room's far side could reach."""
MIN_FACING_MM = 300.0
"""A room faces a wall when it runs along at least this much of it (or a fifth of a short wall)."""

SIDES = ("east", "south-east", "south", "south-west", "west", "north-west", "north", "north-east")
"""Compass sectors counter-clockwise from east *on the plan's axes* with y down: angle 0 is +x (east),
90° is +y (south, the bottom of the drawing)."""


def N_(message: str) -> str:
    """Marks a message for extraction (``make messages``); the lookup happens in :func:`render`."""
    return message


SIDE_WORDS: dict[str, str] = {
    "north": N_("north wall"), "south": N_("south wall"), "east": N_("east wall"), "west": N_("west wall"),
    "north-east": N_("north-east wall"), "north-west": N_("north-west wall"),
    "south-east": N_("south-east wall"), "south-west": N_("south-west wall"),
}
ROOM_TYPE_WORDS: dict[str, str] = {
    "kitchen": N_("Kitchen"), "living": N_("Living room"), "dining": N_("Dining room"), "bedroom": N_("Bedroom"),
    "bathroom": N_("Bathroom"), "toilet": N_("Toilet"), "hall": N_("Hall"), "closet": N_("Closet"),
    "balcony": N_("Balcony"), "study": N_("Study"), "laundry": N_("Laundry"), "storage": N_("Storage room"),
    "other": N_("Room"),
}
TEMPLATE = N_("{room}, {side}, {length} mm")
NO_ROOM_TEMPLATE = N_("{side} of the plan, {length} mm")
NUMBERED_ROOM = N_("{type} {n}")
SAME_NAME = N_("{name} (wall {n})")


@dataclass(frozen=True)
class WallName:
    """How a person names a wall: the room it is named from (None: it faces no room), that room's
    words (its name, or its type and a number when several rooms share a type), the compass ``side``
    and the length in whole mm. ``rooms`` lists every room the wall faces (ids, longest stretch first)."""

    wall_id: str
    room_id: str | None
    room_label: str
    room_type: str
    room_number: int
    side: str
    length_mm: int
    rooms: tuple[str, ...]


def compass(dx: float, dy: float) -> str:
    """The compass sector of a plan direction (x right = east, y down = south)."""
    angle = math.degrees(math.atan2(dy, dx)) % 360
    return SIDES[int(((angle + 22.5) % 360) // 45)]


def _normals(wall: Wall) -> tuple[tuple[float, float], tuple[float, float]]:
    """The wall's left and right unit normals (left: on your left walking start → end, y down)."""
    dx, dy = wall.direction
    return (dy, -dx), (-dy, dx)


def _facing(wall: Wall, shapes: list[BaseGeometry]) -> list[tuple[int, float, tuple[float, float]]]:
    """(room index, facing length mm, normal from the wall into the room) for each room facing a face."""
    out: list[tuple[int, float, tuple[float, float]]] = []
    reach = wall.thickness_mm / 2 + FACE_PROBE_MM
    need = min(MIN_FACING_MM, wall.length_mm / 5)
    for n in _normals(wall):
        line = LineString([(wall.start.x + n[0] * reach, wall.start.y + n[1] * reach),
                           (wall.end.x + n[0] * reach, wall.end.y + n[1] * reach)])
        for i, shape in enumerate(shapes):
            length = float(line.intersection(shape).length)
            if length >= need:
                out.append((i, length, n))
    return out


def _room_labels(rooms: list[Room]) -> dict[str, tuple[str, str, int]]:
    """Each room's (name, type, number among unnamed rooms of its type; 0 when it is the only one)."""
    unnamed: dict[str, list[str]] = {}
    for room in rooms:
        if not room.name.strip():
            unnamed.setdefault(room.type, []).append(room.id)
    out: dict[str, tuple[str, str, int]] = {}
    for room in rooms:
        same = unnamed.get(room.type, [])
        number = same.index(room.id) + 1 if room.id in same and len(same) > 1 else 0
        out[room.id] = (room.name.strip(), room.type, number)
    return out


def wall_names(plan: FloorPlan, room_id: str | None = None) -> dict[str, WallName]:
    """Every wall's name, each named from ``room_id`` where that room faces it (see the module doc)."""
    shapes = [r.shape().buffer(0) for r in plan.rooms]
    labels = _room_labels(plan.rooms)
    xs = [c for w in plan.walls for c in (w.start.x, w.end.x)]
    ys = [c for w in plan.walls for c in (w.start.y, w.end.y)]
    middle = ((min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2) if xs else (0.0, 0.0)
    out: dict[str, WallName] = {}
    for wall in plan.walls:
        facing = _facing(wall, shapes)
        by_room: dict[int, tuple[float, tuple[float, float]]] = {}
        for i, length, n in facing:
            if i not in by_room or length > by_room[i][0]:
                by_room[i] = (length, n)
        order = sorted(by_room, key=lambda i: (-round(by_room[i][0] / 100), plan.rooms[i].type != "kitchen", i))
        chosen = next((i for i in order if plan.rooms[i].id == room_id), order[0] if order else None)
        length_mm = round(wall.length_mm)
        if chosen is None:
            cx, cy = (wall.start.x + wall.end.x) / 2, (wall.start.y + wall.end.y) / 2
            out[wall.id] = WallName(wall.id, None, "", "", 0, compass(cx - middle[0], cy - middle[1]), length_mm, ())
            continue
        into = by_room[chosen][1]
        room = plan.rooms[chosen]
        name, rtype, number = labels[room.id]
        out[wall.id] = WallName(wall.id, room.id, name, rtype, number, compass(-into[0], -into[1]), length_mm,
                                tuple(plan.rooms[i].id for i in order))
    return out


def wall_name(plan: FloorPlan, wall_id: str, room_id: str | None = None) -> WallName:
    """One wall's name (KeyError if the plan has no such wall)."""
    return wall_names(plan, room_id)[wall_id]


def _same(message: str) -> str:
    return message


def room_words(name: WallName, _: Gettext = _same) -> str:
    """The room part of a wall's name: the room's own name, else its type (numbered if need be)."""
    if name.room_label:
        return name.room_label
    words = _(ROOM_TYPE_WORDS.get(name.room_type, ROOM_TYPE_WORDS["other"]))
    if name.room_number:
        return _(NUMBERED_ROOM).format(type=words, n=name.room_number)
    return words


def group_digits(value: int) -> str:
    """Whole millimetres with a thousands separator (3,553), as both English and Chinese write them."""
    return f"{value:,}"


def render(name: WallName, _: Gettext = _same) -> str:
    """The wall's name in words: "Kitchen, north wall, 3,553 mm" (in the language of ``_``)."""
    side = _(SIDE_WORDS[name.side])
    length = group_digits(name.length_mm)
    if name.room_id is None:
        text = _(NO_ROOM_TEMPLATE).format(side=side, length=length)
        return text[:1].upper() + text[1:]
    return _(TEMPLATE).format(room=room_words(name, _), side=side, length=length)


def named_walls(plan: FloorPlan, room_id: str | None = None, _: Gettext = _same) -> dict[str, str]:
    """Every wall's name in words, by wall id; walls whose words would be the same (a side split in two
    equal pieces) are told apart by their number along that side."""
    words = {wid: render(n, _) for wid, n in wall_names(plan, room_id).items()}
    seen: dict[str, list[str]] = {}
    for wid, text in words.items():
        seen.setdefault(text, []).append(wid)
    for text, ids in seen.items():
        if len(ids) > 1:
            for k, wid in enumerate(ids, start=1):
                words[wid] = _(SAME_NAME).format(name=text, n=k)
    return words
