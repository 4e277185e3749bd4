"""Soak: N simulated homeowners against a real server on SQLite and on PostgreSQL.

    .venv/bin/python -m benchmarks soak --users 50 --seconds 600 [--think-ms 500] [--backend both]
                                        [--pg postgresql+psycopg://postgres@127.0.0.1:5432/rw_soak]

Each backend gets a fresh database and a real ``roomwright serve`` (uvicorn, one process, as in
production) on a free loopback port; the load comes from this process over HTTP (httpx, asyncio). Each
user logs in, creates a design (an apartment of 8 rooms, 20 cabinets, ~20 KB of JSON), then until the
time is up repeats the homeowner mix, waiting a think time between steps (``--think-ms``, uniform
between half and one and a half of it; 0 is a closed loop with no pause):

    load   30 %  GET  /api/designs/{id}
    save   25 %  PUT  /api/designs/{id}            (a new revision on the latest one)
    quote  20 %  GET  /api/designs/{id}/quote
    upload 10 %  POST /api/uploads                 (a 400×300 photo-like PNG, ~360 KB)
    book   15 %  GET  /api/designers/{d}/slots, then POST /api/bookings on the first free slot

Every user has its own designer (working every day 08–20), so a booking never races another user's;
any answer other than the expected status, and any timeout or connection failure, is an error.
Reported per backend and per step: requests, throughput, p50/p95/p99 latency and errors; a table on
stdout and ``benchmarks/results/soak.json``. Bounded: at most 500 users and 3600 s, loopback only.
The PostgreSQL URL comes from ``--pg``, else ROOMWRIGHT_BENCH_POSTGRES_URL or
ROOMWRIGHT_TEST_POSTGRES_URL; its database (``rw_soak`` by default) is dropped and created anew.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import platform
import random
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from datetime import time as daytime
from pathlib import Path
from typing import Any

import httpx
from PIL import Image

from backend.db import booking_tables as bt
from backend.db import tables
from backend.db.engine import make_engine, make_sessionmaker
from backend.db.migrate import upgrade
from benchmarks.api.run import apartment, percentile
from benchmarks.booking.run import fresh_postgres

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "benchmarks" / "results" / "soak.json"
PASSWORD = "soak password 1"
MIX = {"load": 30, "save": 25, "quote": 20, "upload": 10, "book": 15}
EXPECTED = {"load": 200, "save": 200, "quote": 200, "upload": 201, "slots": 200, "book": 201}
MAX_USERS, MAX_SECONDS = 500, 3600
HORIZON_DAYS = 55  # the booking horizon is 60 days


@dataclass
class Sample:
    step: str
    ms: float
    ok: bool


@dataclass
class Run:
    samples: list[Sample] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    skipped_bookings: int = 0

    def add(self, step: str, started: float, response: httpx.Response | None, problem: str = "") -> bool:
        ms = (time.perf_counter() - started) * 1000
        ok = response is not None and response.status_code == EXPECTED[step]
        self.samples.append(Sample(step, ms, ok))
        if not ok:
            what = problem or (f"{response.status_code} {response.text[:200]}" if response is not None else "?")
            self.errors.append(f"{step}: {what}")
        return ok


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def photos(count: int) -> list[bytes]:
    rng = random.Random(7)
    out = []
    for _ in range(count):
        buffer = io.BytesIO()
        Image.frombytes("RGB", (400, 300), rng.randbytes(400 * 300 * 3)).save(buffer, "PNG")
        out.append(buffer.getvalue())
    return out


def seed(url: str, users: int) -> list[tuple[str, str]]:
    """(homeowner e-mail, their designer's id) for each user; cheap argon2 parameters (stored in each
    hash, so the server verifies cheaply too): logging in is not what is measured."""
    from backend.services import accounts, passwords

    passwords.use_parameters(time_cost=1, memory_cost_kib=256, parallelism=1)
    upgrade(url)
    engine = make_engine(url)
    out = []
    with make_sessionmaker(engine)() as db:
        store = tables.Store(name="Soak store", timezone="Asia/Shanghai")
        db.add(store)
        db.flush()
        for i in range(users):
            designer = accounts.create_user(db, f"designer{i}@soak.example", PASSWORD, "designer", f"D{i}", store.id)
            db.add(bt.DesignerProfile(user_id=designer.id, services=["online_consultation"]))
            for weekday in range(7):
                db.add(bt.WorkingHours(resource_id=designer.id, weekday=weekday, start_time=daytime(8),
                                       end_time=daytime(20)))
            accounts.create_user(db, f"user{i}@soak.example", PASSWORD, "homeowner", f"U{i}")
            out.append((f"user{i}@soak.example", designer.id))
        db.commit()
    engine.dispose()
    return out


class Server:
    """``roomwright serve`` on a free loopback port, stopped on exit."""

    def __init__(self, db_url: str, var: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "ROOMWRIGHT_DATABASE_URL": db_url, "ROOMWRIGHT_VAR_DIR": str(var),
               "ROOMWRIGHT_SECRET_KEY": "soak-secret"}
        env.pop("ROOMWRIGHT_TRUSTED_PROXIES", None)
        self.log_path = var / "server.log"
        self._log = self.log_path.open("w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "backend.cli", "serve", "--host", "127.0.0.1", "--port", str(self.port)],
            env=env, cwd=ROOT, stdout=self._log, stderr=subprocess.STDOUT)

    def __enter__(self) -> Server:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and self.proc.poll() is None:
            try:
                if httpx.get(f"{self.url}/api/health", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.2)
        self.__exit__()
        raise SystemExit(f"the server did not start:\n{self.log_path.read_text()[-3000:]}")

    def __exit__(self, *_exc: object) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._log.close()


@dataclass
class User:
    index: int
    designer: str
    headers: dict[str, str]
    design_id: str
    revision: int
    document: dict[str, Any]


async def prepare(client: httpx.AsyncClient, index: int, email: str, designer: str) -> User:
    """Log in and create the user's design (not measured)."""
    response = await client.post("/api/auth/login", json={"email": email, "password": PASSWORD})
    response.raise_for_status()
    headers = {"Authorization": f"Bearer {response.json()['token']}"}
    document = apartment(f"Soak apartment {index}")
    created = await client.post("/api/designs", json={"document": document}, headers=headers)
    created.raise_for_status()
    return User(index, designer, headers, created.json()["id"], created.json()["revision"], document)


