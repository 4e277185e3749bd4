"""Background jobs for long work (vectorizing photos, order packages, proposal PDFs).

One small interface, :class:`JobRunner`: ``submit`` a job by its *kind* with JSON arguments (ids, not
objects), poll ``get`` for its status, progress and result. The work itself is a :data:`Task`, a plain
function found by kind in a registry (``backend.services.tasks.TASKS``), so any process can run it:

- :class:`ThreadJobRunner`, the embedded default: jobs live in this process's memory and run on a
  thread pool (OpenCV, NumPy and the PDF/DXF writers release the GIL for their heavy parts).
- ``backend.jobqueue.QueueJobRunner`` (when ``ROOMWRIGHT_BROKER_URL`` is set): job records live in the
  database, the work is a message on Redis run by ``roomwright worker`` processes.

Callers do not know which one they have. A task reads what it needs from the database and the file
store through its :class:`JobContext`, and returns JSON-ready data (the job's result).
"""

from __future__ import annotations

import contextlib
import json
import secrets
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy.orm import Session

from backend.errors import DomainError, NotFound
from backend.storage import FileStore

Status = Literal["queued", "running", "done", "failed"]
Progress = Callable[[int, str], None]
ACTIVE: tuple[Status, ...] = ("queued", "running")


@dataclass
class Job:
    id: str
    kind: str
    owner_id: str
    key: str | None = None
    status: Status = "queued"
    progress: int = 0
    message: str = ""
    result: Any = None
    error: dict[str, Any] | None = None
    created_at: float = field(default_factory=time.time)
    updated_at: float = field(default_factory=time.time)
    attempts: int = 0

    def public(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "status": self.status, "progress": self.progress,
                "message": self.message, "error": self.error,
                "result": self.result if self.status == "done" else None}


@dataclass(frozen=True)
class JobContext:
    """What a task may use: progress reports, database sessions of its own, the file store."""

    progress: Progress
    sessions: Callable[[], Session]
    store: FileStore


Task = Callable[[JobContext, dict[str, Any]], Any]
"""A job's work: ``task(context, args)`` → JSON-ready result; raises a DomainError for a clear failure."""


def new_job_id() -> str:
    return f"job-{secrets.token_hex(8)}"


def error_of(exc: BaseException) -> dict[str, Any]:
    """The job's ``error``: a domain error as it is, any other exception as an internal error."""
    if isinstance(exc, DomainError):
        return {"title": exc.title, "detail": exc.detail, "field": exc.field, "code": exc.code}
    return {"title": "Internal error", "detail": f"the work failed unexpectedly ({type(exc).__name__})",
            "field": None, "code": "internal"}


def timeout_error(limit_seconds: float) -> dict[str, Any]:
    return {"title": "Timed out", "detail": f"the work took longer than {limit_seconds:g} s and was stopped",
            "field": None, "code": "timeout"}


def clamp_progress(percent: int) -> int:
    return max(0, min(99, percent))


class JobRunner:
    """The interface every runner offers (see the module docstring)."""

    def submit(self, kind: str, owner_id: str, args: dict[str, Any], key: str | None = None,
               reuse_done: bool = False) -> Job:
        """Start a ``kind`` job with JSON ``args``. With a ``key`` (what the work makes, e.g. one order's
        package), a job for the same key that is still queued or running (or, with ``reuse_done``, that
        is done: the work is a pure function of the key) is returned instead of starting another."""
        raise NotImplementedError

    def get(self, job_id: str, owner_id: str | None = None) -> Job:
        """The job; NotFound for an unknown id or another owner's job."""
        raise NotImplementedError

    def wait(self, job_id: str, timeout: float) -> Job:
        """The job once it has finished, or as it is after ``timeout`` seconds."""
        raise NotImplementedError

    def shutdown(self) -> None:
        raise NotImplementedError


class ThreadJobRunner(JobRunner):
    """In-process jobs on a bounded thread pool; finished jobs are kept for ``keep_seconds``.

    A thread cannot be stopped from outside, so a job past ``time_limit`` is reported failed (timed out)
    when it is polled and whatever it returns later is dropped."""

    def __init__(self, tasks: Mapping[str, Task], sessions: Callable[[], Session], store: FileStore,
                 workers: int = 2, keep_seconds: float = 3600, time_limit: float = 600) -> None:
        self._tasks, self._sessions, self._store = tasks, sessions, store
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="roomwright-job")
        self._jobs: dict[str, Job] = {}
        self._futures: dict[str, Future[None]] = {}
        self._lock = threading.Lock()
        self._keep = keep_seconds
        self._limit = time_limit

    def submit(self, kind: str, owner_id: str, args: dict[str, Any], key: str | None = None,
               reuse_done: bool = False) -> Job:
        task = self._tasks[kind]
        args = json.loads(json.dumps(args))  # what a queue would carry: JSON only, so both runners take the same
        job = Job(id=new_job_id(), kind=kind, owner_id=owner_id, key=key)
        wanted = (*ACTIVE, "done") if reuse_done else ACTIVE
        with self._lock:
            self._forget_old()
            if key is not None:
                for other in self._jobs.values():
                    if other.key == key and self._checked(other).status in wanted:
                        return other
            self._jobs[job.id] = job
            self._futures[job.id] = self._pool.submit(self._run, job, task, args)
        return job

    def _run(self, job: Job, task: Task, args: dict[str, Any]) -> None:
        def progress(percent: int, message: str) -> None:
            if job.status == "running":
                job.progress, job.message, job.updated_at = clamp_progress(percent), message, time.time()

        job.status, job.attempts, job.updated_at = "running", 1, time.time()
        progress(1, "started")
        try:
            result = task(JobContext(progress, self._sessions, self._store), args)
        except Exception as exc:  # a crash of the work must reach the person, not kill the worker
            if job.status == "running":
                job.error, job.status = error_of(exc), "failed"
        else:
            if job.status == "running":
                job.result, job.progress, job.status = result, 100, "done"
        job.updated_at = time.time()

    def _checked(self, job: Job) -> Job:
        if job.status == "running" and time.time() - job.created_at > self._limit:
            job.error, job.status, job.updated_at = timeout_error(self._limit), "failed", time.time()
        return job

    def get(self, job_id: str, owner_id: str | None = None) -> Job:
        job = self._jobs.get(job_id)
        if job is None or (owner_id is not None and job.owner_id != owner_id):
            raise NotFound(f"no job '{job_id}'", field="job_id")
        return self._checked(job)

    def wait(self, job_id: str, timeout: float) -> Job:
        future = self._futures.get(job_id)
        if future is not None:
            with contextlib.suppress(TimeoutError):
                future.result(timeout=timeout)
        return self.get(job_id)

    def _forget_old(self) -> None:
        cutoff = time.time() - self._keep
        for job_id in [j.id for j in self._jobs.values() if j.status in ("done", "failed") and j.updated_at < cutoff]:
            self._jobs.pop(job_id, None)
            self._futures.pop(job_id, None)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
