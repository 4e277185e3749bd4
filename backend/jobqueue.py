"""The job queue: jobs as Dramatiq messages on Redis, run by ``roomwright worker`` processes, with their
records (status, progress, result, error, owner) in the database so that any app process answers a poll.

Why Dramatiq, the time limits, retries and scheduling are in docs/jobs.md. In short:

- A message names only its job (``run_job(job_id)``); the record holds the kind and the JSON arguments,
  and the kind names a task in ``backend.services.tasks.TASKS``.
- Dramatiq's Redis broker acknowledges a message after the work, and a worker that stops sending
  heartbeats for ``broker_heartbeat_seconds`` (killed, its machine gone) has its unacknowledged messages
  delivered again. The record makes the retry idempotent: a job already done or failed is not run again,
  and only the latest attempt may record the outcome (``attempts`` in the ``WHERE``), so a job finishes once.
- ``job_time_limit_seconds``: Dramatiq interrupts the work (TimeLimitExceeded) and the job fails with a
  timeout; a record still active long after the limit (a worker stuck in C code, a lost message) reads as
  failed too.
- The broker down: the submission answers 503 (ServiceUnavailable) and its record is marked failed, so
  nothing waits for a message that was never sent; what the request saved before is kept.
- Scheduling: every worker runs a small ticker; one ``SET NX PX`` key per interval in Redis lets one of them
  queue ``deliver_outbox`` per interval, which sends the due notifications with the outbox's retry schedule.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from types import FrameType
from typing import Any

import dramatiq
import redis
from dramatiq.brokers.redis import RedisBroker
from dramatiq.errors import DramatiqError
from dramatiq.middleware import TimeLimitExceeded
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from backend.booking.outbox import Sender
from backend.db.tables import JobRecord
from backend.errors import NotFound, ServiceUnavailable
from backend.jobs import (
    ACTIVE,
    Job,
    JobContext,
    JobRunner,
    Status,
    Task,
    ThreadJobRunner,
    clamp_progress,
    error_of,
    new_job_id,
    timeout_error,
)
from backend.settings import Settings
from backend.storage import FileStore

log = logging.getLogger("roomwright.jobs")

JOB_QUEUE = "jobs"
OUTBOX_QUEUE = "outbox"
RUN_JOB = "run_job"
DELIVER_OUTBOX = "deliver_outbox"
MAINTENANCE_CHANCE = 100_000
"""Out of Dramatiq's 1 000 000: one broker command in ten also looks for dead workers' messages, so a killed
worker's job is delivered again within a few seconds of its heartbeat timing out (the check is cheap)."""
MAX_ATTEMPTS = 3
"""A job whose worker died this many times while running it fails instead of taking down the next one."""
STALE_GRACE = timedelta(seconds=60)
IDLE_POLL_MS = 250
"""An idle worker looks for messages at least this often (Dramatiq backs off up to it; its default is 1 s):
a job submitted to an idle cluster starts within about a quarter of a second, for a few Redis calls a second."""
UNAVAILABLE = ("the job queue is not reachable right now; nothing you saved was lost, try again in a moment")


def now() -> datetime:
    return datetime.now(UTC)


def make_broker(settings: Settings) -> RedisBroker:
    """The Redis broker of ``ROOMWRIGHT_BROKER_URL`` under ``ROOMWRIGHT_BROKER_NAMESPACE``."""
    if not settings.broker_url:
        raise ValueError("ROOMWRIGHT_BROKER_URL is not set")
    client = redis.Redis.from_url(settings.broker_url, socket_connect_timeout=3, socket_timeout=10)
    return RedisBroker(client=client, namespace=settings.broker_namespace,  # type: ignore[no-untyped-call]
                       heartbeat_timeout=int(settings.broker_heartbeat_seconds * 1000),
                       maintenance_chance=MAINTENANCE_CHANCE)


def _elsewhere(*_args: Any) -> None:
    raise RuntimeError("this process only sends jobs; `roomwright worker` runs them")