async def mix(client: httpx.AsyncClient, u: User, deadline: float, think_s: float, images: list[bytes],
              run: Run) -> None:
    rng = random.Random(u.index)
    slots_from = datetime.now(UTC) + timedelta(days=1)
    steps, weights = list(MIX), list(MIX.values())
    n = 0
    while time.monotonic() < deadline:
        if think_s:
            await asyncio.sleep(rng.uniform(0.5, 1.5) * think_s)
            if time.monotonic() >= deadline:
                break
        step = rng.choices(steps, weights)[0]
        n += 1
        started = time.perf_counter()
        try:
            if step == "load":
                response = await client.get(f"/api/designs/{u.design_id}", headers=u.headers)
                if run.add(step, started, response):
                    u.revision = response.json()["revision"]
            elif step == "save":
                u.document["name"] = f"Soak apartment {u.index} v{n}"
                response = await client.put(f"/api/designs/{u.design_id}", headers=u.headers,
                                            json={"base_revision": u.revision, "document": u.document})
                if run.add(step, started, response):
                    u.revision = response.json()["revision"]
            elif step == "quote":
                run.add(step, started, await client.get(f"/api/designs/{u.design_id}/quote", headers=u.headers))
            elif step == "upload":
                image = images[(u.index * 7 + n) % len(images)]
                run.add(step, started, await client.post(
                    "/api/uploads", headers=u.headers, files={"file": (f"photo{n}.png", image, "image/png")}))
            else:
                if slots_from > datetime.now(UTC) + timedelta(days=HORIZON_DAYS):
                    run.skipped_bookings += 1
                    continue
                step = "slots"
                response = await client.get(
                    f"/api/designers/{u.designer}/slots", headers=u.headers,
                    params={"service": "online_consultation", "from": slots_from.isoformat()})
                if not run.add(step, started, response):
                    continue
                free = response.json()["slots"]
                if not free:
                    slots_from += timedelta(days=7)
                    continue
                step, started = "book", time.perf_counter()
                run.add(step, started, await client.post("/api/bookings", headers=u.headers, json={
                    "designer_id": u.designer, "service": "online_consultation", "start": free[0]["start"]}))
        except httpx.HTTPError as exc:
            run.add(step, started, None, f"{type(exc).__name__}: {exc}")


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process so far (Linux), to tell a saturated server from a slow one."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


async def drive(url: str, accounts_: list[tuple[str, str]], seconds: float, think_s: float,
                timeout: float, pid: int) -> tuple[Run, float, float | None]:
    images = photos(32)
    run = Run()
    # idle connections are dropped before uvicorn's 5 s keep-alive timeout closes them under a request
    limits = httpx.Limits(max_connections=len(accounts_) + 5, max_keepalive_connections=len(accounts_) + 5,
                          keepalive_expiry=3)
    async with httpx.AsyncClient(base_url=url, timeout=timeout, limits=limits) as client:
        users = [await prepare(client, i, email, designer) for i, (email, designer) in enumerate(accounts_)]
        started, cpu_before = time.monotonic(), cpu_seconds(pid)
        await asyncio.gather(*(mix(client, u, started + seconds, think_s, images, run) for u in users))
        elapsed, cpu_after = time.monotonic() - started, cpu_seconds(pid)
    busy = None if cpu_before is None or cpu_after is None else (cpu_after - cpu_before) / elapsed
    return run, elapsed, busy


