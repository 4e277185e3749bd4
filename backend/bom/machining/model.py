"""Machining as data: operations on a part, in the part's own coordinates (pure, millimetres).

Part frame (the same as the configurator's ``Op``): ``u`` along the part's length from its W1 edge,
``v`` along its width from its L1 edge, ``w`` through its thickness from face A (the face at the
low end of the panel's thickness axis in the cabinet frame) to face B.  Faces:

- ``A`` / ``B``: the two big faces (A is the *bottom* face of a horizontal panel, B its *top*);
- ``W1`` / ``W2``: the short edges at u = 0 / u = length; ``L1`` / ``L2``: the long edges at v = 0 /
  v = width (the edge-band names of the cut list).

Every operation's ``(u, v, w)`` is the centre of its mouth, the point where the tool enters: on
face A ``w = 0``, on face B ``w = thickness``, on W1 ``u = 0`` and so on; a drill goes ``depth_mm``
from there into the part along the face's inward normal.  Grooves, pockets and cut-outs carry a
``path`` in (u, v) on their face: a groove's centre line (``width_mm`` wide), a pocket's or
cut-out's closed outline.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from backend.configurator.construction import Panel, Vec

Face = Literal["A", "B", "L1", "L2", "W1", "W2"]
Kind = Literal["drill", "groove", "pocket", "cutout"]
Purpose = Literal["dowel", "cam", "confirmat", "hinge_cup", "hinge_plate", "shelf_pin", "slide", "handle",
                  "back_groove", "cutout", "leg", "hanger"]
FACES: tuple[Face, ...] = ("A", "B", "L1", "L2", "W1", "W2")
EDGE_FACES: tuple[Face, ...] = ("L1", "L2", "W1", "W2")
IDX = {"x": 0, "y": 1, "z": 2}
TOL_MM = 0.1
"""Two assembled hole mouths within this distance are the same point (the alignment tolerance)."""


@dataclass(frozen=True)
class MachOp:
    """One machining operation on one part (see the module docstring for the frame)."""

    kind: Kind
    purpose: Purpose
    face: Face
    u_mm: float
    v_mm: float
    w_mm: float
    depth_mm: float
    diameter_mm: float = 0.0
    width_mm: float = 0.0
    """Groove width (grooves only)."""
    path: tuple[tuple[float, float], ...] = ()
    tool: str = ""
    hardware: str | None = None
    """The hardware item whose table gave this operation (catalog code)."""
    joint: str | None = None
    """Joint id shared by every operation of one connector position (both panels)."""
    mate: str | None = None
    """Panel id of the part whose hole meets this one in the assembled cabinet."""
    detail: str = ""
    """What the operation is for in words the configurator used (``sink_cutout``, ``bolt``, …)."""
    optional: bool = False
    """An adjustment hole that the rules dropped or may drop when it collides (shelf-pin rows)."""

    @property
    def is_edge(self) -> bool:
        return self.face in EDGE_FACES

    @property
    def through(self) -> bool:
        return self.detail == "through"


@dataclass(frozen=True)
class PartFrame:
    """Where a part sits in its cabinet: its box and which cabinet axis is u, v and w."""

    origin: Vec
    size: Vec
    lu: int
    lv: int
    lw: int

    @property
    def length(self) -> float:
        return self.size[self.lu]

    @property
    def width(self) -> float:
        return self.size[self.lv]

    @property
    def thickness(self) -> float:
        return self.size[self.lw]

    def lo(self, axis: int) -> float:
        return self.origin[axis]

    def hi(self, axis: int) -> float:
        return self.origin[axis] + self.size[axis]

    def centre(self, axis: int) -> float:
        return self.origin[axis] + self.size[axis] / 2

    def to_cabinet(self, u: float, v: float, w: float) -> Vec:
        p = [0.0, 0.0, 0.0]
        p[self.lu], p[self.lv], p[self.lw] = (self.origin[self.lu] + u, self.origin[self.lv] + v,
                                              self.origin[self.lw] + w)
        return (p[0], p[1], p[2])

    def to_part(self, p: Vec) -> tuple[float, float, float]:
        o = self.origin
        return (round(p[self.lu] - o[self.lu], 3), round(p[self.lv] - o[self.lv], 3),
                round(p[self.lw] - o[self.lw], 3))

    def inward(self, face: Face) -> tuple[int, float]:
        """(cabinet axis, sign) of the direction from ``face`` into the part."""
        return {"A": (self.lw, 1.0), "B": (self.lw, -1.0), "W1": (self.lu, 1.0), "W2": (self.lu, -1.0),
                "L1": (self.lv, 1.0), "L2": (self.lv, -1.0)}[face]

    def face_at(self, axis: int, high: bool) -> Face:
        """The face of the part at the low or high end of cabinet ``axis``."""
        if axis == self.lw:
            return "B" if high else "A"
        if axis == self.lu:
            return "W2" if high else "W1"
        return "L2" if high else "L1"


def frame_of(panel: Panel) -> PartFrame:
    return frame_from(panel.box.origin, panel.box.size, panel.length_axis, panel.width_axis)


def frame_from(origin: Vec, size: Vec, length_axis: str, width_axis: str) -> PartFrame:
    lu, lv = IDX[length_axis], IDX[width_axis]
    return PartFrame(origin, size, lu, lv, 3 - lu - lv)


def mouth(frame: PartFrame, op: MachOp) -> Vec:
    """The cabinet-frame point where ``op``'s tool enters the part."""
    return frame.to_cabinet(op.u_mm, op.v_mm, op.w_mm)


@dataclass(frozen=True)
class Issue:
    """A rule that could not be applied while deriving the machining (always blocking)."""

    panel_id: str
    code: str
    params: tuple[tuple[str, str | float], ...] = ()