def declare_actors(broker: RedisBroker, settings: Settings, run_job: Callable[[str], None] = _elsewhere,
                   deliver_outbox: Callable[[], None] = _elsewhere) -> tuple[dramatiq.Actor[Any, Any],
                                                                            dramatiq.Actor[Any, Any]]:
    """The two actors on ``broker``: the app declares them to send, a worker with the functions that run."""
    limit_ms = int(settings.job_time_limit_seconds * 1000)
    run = dramatiq.Actor(run_job, broker=broker, actor_name=RUN_JOB, queue_name=JOB_QUEUE, priority=0,
                         options={"max_retries": 0, "time_limit": limit_ms})
    outbox = dramatiq.Actor(deliver_outbox, broker=broker, actor_name=DELIVER_OUTBOX, queue_name=OUTBOX_QUEUE,
                            priority=0, options={"max_retries": 0, "time_limit": 300_000})
    return run, outbox


def _job(row: JobRecord) -> Job:
    status: Status = row.status  # type: ignore[assignment]
    return Job(id=row.id, kind=row.kind, owner_id=row.owner_id, key=row.key, status=status, progress=row.progress,
               message=row.message, result=row.result, error=row.error, created_at=row.created_at.timestamp(),
               updated_at=row.updated_at.timestamp(), attempts=row.attempts)


class QueueJobRunner(JobRunner):
    """Submits jobs to the queue and reads their records; runs nothing itself."""

    def __init__(self, broker: RedisBroker, settings: Settings, sessions: Callable[[], Session]) -> None:
        self._broker, self._sessions = broker, sessions
        self._run, _outbox = declare_actors(broker, settings)
        self._stale_after = timedelta(seconds=settings.job_time_limit_seconds + settings.broker_heartbeat_seconds)
        self._limit = settings.job_time_limit_seconds

    def submit(self, kind: str, owner_id: str, args: dict[str, Any], key: str | None = None,
               reuse_done: bool = False) -> Job:
        wanted = (*ACTIVE, "done") if reuse_done else ACTIVE
        with self._sessions() as db:
            if key is not None:
                for other in db.scalars(select(JobRecord).where(JobRecord.key == key, JobRecord.status.in_(wanted))
                                        .order_by(JobRecord.created_at.desc()).limit(3)):
                    if (job := self._checked(db, other)).status in wanted:
                        return job
            at = now()
            row = JobRecord(id=new_job_id(), kind=kind, owner_id=owner_id, key=key, status="queued", progress=0,
                            message="queued", args=args, attempts=0, created_at=at, updated_at=at)
            db.add(row)
            db.commit()
            job = _job(row)
        try:
            self._run.send(job.id)
        except (redis.RedisError, DramatiqError, OSError) as exc:
            log.warning("job %s not queued: %s", job.id, exc)
            error = {"title": ServiceUnavailable.title, "detail": UNAVAILABLE, "field": None,
                     "code": ServiceUnavailable.code}
            self._close(job.id, error)
            raise ServiceUnavailable(UNAVAILABLE, extra={"retry_after": 5}) from exc
        return job

    def _close(self, job_id: str, error: dict[str, Any]) -> None:
        with self._sessions() as db:
            db.execute(update(JobRecord).where(JobRecord.id == job_id, JobRecord.status.in_(ACTIVE))
                       .values(status="failed", error=error, updated_at=now(), finished_at=now()))
            db.commit()

    def _checked(self, db: Session, row: JobRecord) -> Job:
        """The job, failed with a timeout when it has been active far past the time limit (its worker is
        stuck, or the message was lost with the broker's data)."""
        if row.status in ACTIVE and now() - (row.started_at or row.created_at) > self._stale_after + STALE_GRACE:
            self._close(row.id, timeout_error(self._limit))
            db.refresh(row)
        return _job(row)

    def get(self, job_id: str, owner_id: str | None = None) -> Job:
        with self._sessions() as db:
            row = db.get(JobRecord, job_id)
            if row is None or (owner_id is not None and row.owner_id != owner_id):
                raise NotFound(f"no job '{job_id}'", field="job_id")
            return self._checked(db, row)

    def wait(self, job_id: str, timeout: float) -> Job:
        deadline, pause = time.monotonic() + timeout, 0.05
        while (job := self.get(job_id)).status in ACTIVE and time.monotonic() < deadline:
            time.sleep(min(pause, max(0.0, deadline - time.monotonic())))
            pause = min(pause * 1.5, 0.5)
        return job

    def shutdown(self) -> None:
        self._broker.close()


