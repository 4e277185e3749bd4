"""``machining.json``: every part with all its operations, machine-neutral (format ``roomwright-machining/1``).

Per part: id, material, thickness, finished and cut sizes, grain, the band offset (W1, L1) that
turns finished coordinates into blank coordinates, and ``ops`` (``backend.bom.machining.export``)
with both: ``u_mm v_mm w_mm`` in the finished part and ``x_mm y_mm z_mm`` on the cut blank (x along
the length from W1, y along the width from L1, z above face A).  A CAM post-processor needs nothing
else from the package to drill, groove and cut every part.
"""

from __future__ import annotations

from typing import Any

from backend.bom.machining.export import FORMAT, op_dict
from backend.bom.machining.tables import load_tables
from backend.bom.package.dxf import band_offset
from backend.bom.parts import PartsList
from backend.configurator.catalog import Catalog


def machining_document(plist: PartsList, catalog: Catalog, order_number: str) -> dict[str, Any]:
    ids = {p.panel_id: p.id for p in plist.parts}
    parts = []
    for p in plist.parts:
        offset = band_offset(p, catalog)
        parts.append({
            "id": p.id, "cabinet_id": p.cabinet_id, "name": p.name, "role": p.role, "material": p.material,
            "thickness_mm": p.thickness_mm, "length_mm": p.length_mm, "width_mm": p.width_mm,
            "cut_length_mm": p.cut_length_mm, "cut_width_mm": p.cut_width_mm, "grain": p.grain,
            "blank_offset_mm": list(offset),
            "ops": [op_dict(op, ids, offset) for op in p.machining],
        })
    return {"format": FORMAT, "order": order_number, "units": "mm", "tables_version": load_tables().version,
            "faces": {"A": "face at the low end of the thickness axis (bottom)", "B": "the opposite face (top)",
                      "W1": "short edge at u = 0", "W2": "short edge at u = length",
                      "L1": "long edge at v = 0", "L2": "long edge at v = width"},
            "parts": parts}
