"""``order.json``: the frozen design revision plus every derived part (schema in docs/order-format.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from backend.bom import nesting
from backend.bom.checks import Finding
from backend.bom.machining.export import op_dict
from backend.bom.package.dxf import part_dxf_path
from backend.bom.parts import EDGE_NAMES, Part, PartsList
from backend.bom.pricing import Quote
from backend.design.model import Design

FORMAT = "roomwright-order/1"


def part_dict(p: Part, group: int, part_ids: dict[str, str] | None = None) -> dict[str, Any]:
    """One part; ``ops`` is all its machining (``backend.bom.machining.export.op_dict``), ``mate``
    naming partner parts by ``part_ids`` (panel id → part id)."""
    return {
        "id": p.id, "part_no": p.label, "ref": p.ref, "panel_id": p.panel_id, "cabinet_id": p.cabinet_id,
        "position": p.position, "name": p.name,
        "role": p.role, "material": p.material, "thickness_mm": p.thickness_mm, "length_mm": p.length_mm,
        "width_mm": p.width_mm, "cut_length_mm": p.cut_length_mm, "cut_width_mm": p.cut_width_mm, "quantity": 1,
        "grain": p.grain, "group": group, "edges": {e: p.band(e) for e in EDGE_NAMES},
        "axes": {"length": p.length_axis, "width": p.width_axis},
        "box": {"origin": list(p.box.origin), "size": list(p.box.size)},
        "ops": [op_dict(o, part_ids or {}) for o in p.machining],
        "dxf": part_dxf_path(Path(), p).as_posix(),
    }


def order_document(*, order: dict[str, Any], design: Design, revision: int | str, catalog_version: str,
                   plist: PartsList, result: nesting.NestResult, quote: Quote, findings: list[Finding],
                   files: list[str]) -> dict[str, Any]:
    group_of = {pid: n for n, g in enumerate(plist.groups, 1) for pid in g.ids}
    ids = {p.panel_id: p.id for p in plist.parts}
    return {
        "format": FORMAT,
        "order": order,
        "design": {"revision": revision, "catalog_version": catalog_version,
                   "document": design.model_dump(mode="json")},
        "cabinets": [{"id": b.cabinet_id, "family": b.family, "category": plist.categories.get(b.cabinet_id),
                      "width_mm": b.width_mm, "depth_mm": b.depth_mm, "height_mm": b.height_mm,
                      "options": b.options, "parts": [p.id for p in plist.parts if p.cabinet_id == b.cabinet_id]}
                     for b in plist.builds],
        "parts": [part_dict(p, group_of[p.id], ids) for p in plist.parts],
        "groups": [{"group": n, "quantity": g.quantity, "ids": list(g.ids)} for n, g in enumerate(plist.groups, 1)],
        "hardware": [{"code": h.code, "article": h.article, "name": h.name, "category": h.category,
                      "quantity": h.quantity, "unit_price_cents": h.unit_price_cents,
                      "per_cabinet": {cab: n for cab, n in h.per_cabinet}} for h in plist.hardware],
        "edge_bands": [{"code": b.code, "name": b.name, "thickness_mm": b.thickness_mm, "edges": b.edges,
                        "edge_length_mm": b.edge_length_mm, "overlength_mm": b.overlength_mm,
                        "order_length_m": b.metres} for b in plist.edge_bands],
        "totals": {"parts": len(plist.parts), "panel_volume_mm3": plist.panel_volume_mm3,
                   "sheets": {m.material: m.sheet_count for m in result.materials},
                   "stock_sheets": {m.material: m.stock_sheets for m in result.materials}},
        "nesting": result.to_dict(),
        "quote": quote.to_dict(),
        "findings": [f.to_dict() for f in findings],
        "files": files,
    }
