"""``sheets/<material>/<material>-<n>.dxf``: one DXF per router sheet (ezdxf, R2010, millimetres).

The board in its own frame (x along its length, y along its width, origin at a corner): layer
``SHEET`` the board's outline, ``TRIM`` the trimmed area; every part's blank at its nested place on
the profile's outline layer, its machining on the profile's layers (as in the per-part DXF, turned
with the part), ``TOOLPATH`` the outline the tool's centre follows (the blank offset by the tool
radius, so neighbours are one tool diameter apart) and ``CUT_ORDER`` the part's cut number and id.
Outlines are written in cut order: large parts first, small parts last.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from ezdxf.filemanagement import new as new_dxf

from backend.bom.machining.layers import layer_name, template
from backend.bom.nesting.router import RouterResult, RouterSheet
from backend.bom.package.dxf import LayerSpec, draw_ops, ensure_layer, fixed_metadata, safe_name
from backend.bom.parts import Part, PartsList
from backend.configurator.catalog import Catalog


def sheet_dxf_path(root: Path, material: str, index: int) -> Path:
    return root / "sheets" / safe_name(material) / f"{safe_name(material)}-{index}.dxf"


def write_sheet_dxf(path: Path, sheet: RouterSheet, parts: Mapping[str, Part], catalog: Catalog, tool_mm: float,
                    trim: float, layers: LayerSpec = None) -> None:
    tpl = template(layers)
    with fixed_metadata():
        doc = new_dxf("R2010", setup=False, units=4)
        msp = doc.modelspace()
        for name, colour in (("SHEET", 8), ("TRIM", 9), ("TOOLPATH", 2), ("CUT_ORDER", 7)):
            ensure_layer(doc, name, colour)
        bl, bw = sheet.board.length, sheet.board.width
        msp.add_lwpolyline([(0, 0), (bl, 0), (bl, bw), (0, bw)], close=True, dxfattribs={"layer": "SHEET"})
        msp.add_lwpolyline([(trim, trim), (bl - trim, trim), (bl - trim, bw - trim), (trim, bw - trim)], close=True,
                           dxfattribs={"layer": "TRIM"})
        r = tool_mm / 2
        for pl in sorted(sheet.placements, key=lambda p: p.order):
            part = parts[pl.part_id]
            outline = layer_name(tpl, None, part.thickness_mm)
            ensure_layer(doc, outline, 7)
            x0, y0, x1, y1 = pl.x, pl.y, pl.x + pl.width, pl.y + pl.height
            msp.add_lwpolyline([(x0, y0), (x1, y0), (x1, y1), (x0, y1)], close=True, dxfattribs={"layer": outline})
            msp.add_lwpolyline([(x0 - r, y0 - r), (x1 + r, y0 - r), (x1 + r, y1 + r), (x0 - r, y1 + r)], close=True,
                               dxfattribs={"layer": "TOOLPATH"})
            msp.add_text(f"{pl.order} {part.id}", height=min(20.0, pl.height / 4),
                         dxfattribs={"layer": "CUT_ORDER", "insert": (x0 + 5, y0 + 5)})
            draw_ops(doc, msp, part, catalog, tpl, (pl.x, pl.y), pl.rotated)
        path.parent.mkdir(parents=True, exist_ok=True)
        doc.saveas(path)


def write_sheet_dxfs(root: Path, result: RouterResult, plist: PartsList, catalog: Catalog,
                     layers: LayerSpec = None) -> list[Path]:
    parts = {p.id: p for p in plist.parts}
    out = []
    s = result.settings
    for m in result.materials:
        for i, sheet in enumerate(m.sheets, 1):
            path = sheet_dxf_path(root, m.material, i)
            write_sheet_dxf(path, sheet, parts, catalog, s.spacing, s.trim, layers)
            out.append(path)
    return out
