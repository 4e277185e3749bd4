"""Blocking findings that auto-fill's top alternative adds on real traced plans (see ``realplans``).

:func:`requests` picks, for each room of at least 4 m² (the four largest of a plan), its longest wall
and, where its two longest walls meet at a corner, that L. :func:`measure` runs auto-fill on each and
counts the errors that the top alternative adds. It uses only ``autofill(design, catalog, wall_ids)``
and ``validate`` when ``with_room`` is false, so the same requests can be measured against an older
checkout (the "before" figure).
"""

from __future__ import annotations

import time
from collections import Counter
from typing import Any

from backend.configurator.catalog import Catalog
from backend.configurator.commands import apply
from backend.configurator.validation import validate
from backend.design.model import Design


def requests(designs: list[Design]) -> list[dict[str, Any]]:
    from backend.configurator.autofill import _room_runs, room_walls

    out: list[dict[str, Any]] = []
    for d in designs:
        rooms = sorted((r for r in d.plan.rooms if r.area_m2 >= 4.0), key=lambda r: -r.area_m2)[:4]
        walls = {w.id: w for w in d.plan.walls}
        for room in rooms:
            found = room_walls(d, room)
            if not found:
                continue
            out.append({"plan": d.name, "room_id": room.id, "wall_ids": found[:1]})
            if len(found) >= 2:
                pair = found[:2]
                runs = _room_runs(d, [walls[w] for w in pair], room)
                if len(runs) == 2 and runs[0].corner_unit is not None:
                    out.append({"plan": d.name, "room_id": room.id, "wall_ids": pair})
    return out


def measure(designs: list[Design], catalog: Catalog, reqs: list[dict[str, Any]] | None = None,
            with_room: bool = True) -> dict[str, Any]:
    from backend.bom.pricing import price_cabinets
    from backend.configurator import autofill as af

    by_name = {d.name: d for d in designs}
    reqs = reqs if reqs is not None else requests(designs)
    added_total, none, rules, base_mm = 0, 0, Counter[str](), 0.0
    worst: list[tuple[int, str]] = []
    start = time.perf_counter()
    for req in reqs:
        d = by_name[req["plan"]]
        before = sum(1 for f in validate(d, catalog) if f.severity == "error")
        def price(cabinets: Any, design: Design = d) -> int:
            return price_cabinets(cabinets, catalog, design.settings)

        if with_room:
            alts = af.fill(d, catalog, req["wall_ids"], price=price, room_id=req["room_id"]).alternatives
        else:
            alts = af.autofill(d, catalog, req["wall_ids"], price=price)
        if not alts:
            none += 1
            continue
        after_doc = apply(d, alts[0].command)[0]
        base_mm += sum(c.width_mm for c in alts[0].cabinets if c.elevation_mm < 900)
        errors = [f for f in validate(after_doc, catalog) if f.severity == "error"]
        added = len(errors) - before
        added_total += max(added, 0)
        rules.update(f.rule for f in errors)
        worst.append((added, f"{req['plan']}:{req['room_id']}:{'+'.join(req['wall_ids'])}"))
    return {"requests": len(reqs), "walls": sum(len(r["wall_ids"]) for r in reqs),
            "blocking_added_by_top_alternative": added_total,
            "requests_with_blocking_added": sum(1 for a, _ in worst if a > 0),
            "requests_without_alternative": none,
            "base_units_m_in_top_alternatives": round(base_mm / 1000, 1), "errors_by_rule": dict(rules),
            "worst": sorted(worst, reverse=True)[:5], "seconds": round(time.perf_counter() - start, 1)}
