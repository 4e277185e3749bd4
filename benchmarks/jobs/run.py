"""Job latency through the queue: submit → record done, for a job that does no work (the queue's own cost:
a database insert, a Redis message, the worker's claim and outcome updates, the poll), one at a time and
in bursts; the in-process runner for comparison. The worker is a real ``roomwright worker`` process.

    python -m benchmarks.jobs.run [--n 200] [--redis redis://127.0.0.1:6379/2]
        [--pg postgresql+psycopg://postgres@127.0.0.1:5432/postgres --pg-database rw_jobs_bench]

Redis from --redis or ROOMWRIGHT_BENCH_REDIS_URL (default DB 2 on the local server, its own namespace);
PostgreSQL from --pg, ROOMWRIGHT_BENCH_POSTGRES_URL or ROOMWRIGHT_TEST_POSTGRES_URL (the --pg-database
on that server is dropped and created anew), else a SQLite file.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from backend.db.engine import make_engine, make_sessionmaker
from backend.db.migrate import upgrade
from backend.db.tables import JobRecord
from backend.jobqueue import QueueJobRunner, make_broker
from backend.jobs import JobContext, JobRunner, ThreadJobRunner
from backend.settings import Settings
from backend.storage import LocalFileStore

RESULTS = Path(__file__).resolve().parents[1] / "results"
ROOT = Path(__file__).resolve().parents[2]
NOOP = "bench_noop"


def noop(ctx: JobContext, args: dict[str, Any]) -> dict[str, Any]:
    return {"n": args["n"]}


def _database(args: argparse.Namespace, tmp: Path) -> str:
    pg = args.pg or os.environ.get("ROOMWRIGHT_BENCH_POSTGRES_URL") or os.environ.get("ROOMWRIGHT_TEST_POSTGRES_URL")
    if not pg:
        return f"sqlite:///{tmp / 'bench.db'}"
    import psycopg

    url = make_url(pg)
    admin = url.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{args.pg_database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{args.pg_database}"')
    return url.set(database=args.pg_database).render_as_string(hide_password=False)


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _summary(name: str, latencies: list[float], seconds: float) -> dict[str, Any]:
    ms = [v * 1000 for v in latencies]
    row = {"runner": name, "jobs": len(ms), "p50_ms": round(statistics.median(ms), 1),
           "p95_ms": round(_pct(ms, 0.95), 1), "p99_ms": round(_pct(ms, 0.99), 1),
           "jobs_per_s": round(len(ms) / seconds, 1)}
    print(f"{name:<34} {row['jobs']:>5} {row['p50_ms']:>8} {row['p95_ms']:>8} {row['p99_ms']:>8} "
          f"{row['jobs_per_s']:>8}", flush=True)
    return row


def _one_at_a_time(runner: JobRunner, n: int, done: Any) -> tuple[list[float], float]:
    latencies, begin = [], time.perf_counter()
    for i in range(n):
        start = time.perf_counter()
        job = runner.submit(NOOP, "bench", {"n": i})
        while not done(job.id):
            time.sleep(0.001)
        latencies.append(time.perf_counter() - start)
    return latencies, time.perf_counter() - begin


def _burst(runner: JobRunner, n: int, done: Any) -> tuple[list[float], float]:
    begin = time.perf_counter()
    started = {runner.submit(NOOP, "bench", {"n": i}).id: time.perf_counter() for i in range(n)}
    finished: dict[str, float] = {}
    while len(finished) < n:
        for job_id in [j for j in started if j not in finished]:
            if done(job_id):
                finished[job_id] = time.perf_counter()
        time.sleep(0.002)
    return [finished[j] - started[j] for j in started], time.perf_counter() - begin


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--redis", default=os.environ.get("ROOMWRIGHT_BENCH_REDIS_URL", "redis://127.0.0.1:6379/2"))
    parser.add_argument("--pg", default=None)
    parser.add_argument("--pg-database", default="rw_jobs_bench")
    args = parser.parse_args()
    import redis

    try:
        redis.Redis.from_url(args.redis, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        print(f"skipped: no Redis at {args.redis} ({exc})")
        return 0
    rows = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        url = _database(args, tmp)
        upgrade(url)
        sessions = make_sessionmaker(make_engine(url, 8))
        namespace = f"rwbench-{uuid.uuid4().hex[:8]}"
        settings = Settings(database_url=url, broker_url=args.redis, broker_namespace=namespace, var_dir=tmp)
        env = {**os.environ, "ROOMWRIGHT_DATABASE_URL": url, "ROOMWRIGHT_BROKER_URL": args.redis,
               "ROOMWRIGHT_BROKER_NAMESPACE": namespace, "ROOMWRIGHT_VAR_DIR": str(tmp), "ROOMWRIGHT_JOB_WORKERS": "2"}
        boot = ("import sys; from backend.services import tasks; from benchmarks.jobs.run import noop; "
                f"tasks.TASKS[{NOOP!r}] = noop; from backend.cli import main; sys.exit(main(['worker']))")
        with (tmp / "worker.log").open("w") as log:
            worker = subprocess.Popen([sys.executable, "-c", boot], env=env, cwd=ROOT, stdout=log,
                                      stderr=subprocess.STDOUT)
        try:
            while " ready" not in (tmp / "worker.log").read_text():
                if worker.poll() is not None:
                    raise RuntimeError((tmp / "worker.log").read_text())
                time.sleep(0.1)
            queue = QueueJobRunner(make_broker(settings), settings, sessions)

            def done_in_db(job_id: str) -> bool:
                with sessions() as db:
                    row = db.get(JobRecord, job_id)
                    return row is not None and row.status == "done"

            print(f"database {make_url(url).get_backend_name()}, Redis {args.redis}, {args.n} jobs\n")
            print(f"{'runner':<34} {'jobs':>5} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'jobs/s':>8}")
            _one_at_a_time(queue, 10, done_in_db)  # warm-up
            rows.append(_summary("queue, one at a time", *_one_at_a_time(queue, args.n, done_in_db)))
            rows.append(_summary("queue, burst (2 worker threads)", *_burst(queue, args.n, done_in_db)))
            idle = []
            for _ in range(10):
                time.sleep(2)  # the worker backs off to its longest poll
                idle += _one_at_a_time(queue, 1, done_in_db)[0]
            rows.append(_summary("queue, each after 2 s idle", idle, sum(idle)))
            queue.shutdown()
        finally:
            worker.terminate()
            worker.wait(timeout=20)
            client = redis.Redis.from_url(args.redis)
            keys = list(client.scan_iter(f"{namespace}*", count=500))
            if keys:
                client.delete(*keys)
        local = ThreadJobRunner({NOOP: noop}, sessions, LocalFileStore(tmp / "files"))
        rows.append(_summary("in-process, one at a time",
                             *_one_at_a_time(local, args.n, lambda j: local.get(j).status == "done")))
        local.shutdown()
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "jobs.json").write_text(json.dumps({"database": make_url(url).get_backend_name(), "rows": rows},
                                                  indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
