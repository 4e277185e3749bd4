"""``parts/<material>/<part id>.dxf``: one DXF per part for the CNC (ezdxf, R2010, millimetres).

Frame: the cut blank seen from face A; x along the part's length (from its W1 edge), y along
its width (from its L1 edge); the blank spans (0, 0)–(cut length, cut width).  Machining
positions (``Part.machining``, finished-part coordinates) are shifted by the band thickness on
W1 (x) and L1 (y).  Layer names come from a template (``backend.bom.machining.layers``; the
default preset ``roomwright`` is listed in docs/order-format.md):

- the outline: the blank, a closed polyline;
- holes into a face: circles at the hole centre (z = 0 for face A, the thickness for face B);
- holes into an edge: a 3D line from the hole's mouth on the edge along the hole's axis, its
  length the depth, at the hole's height above face A (z);
- grooves: their centre line; pockets and cut-outs: closed polylines.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator, Mapping
from pathlib import Path

from ezdxf._options import options as ezdxf_options
from ezdxf.document import Drawing
from ezdxf.filemanagement import new as new_dxf
from ezdxf.layouts.layout import Modelspace

from backend.bom.machining.layers import key_of, layer_name, template
from backend.bom.machining.model import MachOp
from backend.bom.parts import Part
from backend.configurator.catalog import Catalog

OUTLINE = "OUTLINE"
_COLOURS = {"outline": 7, "drill_face": 1, "drill_edge": 5, "groove": 3, "pocket": 4, "cutout": 6}
LayerSpec = str | Mapping[str, str] | None


def safe_name(value: str) -> str:
    """A file-name-safe form of an id or material code."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", value).strip("-") or "part"


def op_layer(op: MachOp, thickness: float, layers: LayerSpec = None) -> str:
    return layer_name(template(layers), op, thickness)


@contextlib.contextmanager
def fixed_metadata() -> Iterator[None]:
    """Write fixed creation dates and GUIDs so the same part gives the same bytes."""
    old = ezdxf_options.write_fixed_meta_data_for_testing
    ezdxf_options.write_fixed_meta_data_for_testing = True
    try:
        yield
    finally:
        ezdxf_options.write_fixed_meta_data_for_testing = old


def write_part_dxf(path: Path, part: Part, catalog: Catalog, layers: LayerSpec = None) -> None:
    with fixed_metadata():
        doc = new_dxf("R2010", setup=False, units=4)  # 4 = millimetres
        tpl = template(layers)
        outline = layer_name(tpl, None, part.thickness_mm)
        ensure_layer(doc, outline, _COLOURS["outline"])
        doc.modelspace().add_lwpolyline([(0, 0), (part.cut_length_mm, 0), (part.cut_length_mm, part.cut_width_mm),
                                         (0, part.cut_width_mm)], close=True, dxfattribs={"layer": outline})
        draw_ops(doc, doc.modelspace(), part, catalog, tpl, (0.0, 0.0), False)
        path.parent.mkdir(parents=True, exist_ok=True)
        doc.saveas(path)


def band_offset(part: Part, catalog: Catalog) -> tuple[float, float]:
    """(band on W1, band on L1): finished coordinates minus these are blank coordinates."""
    return _band(catalog, part.edges.w1), _band(catalog, part.edges.l1)


def draw_ops(doc: Drawing, msp: Modelspace, part: Part, catalog: Catalog, tpl: Mapping[str, str],
             at: tuple[float, float], rotated: bool) -> None:
    """Draw ``part.machining`` with the blank's corner at ``at``; ``rotated``: the blank turned by 90°
    (its length along y), as a nested sheet may place it."""
    du, dv = band_offset(part, catalog)
    t = part.thickness_mm

    def xy(u: float, v: float) -> tuple[float, float]:
        x, y = u - du, v - dv
        return (at[0] + part.cut_width_mm - y, at[1] + x) if rotated else (at[0] + x, at[1] + y)

    for op in part.machining:
        layer = layer_name(tpl, op, t)
        ensure_layer(doc, layer, _COLOURS[key_of(op)])
        attrs = {"layer": layer}
        if op.kind == "drill" and not op.is_edge:
            x, y = xy(op.u_mm, op.v_mm)
            msp.add_circle((x, y, op.w_mm), op.diameter_mm / 2, dxfattribs=attrs)
        elif op.kind == "drill":
            du_, dv_ = {"W1": (1, 0), "W2": (-1, 0), "L1": (0, 1), "L2": (0, -1)}[op.face]
            x0, y0 = xy(op.u_mm, op.v_mm)
            x1, y1 = xy(op.u_mm + du_ * op.depth_mm, op.v_mm + dv_ * op.depth_mm)
            msp.add_line((x0, y0, op.w_mm), (x1, y1, op.w_mm), dxfattribs=attrs)
        elif op.kind == "groove":
            msp.add_line(xy(*op.path[0]), xy(*op.path[-1]), dxfattribs=attrs)
        else:
            msp.add_lwpolyline([xy(u, v) for u, v in op.path], close=True, dxfattribs=attrs)


def ensure_layer(doc: Drawing, name: str, colour: int = 7) -> None:
    if name not in doc.layers:
        doc.layers.add(name, color=colour)


def _band(catalog: Catalog, code: str | None) -> float:
    return 0.0 if code is None else catalog.edge_bands[code].thickness_mm


def part_dxf_path(root: Path, part: Part) -> Path:
    return root / "parts" / safe_name(part.material) / f"{safe_name(part.id)}.dxf"