def figures(run: Run, elapsed: float) -> dict[str, Any]:
    def stats(samples: list[Sample]) -> dict[str, float]:
        ms = [s.ms for s in samples] or [0.0]
        return {"requests": len(samples), "per_second": round(len(samples) / elapsed, 1),
                "p50_ms": round(percentile(ms, 0.50), 1), "p95_ms": round(percentile(ms, 0.95), 1),
                "p99_ms": round(percentile(ms, 0.99), 1), "max_ms": round(max(ms), 1),
                "errors": sum(1 for s in samples if not s.ok)}

    by_step = {step: stats([s for s in run.samples if s.step == step]) for step in EXPECTED}
    return {"seconds": round(elapsed, 1), "all": stats(run.samples), "steps": by_step,
            "skipped_bookings": run.skipped_bookings,
            "error_kinds": dict(Counter(e[:60] for e in run.errors).most_common(10)),
            "error_samples": run.errors[:5]}


def soak(name: str, db_url: str, args: argparse.Namespace) -> dict[str, Any]:
    print(f"{name}: seeding {args.users} users", flush=True)
    accounts_ = seed(db_url, args.users)
    with tempfile.TemporaryDirectory() as tmp, Server(db_url, Path(tmp)) as server:
        print(f"{name}: {args.users} users for {args.seconds} s against {server.url}", flush=True)
        load_before = os.getloadavg()[0]
        run, elapsed, busy = asyncio.run(drive(server.url, accounts_, args.seconds, args.think_ms / 1000,
                                               args.timeout, server.proc.pid))
    return {"backend": name, "users": args.users, "think_ms": args.think_ms, **figures(run, elapsed),
            "server_cpu_cores_used": None if busy is None else round(busy, 2),
            "server_cpu_ms_per_request": None if busy is None or not run.samples
            else round(busy * elapsed * 1000 / len(run.samples), 1),
            "machine_load_average": [round(load_before, 1), round(os.getloadavg()[0], 1)]}


def table(results: list[dict[str, Any]]) -> str:
    lines = ["| backend | step | requests | req/s | p50 ms | p95 ms | p99 ms | max ms | errors |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        for step, s in [("all", r["all"]), *r["steps"].items()]:
            lines.append(f"| {r['backend']} | {step} | {s['requests']} | {s['per_second']} | {s['p50_ms']} | "
                         f"{s['p95_ms']} | {s['p99_ms']} | {s['max_ms']} | {s['errors']} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--think-ms", type=float, default=500, help="mean pause between a user's steps")
    parser.add_argument("--timeout", type=float, default=30, help="a request slower than this is an error")
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--pg", default=os.environ.get("ROOMWRIGHT_BENCH_POSTGRES_URL")
                        or os.environ.get("ROOMWRIGHT_TEST_POSTGRES_URL"))
    parser.add_argument("--pg-database", default="rw_soak", help="dropped and created anew on the --pg server")
    args = parser.parse_args(argv)
    if not 1 <= args.users <= MAX_USERS or not 0 < args.seconds <= MAX_SECONDS:
        parser.error(f"--users must be 1..{MAX_USERS} and --seconds 1..{MAX_SECONDS}")
    results = []
    if args.backend in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as tmp:
            results.append(soak("sqlite", f"sqlite:///{tmp}/soak.db", args))
    if args.backend in ("postgresql", "both"):
        if not args.pg:
            if args.backend == "postgresql":
                parser.error("PostgreSQL needs --pg or ROOMWRIGHT_BENCH_POSTGRES_URL")
            print("PostgreSQL skipped: no --pg or ROOMWRIGHT_BENCH_POSTGRES_URL")
        else:
            results.append(soak("postgresql", fresh_postgres(args.pg, args.pg_database), args))
    print(table(results))
    for r in results:
        print(f"{r['backend']}: server used {r['server_cpu_cores_used']} cores, {r['server_cpu_ms_per_request']} ms "
              f"CPU per request; machine load average {r['machine_load_average']} on {os.cpu_count()} CPUs; "
              f"{r['skipped_bookings']} bookings skipped (horizon full)")
    for r in results:
        if r["error_samples"]:
            print(f"{r['backend']} errors: {r['error_kinds']}\n  " + "\n  ".join(r["error_samples"]))
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps({"machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
                                   "results": results}, indent=2))
    return 1 if any(r["all"]["errors"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