class Executor:
    """The worker side of ``run_job``: claims the job's record, runs its task, records the outcome once."""

    def __init__(self, tasks: Mapping[str, Task], sessions: Callable[[], Session], store: FileStore,
                 time_limit: float, name: str) -> None:
        self._tasks, self._sessions, self._store = tasks, sessions, store
        self._limit, self.name = time_limit, name

    def run_job(self, job_id: str) -> None:
        claimed = self._claim(job_id)
        if claimed is None:
            return
        attempt, kind, args = claimed
        context = JobContext(lambda percent, message: self._progress(job_id, attempt, percent, message),
                             self._sessions, self._store)
        started = time.monotonic()
        try:
            result = self._tasks[kind](context, args)
        except TimeLimitExceeded:
            self._finish(job_id, attempt, "failed", error=timeout_error(self._limit))
        except Exception as exc:
            log.warning("job %s (%s) failed: %r", job_id, kind, exc)
            self._finish(job_id, attempt, "failed", error=error_of(exc))
        else:
            self._finish(job_id, attempt, "done", result=result)
            log.info("job %s (%s) done in %.2f s, attempt %d", job_id, kind, time.monotonic() - started, attempt)

    def _claim(self, job_id: str) -> tuple[int, str, dict[str, Any]] | None:
        """Start attempt n+1 of an active job; None when it is finished already (a delivery after the
        outcome was recorded), unknown, or another delivery claimed it first."""
        with self._sessions() as db:
            row = db.get(JobRecord, job_id)
            if row is None or row.status not in ACTIVE:
                return None
            if row.attempts >= MAX_ATTEMPTS:
                error = {"title": "Internal error", "field": None, "code": "internal",
                         "detail": f"the work stopped its worker {row.attempts} times and was given up"}
                self._finish(job_id, row.attempts, "failed", error=error, only_if_running=False)
                return None
            attempt, at = row.attempts + 1, now()
            claimed = db.execute(
                update(JobRecord).where(JobRecord.id == job_id, JobRecord.attempts == row.attempts,
                                        JobRecord.status.in_(ACTIVE))
                .values(status="running", attempts=attempt, worker=self.name[:100], started_at=at, updated_at=at,
                        progress=1, message="started" if attempt == 1 else f"started again (attempt {attempt})"))
            db.commit()
            if claimed.rowcount != 1:  # type: ignore[attr-defined]
                return None
            return attempt, row.kind, dict(row.args)

    def _progress(self, job_id: str, attempt: int, percent: int, message: str) -> None:
        with self._sessions() as db:
            db.execute(update(JobRecord).where(JobRecord.id == job_id, JobRecord.attempts == attempt,
                                               JobRecord.status == "running")
                       .values(progress=clamp_progress(percent), message=message[:300], updated_at=now()))
            db.commit()

    def _finish(self, job_id: str, attempt: int, status: Status, *, result: Any = None,
                error: dict[str, Any] | None = None, only_if_running: bool = True) -> None:
        values: dict[str, Any] = {"status": status, "result": result, "error": error, "updated_at": now(),
                                  "finished_at": now()}
        if status == "done":
            values.update(progress=100, message="done")
        where = [JobRecord.id == job_id, JobRecord.attempts == attempt]
        where.append(JobRecord.status == "running" if only_if_running else JobRecord.status.in_(ACTIVE))
        with self._sessions() as db:
            db.execute(update(JobRecord).where(*where).values(**values))
            db.commit()


