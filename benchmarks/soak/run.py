"""Soak: N simulated homeowners against a real server on SQLite and on PostgreSQL.

    .venv/bin/python -m benchmarks soak --users 50 --seconds 600 [--think-ms 500] [--backend both]
                                        [--pg postgresql+psycopg://postgres@127.0.0.1:5432/rw_soak]
                                        [--processes N] [--sqlite-processes N]

Each backend gets a fresh database and real app processes (``uvicorn backend.asgi:app``, one process
each, as ``roomwright serve`` runs it; ``--processes`` of them on PostgreSQL, ``--sqlite-processes`` on
SQLite, 1 by default) on consecutive free loopback ports, the requests spread over them round-robin;
the load comes from this process over HTTP (aiohttp, asyncio; ``--client httpx`` for the client the
figures before 2026-12-07 were measured with, which used about twice the CPU per request). Each
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
import gc
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

import aiohttp
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
SERVER_KEEPALIVE_S, CLIENT_KEEPALIVE_S = 30, 3


@dataclass
class Sample:
    step: str
    ms: float
    ok: bool
    at: float = 0.0  # when it was sent (time.perf_counter)


@dataclass
class Run:
    samples: list[Sample] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    skipped_bookings: int = 0

    def add(self, step: str, started: float, response: Answer | None, problem: str = "") -> bool:
        ms = (time.perf_counter() - started) * 1000
        ok = response is not None and response.status_code == EXPECTED[step]
        self.samples.append(Sample(step, ms, ok, started))
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


class Servers:
    """``processes`` app processes on consecutive free loopback ports, each the documented
    ``uvicorn backend.asgi:app --no-proxy-headers`` (one process each, as ``roomwright serve`` runs it), on
    one database and one secret key; stopped on exit. The load is spread over them round-robin request by
    request, as a load balancer would, so a session made on one process is used on the others."""

    def __init__(self, db_url: str, var: Path, processes: int = 1, env: dict[str, str] | None = None) -> None:
        self.ports = free_ports(processes)
        self.urls = [f"http://127.0.0.1:{port}" for port in self.ports]
        environ = {**os.environ, "ROOMWRIGHT_DATABASE_URL": db_url, "ROOMWRIGHT_VAR_DIR": str(var),
                   "ROOMWRIGHT_SECRET_KEY": "soak-secret", **(env or {})}
        environ.pop("ROOMWRIGHT_TRUSTED_PROXIES", None)
        self.log_path = var / "server.log"
        self._log = self.log_path.open("w")
        self.procs = [subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "backend.asgi:app", "--host", "127.0.0.1", "--port", str(port),
             "--no-proxy-headers", "--timeout-keep-alive", str(SERVER_KEEPALIVE_S)],
            env=environ, cwd=ROOT, stdout=self._log, stderr=subprocess.STDOUT)
            for port in self.ports]

    @property
    def pids(self) -> list[int]:
        return [proc.pid for proc in self.procs]

    def __enter__(self) -> Servers:
        deadline = time.monotonic() + 90
        waiting = list(self.urls)
        while waiting and time.monotonic() < deadline and all(p.poll() is None for p in self.procs):
            try:
                if httpx.get(f"{waiting[0]}/api/health", timeout=1).status_code == 200:
                    waiting.pop(0)
            except httpx.HTTPError:
                time.sleep(0.2)
        if waiting:
            self.__exit__()
            raise SystemExit(f"the server did not start:\n{self.log_path.read_text()[-3000:]}")
        return self

    def __exit__(self, *_exc: object) -> None:
        for proc in self.procs:
            proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        self._log.close()


def free_ports(count: int) -> list[int]:
    """``count`` consecutive loopback ports that are free now."""
    for _ in range(200):
        base = free_port()
        if base + count > 65535:
            continue
        socks = []
        try:
            for port in range(base, base + count):
                sock = socket.socket()
                sock.bind(("127.0.0.1", port))
                socks.append(sock)
        except OSError:
            continue
        finally:
            for sock in socks:
                sock.close()
        return list(range(base, base + count))
    raise SystemExit(f"no {count} consecutive free ports")


def request_threads(processes: int, connections: int) -> int:
    """Threads per app process (ROOMWRIGHT_REQUEST_THREADS, 40 by default) so that all processes together
    open at most ``connections`` PostgreSQL connections: each may open threads + 2 job threads + 4."""
    return max(4, min(40, connections // processes - 6))


@dataclass
class Answer:
    """An HTTP answer, read whole, whichever client fetched it."""

    status_code: int
    content: bytes

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", "replace")

    def json(self) -> Any:
        return json.loads(self.content)


Files = dict[str, tuple[str, bytes, str]]  # field -> (file name, bytes, content type)


class HttpxClient:
    """The load's requests to one app process through httpx (the client of the figures before 2026-12-07)."""

    def __init__(self, base_url: str, timeout: float, connections: int) -> None:
        # the client drops idle connections long before the server's keep-alive timeout closes them (as a load
        # balancer's upstream keep-alive must be shorter than the app's): else a request sent on a connection
        # the server is closing fails with a ReadError, as 3 in 42 000 did with uvicorn's 5 s against 3 s here
        # on a machine stalled for seconds by other work
        limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections,
                              keepalive_expiry=CLIENT_KEEPALIVE_S)
        self.client = httpx.AsyncClient(base_url=base_url, timeout=timeout, limits=limits)

    async def request(self, method: str, path: str, headers: dict[str, str] | None = None, json_body: Any = None,
                      params: dict[str, str] | None = None, files: Files | None = None) -> Answer:
        response = await self.client.request(method, path, headers=headers, json=json_body, params=params,
                                             files=files)
        return Answer(response.status_code, response.content)

    async def aclose(self) -> None:
        await self.client.aclose()


