"""Load: design save/load and the booking flow at 50 and 200 simulated users against 1, 2 and 4 app
processes on PostgreSQL (issue #16).

    .venv/bin/python -m benchmarks load --pg postgresql+psycopg://postgres@127.0.0.1:5432/postgres
        [--pg-database rw_cluster] [--users 50,200] [--processes 1,2,4] [--scenarios design,booking]
        [--seconds 30] [--think-ms 500] [--request-threads N] [--repeat K] [--profile]

The same harness as the soak benchmark (benchmarks/soak): real app processes (``uvicorn
backend.asgi:app``, one process each) on consecutive free loopback ports, requests spread over them
round-robin (a load balancer's work; a session made on one process is used on the next), the load from
this process over HTTP (aiohttp, asyncio; ``--client httpx`` as before 2026-12-07), each user pausing a
think time between steps (uniform between half and one and a half of ``--think-ms``). Scenarios:

    design   load 50 % GET /api/designs/{id}, save 50 % PUT /api/designs/{id} (a new revision of the
             ~20 KB apartment: 8 rooms, 32 walls, 20 cabinets)
    booking  GET /api/designers/{d}/slots, then POST /api/bookings on the first free slot

Each app process gets ROOMWRIGHT_REQUEST_THREADS so that all of them together open at most
``--pg-connections`` (72) PostgreSQL connections: 40 threads for 1 process, 30 for 2, 12 for 4 (``--request-threads``
lowers them). Each
processes count gets a fresh database (``--pg-database`` on the ``--pg`` server, dropped and
created anew) seeded with the largest user count; each (users, scenario) then runs for ``--seconds``.
Reported per run: requests, throughput, p50/p95/p99/max latency and errors, the p95 of each 5 s of the
run (a few stalls, or a queue that never drains), the CPU the app processes, the load generator and the
PostgreSQL server used; ``--repeat`` runs each (users, scenario) again on the same servers, for the
spread. A table on stdout and benchmarks/results/load.json. ``--profile`` records the first app process
with py-spy for each run (only the thread holding the GIL: where the CPU goes;
benchmarks/results/profiles/*.txt, hottest frames first).
Bounded: at most 500 users, 600 s a run, 8 processes; loopback only. Exits non-zero on any error.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from benchmarks.booking.run import fresh_postgres
from benchmarks.soak.run import (
    CLIENTS,
    MAX_USERS,
    WINDOW_SECONDS,
    Servers,
    cpu_figures,
    drive,
    figures,
    request_threads,
    seed,
)

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "benchmarks" / "results" / "load.json"
PROFILES = ROOT / "benchmarks" / "results" / "profiles"
SCENARIOS = {"design": {"load": 50, "save": 50}, "booking": {"book": 100}}
MAX_SECONDS, MAX_PROCESSES = 600, 8


def ints(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part.strip()]


def profiler(pid: int, seconds: float, name: str) -> subprocess.Popen[bytes] | None:
    """py-spy sampling the app process for the run (raw collapsed stacks), or None without py-spy."""
    spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    if not Path(spy).exists():
        print("py-spy not installed: no profile")
        return None
    PROFILES.mkdir(parents=True, exist_ok=True)
    return subprocess.Popen([spy, "record", "--pid", str(pid), "--duration", str(int(seconds)), "--rate", "200",
                             "--format", "raw", "--gil", "--nonblocking", "-o", str(PROFILES / f"{name}.raw")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def summarize_profile(name: str, top: int = 60) -> None:
    """The raw stacks as two lists of functions (line numbers dropped): by samples inclusive (the time in
    a function and everything it calls), and by self time (the function itself at the top)."""
    raw = PROFILES / f"{name}.raw"
    if not raw.exists():
        return
    inclusive: dict[str, int] = {}
    leaf: dict[str, int] = {}
    total = 0
    for line in raw.read_text().splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = [re.sub(r":\d+\)$", ")", frame) for frame in stack.split(";")]
        total += count
        leaf[frames[-1]] = leaf.get(frames[-1], 0) + count
        for frame in set(frames):
            inclusive[frame] = inclusive.get(frame, 0) + count
    if not total:
        return
    lines = [f"{total} samples of the first app process holding the GIL ({name})", "", "inclusive:"]
    for title, counts in (("", inclusive), ("self:", leaf)):
        if title:
            lines += ["", title]
        ranked = sorted(counts.items(), key=lambda kv: -kv[1])[:top]
        lines += [f"{100 * n / total:5.1f} %  {frame}" for frame, n in ranked]
    (PROFILES / f"{name}.txt").write_text("\n".join(lines) + "\n")


def run_matrix(args: argparse.Namespace) -> list[dict[str, Any]]:
    results = []
    for processes in args.processes:
        url = fresh_postgres(args.pg, args.pg_database)
        print(f"{processes} process(es): seeding {max(args.users)} users", flush=True)
        accounts_ = seed(url, max(args.users))
        threads = min(args.request_threads or 40, request_threads(processes, args.pg_connections))
        env = {"ROOMWRIGHT_REQUEST_THREADS": str(threads)}
        with tempfile.TemporaryDirectory() as tmp, Servers(url, Path(tmp), processes, env) as servers:
            for users, scenario, repeat in itertools.product(args.users, args.scenarios, range(args.repeat)):
                name = f"{scenario}-{users}u-{processes}p" + (f"-{repeat + 1}" if args.repeat > 1 else "")
                print(f"{name}: {users} users for {args.seconds} s against {', '.join(servers.urls)}", flush=True)
                load_before = os.getloadavg()[0]
                spy = profiler(servers.pids[0], args.seconds + 0.5 * users / 50 + 2, name) if args.profile else None
                driven = asyncio.run(drive(servers.urls, accounts_[:users], args.seconds, args.think_ms / 1000,
                                           args.timeout, servers.pids, SCENARIOS[scenario], args.client))
                if spy is not None:
                    spy.wait(timeout=60)
                    summarize_profile(name)
                result = {"scenario": scenario, "users": users, "processes": processes,
                          "request_threads": threads, "repeat": repeat + 1,
                          "think_ms": args.think_ms, "client": args.client, **figures(driven.run, driven.elapsed),
                          **cpu_figures(driven),
                          "machine_load_average": [round(load_before, 1), round(os.getloadavg()[0], 1)]}
                results.append(result)
                a = result["all"]
                print(f"  {a['requests']} requests, {a['per_second']} req/s, p50 {a['p50_ms']} p95 {a['p95_ms']} "
                      f"p99 {a['p99_ms']} ms, {a['errors']} errors; p95 by {WINDOW_SECONDS:g} s: "
                      f"{' '.join(f'{v:g}' for v in result['p95_ms_by_window'])}", flush=True)
    return results


def table(results: list[dict[str, Any]]) -> str:
    lines = ["| scenario | users | processes (threads) | requests | req/s | p50 ms | p95 ms | p99 ms | max ms | "
             "errors | app CPU cores | load generator CPU cores | PostgreSQL CPU cores | load avg before/after |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in sorted(results, key=lambda r: (r["scenario"], r["users"], r["processes"], r["repeat"])):
        a = r["all"]
        lines.append(f"| {r['scenario']} | {r['users']} | {r['processes']} ({r['request_threads']}) | "
                     f"{a['requests']} | {a['per_second']} | "
                     f"{a['p50_ms']} | {a['p95_ms']} | {a['p99_ms']} | {a['max_ms']} | {a['errors']} | "
                     f"{r['server_cpu_cores_used']} | {r['load_generator_cpu_cores_used']} | "
                     f"{r['database_cpu_cores_used']} | "
                     f"{r['machine_load_average'][0]} / {r['machine_load_average'][1]} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=ints, default=[50, 200], help="comma-separated, e.g. 50,200")
    parser.add_argument("--processes", type=ints, default=[1, 2, 4], help="comma-separated, e.g. 1,2,4")
    parser.add_argument("--scenarios", type=lambda t: t.split(","), default=list(SCENARIOS))
    parser.add_argument("--seconds", type=float, default=30, help="each run")
    parser.add_argument("--think-ms", type=float, default=500, help="mean pause between a user's steps")
    parser.add_argument("--timeout", type=float, default=30, help="a request slower than this is an error")
    parser.add_argument("--client", choices=list(CLIENTS), default="aiohttp", help="the load generator's HTTP client "
                        "(httpx: as the figures before 2026-12-07 were measured)")
    parser.add_argument("--profile", action="store_true", help="py-spy the first app process of each run")
    parser.add_argument("--repeat", type=int, default=1, help="run each (users, scenario) this many times: "
                        "the spread between runs on the same servers")
    parser.add_argument("--pg", default=os.environ.get("ROOMWRIGHT_BENCH_POSTGRES_URL")
                        or os.environ.get("ROOMWRIGHT_TEST_POSTGRES_URL"))
    parser.add_argument("--pg-database", default="rw_cluster", help="dropped and created anew on the --pg server")
    parser.add_argument("--request-threads", type=int, default=None, help="threads per app process (at most as "
                        "many as --pg-connections allows); by default as many as it allows, up to 40")
    parser.add_argument("--pg-connections", type=int, default=72, help="PostgreSQL connections all app processes "
                        "may open together (the server allows 100 by default): sets their request threads")
    args = parser.parse_args(argv)
    if not args.pg:
        parser.error("the load benchmark runs on PostgreSQL: --pg or ROOMWRIGHT_BENCH_POSTGRES_URL")
    if not args.users or not all(1 <= u <= MAX_USERS for u in args.users) or not 0 < args.seconds <= MAX_SECONDS:
        parser.error(f"--users must be 1..{MAX_USERS} and --seconds 1..{MAX_SECONDS}")
    if not args.processes or not all(1 <= p <= MAX_PROCESSES for p in args.processes):
        parser.error(f"--processes must be 1..{MAX_PROCESSES}")
    if unknown := set(args.scenarios) - set(SCENARIOS):
        parser.error(f"unknown scenario(s) {sorted(unknown)}; known: {sorted(SCENARIOS)}")
    results = run_matrix(args)
    print(table(results))
    for r in results:
        if r["error_samples"]:
            print(f"{r['scenario']} {r['users']}u {r['processes']}p errors: {r['error_kinds']}\n  "
                  + "\n  ".join(r["error_samples"]))
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps({"machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                                               "load_average_at_end": os.getloadavg()},
                                   "results": results}, indent=2))
    return 1 if any(r["all"]["errors"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
