"""Several processes on one machine: ``roomwright cluster`` (N app processes on consecutive ports behind a
round-robin balancer, M queue workers) and ``roomwright balance`` (the balancer alone)."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import FrameType
from typing import Any

from backend.settings import get_settings

ROOT = Path(__file__).resolve().parents[2]


def register(subparsers: Any) -> None:
    balance = subparsers.add_parser("balance", help="a round-robin HTTP load balancer in front of app processes")
    balance.add_argument("--host", default="127.0.0.1")
    balance.add_argument("--port", type=int, default=8000)
    balance.add_argument("--backend", action="append", required=True, metavar="URL",
                         help="an app process, e.g. http://127.0.0.1:8001 (repeat for each)")
    balance.set_defaults(handler=cmd_balance)

    cluster = subparsers.add_parser("cluster", help="N app processes behind a balancer and M workers "
                                    "(ROOMWRIGHT_DATABASE_URL and ROOMWRIGHT_BROKER_URL name the shared services)")
    cluster.add_argument("--apps", type=int, default=3, help="app processes, on ports PORT+1 … PORT+N")
    cluster.add_argument("--workers", type=int, default=2, help="queue workers")
    cluster.add_argument("--host", default="127.0.0.1")
    cluster.add_argument("--port", type=int, default=8000, help="the balancer's port")
    cluster.set_defaults(handler=cmd_cluster)


def cmd_balance(args: argparse.Namespace) -> int:
    import uvicorn

    from backend.balancer import balancer_app

    uvicorn.run(balancer_app(args.backend), host=args.host, port=args.port, log_level="warning")
    return 0


def _command(*args: str) -> list[str]:
    return [sys.executable, "-m", "backend.cli", *args]


def cmd_cluster(args: argparse.Namespace) -> int:
    """Start everything, restart a worker or app process that dies, stop all on SIGINT/SIGTERM."""
    settings = get_settings()
    if not settings.broker_url:
        print("error: set ROOMWRIGHT_BROKER_URL (redis://127.0.0.1:6379/0): the app processes share jobs through it")
        return 2
    if settings.test_clock:
        print("error: ROOMWRIGHT_TEST_CLOCK moves one process's clock only; it is for single-process tests")
        return 2
    if settings.database_url.startswith("sqlite"):
        print("warning: several processes on SQLite take turns to write; use PostgreSQL for real load", flush=True)
    if subprocess.call(_command("db", "upgrade"), cwd=ROOT) != 0:
        return 1
    settings.resolved_secret_key()  # made once here when unset, so every process signs sessions alike
    env = {**os.environ, "ROOMWRIGHT_TRUSTED_PROXIES": os.environ.get("ROOMWRIGHT_TRUSTED_PROXIES", "127.0.0.1")}
    ports = [args.port + 1 + i for i in range(args.apps)]
    specs = {f"app:{port}": _command("serve", "--host", args.host, "--port", str(port)) for port in ports}
    specs.update({f"worker:{i + 1}": _command("worker") for i in range(args.workers)})
    specs["balancer"] = _command("balance", "--host", args.host, "--port", str(args.port),
                                 *[f"--backend=http://{args.host}:{port}" for port in ports])
    procs = {name: subprocess.Popen(cmd, cwd=ROOT, env=env) for name, cmd in specs.items()}
    print(f"cluster: balancer on http://{args.host}:{args.port}, apps on {', '.join(map(str, ports))}, "
          f"{args.workers} workers; " + ", ".join(f"{n}={p.pid}" for n, p in procs.items()), flush=True)
    stopping = False

    def stop(_signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    while not stopping:
        time.sleep(0.2)
        for name, proc in list(procs.items()):
            if proc.poll() is not None and not stopping:
                print(f"cluster: {name} (pid {proc.pid}) ended with {proc.returncode}; starting it again", flush=True)
                procs[name] = subprocess.Popen(specs[name], cwd=ROOT, env=env)
    for proc in procs.values():
        proc.terminate()
    for proc in procs.values():
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
    return 0