class AiohttpClient:
    """The same through aiohttp, the default: the load generator shares the machine's cores with the app
    processes and PostgreSQL, and aiohttp spends about half of httpx's CPU on a request (docs/scaling.md)."""

    def __init__(self, base_url: str, timeout: float, connections: int) -> None:
        connector = aiohttp.TCPConnector(limit=connections, keepalive_timeout=CLIENT_KEEPALIVE_S)  # see HttpxClient
        self.session = aiohttp.ClientSession(base_url=base_url, connector=connector,
                                             timeout=aiohttp.ClientTimeout(total=timeout))

    async def request(self, method: str, path: str, headers: dict[str, str] | None = None, json_body: Any = None,
                      params: dict[str, str] | None = None, files: Files | None = None) -> Answer:
        data = None
        if files:
            data = aiohttp.FormData()
            for field_name, (filename, content, content_type) in files.items():
                data.add_field(field_name, content, filename=filename, content_type=content_type)
        async with self.session.request(method, path, headers=headers, json=json_body, params=params,
                                        data=data) as response:
            return Answer(response.status, await response.read())

    async def aclose(self) -> None:
        await self.session.close()


Client = HttpxClient | AiohttpClient
CLIENTS: dict[str, type[HttpxClient] | type[AiohttpClient]] = {"aiohttp": AiohttpClient, "httpx": HttpxClient}
CLIENT_ERRORS = (httpx.HTTPError, aiohttp.ClientError, asyncio.TimeoutError)


class RoundRobin:
    """One HTTP client per app process; each call gives the next one."""

    def __init__(self, clients: list[Client]) -> None:
        self.clients, self.n = clients, 0

    def __call__(self) -> Client:
        self.n += 1
        return self.clients[self.n % len(self.clients)]


@dataclass
class User:
    index: int
    designer: str
    headers: dict[str, str]
    design_id: str
    revision: int
    document: dict[str, Any]


async def prepare(pool: RoundRobin, index: int, email: str, designer: str) -> User:
    """Log in and create the user's design (not measured)."""
    response = await pool().request("POST", "/api/auth/login", json_body={"email": email, "password": PASSWORD})
    if not 200 <= response.status_code < 300:
        raise SystemExit(f"login of {email}: {response.status_code} {response.text[:300]}")
    headers = {"Authorization": f"Bearer {response.json()['token']}"}
    document = apartment(f"Soak apartment {index}")
    created = await pool().request("POST", "/api/designs", json_body={"document": document}, headers=headers)
    if not 200 <= created.status_code < 300:
        raise SystemExit(f"design of {email}: {created.status_code} {created.text[:300]}")
    return User(index, designer, headers, created.json()["id"], created.json()["revision"], document)


