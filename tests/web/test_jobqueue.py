"""The job queue on the real Redis (ROOMWRIGHT_TEST_REDIS_URL) with a Dramatiq worker in this process: records
any app instance reads, time limits, a redelivered job that finishes once, a job whose design was deleted, the
broker down (503, nothing lost), and the outbox sent on schedule to a real SMTP sink. The same across real
processes: tests/cluster."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import delete, func, select

from backend.db import booking_tables as bt
from backend.db import tables
from backend.db.migrate import upgrade
from backend.jobqueue import QueueJobRunner, declare_actors, make_broker, run_worker
from backend.jobs import JobContext, Task
from backend.main import create_app
from backend.notify import make_sender
from backend.services import notifications
from backend.services.tasks import TASKS
from backend.settings import Settings
from support.api import assert_problem, login, make_user
from support.db import close_app
from support.documents import kitchen
from support.live import free_port
from support.plans import drawn_flat_png
from support.services import redis_namespace, redis_url, smtp_sink

RUNS: dict[str, int] = {}


def counted(ctx: JobContext, args: dict[str, Any]) -> dict[str, Any]:
    RUNS[args["tag"]] = RUNS.get(args["tag"], 0) + 1
    ctx.progress(50, "counting")
    return {"tag": args["tag"]}


def slow(ctx: JobContext, args: dict[str, Any]) -> None:
    deadline = time.monotonic() + args["seconds"]
    while time.monotonic() < deadline:  # Python steps, so the time limit can interrupt it
        time.sleep(0.05)


TEST_TASKS: dict[str, Task] = {**TASKS, "counted": counted, "slow": slow}


@pytest.fixture(scope="module")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """These run on SQLite only: the same queue on PostgreSQL is what tests/cluster runs (records, the claim,
    the outbox's FOR UPDATE SKIP LOCKED)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'roomwright.db'}"
    upgrade(url)
    return url


@pytest.fixture
def queue_settings(settings: Settings) -> Iterator[Settings]:
    with redis_namespace() as namespace:
        yield settings.model_copy(update={
            "broker_url": redis_url(), "broker_namespace": namespace, "broker_heartbeat_seconds": 2.0,
            "job_time_limit_seconds": 20.0, "outbox_interval_seconds": 0.5})


@pytest.fixture
def queue_app(queue_settings: Settings) -> Iterator[FastAPI]:
    application = create_app(queue_settings)
    yield application
    application.state.jobs.shutdown()
    close_app(application)


StartWorker = Callable[..., None]


@pytest.fixture
def start_worker(queue_app: FastAPI) -> Iterator[StartWorker]:
    """Start a Dramatiq worker thread on the app's database, store and broker namespace (stopped at the end)."""
    stops: list[tuple[threading.Event, threading.Thread]] = []

    def start(settings: Settings | None = None, threads: int = 2) -> None:
        settings = settings or queue_app.state.settings
        stop = threading.Event()
        thread = threading.Thread(target=run_worker, daemon=True, args=(
            settings, queue_app.state.sessionmaker, queue_app.state.file_store, TEST_TASKS, make_sender(settings),
            threads, stop, 200))
        thread.start()
        stops.append((stop, thread))

    yield start
    for stop, _thread in stops:
        stop.set()
    for _stop, thread in stops:
        thread.join(timeout=10)


def test_a_job_runs_on_the_worker_and_every_app_process_answers_its_poll(
        queue_app: FastAPI, queue_settings: Settings, start_worker: StartWorker) -> None:
    start_worker()
    other = create_app(queue_settings)  # a second app process: the same database, nothing shared in memory
    try:
        with TestClient(queue_app) as client, TestClient(other) as second:
            headers = login(client, make_user(queue_app))
            response = client.post("/api/floorplans", files={"file": ("plan.png", drawn_flat_png(), "image/png")},
                                   headers=headers)
            assert response.status_code in (200, 202), response.text
            job_id = response.json()["id"]
            job = other.state.jobs.wait(job_id, 30).public()
            polled = second.get(f"/api/jobs/{job_id}", headers=headers).json()
            assert polled == job and job["status"] == "done" and len(job["result"]["plan"]["walls"]) >= 4
            assert_problem(second.get(f"/api/jobs/{job_id}", headers=login(second, make_user(queue_app))), 404)
    finally:
        other.state.jobs.shutdown()
        other.state.engine.dispose()
    with queue_app.state.sessionmaker() as db:
        record = db.get(tables.JobRecord, job_id)
        assert record is not None and record.attempts == 1 and record.worker and record.kind == "vectorize"


def test_a_job_past_its_time_limit_fails_with_a_timeout(queue_app: FastAPI, queue_settings: Settings,
                                                        start_worker: StartWorker) -> None:
    short = queue_settings.model_copy(update={"job_time_limit_seconds": 1.0})
    start_worker(short)
    runner = QueueJobRunner(make_broker(short), short, queue_app.state.sessionmaker)
    started = time.monotonic()
    job = runner.wait(runner.submit("slow", "usr-1", {"seconds": 10}).id, 15)
    assert job.status == "failed" and job.error is not None, job
    assert job.error["code"] == "timeout" and "longer than 1 s" in job.error["detail"]
    assert time.monotonic() - started < 6
    runner.shutdown()


def test_a_job_delivered_again_finishes_once(queue_app: FastAPI, queue_settings: Settings,
                                             start_worker: StartWorker) -> None:
    """A second delivery of a finished job's message (what a broker does after a worker died before its
    acknowledgement) does not run the work again; a job a dead worker left running is run again, once."""
    start_worker()
    runner: QueueJobRunner = queue_app.state.jobs
    tag = f"t{time.monotonic_ns()}"
    job = runner.wait(runner.submit("counted", "usr-1", {"tag": tag}).id, 15)
    assert job.status == "done" and RUNS[tag] == 1
    resend, _outbox = declare_actors(make_broker(queue_settings), queue_settings)
    resend.send(job.id)
    # a job left "running" by a worker that died half-way (attempt 1 started, no outcome)
    left = runner.submit("counted", "usr-1", {"tag": tag + "-left"})
    runner.wait(left.id, 15)
    with queue_app.state.sessionmaker() as db:
        record = db.get(tables.JobRecord, left.id)
        assert record is not None
        record.status, record.result, record.progress = "running", None, 50
        db.commit()
    resend.send(left.id)
    again = runner.wait(left.id, 15)
    time.sleep(0.5)  # room for the first message's redelivery to have been (not) run
    assert again.status == "done" and again.attempts == 2 and again.result == {"tag": tag + "-left"}
    assert RUNS[tag] == 1 and RUNS[tag + "-left"] == 2
    assert runner.get(job.id).attempts == 1


def test_a_job_for_a_deleted_design_fails_with_a_clear_message(queue_app: FastAPI,
                                                                start_worker: StartWorker) -> None:
    with TestClient(queue_app) as client:
        headers = login(client, make_user(queue_app))
        design = client.post("/api/designs", json={"document": kitchen("Gone", 2)}, headers=headers).json()
    runner: QueueJobRunner = queue_app.state.jobs
    job = runner.submit("proposal", "usr-1", {"design_id": design["id"], "revision": 1, "customer": "",
                                              "when": "2026-12-03"})
    with queue_app.state.sessionmaker() as db:  # deleted while the job waits in the queue
        db.execute(delete(tables.DesignRevision).where(tables.DesignRevision.design_id == design["id"]))
        db.execute(delete(tables.Design).where(tables.Design.id == design["id"]))
        db.commit()
    start_worker()
    done = runner.wait(job.id, 15)
    assert done.status == "failed" and done.error is not None
    assert done.error["detail"] == f"the design '{design['id']}' was deleted before its proposal was made"


def test_the_broker_down_answers_503_and_keeps_what_was_saved(settings: Settings) -> None:
    down = settings.model_copy(update={"broker_url": f"redis://127.0.0.1:{free_port()}/1",
                                       "broker_namespace": "rwtest-down"})
    app = create_app(down)
    try:
        with TestClient(app) as client:
            headers = login(client, make_user(app))
            response = client.post("/api/floorplans", files={"file": ("plan.png", drawn_flat_png(), "image/png")},
                                   headers=headers)
            body = assert_problem(response, 503)
            assert body["type"].endswith("service-unavailable") and "nothing you saved was lost" in body["detail"]
            assert response.headers["Retry-After"] == "5"
            design = client.post("/api/designs", json={"document": kitchen("Kept", 1)}, headers=headers).json()
            assert_problem(client.get(f"/api/designs/{design['id']}/proposal.pdf", headers=headers), 503)
            assert client.get(f"/api/designs/{design['id']}", headers=headers).status_code == 200
            order = client.post(f"/api/designs/{design['id']}/orders", json={"revision": 1}, headers=headers).json()
            factory = login(client, make_user(app, "factory"))
            assert_problem(client.get(f"/api/orders/{order['id']}/package", headers=factory), 503)
            page = client.get(f"/factory/orders/{order['id']}", headers=factory)  # all but the nesting
            assert page.status_code == 200 and "still being nested" in page.text and order["number"] in page.text
        with app.state.sessionmaker() as db:
            assert db.scalar(select(func.count()).select_from(tables.Upload)) == 1  # the photo was kept
            statuses = list(db.scalars(select(tables.JobRecord.status)))
            assert statuses == ["failed"] * 4  # nothing waits for a message that was never sent
    finally:
        app.state.jobs.shutdown()
        close_app(app)


def _queue_email(app: FastAPI, email: str) -> str:
    with app.state.sessionmaker() as db:
        user = db.scalar(select(tables.User).where(tables.User.email == email))
        assert user is not None
        context = {"code": "493021", "staff_name": "Chen", "store_name": "Xuhui", "minutes": "20"}
        row = notifications.account_email(db, user, notifications.core.AccountMessageKind.STORE_CODE, context,
                                          datetime.now(UTC))
        db.commit()
        return row.id


def _outbox_row(app: FastAPI, message_id: str) -> bt.OutboxMessage:
    with app.state.sessionmaker() as db:
        row = db.get(bt.OutboxMessage, message_id)
        assert row is not None
        return row


def test_the_outbox_is_sent_on_schedule_to_the_smtp_server(queue_app: FastAPI, queue_settings: Settings,
                                                           start_worker: StartWorker) -> None:
    with smtp_sink() as (port, sink):
        smtp = queue_settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": port})
        email = make_user(queue_app)
        message_id = _queue_email(queue_app, email)
        start_worker(smtp)
        start_worker(smtp)  # two workers: the schedule sends once per interval, each message once
        deadline = time.monotonic() + 10
        while not sink.messages and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(1.2)  # two more intervals: nothing is sent again
    assert len(sink.messages) == 1, [m["Subject"] for m in sink.messages]
    mail = sink.messages[0]
    assert mail["To"] == email and mail["X-Roomwright-Message"] == message_id and "493021" in mail.get_content()
    row = _outbox_row(queue_app, message_id)
    assert row.status == "sent" and row.attempts == 0 and row.sent_at is not None


def test_an_unreachable_smtp_server_is_retried_later(queue_app: FastAPI, queue_settings: Settings,
                                                     start_worker: StartWorker) -> None:
    closed = queue_settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": free_port(),
                                               "smtp_timeout_seconds": 2.0})
    message_id = _queue_email(queue_app, make_user(queue_app))
    start_worker(closed)
    deadline = time.monotonic() + 10
    while (row := _outbox_row(queue_app, message_id)).attempts == 0 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert row.status == "pending" and row.attempts == 1 and row.last_error and "Refused" in row.last_error
    assert row.next_attempt_at is not None and row.last_error_at is not None
    assert row.next_attempt_at - row.last_error_at == timedelta(minutes=1)  # the outbox's first backoff
