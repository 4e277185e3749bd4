"""The embedded job runner (no broker): jobs by kind in this process, joined by key, timed out when polled."""

from __future__ import annotations

import threading
import time
from typing import Any

from backend.jobs import JobContext, ThreadJobRunner
from backend.storage import LocalFileStore


def _runner(tmp_path: Any, time_limit: float = 600) -> tuple[ThreadJobRunner, threading.Event]:
    release = threading.Event()

    def wait_for_release(ctx: JobContext, args: dict[str, Any]) -> dict[str, Any]:
        ctx.progress(40, "waiting")
        release.wait(10)
        return {"echo": args["value"]}

    def sessions() -> Any:
        raise AssertionError("these tasks use no database")

    tasks = {"wait": wait_for_release}
    return ThreadJobRunner(tasks, sessions, LocalFileStore(tmp_path), time_limit=time_limit), release


def test_a_job_with_the_same_key_is_joined_while_it_runs(tmp_path: Any) -> None:
    runner, release = _runner(tmp_path)
    first = runner.submit("wait", "usr-1", {"value": 1}, key="k")
    assert runner.submit("wait", "usr-1", {"value": 2}, key="k").id == first.id
    release.set()
    done = runner.wait(first.id, 5)
    assert done.status == "done" and done.result == {"echo": 1} and done.progress == 100
    assert runner.submit("wait", "usr-1", {"value": 3}, key="k").id != first.id  # done: a new build
    assert runner.submit("wait", "usr-1", {"value": 3}, key="k", reuse_done=True).id == first.id
    runner.shutdown()


def test_a_job_past_its_time_limit_reads_as_timed_out(tmp_path: Any) -> None:
    runner, release = _runner(tmp_path, time_limit=0.3)
    job = runner.submit("wait", "usr-1", {"value": 1})
    time.sleep(0.5)
    late = runner.get(job.id)
    assert late.status == "failed" and late.error is not None and late.error["code"] == "timeout"
    release.set()
    time.sleep(0.2)
    assert runner.get(job.id).status == "failed" and runner.get(job.id).result is None  # a late result is dropped
    runner.shutdown()
