"""Design save and load latency through the JSON API, on SQLite and (when given) PostgreSQL.

    python -m benchmarks.api.run [--n 200] [--pg postgresql+psycopg://postgres@127.0.0.1:5432/roomwright_bench]

The app runs in-process (Starlette's TestClient: the full middleware, routing, validation,
serialization and database path, no network socket). The design is an apartment of 8 rooms
with 32 walls, 12 openings and 20 cabinets (about 20 KB of JSON).
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from backend.db.migrate import upgrade
from backend.main import create_app
from backend.services import accounts, passwords
from backend.settings import Settings

RESULTS = Path(__file__).resolve().parents[1] / "results"


def apartment(name: str = "Bench apartment") -> dict[str, Any]:
    walls, rooms = [], []
    for r in range(8):
        x0, y0 = (r % 4) * 4000, (r // 4) * 3500
        corners = [(x0, y0), (x0 + 4000, y0), (x0 + 4000, y0 + 3500), (x0, y0 + 3500)]
        for i in range(4):
            (ax, ay), (bx, by) = corners[i], corners[(i + 1) % 4]
            openings = []
            if i == 0 and r < 6:
                openings.append({"kind": "window", "id": f"win-{r}", "offset_mm": 1200, "width_mm": 1200})
            if i == 2 and r < 6:
                openings.append({"kind": "door", "id": f"door-{r}", "offset_mm": 300, "width_mm": 900})
            walls.append({"id": f"wall-{r}-{i}", "start": {"x": ax, "y": ay}, "end": {"x": bx, "y": by},
                          "thickness_mm": 200, "openings": openings})
        rooms.append({"id": f"room-{r}", "name": f"Room {r}", "type": "kitchen" if r == 0 else "bedroom",
                      "polygon": [{"x": x, "y": y} for x, y in corners]})
    cabinets = [{"id": f"cab-{i}", "family": "base_2_doors", "width_mm": 600, "height_mm": 720, "depth_mm": 560,
                 "placement": {"kind": "wall", "wall_id": f"wall-{i // 6}-1", "offset_mm": (i % 6) * 580}}
                for i in range(20)]
    return {"schema_version": 1, "name": name, "plan": {"walls": walls, "rooms": rooms}, "cabinets": cabinets}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def measure(url: str, n: int, var_dir: Path) -> dict[str, float]:
    upgrade(url)
    app = create_app(Settings(database_url=url, var_dir=var_dir, secret_key="bench"))
    passwords.use_parameters(time_cost=1, memory_cost_kib=256)
    email = f"bench-{time.time_ns()}@example.com"
    with app.state.sessionmaker() as db:
        accounts.create_user(db, email, "bench password", "homeowner")
        db.commit()
    doc = apartment()
    size = len(json.dumps(doc))
    with TestClient(app) as client:
        token = client.post("/api/auth/login", json={"email": email, "password": "bench password"}).json()["token"]
        headers = {"Authorization": f"Bearer {token}"}
        design = client.post("/api/designs", json={"document": doc}, headers=headers).json()
        saves, loads = [], []
        revision = design["revision"]
        for i in range(n):
            doc["name"] = f"Bench apartment {i}"
            start = time.perf_counter()
            response = client.put(f"/api/designs/{design['id']}", json={"base_revision": revision, "document": doc},
                                  headers=headers)
            saves.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, response.text
            revision = response.json()["revision"]
            start = time.perf_counter()
            assert client.get(f"/api/designs/{design['id']}", headers=headers).status_code == 200
            loads.append((time.perf_counter() - start) * 1000)
    app.state.engine.dispose()
    return {"n": n, "document_bytes": size,
            "save_median_ms": statistics.median(saves), "save_p95_ms": percentile(saves, 0.95),
            "load_median_ms": statistics.median(loads), "load_p95_ms": percentile(loads, 0.95)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--pg", default=None, help="PostgreSQL URL of an empty database")
    args = parser.parse_args()
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        results["sqlite"] = measure(f"sqlite:///{tmp}/bench.db", args.n, Path(tmp))
        if args.pg:
            results["postgresql"] = measure(args.pg, args.n, Path(tmp))
    print("| backend | saves | doc KB | save median ms | save p95 ms | load median ms | load p95 ms |")
    print("|---|---|---|---|---|---|---|")
    for name, r in results.items():
        print(f"| {name} | {r['n']:.0f} | {r['document_bytes'] / 1024:.1f} | {r['save_median_ms']:.1f} | "
              f"{r['save_p95_ms']:.1f} | {r['load_median_ms']:.1f} | {r['load_p95_ms']:.1f} |")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "api.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
