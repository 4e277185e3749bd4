"""Machining ops as plain data for ``order.json`` and ``machining.json`` (pure).

Every op keeps the fields ``order.json`` always had (``kind purpose face u_mm v_mm depth_mm
diameter_mm length_mm width_mm``: position in the *finished* part from W1/L1; grooves and cut-outs
extend ``length_mm`` along u and ``width_mm`` along v) and adds ``w_mm`` (height above face A),
``path``, ``groove_width_mm``, ``tool``, ``hardware``, ``joint``, ``mate`` (the partner part's id),
``detail`` and, in the machine-neutral file, ``x_mm y_mm z_mm`` on the cut blank (finished
position less the band on W1 / L1).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from backend.bom.machining.model import MachOp, PartFrame, mouth

FORMAT = "roomwright-machining/1"


def extents(op: MachOp) -> tuple[float, float]:
    """(length along u, width along v) of a groove's or cut-out's rectangle; 0, 0 for drills."""
    if not op.path:
        return 0.0, 0.0
    us = [p[0] for p in op.path]
    vs = [p[1] for p in op.path]
    du, dv = max(us) - min(us), max(vs) - min(vs)
    if op.kind == "groove":
        return (du, op.width_mm) if dv == 0 else (op.width_mm, dv)
    return du, dv


def _r(value: float) -> float:
    out = round(value, 3)
    return int(out) if out == int(out) else out


def op_dict(op: MachOp, part_ids: Mapping[str, str], offset: tuple[float, float] | None = None) -> dict[str, Any]:
    """``op`` as JSON (``part_ids``: panel id → part id for ``mate``; ``offset``: band on W1, L1 for
    blank coordinates)."""
    length, width = extents(op)
    u0 = min((p[0] for p in op.path), default=op.u_mm)
    v0 = min((p[1] for p in op.path), default=op.v_mm)
    if op.kind == "groove":
        u0 -= (op.width_mm / 2 if length == op.width_mm else 0)
        v0 -= (op.width_mm / 2 if width == op.width_mm else 0)
    out: dict[str, Any] = {
        "kind": op.kind, "purpose": op.purpose, "face": op.face,
        "u_mm": _r(u0 if op.path else op.u_mm), "v_mm": _r(v0 if op.path else op.v_mm), "w_mm": _r(op.w_mm),
        "depth_mm": _r(op.depth_mm), "diameter_mm": _r(op.diameter_mm),
        "length_mm": _r(length), "width_mm": _r(width),
        "path": [[_r(u), _r(v)] for u, v in op.path], "groove_width_mm": _r(op.width_mm),
        "tool": op.tool, "hardware": op.hardware, "joint": op.joint,
        "mate": part_ids.get(op.mate, op.mate) if op.mate else None, "detail": op.detail,
    }
    if offset is not None:
        out["x_mm"], out["y_mm"], out["z_mm"] = _r(op.u_mm - offset[0]), _r(op.v_mm - offset[1]), _r(op.w_mm)
        out["path_xy"] = [[_r(u - offset[0]), _r(v - offset[1])] for u, v in op.path]
    return out



def drill_cylinders(ops: Sequence[MachOp], frame: PartFrame, part_id: str) -> list[dict[str, Any]]:
    """Every hole of a part as a cylinder in its cabinet's frame (mm), for a 3D view: centre, axis
    (0/1/2 = the cabinet's x/y/z), radius, length, purpose."""
    out = []
    for op in ops:
        if op.kind != "drill":
            continue
        axis, sign = frame.inward(op.face)
        centre = list(mouth(frame, op))
        centre[axis] += sign * op.depth_mm / 2
        out.append({"part": part_id, "purpose": op.purpose, "centre": [round(v, 2) for v in centre], "axis": axis,
                    "radius": op.diameter_mm / 2, "length": op.depth_mm})
    return out
