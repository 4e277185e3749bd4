"""What one request of each hot path costs, in-process: SQL statements and CPU milliseconds (issue #16).

    .venv/bin/python -m benchmarks.hotpaths.run [--n 200] [--pg postgresql+psycopg://postgres@127.0.0.1:5432/rw_hot]
        [--calls]

Unlike the load benchmark this does not measure latency under load, so it tells something on a busy
machine too: CPU time is the process's own (``time.process_time``, all its threads: the app and
Starlette's TestClient driving it, no network socket) and the statements are counted with an engine
event (BEGIN/COMMIT not counted). Hot paths, on the soak's ~20 KB apartment and a designer working
every day 08-20:

    load   GET  /api/designs/{id}
    save   PUT  /api/designs/{id}                 (a new revision each time)
    quote  GET  /api/designs/{id}/quote
    slots  GET  /api/designers/{d}/slots          (a week of online consultations)
    book   POST /api/bookings                     (the next free slot each time)

``client`` is the same TestClient calling ``GET /api/health`` (one statement): the part of each CPU
figure that is the harness, not the request. CPU time on a machine that other work keeps busy still
varies (caches, the scheduler); ``--calls`` also counts the Python and C function calls one request makes
in all threads (a profile hook on every thread, 20 requests after the timed ones): the same on any
machine, so what a change saves shows even on a loaded one. A table on stdout and
benchmarks/results/hotpaths.json (``--pg``: the database is dropped and created anew).
"""

from __future__ import annotations

import argparse
import itertools
import json
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from datetime import time as daytime
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import event

from backend.db import booking_tables as bt
from backend.db import tables
from backend.db.migrate import upgrade
from backend.main import create_app
from backend.services import accounts, passwords
from backend.settings import Settings
from benchmarks.api.run import apartment
from benchmarks.booking.run import fresh_postgres

RESULTS = Path(__file__).resolve().parents[1] / "results" / "hotpaths.json"
PASSWORD = "hot paths password"


def seed(app: FastAPI) -> tuple[str, str]:
    """(homeowner e-mail, designer id)."""
    with app.state.sessionmaker() as db:
        store = tables.Store(name="Hot store", timezone="Asia/Shanghai")
        db.add(store)
        db.flush()
        designer = accounts.create_user(db, "designer@hot.example", PASSWORD, "designer", "D", store.id)
        db.add(bt.DesignerProfile(user_id=designer.id, services=["online_consultation"]))
        for weekday in range(7):
            db.add(bt.WorkingHours(resource_id=designer.id, weekday=weekday, start_time=daytime(8),
                                   end_time=daytime(20)))
        accounts.create_user(db, "user@hot.example", PASSWORD, "homeowner", "U")
        db.commit()
        return "user@hot.example", designer.id


class Paths:
    """One callable per hot path, each making one request and checking its answer."""

    def __init__(self, client: TestClient, email: str, designer: str) -> None:
        self.client, self.designer = client, designer
        token = client.post("/api/auth/login", json={"email": email, "password": PASSWORD}).json()["token"]
        self.headers = {"Authorization": f"Bearer {token}"}
        self.document = apartment("Hot apartment")
        created = client.post("/api/designs", json={"document": self.document}, headers=self.headers).json()
        self.url, self.revision, self.n = f"/api/designs/{created['id']}", created["revision"], 0
        self.free: list[str] = []
        self.slots_from = datetime.now(UTC) + timedelta(days=1)

    def check(self, response: httpx.Response, status: int = 200) -> httpx.Response:
        assert response.status_code == status, (response.status_code, response.text[:500])
        return response

    def client_only(self) -> None:
        self.check(self.client.get("/api/health"))

    def load(self) -> None:
        self.check(self.client.get(self.url, headers=self.headers))

    def save(self) -> None:
        self.n += 1
        self.document["name"] = f"Hot apartment v{self.n}"
        body = {"base_revision": self.revision, "document": self.document}
        self.revision = self.check(self.client.put(self.url, json=body, headers=self.headers)).json()["revision"]

    def quote(self) -> None:
        self.check(self.client.get(f"{self.url}/quote", headers=self.headers))

    def slots(self) -> list[str]:
        answer = self.check(self.client.get(f"/api/designers/{self.designer}/slots", headers=self.headers, params={
            "service": "online_consultation", "from": self.slots_from.isoformat()})).json()["slots"]
        return [s["start"] for s in answer]

    def next_free(self) -> None:
        """Before each booking (not measured): the free slots from now on, as the soak's users ask."""
        self.free = self.slots()
        while not self.free:
            self.slots_from += timedelta(days=7)
            self.free = self.slots()

    def book(self) -> None:
        self.check(self.client.post("/api/bookings", headers=self.headers, json={
            "designer_id": self.designer, "service": "online_consultation", "start": self.free[0]}), 201)

    def by_name(self) -> dict[str, tuple[Callable[[], Any], Callable[[], Any]]]:
        """name -> (preparation, not measured; the request)."""
        nothing: Callable[[], None] = lambda: None  # noqa: E731
        return {"client": (nothing, self.client_only), "load": (nothing, self.load), "save": (nothing, self.save),
                "quote": (nothing, self.quote), "slots": (nothing, self.slots), "book": (self.next_free, self.book)}