def purge_finished(db: Session, keep_seconds: float) -> int:
    """Forget finished jobs older than ``keep_seconds``."""
    cutoff = now() - timedelta(seconds=keep_seconds)
    gone = db.execute(delete(JobRecord).where(JobRecord.status.in_(("done", "failed")),
                                              JobRecord.updated_at < cutoff))
    return int(gone.rowcount)  # type: ignore[attr-defined]


class Ticker(threading.Thread):
    """Queues ``send()`` once per ``interval`` across all workers: each worker tries to take a Redis key
    that lives one interval (``SET NX PX``); the one that gets it sends, the others wait for the next."""

    def __init__(self, client: redis.Redis, key: str, interval: float, send: Callable[[], Any], name: str) -> None:
        super().__init__(name="roomwright-ticker", daemon=True)
        self._client, self._key, self._interval, self._send, self._name = client, key, interval, send, name
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.wait(max(0.2, self._interval / 4)):
            try:
                if self._client.set(self._key, self._name, nx=True, px=max(1, int(self._interval * 1000))):
                    self._send()
            except (redis.RedisError, DramatiqError, OSError) as exc:
                log.warning("the schedule could not reach the broker: %s", exc)


def make_runner(settings: Settings, sessions: Callable[[], Session], store: FileStore,
                tasks: Mapping[str, Task]) -> JobRunner:
    """The queue when a broker is configured, else jobs in this process (the embedded default)."""
    if settings.broker_url:
        return QueueJobRunner(make_broker(settings), settings, sessions)
    return ThreadJobRunner(tasks, sessions, store, workers=settings.job_workers,
                           time_limit=settings.job_time_limit_seconds)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def run_worker(settings: Settings, sessions: Callable[[], Session], store: FileStore, tasks: Mapping[str, Task],
               sender: Sender, threads: int, stop: threading.Event | None = None, poll_ms: int = IDLE_POLL_MS) -> None:
    """A worker: ``threads`` threads running jobs and the outbox, and the outbox's ticker, until SIGTERM or
    SIGINT (or ``stop``). Messages taken but not finished at a stop are delivered again to another worker.
    ``poll_ms`` is Dramatiq's worker timeout: its longest wait between two looks for new messages when idle."""
    from backend.services import notifications

    broker = make_broker(settings)
    name = worker_name()
    executor = Executor(tasks, sessions, store, settings.job_time_limit_seconds, name)

    def deliver_outbox() -> None:
        with sessions() as db:
            report = notifications.deliver_due(db, sender, now(), lock=True)
            purged = purge_finished(db, settings.job_keep_seconds)
            db.commit()
        if report.sent or report.failed or report.dead or purged:
            log.info("outbox: %d sent, %d to retry, %d given up; %d old jobs forgotten", report.sent,
                     report.failed, report.dead, purged)

    _run, outbox = declare_actors(broker, settings, executor.run_job, deliver_outbox)
    worker = dramatiq.Worker(broker, worker_threads=threads, worker_timeout=poll_ms)
    ticker = Ticker(broker.client, f"{settings.broker_namespace}:tick:outbox", settings.outbox_interval_seconds,
                    outbox.send, name)
    stop = stop or threading.Event()
    if threading.current_thread() is threading.main_thread():
        def on_signal(_signum: int, _frame: FrameType | None) -> None:
            stop.set()

        signal.signal(signal.SIGTERM, on_signal)
        signal.signal(signal.SIGINT, on_signal)
    broker.emit_after("process_boot")  # as Dramatiq's own command does: starts the time-limit monitor
    worker.start()
    ticker.start()
    log.info("worker %s: %d threads on %s (namespace %s)", name, threads, JOB_QUEUE, settings.broker_namespace)
    print(f"worker {name} ready", flush=True)
    try:
        stop.wait()
    finally:
        ticker.stopping.set()
        worker.stop(timeout=5000)
        broker.close()
