"""Checks of a cabinet's machining before the order (pure); every finding here is blocking.

Codes (stable; words in ``wording.py``, EN and 中文), all blocking but ``shelf_pin_support``:

- ``op_outside_part``: a hole, groove or cut-out not inside its part, or closer to an edge than the
  tool's minimum (``tools.min_edge_clearance_mm``) — for edge holes also closer than
  ``limits.edge_hole_wall_mm`` to either face;
- ``op_too_deep``: a blind hole or groove deeper than the part leaves ``limits.min_floor_mm``, or an
  edge hole not shorter than the part is deep behind that edge;
- ``ops_collide``: two operations of a part overlap (holes of one connector position, meant to
  meet, excepted);
- ``connector_partner_missing``: a connector hole whose partner on the mating part is not at the
  same assembled position (within :data:`TOL_MM`);
- ``hinge_cup_blocked``: the hinge behind a door runs into a shelf, drawer or other part;
- ``hinge_door_too_thin`` / ``connector_panel_too_thin``: hardware on a part too thin for it
  (the table's ``min_door_thickness_mm`` / ``min_*_panel_thickness_mm``);
- ``hardware_count_differs`` (warning): the machining drills for more or fewer connectors, dowels,
  shelf pins or legs than the cabinet's hardware list holds (the list is what is packed and priced);
- the derivation's own issues (``hinge_plate_no_support``, ``slide_length_without_table``, …);
  ``shelf_pin_support`` (warning): an adjustable shelf with a side at one end only.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from backend.bom.machining.model import TOL_MM, Face, Issue, MachOp, PartFrame, mouth
from backend.bom.machining.tables import Envelope, MachiningTables
from backend.configurator.construction import Vec

Interval = tuple[float, float]


WARNINGS = ("shelf_pin_support", "hardware_count_differs")
"""Codes that warn and do not block (a shelf pinned at one end only: the L-corner's shelves)."""


@dataclass(frozen=True)
class MachFinding:
    code: str
    panel_id: str
    params: tuple[tuple[str, str | float], ...] = ()

    @property
    def severity(self) -> Literal["error", "warning"]:
        return "warning" if self.code in WARNINGS else "error"


@dataclass(frozen=True)
class PartView:
    """What the checks need of one part: its id, role, frame and ops."""

    panel_id: str
    role: str
    frame: PartFrame
    ops: tuple[MachOp, ...]


def check_cabinet(parts: Sequence[PartView], issues: Sequence[Issue], tables: MachiningTables) -> list[MachFinding]:
    """All machining findings of one cabinet's parts, in part order."""
    out = [MachFinding(i.code, i.panel_id, i.params) for i in issues]
    by_id = {p.panel_id: p for p in parts}
    for p in parts:
        out += check_inside(p, tables)
        out += check_collisions(p)
        out += check_partners(p, by_id)
        out += check_hardware_fit(p, by_id, tables)
    out += check_hinge_clearance(parts, tables)
    return out


def machined_counts(parts: Sequence[PartView], tables: MachiningTables) -> dict[str, int]:
    """Hardware items the machining drills for, by catalog code: a connector or dowel per edge hole,
    a shelf pin per supporting hole, a leg per leg hole."""
    out: dict[str, int] = {}
    for p in parts:
        for op in p.ops:
            code = op.hardware
            counted = ((op.detail == "edge" and code in tables.connectors)
                       or (op.purpose == "shelf_pin" and op.detail == "seat") or op.purpose == "leg")
            if code and counted:
                out[code] = out.get(code, 0) + 1
    return out


def check_hardware_counts(parts: Sequence[PartView], listed: Mapping[str, int],
                          tables: MachiningTables) -> list[MachFinding]:
    """Warnings where the machined count of an item differs from the hardware list's."""
    drilled = machined_counts(parts, tables)
    kinds = set(tables.connectors) | set(tables.shelf_pins) | set(tables.legs)
    out = []
    for code in sorted((set(drilled) | set(listed)) & kinds):
        if drilled.get(code, 0) != listed.get(code, 0) and parts:
            out.append(MachFinding("hardware_count_differs", parts[0].panel_id,
                                   (("hardware", code), ("drilled", float(drilled.get(code, 0))),
                                    ("listed", float(listed.get(code, 0))))))
    return out


# ------------------------------------------------------------------------------------------------
# inside the part


def _face_size(fr: PartFrame, face: Face) -> tuple[float, float, float]:
    """(extent along the face's first coordinate, along its second, behind the face)."""
    if face in ("A", "B"):
        return fr.length, fr.width, fr.thickness
    if face in ("W1", "W2"):
        return fr.width, fr.thickness, fr.length
    return fr.length, fr.thickness, fr.width


def _face_coords(op: MachOp, face: Face) -> tuple[float, float]:
    if face in ("A", "B"):
        return op.u_mm, op.v_mm
    if face in ("W1", "W2"):
        return op.v_mm, op.w_mm
    return op.u_mm, op.w_mm


def check_inside(p: PartView, tables: MachiningTables) -> list[MachFinding]:
    out = []
    lim = tables.limits
    for n, op in enumerate(p.ops, 1):
        a_len, b_len, behind = _face_size(p.frame, op.face)
        clear = tables.clearance(op.kind)
        params = (("op", float(n)), ("purpose", op.purpose), ("face", op.face))
        if op.kind == "drill":
            a, b = _face_coords(op, op.face)
            r = op.diameter_mm / 2
            wall_b = lim.edge_hole_wall_mm if op.is_edge else clear
            if not (r + clear - 1e-6 <= a <= a_len - r - clear + 1e-6
                    and r + wall_b - 1e-6 <= b <= b_len - r - wall_b + 1e-6):
                out.append(MachFinding("op_outside_part", p.panel_id, params))
            blind_floor = behind - op.depth_mm
            if (op.is_edge and blind_floor <= lim.min_floor_mm) or (
                    not op.is_edge and not op.through and blind_floor < lim.min_floor_mm - 1e-6):
                out.append(MachFinding("op_too_deep", p.panel_id, (*params, ("depth", op.depth_mm))))
        else:
            half = op.width_mm / 2
            along_u = len({round(v, 6) for _, v in op.path}) == 1
            if op.kind == "cutout":
                box = (clear, a_len - clear, clear, b_len - clear)
            elif along_u:
                box = (0.0, a_len, half, b_len - half)
            else:
                box = (half, a_len - half, 0.0, b_len)
            if not all(box[0] - 1e-6 <= u <= box[1] + 1e-6 and box[2] - 1e-6 <= v <= box[3] + 1e-6
                       for u, v in op.path):
                out.append(MachFinding("op_outside_part", p.panel_id, params))
            if op.kind != "cutout" and op.depth_mm > behind - lim.min_floor_mm + 1e-6:
                out.append(MachFinding("op_too_deep", p.panel_id, (*params, ("depth", op.depth_mm))))
    return out


# ------------------------------------------------------------------------------------------------
# collisions: each op as a solid in part coordinates


@dataclass(frozen=True)
class Solid:
    """An axis-aligned solid in part coordinates: a cylinder (``axis`` 0/1/2 = u/v/w, centre and
    radius across it, extent along it) or a box (radius 0, ``box`` intervals)."""

    box: tuple[Interval, Interval, Interval]
    axis: int = -1
    centre: tuple[float, float] = (0.0, 0.0)
    radius: float = 0.0


@lru_cache(maxsize=1 << 16)
def solid(op: MachOp, fr: PartFrame) -> Solid:
    """The op's solid (cached: ops and frames are frozen values, and derivation asks again and again)."""
    size = (fr.length, fr.width, fr.thickness)
    if op.kind == "drill":
        axis = {"A": 2, "B": 2, "W1": 0, "W2": 0, "L1": 1, "L2": 1}[op.face]
        start = (op.u_mm, op.v_mm, op.w_mm)[axis]
        end = start + op.depth_mm if op.face in ("A", "W1", "L1") else start - op.depth_mm
        pos = (op.u_mm, op.v_mm, op.w_mm)
        across = [i for i in range(3) if i != axis]
        r = op.diameter_mm / 2
        box = [(pos[i] - r, pos[i] + r) for i in range(3)]
        box[axis] = (min(start, end), max(start, end))
        return Solid((box[0], box[1], box[2]), axis, (pos[across[0]], pos[across[1]]), r)
    us = [pt[0] for pt in op.path]
    vs = [pt[1] for pt in op.path]
    half = op.width_mm / 2
    depth = (0.0, op.depth_mm) if op.face == "A" else (size[2] - op.depth_mm, size[2])
    return Solid(((min(us) - (half if us[0] == us[-1] else 0), max(us) + (half if us[0] == us[-1] else 0)),
                  (min(vs) - (half if vs[0] == vs[-1] else 0), max(vs) + (half if vs[0] == vs[-1] else 0)),
                  depth))


def _overlap(a: Interval, b: Interval) -> bool:
    return min(a[1], b[1]) - max(a[0], b[0]) > 1e-6


def collide(a: Solid, b: Solid) -> bool:
    if not all(_overlap(a.box[i], b.box[i]) for i in range(3)):
        return False
    if a.radius and b.radius and a.axis == b.axis:
        return math.dist(a.centre, b.centre) < a.radius + b.radius - 1e-6
    if (a.radius and not b.radius) or (b.radius and not a.radius):
        cyl, box = (a, b) if a.radius else (b, a)
        across = [i for i in range(3) if i != cyl.axis]
        nearest = [min(max(cyl.centre[k], box.box[across[k]][0]), box.box[across[k]][1]) for k in range(2)]
        return math.dist(cyl.centre, nearest) < cyl.radius - 1e-6
    return True


def check_collisions(p: PartView) -> list[MachFinding]:
    solids = [solid(op, p.frame) for op in p.ops]
    out = []
    for i, j in _pairs(len(p.ops)):
        a, b = p.ops[i], p.ops[j]
        if a.joint is not None and a.joint == b.joint:
            continue  # the holes of one connector meet by design
        if a == b:
            continue
        if collide(solids[i], solids[j]):
            out.append(MachFinding("ops_collide", p.panel_id, (("op", float(i + 1)), ("other", float(j + 1)),
                                                               ("purpose", a.purpose), ("other_purpose", b.purpose))))
    return out


def _pairs(n: int) -> Iterator[tuple[int, int]]:
    for i in range(n):
        for j in range(i + 1, n):
            yield i, j


# ------------------------------------------------------------------------------------------------
# connectors meet their partners


def check_partners(p: PartView, by_id: Mapping[str, PartView]) -> list[MachFinding]:
    out = []
    for n, op in enumerate(p.ops, 1):
        if op.joint is None or op.mate is None:
            continue
        mate = by_id.get(op.mate)
        here = mouth(p.frame, op)
        ok = mate is not None and any(
            o.joint == op.joint and o.mate == p.panel_id and math.dist(mouth(mate.frame, o), here) <= TOL_MM
            for o in mate.ops)
        if not ok:
            out.append(MachFinding("connector_partner_missing", p.panel_id, (("op", float(n)),
                                                                             ("purpose", op.purpose),
                                                                             ("mate", op.mate))))
    return out


# ------------------------------------------------------------------------------------------------
# hardware on parts too thin for it


def check_hardware_fit(p: PartView, by_id: Mapping[str, PartView], tables: MachiningTables) -> list[MachFinding]:
    out = []
    seen: set[tuple[str, str]] = set()
    t = p.frame.thickness
    for op in p.ops:
        code = op.hardware or ""
        if op.purpose == "hinge_cup":
            hinge = tables.hinges.get(code)
            need = max(hinge.min_door_thickness_mm if hinge else 0.0, op.depth_mm + tables.limits.min_floor_mm)
            if t < need - 1e-6 and ("hinge", code) not in seen:
                seen.add(("hinge", code))
                out.append(MachFinding("hinge_door_too_thin", p.panel_id,
                                       (("thickness", t), ("need", need), ("hardware", code))))
        con = tables.connectors.get(code)
        if con is not None and op.joint is not None and op.detail in ("edge", "face"):
            need = con.min_edge_panel_thickness_mm if op.detail == "edge" else con.min_face_panel_thickness_mm
            if t < need - 1e-6 and (code, op.detail) not in seen:
                seen.add((code, op.detail))
                out.append(MachFinding("connector_panel_too_thin", p.panel_id,
                                       (("thickness", t), ("need", need), ("hardware", code))))
    return out


# ------------------------------------------------------------------------------------------------
# hinges clear of what is behind the door


BLOCKING_ROLES = ("shelf", "fixed_shelf", "drawer_side", "drawer_back", "drawer_front", "drawer_bottom", "rail",
                  "bottom", "top", "door")


def check_hinge_clearance(parts: Sequence[PartView], tables: MachiningTables) -> list[MachFinding]:
    out = []
    for door in parts:
        for n, cup in enumerate(door.ops, 1):
            if cup.purpose != "hinge_cup":
                continue
            hinge = tables.hinges.get(cup.hardware or "")
            plate = next((o for q in parts for o in q.ops if o.purpose == "hinge_plate" and o.mate == door.panel_id
                          and _near_cup(q, o, door, cup)), None)
            if hinge is None or plate is None or hinge.envelope.depth_mm <= 0:
                continue
            support = next(q for q in parts if plate in q.ops)
            env = hinge_envelope(door.frame, mouth(door.frame, cup), support.frame, hinge.envelope)
            for q in parts:
                if q.panel_id in (door.panel_id, support.panel_id) or q.role not in BLOCKING_ROLES:
                    continue
                box = seated_box(q, parts, tables) if q.role == "shelf" else [
                    (q.frame.lo(i), q.frame.hi(i)) for i in range(3)]
                if all(_overlap(env[i], box[i]) for i in range(3)):
                    out.append(MachFinding("hinge_cup_blocked", door.panel_id, (("op", float(n)),
                                                                                ("other", q.panel_id))))
    return out


def _near_cup(q: PartView, plate: MachOp, door: PartView, cup: MachOp) -> bool:
    c = mouth(door.frame, cup)
    p = mouth(q.frame, plate)
    axis = door.frame.lw
    return all(abs(c[i] - p[i]) <= 80 for i in range(3) if i != axis)


def hinge_envelope(door: PartFrame, cup: Vec, support: PartFrame, env: Envelope) -> list[Interval]:
    """The hinge body's box in the cabinet frame: from the door's back ``depth_mm`` into the
    cabinet, ``half_height_mm`` each way along the hinge edge, and across from the support's face to
    ``reach_mm`` past the cup centre."""
    td, ta = door.lw, support.lw
    r = 3 - td - ta
    box: list[Interval] = [(0.0, 0.0)] * 3
    box[td] = (door.lo(td) - env.depth_mm, door.lo(td))
    box[r] = (cup[r] - env.half_height_mm, cup[r] + env.half_height_mm)
    if cup[ta] >= support.centre(ta):
        box[ta] = (support.hi(ta), cup[ta] + env.reach_mm)
    else:
        box[ta] = (cup[ta] - env.reach_mm, support.lo(ta))
    return box


def seated_box(shelf: PartView, parts: Sequence[PartView], tables: MachiningTables) -> list[Interval]:
    """An adjustable shelf's box where its pins hold it (the machining may seat it a pitch away from
    the configurator's height, clear of the hinges)."""
    fr = shelf.frame
    box = [(fr.lo(i), fr.hi(i)) for i in range(3)]
    for q in parts:
        for o in q.ops:
            if o.purpose == "shelf_pin" and o.mate == shelf.panel_id and o.detail == "seat":
                pin = tables.shelf_pins.get(o.hardware or "")
                if pin is not None:
                    z = fr.lw
                    bottom = mouth(q.frame, o)[z] + pin.below_shelf_mm
                    box[z] = (bottom, bottom + fr.thickness)
                    return box
    return box
