"""Background jobs for long work (vectorizing photos, building order packages).

One small interface, :class:`JobRunner`: ``submit`` a function, poll ``get`` for its status,
progress and result. The default runner keeps jobs in this process and runs them on a thread pool
(OpenCV, NumPy and the PDF/DXF writers release the GIL for their heavy parts). Moving the work to
separate worker processes later means another JobRunner with the same methods whose job records
live in the database or Redis; callers do not change.
"""

from __future__ import annotations

import contextlib
import secrets
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Literal

from backend.errors import DomainError, NotFound

Status = Literal["queued", "running", "done", "failed"]
Progress = Callable[[int, str], None]


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

    def public(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "status": self.status, "progress": self.progress,
                "message": self.message, "error": self.error,
                "result": self.result if self.status == "done" else None}


class JobRunner:
    """In-process job runner with a bounded thread pool; finished jobs are kept for ``keep_seconds``."""

    def __init__(self, workers: int = 2, keep_seconds: float = 3600) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="roomwright-job")
        self._jobs: dict[str, Job] = {}
        self._futures: dict[str, Future[None]] = {}
        self._lock = threading.Lock()
        self._keep = keep_seconds

    def submit(self, kind: str, owner_id: str, work: Callable[[Progress], Any], key: str | None = None) -> Job:
        """Run ``work`` in the background. With a ``key`` (what the work makes, e.g. one order's package),
        a job for the same key that is still queued or running is returned instead of starting another."""
        job = Job(id=f"job-{secrets.token_hex(8)}", kind=kind, owner_id=owner_id, key=key)
        with self._lock:
            self._forget_old()
            if key is not None:
                for other in self._jobs.values():
                    if other.key == key and other.status in ("queued", "running"):
                        return other
            self._jobs[job.id] = job
            self._futures[job.id] = self._pool.submit(self._run, job, work)
        return job

    def _run(self, job: Job, work: Callable[[Progress], Any]) -> None:
        def progress(percent: int, message: str) -> None:
            job.progress, job.message, job.updated_at = max(0, min(99, percent)), message, time.time()

        job.status = "running"
        progress(1, "started")
        try:
            result = work(progress)
        except DomainError as exc:
            job.error = {"title": exc.title, "detail": exc.detail, "field": exc.field, "code": exc.code}
            job.status = "failed"
        except Exception as exc:  # a crash of the work must reach the person, not kill the worker
            job.error = {"title": "Internal error", "detail": f"the work failed unexpectedly ({type(exc).__name__})",
                         "field": None, "code": "internal"}
            job.status = "failed"
        else:
            job.result, job.progress, job.status = result, 100, "done"
        job.updated_at = time.time()

    def get(self, job_id: str, owner_id: str | None = None) -> Job:
        job = self._jobs.get(job_id)
        if job is None or (owner_id is not None and job.owner_id != owner_id):
            raise NotFound(f"no job '{job_id}'", field="job_id")
        return job

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