class CallCounter:
    """Counts function calls (Python and C) in every thread started after it is installed, while on."""

    def __init__(self) -> None:
        self.on = False
        self.counter = itertools.count()

    def __call__(self, _frame: object, event: str, _arg: object) -> None:
        if self.on and (event == "call" or event == "c_call"):
            next(self.counter)

    def install(self) -> None:
        threading.setprofile(self)
        sys.setprofile(self)

    def remove(self) -> None:
        threading.setprofile(None)
        sys.setprofile(None)

    def count(self, call: Callable[[], Any]) -> int:
        first = next(self.counter)
        self.on = True
        try:
            call()
        finally:
            self.on = False
        return next(self.counter) - first - 1


def measure(app: FastAPI, n: int, calls: bool) -> dict[str, dict[str, float]]:
    email, designer = seed(app)
    seen: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        seen.append(statement)

    counter = CallCounter()
    if calls:
        counter.install()  # before the TestClient starts its threads (and the app its worker threads)
    results: dict[str, dict[str, float]] = {}
    try:
        with TestClient(app) as client:
            paths = Paths(client, email, designer)
            event.listen(app.state.engine, "before_cursor_execute", record)
            for name, (prepare, call) in paths.by_name().items():
                for _ in range(5):  # warm: caches, pools, first-call imports
                    prepare()
                    call()
                walls, cpus, counts = [], [], []
                for _ in range(n):
                    prepare()
                    seen.clear()
                    wall, cpu = time.perf_counter(), time.process_time()
                    call()
                    cpus.append((time.process_time() - cpu) * 1000)
                    walls.append((time.perf_counter() - wall) * 1000)
                    counts.append(len([s for s in seen if s.split(None, 1)[0].upper() not in ("BEGIN", "COMMIT")]))
                results[name] = {"statements": statistics.median(counts), "statements_max": max(counts),
                                 "cpu_ms_median": round(statistics.median(cpus), 2),
                                 "cpu_ms_mean": round(statistics.fmean(cpus), 2),
                                 "wall_ms_median": round(statistics.median(walls), 2)}
                if calls:
                    made = []
                    for _ in range(20):
                        prepare()
                        made.append(counter.count(call))
                    results[name]["calls"] = statistics.median(made)
            event.remove(app.state.engine, "before_cursor_execute", record)
    finally:
        counter.remove()
    return results


def run(url: str, n: int, calls: bool, var: Path) -> dict[str, dict[str, float]]:
    upgrade(url)
    app = create_app(Settings(database_url=url, var_dir=var, upload_dir=var / "uploads", secret_key="hot",
                              renderer="off"))
    try:
        return measure(app, n, calls)
    finally:
        app.state.engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=200, help="requests per hot path")
    parser.add_argument("--pg", default=None, help="a PostgreSQL server URL; also run there")
    parser.add_argument("--pg-database", default="rw_hotpaths", help="dropped and created anew on the --pg server")
    parser.add_argument("--calls", action="store_true", help="also count the function calls per request")
    args = parser.parse_args(argv)
    passwords.use_parameters(time_cost=1, memory_cost_kib=256, parallelism=1)
    results: dict[str, dict[str, dict[str, float]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        results["sqlite"] = run(f"sqlite:///{tmp}/hot.db", args.n, args.calls, Path(tmp))
        if args.pg:
            results["postgresql"] = run(fresh_postgres(args.pg, args.pg_database), args.n, args.calls, Path(tmp))
    print("| backend | path | statements | function calls | CPU ms/request (median) | CPU ms (mean) | "
          "wall ms (median) |")
    print("|---|---|---|---|---|---|---|")
    for backend, paths in results.items():
        for name, r in paths.items():
            print(f"| {backend} | {name} | {r['statements']:g} | {r.get('calls', '')} | {r['cpu_ms_median']} | "
                  f"{r['cpu_ms_mean']} | "
                  f"{r['wall_ms_median']} |")
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
