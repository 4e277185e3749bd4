"""The panel and hardware types: what a cabinet is made of (plain, frozen data).

Defined here and re-exported by ``backend.configurator.construction`` (import them from there).
Cabinet frame (mm): x along the width from the cabinet's left side (seen from the front),
y depth from the back (y = 0 at the wall) towards the front, z up from the cabinet's underside.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from backend.design.model import OptionValue

Axis = Literal["x", "y", "z"]
Vec = tuple[float, float, float]
AXES: tuple[Axis, Axis, Axis] = ("x", "y", "z")


@dataclass(frozen=True)
class EdgeBands:
    """Edge band code per edge, or None. L1/L2 are the long edges at v = 0 / v = width,
    W1/W2 the short edges at u = 0 / u = length (u along the length, v along the width)."""

    l1: str | None = None
    l2: str | None = None
    w1: str | None = None
    w2: str | None = None


@dataclass(frozen=True)
class Box:
    """An axis-aligned box in the cabinet frame: ``origin`` (min corner) and ``size``, in mm."""

    origin: Vec
    size: Vec

    @property
    def max(self) -> Vec:
        o, s = self.origin, self.size
        return (o[0] + s[0], o[1] + s[1], o[2] + s[2])

    @property
    def volume_mm3(self) -> float:
        return self.size[0] * self.size[1] * self.size[2]


@dataclass(frozen=True)
class Op:
    """One machining operation on a panel, in panel coordinates (mm).

    ``u`` runs along the panel's length from its W1 edge, ``v`` along its width from its L1 edge;
    ``face`` A is the face at the low end of the thickness axis, B the high end.  Drills have a
    ``diameter_mm``; grooves and cut-outs start at (u, v) and extend ``length_mm`` along u and
    ``width_mm`` along v.  ``depth_mm`` is into the face (a cut-out goes through).
    """

    kind: Literal["drill", "groove", "cutout"]
    purpose: Literal["system32", "hinge_cup", "slide", "back_groove", "handle", "sink_cutout",
                     "hob_cutout", "duct_cutout"]
    face: Literal["A", "B"]
    u_mm: float
    v_mm: float
    depth_mm: float
    diameter_mm: float = 0.0
    length_mm: float = 0.0
    width_mm: float = 0.0


PanelRole = Literal["side", "bottom", "top", "rail", "back", "shelf", "fixed_shelf", "door",
                    "drawer_front", "drawer_side", "drawer_back", "drawer_bottom", "blind_panel",
                    "plinth", "countertop", "filler", "filler_support", "end_panel", "cornice",
                    "light_rail", "partition", "shoe_shelf", "drawer_inner_front"]


@dataclass(frozen=True)
class Panel:
    """One rectangular board: finished sizes (length along the grain), material, edges, place, machining."""

    id: str
    cabinet_id: str
    name: str
    role: str
    length_mm: float
    width_mm: float
    thickness_mm: float
    material: str
    grain: Literal["length", "none"]
    edges: EdgeBands
    box: Box
    length_axis: Axis
    width_axis: Axis
    thickness_axis: Axis
    ops: tuple[Op, ...] = ()

    @property
    def area_m2(self) -> float:
        return self.length_mm * self.width_mm / 1e6


@dataclass(frozen=True)
class HardwareLine:
    code: str
    article: str
    name: str
    category: str
    quantity: int
    unit_price_cents: int
    cabinet_id: str

    @property
    def total_cents(self) -> int:
        return self.quantity * self.unit_price_cents


@dataclass(frozen=True)
class CabinetBuild:
    cabinet_id: str
    family: str
    width_mm: float
    depth_mm: float
    height_mm: float
    panels: list[Panel]
    hardware: list[HardwareLine]
    options: dict[str, OptionValue] = field(default_factory=dict)
    zones: tuple[Any, ...] = ()
    """Carcass cabinets: where each leaf zone of the interior ended up (``cabinet.ZoneLayout``)."""