async def mix(pool: RoundRobin, u: User, deadline: float, think_s: float, images: list[bytes],
              run: Run, weights_by_step: dict[str, int] = MIX) -> None:
    rng = random.Random(u.index)
    slots_from = datetime.now(UTC) + timedelta(days=1)
    steps, weights = list(weights_by_step), list(weights_by_step.values())
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
                response = await pool().request("GET", f"/api/designs/{u.design_id}", headers=u.headers)
                if run.add(step, started, response):
                    u.revision = response.json()["revision"]
            elif step == "save":
                u.document["name"] = f"Soak apartment {u.index} v{n}"
                response = await pool().request("PUT", f"/api/designs/{u.design_id}", headers=u.headers,
                                                json_body={"base_revision": u.revision, "document": u.document})
                if run.add(step, started, response):
                    u.revision = response.json()["revision"]
            elif step == "quote":
                run.add(step, started, await pool().request("GET", f"/api/designs/{u.design_id}/quote",
                                                            headers=u.headers))
            elif step == "upload":
                image = images[(u.index * 7 + n) % len(images)]
                run.add(step, started, await pool().request(
                    "POST", "/api/uploads", headers=u.headers, files={"file": (f"photo{n}.png", image, "image/png")}))
            else:
                if slots_from > datetime.now(UTC) + timedelta(days=HORIZON_DAYS):
                    run.skipped_bookings += 1
                    continue
                step = "slots"
                response = await pool().request(
                    "GET", f"/api/designers/{u.designer}/slots", headers=u.headers,
                    params={"service": "online_consultation", "from": slots_from.isoformat()})
                if not run.add(step, started, response):
                    continue
                free = response.json()["slots"]
                if not free:
                    slots_from += timedelta(days=7)
                    continue
                step, started = "book", time.perf_counter()
                run.add(step, started, await pool().request("POST", "/api/bookings", headers=u.headers, json_body={
                    "designer_id": u.designer, "service": "online_consultation", "start": free[0]["start"]}))
        except CLIENT_ERRORS as exc:
            run.add(step, started, None, f"{type(exc).__name__}: {exc}")


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process so far (Linux), to tell a saturated server from a slow one."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def cpu_of(pids: list[int]) -> float | None:
    """CPU seconds used so far by all these processes."""
    used = [cpu_seconds(pid) for pid in pids]
    return None if any(u is None for u in used) else sum(u for u in used if u is not None)


def database_cpu() -> dict[int, float]:
    """CPU seconds so far of every PostgreSQL server process on this machine (the benchmarks' server is
    on loopback), by pid: the database's share of the cores the app processes compete for."""
    used = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        if "(postgres)" in text[:64]:
            fields = text.rsplit(")", 1)[1].split()
            used[int(stat.parent.name)] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return used


@dataclass
class Driven:
    run: Run
    elapsed: float
    server_cores: float | None  # CPU cores the app processes used, on average
    client_cores: float | None  # and this process (the load generator)
    database_cores: float | None = None  # and the PostgreSQL server's processes (backends started meanwhile too)


async def drive(urls: list[str], accounts_: list[tuple[str, str]], seconds: float, think_s: float,
                timeout: float, pids: list[int], weights_by_step: dict[str, int] = MIX,
                client: str = "aiohttp") -> Driven:
    images = photos(32)
    run = Run()
    clients = [CLIENTS[client](url, timeout, len(accounts_) + 5) for url in urls]
    try:
        pool = RoundRobin(clients)
        users = [await prepare(pool, i, email, designer) for i, (email, designer) in enumerate(accounts_)]
        # the generator is the measuring instrument: a full collection of its own heap (the app's modules,
        # imported to seed, and the clients: 200 000 objects and more) stopped it for 0.3-0.4 s at a time,
        # which every request in flight then counted as latency; what is alive now is frozen for the run
        gc.collect()
        gc.freeze()
        database_before = database_cpu()
        started, cpu_before, mine_before = time.monotonic(), cpu_of(pids), time.process_time()
        await asyncio.gather(*(mix(pool, u, started + seconds, think_s, images, run, weights_by_step)
                               for u in users))
        elapsed, cpu_after, mine = time.monotonic() - started, cpu_of(pids), time.process_time() - mine_before
        database_after = database_cpu()
    finally:
        gc.unfreeze()
        for client in clients:
            await client.aclose()
    busy = None if cpu_before is None or cpu_after is None else (cpu_after - cpu_before) / elapsed
    database = sum(used - database_before.get(pid, 0.0) for pid, used in database_after.items()) / elapsed
    return Driven(run, elapsed, busy, mine / elapsed, database if database_after else None)


WINDOW_SECONDS = 5.0


