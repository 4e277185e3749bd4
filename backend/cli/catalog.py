"""``roomwright catalog [--json]`` and ``roomwright parts DESIGN.json [--json]``: the catalog's families and
a design's parts list, without the server.

``catalog`` lists every family with the room it belongs to (kitchen, wardrobe, living, hall, study,
bathroom, bedroom), how it stands (base, wall, tall…), its size limits and defaults, its options and its
name in English and Chinese.  ``parts`` prints what the factory would cut for a design (every part with
its finished and cut size, material, edge bands and machining count), the hardware and the price (the
one quote rule).  Exit codes: 0 done, 2 bad input (the field at fault is named).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from backend.errors import DomainError


def register(subparsers: Any) -> None:
    cat = subparsers.add_parser("catalog", help="list every cabinet family with its room, limits and defaults",
                                description=__doc__.splitlines()[0] if __doc__ else None)
    cat.add_argument("--json", action="store_true", help="print JSON instead of a table")
    cat.add_argument("--room", default=None, help="only the families of this room (kitchen, wardrobe, …)")
    cat.add_argument("--catalog", type=Path, default=None, help="catalog folder (default: assets/models/catalog)")
    cat.set_defaults(handler=run_catalog)
    parts = subparsers.add_parser("parts", help="print the parts list (what the factory would cut) of a design")
    parts.add_argument("design", type=Path, help="design document (JSON, see docs/design-format.md)")
    parts.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parts.add_argument("--catalog", type=Path, default=None, help="catalog folder (default: assets/models/catalog)")
    parts.set_defaults(handler=run_parts)


def family_rows(catalog: Any, room: str | None = None) -> list[dict[str, Any]]:
    """Every family as plain data, with its English and Chinese names."""
    from backend.i18n import gettext_for

    zh = gettext_for("zh_Hans").gettext
    rows = []
    for fam in catalog.families.values():
        if room is not None and fam.room != room:
            continue
        rows.append({
            "code": fam.code, "category": fam.room, "kind": fam.category, "body": fam.body,
            "name": {"en": fam.name, "zh": zh(fam.name)},
            "width": fam.width.model_dump(), "height": fam.height.model_dump(), "depth": fam.depth.model_dump(),
            "elevation_mm": fam.elevation_mm,
            "options": {name: spec.model_dump(exclude_none=True) for name, spec in fam.options.items()},
            "interior": fam.recipe.interior.model_dump(exclude_defaults=True) if fam.recipe.interior else None,
        })
    return rows


def _range(r: dict[str, float]) -> str:
    return f"{r['min']:g}–{r['max']:g} ({r['default']:g})"


def run_catalog(args: argparse.Namespace) -> int:
    from backend.configurator.catalog import ROOM_CATEGORIES, load_catalog

    if args.room is not None and args.room not in ROOM_CATEGORIES:
        print(f"error: --room must be one of {', '.join(ROOM_CATEGORIES)}")
        return 2
    catalog = load_catalog(args.catalog)
    rows = family_rows(catalog, args.room)
    if args.json:
        print(json.dumps({"version": catalog.version, "families": rows}, ensure_ascii=False, indent=1))
        return 0
    print(f"{'family':28} {'category':9} {'kind':7} {'width mm':18} {'height mm':18} {'depth mm':16} name")
    for r in rows:
        print(f"{r['code']:28} {r['category']:9} {r['kind']:7} {_range(r['width']):18} {_range(r['height']):18} "
              f"{_range(r['depth']):16} {r['name']['en']} / {r['name']['zh']}")
    print(f"{len(rows)} families, catalog {catalog.version}")
    return 0


def parts_document(design: Any, catalog: Any) -> dict[str, Any]:
    """The parts list, hardware, edge bands and quote of a design as plain data."""
    from backend.bom.parts import parts_list
    from backend.bom.pricing import quote

    plist = parts_list(design, catalog)
    q = quote(design, catalog)  # the one price rule
    return {
        "parts": [{"id": p.id, "cabinet_id": p.cabinet_id, "name": p.name, "role": p.role, "material": p.material,
                   "thickness_mm": p.thickness_mm, "length_mm": p.length_mm, "width_mm": p.width_mm,
                   "cut_length_mm": p.cut_length_mm, "cut_width_mm": p.cut_width_mm, "grain": p.grain,
                   "edges": {"L1": p.edges.l1, "L2": p.edges.l2, "W1": p.edges.w1, "W2": p.edges.w2},
                   "ops": len(p.ops)} for p in plist.parts],
        "hardware": [{"code": h.code, "article": h.article, "name": h.name, "quantity": h.quantity,
                      "unit_price_cents": h.unit_price_cents, "total_cents": h.total_cents} for h in plist.hardware],
        "edge_bands": [{"code": e.code, "metres": e.metres, "total_cents": e.total_cents} for e in plist.edge_bands],
        "quote": {"currency": q.currency, "subtotals": q.subtotals, "net_cents": q.net_cents,
                  "total_cents": q.total_cents},
    }


def run_parts(args: argparse.Namespace) -> int:
    from backend.configurator.catalog import load_catalog
    from backend.design.model import Design

    try:
        design = Design.model_validate(json.loads(args.design.read_text(encoding="utf-8")))
    except (OSError, ValueError, ValidationError) as exc:
        print(f"error: {args.design}: {exc}")
        return 2
    catalog = load_catalog(args.catalog)
    try:
        doc = parts_document(design, catalog)
    except DomainError as exc:  # its text names the field at fault
        print(f"error: {exc}")
        return 2
    if args.json:
        print(json.dumps(doc, ensure_ascii=False, indent=1))
        return 0
    print(f"{'part':34} {'material':18} {'finished L×W×T mm':22} {'cut L×W mm':16} edges     ops  name")
    for p in doc["parts"]:
        bands = "".join("■" if p["edges"][e] else "·" for e in ("L1", "L2", "W1", "W2"))
        finished = f"{p['length_mm']:g}×{p['width_mm']:g}×{p['thickness_mm']:g}"
        cut = f"{p['cut_length_mm']:g}×{p['cut_width_mm']:g}"
        print(f"{p['id']:34} {p['material']:18} {finished:22} {cut:16} {bands:9} {p['ops']:4} {p['name']}")
    print(f"\n{'hardware':44} qty")
    for h in doc["hardware"]:
        print(f"{h['name'][:44]:44} {h['quantity']}")
    q = doc["quote"]
    print(f"\n{len(doc['parts'])} parts; total {q['total_cents'] / 100:.2f} {q['currency']} "
          f"({', '.join(f'{k} {v / 100:.2f}' for k, v in q['subtotals'].items())})")
    return 0
