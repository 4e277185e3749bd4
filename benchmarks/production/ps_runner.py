"""Run packingsolver on jobs read from stdin (JSON), for ``benchmarks.production.run``.

Runs under a separate Python ≥ 3.12 (packingsolver's wheels need it; the project stays on 3.11), so
it imports nothing from the project.  Input: a JSON list of ``{"name", "solver": "rectangle" |
"rectangleguillotine", "bin": [w, h], "items": [[w, h], ...], "time_limit"}``; items are never
rotated (the instances are the oriented variants).  Output: one JSON list of ``{"name", "bins",
"bound", "seconds"}`` on stdout.
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter


def run(job: dict) -> dict:
    if job["solver"] == "rectangle":
        import packingsolver.rectangle as mod
    else:
        import packingsolver.rectangleguillotine as mod
    ib = mod.InstanceBuilder()
    ib.set_objective(mod.Objective.BinPacking)
    if job["solver"] == "rectangleguillotine":
        ib.set_number_of_stages(3)
        ib.set_cut_type(mod.CutType.NonExact)
    w, h = job["bin"]
    ib.add_bin_type(int(w), int(h), copies=len(job["items"]))
    for (iw, ih), n in sorted(Counter(tuple(i) for i in job["items"]).items()):
        ib.add_item_type(int(iw), int(ih), oriented=True, copies=n)
    instance = ib.build()
    params = mod.OptimizeParameters()
    params.time_limit = float(job["time_limit"])
    params.verbosity_level = 0
    t0 = time.perf_counter()
    out = mod.optimize(instance, params)
    seconds = time.perf_counter() - t0
    sol = out.solution
    bins = sol.number_of_bins() if callable(sol.number_of_bins) else sol.number_of_bins
    full = sol.number_of_items() if callable(sol.number_of_items) else sol.number_of_items
    return {"name": job["name"], "solver": job["solver"], "bins": int(bins) if full == len(job["items"]) else None,
            "bound": int(out.bin_packing_bound), "seconds": seconds}


if __name__ == "__main__":
    jobs = json.load(sys.stdin)
    json.dump([run(j) for j in jobs], sys.stdout)
