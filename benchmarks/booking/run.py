"""Booking benchmark: throughput of ``POST /api/bookings`` through the whole app (HTTP handling,
slot check, booking + cell rows, commit) on SQLite, and on PostgreSQL when a URL is given, plus
the double-booking race: many clients post the same slot at the same instant, exactly one wins.

    .venv/bin/python -m benchmarks.booking.run [--pg postgresql+psycopg://postgres@127.0.0.1:5432/rw_bench]
                                               [--bookings 200] [--threads 8] [--rounds 20] [--racers 16]

``ROOMWRIGHT_TEST_POSTGRES_URL`` is used when ``--pg`` is not given. Results: a table on stdout and
``benchmarks/results/booking.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import tempfile
import threading
import time as clock
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.engine import make_url

from backend.db import booking_tables as bt
from backend.db import tables
from backend.db.migrate import upgrade
from backend.main import create_app
from backend.services import accounts, passwords
from backend.settings import Settings

NOW = datetime(2026, 3, 2, 0, 0, tzinfo=UTC)  # a Monday
FIRST_DAY = NOW + timedelta(days=1)
PASSWORD = "bench password 1"
RESULTS = Path(__file__).resolve().parents[1] / "results" / "booking.json"


@dataclass
class Figures:
    backend: str
    bookings: int
    threads: int
    seconds: float
    bookings_per_second: float
    sequential_bookings_per_second: float
    race_rounds: int
    race_attempts: int
    race_successes: int
    race_conflicts: int
    race_other: int
    race_rounds_with_one_winner: int
    race_refused_by_database: int


def fresh_postgres(base_url: str, name: str) -> str:
    import psycopg

    url = make_url(base_url)
    admin = url.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return url.set(database=name).render_as_string(hide_password=False)


def build(url: str, var_dir: Path, designers: int) -> tuple[FastAPI, list[str]]:
    upgrade(url)
    app = create_app(Settings(database_url=url, var_dir=var_dir, secret_key="bench", upload_dir=var_dir / "up"))
    fixed: Callable[[], datetime] = lambda: NOW  # noqa: E731
    app.state.booking_clock = fixed
    ids = []
    with app.state.sessionmaker() as db:
        store = tables.Store(name="Bench", timezone="Asia/Shanghai")
        db.add(store)
        db.flush()
        for i in range(designers):
            user = accounts.create_user(db, f"designer{i}@bench.example", PASSWORD, "designer", f"D{i}", store.id)
            db.add(bt.DesignerProfile(user_id=user.id, services=["online_consultation", "store_consultation"]))
            for weekday in range(7):
                db.add(bt.WorkingHours(resource_id=user.id, weekday=weekday, start_time=time(8), end_time=time(20)))
            ids.append(user.id)
        db.commit()
    return app, ids


def customer(app: FastAPI, client: TestClient, name: str) -> dict[str, str]:
    with app.state.sessionmaker() as db:
        accounts.create_user(db, f"{name}@bench.example", PASSWORD, "homeowner", name)
        db.commit()
    token = client.post("/api/auth/login", json={"email": f"{name}@bench.example", "password": PASSWORD})
    return {"Authorization": f"Bearer {token.json()['token']}"}


def slots_for(designers: list[str], count: int) -> list[tuple[str, datetime]]:
    """Distinct store-consultation slots (1 h, every other grid step), 08:00–20:00 Shanghai."""
    out = []
    day = 0
    while len(out) < count:
        for hour in range(0, 12):
            for designer in designers:
                out.append((designer, FIRST_DAY + timedelta(days=day, hours=hour)))
        day += 1
    return out[:count]


def body(designer: str, start: datetime) -> dict[str, Any]:
    return {"designer_id": designer, "service": "online_consultation", "start": start.isoformat()}


def throughput(app: FastAPI, designers: list[str], total: int, threads: int) -> tuple[float, float]:
    work = slots_for(designers, total + 105)
    with TestClient(app) as client:
        headers = [customer(app, client, f"tp{i}") for i in range(threads)]
        for designer, start in work[total : total + 5]:  # warm-up, not timed
            assert client.post("/api/bookings", json=body(designer, start), headers=headers[0]).status_code == 201
        seq = work[total + 5 :]
        started = clock.perf_counter()
        for designer, start in seq:
            assert client.post("/api/bookings", json=body(designer, start), headers=headers[0]).status_code == 201
        sequential = len(seq) / (clock.perf_counter() - started)
    chunks = [work[i:total:threads] for i in range(threads)]
    barrier = threading.Barrier(threads)
    failures: list[int] = []

    def worker(index: int) -> None:
        with TestClient(app) as own:
            barrier.wait()
            for designer, start in chunks[index]:
                code = own.post("/api/bookings", json=body(designer, start), headers=headers[index]).status_code
                if code != 201:
                    failures.append(code)

    pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    started = clock.perf_counter()
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    elapsed = clock.perf_counter() - started
    if failures:
        raise SystemExit(f"throughput run had failures: {failures[:10]}")
    return elapsed, sequential


def race_round(app: FastAPI, designer: str, start: datetime, headers: list[dict[str, str]]) -> list[tuple[int, str]]:
    """All racers post the same slot at once (behind a barrier); (status, detail) of each answer."""
    barrier = threading.Barrier(len(headers))
    answers: list[tuple[int, str]] = []
    lock = threading.Lock()

    def attempt(index: int) -> None:
        with TestClient(app) as own:
            barrier.wait()
            response = own.post("/api/bookings", json=body(designer, start), headers=headers[index])
        detail = response.json().get("detail", "") if response.status_code >= 400 else ""
        with lock:
            answers.append((response.status_code, str(detail)))

    pool = [threading.Thread(target=attempt, args=(i,)) for i in range(len(headers))]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return answers


def race(app: FastAPI, designers: list[str], rounds: int, racers: int) -> dict[str, int]:
    with TestClient(app) as client:
        headers = [customer(app, client, f"racer{i}") for i in range(racers)]
    outcome = {"attempts": 0, "successes": 0, "conflicts": 0, "other": 0, "one_winner": 0, "refused_by_database": 0}
    last_day = FIRST_DAY + timedelta(days=40)
    for r in range(rounds):
        answers = race_round(app, designers[0], last_day + timedelta(hours=r % 12, days=r // 12), headers)
        codes = [code for code, _ in answers]
        wins = codes.count(201)
        outcome["attempts"] += len(codes)
        outcome["successes"] += wins
        outcome["conflicts"] += codes.count(409)
        outcome["other"] += len(codes) - wins - codes.count(409)
        outcome["one_winner"] += wins == 1
        outcome["refused_by_database"] += sum(1 for code, detail in answers if code == 409 and "just taken" in detail)
    return outcome


def run(name: str, url: str, args: argparse.Namespace) -> Figures:
    with tempfile.TemporaryDirectory() as tmp:
        app, designers = build(url, Path(tmp), args.designers)
        elapsed, sequential = throughput(app, designers, args.bookings, args.threads)
        outcome = race(app, designers, args.rounds, args.racers)
        app.state.engine.dispose()
    return Figures(
        name,
        args.bookings,
        args.threads,
        round(elapsed, 3),
        round(args.bookings / elapsed, 1),
        round(sequential, 1),
        args.rounds,
        outcome["attempts"],
        outcome["successes"],
        outcome["conflicts"],
        outcome["other"],
        outcome["one_winner"],
        outcome["refused_by_database"],
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pg", default=os.environ.get("ROOMWRIGHT_TEST_POSTGRES_URL"))
    parser.add_argument("--bookings", type=int, default=200)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--racers", type=int, default=16)
    parser.add_argument("--designers", type=int, default=10)
    args = parser.parse_args(argv)
    passwords.use_parameters(time_cost=1, memory_cost_kib=256, parallelism=1)  # accounts are not measured
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        results.append(run("sqlite", f"sqlite:///{tmp}/bench.db", args))
    if args.pg:
        results.append(run("postgresql", fresh_postgres(args.pg, "rw_booking_bench"), args))
    columns = (
        "backend",
        "bookings",
        "threads",
        "seconds",
        "bookings/s",
        "seq/s",
        "race attempts",
        "successes",
        "409",
        "409 by db",
        "other",
        "1-winner rounds",
    )
    rows = [
        (
            f.backend,
            f.bookings,
            f.threads,
            f"{f.seconds:.2f}",
            f"{f.bookings_per_second:.1f}",
            f"{f.sequential_bookings_per_second:.1f}",
            f.race_attempts,
            f.race_successes,
            f.race_conflicts,
            f.race_refused_by_database,
            f.race_other,
            f"{f.race_rounds_with_one_winner}/{f.race_rounds}",
        )
        for f in results
    ]
    widths = [max(len(str(c)), *(len(str(r[i])) for r in rows)) for i, c in enumerate(columns)]
    print("  ".join(str(c).rjust(w) for c, w in zip(columns, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print("  ".join(str(v).rjust(w) for v, w in zip(row, widths, strict=True)))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "benchmark": "booking",
                "at": datetime.now(UTC).isoformat(timespec="seconds"),
                "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
                "results": [asdict(f) for f in results],
            },
            indent=2,
        )
        + "\n"
    )
    print(f"written {RESULTS}")
    return 0 if all(f.race_successes == f.race_rounds and f.race_other == 0 for f in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
