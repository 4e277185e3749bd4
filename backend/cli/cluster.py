"""Several processes on one machine: ``roomwright cluster`` (N app processes on consecutive ports behind a
round-robin balancer, M queue workers) and ``roomwright balance`` (the balancer alone)."""

from __future__ import annotations

import argparse
import multiprocessing
import multiprocessing.process
import os
import signal
import sys
import time
from collections.abc import Callable
from types import FrameType
from typing import Any

from backend.settings import get_settings


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


def _child(target: Callable[..., Any], *args: Any) -> Callable[[], None]:
    def run() -> None:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        target(*args)

    return run


def _serve_app(host: str, port: int) -> None:
    import uvicorn

    from backend.main import create_app

    uvicorn.run(create_app(get_settings()), host=host, port=port, proxy_headers=False)


def _run_worker() -> None:
    from backend.cli.app import cmd_worker

    sys.exit(cmd_worker(argparse.Namespace(threads=None)))


def _serve_balancer(host: str, port: int, backends: list[str]) -> None:
    import uvicorn

    from backend.balancer import balancer_app

    uvicorn.run(balancer_app(backends), host=host, port=port, log_level="warning")


def cmd_cluster(args: argparse.Namespace) -> int:
    """Start everything, restart a worker or app process that dies, stop all on SIGINT/SIGTERM.

    The processes are forked from this one once it has imported the app (as gunicorn's ``--preload``
    does): they share the imported code, so a cluster starts in the time of one import, not one each.
    Nothing here opens a connection or a thread before forking."""
    settings = get_settings()
    if not settings.broker_url:
        print("error: set ROOMWRIGHT_BROKER_URL (redis://127.0.0.1:6379/0): the app processes share jobs through it")
        return 2
    if settings.test_clock:
        print("error: ROOMWRIGHT_TEST_CLOCK moves one process's clock only; it is for single-process tests")
        return 2
    os.environ.setdefault("ROOMWRIGHT_TRUSTED_PROXIES", "127.0.0.1")  # the balancer's X-Forwarded-For
    get_settings.cache_clear()
    settings = get_settings()
    if settings.database_url.startswith("sqlite"):
        print("warning: several processes on SQLite take turns to write; use PostgreSQL for real load", flush=True)
    from backend.db.migrate import upgrade

    upgrade(settings.database_url)  # its engine is disposed again: no connection is inherited by the forks
    settings.resolved_secret_key()  # made once here when unset, so every process signs sessions alike
    import backend.jobqueue
    import backend.main
    import backend.services.tasks  # noqa: F401 (preloaded for the forked processes)

    fork = multiprocessing.get_context("fork")
    ports = [args.port + 1 + i for i in range(args.apps)]
    specs: dict[str, Callable[[], None]] = {f"app:{port}": _child(_serve_app, args.host, port) for port in ports}
    specs.update({f"worker:{i + 1}": _child(_run_worker) for i in range(args.workers)})
    specs["balancer"] = _child(_serve_balancer, args.host, args.port, [f"http://{args.host}:{p}" for p in ports])

    def start(name: str) -> multiprocessing.process.BaseProcess:
        proc = fork.Process(target=specs[name], name=name, daemon=False)
        proc.start()
        return proc

    stopping = False

    def stop(_signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    procs = {name: start(name) for name in specs}
    print(f"cluster: balancer on http://{args.host}:{args.port}, apps on {', '.join(map(str, ports))}, "
          f"{args.workers} workers; " + ", ".join(f"{n}={p.pid}" for n, p in procs.items()), flush=True)
    while not stopping:
        time.sleep(0.2)
        for name, proc in list(procs.items()):
            if not proc.is_alive() and not stopping:
                print(f"cluster: {name} (pid {proc.pid}) ended with {proc.exitcode}; starting it again", flush=True)
                procs[name] = start(name)
    for proc in procs.values():
        proc.terminate()
    for proc in procs.values():
        proc.join(timeout=15)
        if proc.is_alive():
            proc.kill()
    return 0
