"""``parts/<material>/<part id>.dxf``: one DXF per part for the CNC (ezdxf, R2010, millimetres).

Frame: the cut blank seen from face A; x along the part's length (from its W1 edge), y along
its width (from its L1 edge); the blank spans (0, 0)–(cut length, cut width).  Machining
positions from the configurator (finished-part coordinates) are shifted by the band thickness on
W1 (x) and L1 (y).  Layers (see docs/order-format.md):

- ``OUTLINE``: the blank, a closed polyline;
- ``DRILL_V_D{diameter}_Z{depth}``: vertical drill holes (circles at the hole centre);
- ``DRILL_H_D{diameter}_Z{depth}``: horizontal (edge) drills, reserved: the configurator does not
  position edge drilling for connectors yet;
- ``GROOVE_W{width}_Z{depth}``: grooves as their centre line;
- ``CUTOUT_Z{depth}``: cut-outs (sink, hob, duct) as closed polylines, through when depth = thickness;
- a ``_FB`` suffix marks operations from face B (same x, y; the part is turned over for them).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from pathlib import Path

from ezdxf._options import options as ezdxf_options
from ezdxf.document import Drawing
from ezdxf.filemanagement import new as new_dxf

from backend.bom.parts import Part
from backend.configurator.catalog import Catalog
from backend.configurator.construction import Op

OUTLINE = "OUTLINE"
_COLOURS = {"OUTLINE": 7, "DRILL_V": 1, "DRILL_H": 5, "GROOVE": 3, "CUTOUT": 6}


def safe_name(value: str) -> str:
    """A file-name-safe form of an id or material code."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", value).strip("-") or "part"


def _n(value: float) -> str:
    return f"{value:g}"


def op_layer(op: Op) -> str:
    if op.kind == "drill":
        name = f"DRILL_V_D{_n(op.diameter_mm)}_Z{_n(op.depth_mm)}"
    elif op.kind == "groove":
        name = f"GROOVE_W{_n(min(op.length_mm, op.width_mm))}_Z{_n(op.depth_mm)}"
    else:
        name = f"CUTOUT_Z{_n(op.depth_mm)}"
    return name + ("_FB" if op.face == "B" else "")


@contextlib.contextmanager
def _fixed_metadata() -> Iterator[None]:
    """Write fixed creation dates and GUIDs so the same part gives the same bytes."""
    old = ezdxf_options.write_fixed_meta_data_for_testing
    ezdxf_options.write_fixed_meta_data_for_testing = True
    try:
        yield
    finally:
        ezdxf_options.write_fixed_meta_data_for_testing = old


def write_part_dxf(path: Path, part: Part, catalog: Catalog) -> None:
    with _fixed_metadata():
        doc = new_dxf("R2010", setup=False, units=4)  # 4 = millimetres
        _draw(doc, part, catalog)
        path.parent.mkdir(parents=True, exist_ok=True)
        doc.saveas(path)


def _draw(doc: Drawing, part: Part, catalog: Catalog) -> None:
    msp = doc.modelspace()
    du = _band(catalog, part.edges.w1)
    dv = _band(catalog, part.edges.l1)
    length, width = part.cut_length_mm, part.cut_width_mm
    _layer(doc, OUTLINE)
    msp.add_lwpolyline([(0, 0), (length, 0), (length, width), (0, width)], close=True,
                       dxfattribs={"layer": OUTLINE})
    for op in part.ops:
        layer = op_layer(op)
        _layer(doc, layer)
        u, v = op.u_mm - du, op.v_mm - dv
        if op.kind == "drill":
            msp.add_circle((u, v), op.diameter_mm / 2, dxfattribs={"layer": layer})
        elif op.kind == "groove":
            if op.length_mm >= op.width_mm:
                start, end = (u, v + op.width_mm / 2), (u + op.length_mm, v + op.width_mm / 2)
            else:
                start, end = (u + op.length_mm / 2, v), (u + op.length_mm / 2, v + op.width_mm)
            msp.add_line(start, end, dxfattribs={"layer": layer})
        else:
            pts = [(u, v), (u + op.length_mm, v), (u + op.length_mm, v + op.width_mm), (u, v + op.width_mm)]
            msp.add_lwpolyline(pts, close=True, dxfattribs={"layer": layer})


def _layer(doc: Drawing, name: str) -> None:
    if name not in doc.layers:
        doc.layers.add(name, color=_COLOURS.get(name.split("_D")[0].split("_W")[0].split("_Z")[0], 7))


def _band(catalog: Catalog, code: str | None) -> float:
    return 0.0 if code is None else catalog.edge_bands[code].thickness_mm


def part_dxf_path(root: Path, part: Part) -> Path:
    return root / "parts" / safe_name(part.material) / f"{safe_name(part.id)}.dxf"