def windows(samples: list[Sample], seconds: float = WINDOW_SECONDS) -> list[float]:
    """The p95 of the requests sent in each ``seconds`` of the run, in order: a tail made by a few
    stalls shows as one bad window, one made by a queue that never drains as every window high."""
    if not samples:
        return []
    first = min(s.at for s in samples)
    by_window: dict[int, list[float]] = {}
    for s in samples:
        by_window.setdefault(int((s.at - first) // seconds), []).append(s.ms)
    return [round(percentile(by_window[k], 0.95), 1) for k in sorted(by_window)]


def figures(run: Run, elapsed: float) -> dict[str, Any]:
    def stats(samples: list[Sample]) -> dict[str, float]:
        ms = [s.ms for s in samples] or [0.0]
        return {"requests": len(samples), "per_second": round(len(samples) / elapsed, 1),
                "p50_ms": round(percentile(ms, 0.50), 1), "p95_ms": round(percentile(ms, 0.95), 1),
                "p99_ms": round(percentile(ms, 0.99), 1), "max_ms": round(max(ms), 1),
                "errors": sum(1 for s in samples if not s.ok)}

    by_step = {step: stats([s for s in run.samples if s.step == step]) for step in EXPECTED}
    return {"seconds": round(elapsed, 1), "all": stats(run.samples), "steps": by_step,
            "p95_ms_by_window": windows(run.samples),
            "skipped_bookings": run.skipped_bookings,
            "error_kinds": dict(Counter(e[:60] for e in run.errors).most_common(10)),
            "error_samples": run.errors[:5]}


def soak(name: str, db_url: str, args: argparse.Namespace) -> dict[str, Any]:
    print(f"{name}: seeding {args.users} users", flush=True)
    accounts_ = seed(db_url, args.users)
    processes = args.processes if name == "postgresql" else args.sqlite_processes
    threads = request_threads(processes, args.pg_connections) if name == "postgresql" else 40
    with tempfile.TemporaryDirectory() as tmp, Servers(db_url, Path(tmp), processes,
                                                       {"ROOMWRIGHT_REQUEST_THREADS": str(threads)}) as servers:
        print(f"{name}: {args.users} users for {args.seconds} s against {', '.join(servers.urls)}", flush=True)
        load_before = os.getloadavg()[0]
        driven = asyncio.run(drive(servers.urls, accounts_, args.seconds, args.think_ms / 1000, args.timeout,
                                   servers.pids, client=args.client))
    return {"backend": name, "processes": processes, "request_threads": threads, "users": args.users,
            "think_ms": args.think_ms, "client": args.client,
            **figures(driven.run, driven.elapsed), **cpu_figures(driven),
            "machine_load_average": [round(load_before, 1), round(os.getloadavg()[0], 1)]}


def cpu_figures(driven: Driven) -> dict[str, Any]:
    busy, n = driven.server_cores, len(driven.run.samples)
    return {"server_cpu_cores_used": None if busy is None else round(busy, 2),
            "server_cpu_ms_per_request": None if busy is None or not n else round(busy * driven.elapsed * 1000 / n, 1),
            "load_generator_cpu_cores_used": None if driven.client_cores is None else round(driven.client_cores, 2),
            "database_cpu_cores_used": None if driven.database_cores is None else round(driven.database_cores, 2)}


def table(results: list[dict[str, Any]]) -> str:
    lines = ["| backend | processes | step | requests | req/s | p50 ms | p95 ms | p99 ms | max ms | errors |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        for step, s in [("all", r["all"]), *r["steps"].items()]:
            lines.append(f"| {r['backend']} | {r['processes']} | {step} | {s['requests']} | {s['per_second']} | "
                         f"{s['p50_ms']} | {s['p95_ms']} | {s['p99_ms']} | {s['max_ms']} | {s['errors']} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--think-ms", type=float, default=500, help="mean pause between a user's steps")
    parser.add_argument("--timeout", type=float, default=30, help="a request slower than this is an error")
    parser.add_argument("--client", choices=list(CLIENTS), default="aiohttp", help="the load generator's HTTP client")
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--processes", type=int, default=1, help="app processes on PostgreSQL (1..8)")
    parser.add_argument("--sqlite-processes", type=int, default=1, help="app processes on SQLite (1..8)")
    parser.add_argument("--pg-connections", type=int, default=72, help="PostgreSQL connections all app processes "
                        "may open together (the server allows 100 by default): sets their request threads")
    parser.add_argument("--pg", default=os.environ.get("ROOMWRIGHT_BENCH_POSTGRES_URL")
                        or os.environ.get("ROOMWRIGHT_TEST_POSTGRES_URL"))
    parser.add_argument("--pg-database", default="rw_soak", help="dropped and created anew on the --pg server")
    args = parser.parse_args(argv)
    if not 1 <= args.users <= MAX_USERS or not 0 < args.seconds <= MAX_SECONDS:
        parser.error(f"--users must be 1..{MAX_USERS} and --seconds 1..{MAX_SECONDS}")
    if not (1 <= args.processes <= 8 and 1 <= args.sqlite_processes <= 8):
        parser.error("--processes and --sqlite-processes must be 1..8")
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
        print(f"{r['backend']}: {r['processes']} app process(es) used {r['server_cpu_cores_used']} cores, "
              f"{r['server_cpu_ms_per_request']} ms CPU per request; the load generator "
              f"{r['load_generator_cpu_cores_used']} cores; machine load average {r['machine_load_average']} on "
              f"{os.cpu_count()} CPUs; "
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
