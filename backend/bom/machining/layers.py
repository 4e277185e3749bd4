"""DXF layer names for machining operations, from a configurable template (pure).

A template is one format string per kind of entity; fields:

- ``{op}`` DRILL, GROOVE, POCKET, CUTOUT; ``{dir}`` V (into a face) or H (into an edge);
- ``{dia}``, ``{depth}``, ``{width}`` in mm written without trailing zeros (``5``, ``4.5``) and
  ``{dia_p}``, ``{depth_p}``, ``{width_p}``, ``{thick_p}`` with ``p`` for the decimal point (``13p0``, ``4p5``);
- ``{face}`` A, B, L1, L2, W1, W2; ``{fb}`` ``_FB`` on face B, ``_{face}`` on an edge, else empty;
  ``{back}`` ``back`` on face B, else empty;
- ``{purpose}`` (``dowel``, ``hinge_cup``…) and ``{PURPOSE}`` upper-case, ``{tool}``.

Presets (``PRESETS``): ``roomwright`` (the package's default, the layers docs/order-format.md
lists), ``thermwood`` (the ``drill z#p#`` / ``backdrill`` / ``pocket`` / ``dado`` / ``outline`` layer
keywords of Thermwood's Control Nesting DXF translator, depths in mm) and ``cabinetsense`` (one
layer per hole kind with ``D<diameter>mm`` and ``d<depth>mm`` appended, as CabinetSense's CNC export
does).  A factory profile names a preset or gives its own templates.
"""

from __future__ import annotations

from collections.abc import Mapping

from backend.bom.machining.model import MachOp
from backend.errors import InvalidInput

KEYS = ("outline", "drill_face", "drill_edge", "groove", "pocket", "cutout")
PRESETS: dict[str, dict[str, str]] = {
    "roomwright": {
        "outline": "OUTLINE",
        "drill_face": "DRILL_V_D{dia}_Z{depth}{fb}",
        "drill_edge": "DRILL_H_D{dia}_Z{depth}{fb}",
        "groove": "GROOVE_W{width}_Z{depth}{fb}",
        "pocket": "POCKET_Z{depth}{fb}",
        "cutout": "CUTOUT_Z{depth}{fb}",
    },
    "thermwood": {
        "outline": "outline z{thick_p}",
        "drill_face": "{back}drill z{depth_p} d{dia_p}",
        "drill_edge": "hbore {face} z{depth_p} d{dia_p}",
        "groove": "{back}dado z{depth_p} w{width_p}",
        "pocket": "{back}pocket z{depth_p}",
        "cutout": "{back}outline z{depth_p}",
    },
    "cabinetsense": {
        "outline": "PROFILE",
        "drill_face": "{PURPOSE} D{dia}mm d{depth}mm{fb}",
        "drill_edge": "HDRILL {PURPOSE} D{dia}mm d{depth}mm{fb}",
        "groove": "DADO w{width}mm d{depth}mm{fb}",
        "pocket": "POCKET d{depth}mm{fb}",
        "cutout": "CUTOUT d{depth}mm{fb}",
    },
}
_BAD = set('<>/\\":;?*|=\'')


def _g(value: float) -> str:
    return f"{round(value, 3):g}"


def _p(value: float) -> str:
    whole, _, frac = f"{round(value, 3):.3f}".partition(".")
    return f"{whole}p{frac.rstrip('0') or '0'}"


def template(spec: str | Mapping[str, str] | None) -> dict[str, str]:
    """A full template: a preset's name, or templates for some keys over the default preset."""
    if spec is None:
        return dict(PRESETS["roomwright"])
    if isinstance(spec, str):
        if spec not in PRESETS:
            raise InvalidInput(f"unknown DXF layer preset {spec!r} (known: {', '.join(PRESETS)})",
                               field="dxf_layers")
        return dict(PRESETS[spec])
    unknown = set(spec) - set(KEYS)
    if unknown:
        raise InvalidInput(f"unknown DXF layer template keys: {', '.join(sorted(unknown))}", field="dxf_layers")
    return {**PRESETS["roomwright"], **spec}


def _fields(op: MachOp | None, thickness: float) -> dict[str, str]:
    if op is None:
        return {"thick_p": _p(thickness), "thick": _g(thickness)}
    face = op.face
    return {
        "op": {"drill": "DRILL", "groove": "GROOVE", "pocket": "POCKET", "cutout": "CUTOUT"}[op.kind],
        "dir": "H" if op.is_edge else "V", "dia": _g(op.diameter_mm), "depth": _g(op.depth_mm),
        "width": _g(op.width_mm), "dia_p": _p(op.diameter_mm), "depth_p": _p(op.depth_mm),
        "width_p": _p(op.width_mm), "thick_p": _p(thickness), "thick": _g(thickness), "face": face,
        "fb": "_FB" if face == "B" else (f"_{face}" if op.is_edge else ""), "back": "back" if face == "B" else "",
        "purpose": op.purpose, "PURPOSE": op.purpose.upper(), "tool": op.tool,
    }


def key_of(op: MachOp) -> str:
    if op.kind == "drill":
        return "drill_edge" if op.is_edge else "drill_face"
    return op.kind


def layer_name(tpl: Mapping[str, str], op: MachOp | None, thickness: float) -> str:
    """The layer of ``op`` (``None``: the outline) under template ``tpl``."""
    fmt = tpl["outline"] if op is None else tpl[key_of(op)]
    try:
        name = fmt.format(**_fields(op, thickness))
    except (KeyError, IndexError, ValueError) as exc:
        raise InvalidInput(f"bad DXF layer template {fmt!r}: {exc}", field="dxf_layers") from None
    if not name or _BAD & set(name):
        raise InvalidInput(f"DXF layer template {fmt!r} gives an invalid layer name {name!r}", field="dxf_layers")
    return name
