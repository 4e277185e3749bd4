"""The homeowner's and the factory's journeys over HTTP against a real cluster: 3 app processes behind the
round-robin balancer and 2 queue workers (``roomwright cluster``) on PostgreSQL and Redis. Every poll is also
asked of each app process directly, so the answer provably comes from processes other than the one that took
the submission. A worker killed (SIGKILL) in the middle of a job: the job is delivered again and finishes once.
The booking's confirmation reaches the SMTP sink on the workers' schedule, nobody calling for it."""

from __future__ import annotations

import io
import os
import signal
import threading
import time
import uuid
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from backend.db import tables
from backend.db.engine import make_engine, make_sessionmaker
from backend.db.migrate import upgrade
from backend.services.demo import seed_demo
from support.cluster import Cluster, running_cluster, wait_for_mail
from support.db import fresh_postgres
from support.documents import kitchen
from support.plans import drawn_flat_png
from support.services import PG_URL, Sink, redis_namespace, redis_url, smtp_sink

pytestmark = [pytest.mark.cluster]
DEMO_PASSWORD = "roomwright-demo"
PROCESS = "x-roomwright-process"


@pytest.fixture(scope="module")
def sink() -> Iterator[tuple[int, Sink]]:
    with smtp_sink() as found:
        yield found


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory, sink: tuple[int, Sink]) -> Iterator[Cluster]:
    broker = redis_url()
    if not PG_URL:
        pytest.skip("ROOMWRIGHT_TEST_POSTGRES_URL is not set (.ci/run sets it)")
    database_url = fresh_postgres(PG_URL, f"cluster_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}")
    upgrade(database_url)
    engine = make_engine(database_url, 2)
    with make_sessionmaker(engine)() as db:
        seed_demo(db)
        db.commit()
    engine.dispose()
    with redis_namespace() as namespace, running_cluster(database_url, broker, namespace,
                                                         tmp_path_factory.mktemp("cluster"), sink[0]) as found:
        yield found


def client(cluster: Cluster, email: str, password: str = DEMO_PASSWORD) -> httpx.Client:
    """A client of the balancer signed in as ``email`` (a bearer token, valid on every process)."""
    api = httpx.Client(base_url=cluster.url, timeout=60)
    response = api.post("/api/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    api.headers["Authorization"] = f"Bearer {response.json()['token']}"
    return api


def poll_everywhere(cluster: Cluster, api: httpx.Client, path: str, submitted_by: str,
                    timeout: float = 60) -> dict[str, Any]:
    """Poll ``path`` on each app process directly until the job has finished; asserts that every process
    gives the same answer, so at least two that did not take the submission answered it."""
    deadline = time.monotonic() + timeout
    while True:
        answers = [httpx.get(base + path, headers=api.headers, timeout=30) for base in cluster.app_urls]
        assert all(a.status_code == 200 for a in answers), [a.text for a in answers]
        bodies = [a.json() for a in answers]
        if bodies[0]["status"] not in ("queued", "running") or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    processes = {a.headers[PROCESS] for a in answers}
    assert len(processes) == len(cluster.app_urls) and len(processes - {submitted_by}) >= 2, processes
    assert all(b["status"] == bodies[0]["status"] for b in bodies), bodies
    return bodies[0]


def homeowner_journey(cluster: Cluster, sink: tuple[int, Sink]) -> None:
    email = f"home-{uuid.uuid4().hex[:8]}@example.com"
    api = httpx.Client(base_url=cluster.url, timeout=60)
    signup = api.post("/api/auth/signup", json={"email": email, "password": "a long cluster password 1",
                                                "display_name": "Lin"})
    assert signup.status_code == 201, signup.text
    api = client(cluster, email, "a long cluster password 1")
    seen = {api.get("/api/designs").headers[PROCESS] for _ in range(6)}
    assert len(seen) == 3, f"the balancer reaches every process: {seen}"

    upload = api.post("/api/floorplans", files={"file": ("plan.png", drawn_flat_png(), "image/png")})
    assert upload.status_code in (200, 202), upload.text
    job = poll_everywhere(cluster, api, f"/api/jobs/{upload.json()['id']}", upload.headers[PROCESS])
    assert job["status"] == "done" and len(job["result"]["plan"]["walls"]) >= 4, job

    design = api.post("/api/designs", json={"name": "Cluster kitchen"})
    assert design.status_code == 201, design.text
    accepted = api.post(f"/api/designs/{design.json()['id']}/floorplan",
                        json={"base_revision": 1, "plan": job["result"]["plan"]})
    assert accepted.status_code == 200, accepted.text
    design_id, plan = accepted.json()["id"], accepted.json()["document"]["plan"]
    room = max(plan["rooms"], key=lambda r: len(r["polygon"]))
    offers = api.post(f"/api/designs/{design_id}/autofill", json={"room_id": room["id"]})
    assert offers.status_code == 200 and offers.json()["alternatives"], offers.text
    applied = api.post(f"/api/designs/{design_id}/commands",
                       json={"base_revision": 2, "command": offers.json()["alternatives"][0]["command"]})
    assert applied.status_code == 200 and applied.json()["document"]["cabinets"], applied.text
    quote = api.get(f"/api/designs/{design_id}/quote").json()
    assert quote["total_cents"] > 0

    proposal = api.get(f"/api/designs/{design_id}/proposal.pdf")  # a job on a worker, waited for
    assert proposal.status_code == 200 and proposal.content.startswith(b"%PDF"), proposal.text[:300]

    designer = client(cluster, "designer.chen@demo.roomwright")
    designer_id = designer.get("/api/me").json()["id"]
    slots = api.get(f"/api/designers/{designer_id}/slots", params={"service": "store_consultation"}).json()
    booking = api.post("/api/bookings", json={"designer_id": designer_id, "service": "store_consultation",
                                              "start": slots["slots"][0]["start"], "design_id": design_id})
    assert booking.status_code == 201, booking.text
    confirmed = designer.patch(f"/api/bookings/{booking.json()['id']}", json={"action": "confirm"})
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "confirmed", confirmed.text
    subjects = wait_for_mail(sink[1], email, timeout=30)  # the workers send the outbox every second
    assert subjects, "the booking's confirmation reached the SMTP server on schedule"

    order = api.post(f"/api/designs/{design_id}/orders",
                     json={"revision": 3, "expected_total_cents": quote["total_cents"],
                           "delivery": {"name": "Lin", "phone": "138 0000 0000", "address": "8 Riverside Rd"}})
    assert order.status_code == 201, order.text
    assert api.get(f"/api/orders/{order.json()['id']}").json()["status"] == "submitted"


def _demo_order(cluster: Cluster, cabinets: int) -> dict[str, Any]:
    owner = client(cluster, "homeowner@demo.roomwright")
    design = owner.post("/api/designs", json={"document": kitchen(f"For the factory {cabinets}", cabinets)}).json()
    order = owner.post(f"/api/designs/{design['id']}/orders",
                       json={"revision": 1, "delivery": {"name": "Lin Wei", "address": "8 Riverside Rd, Xuhui"}})
    assert order.status_code == 201, order.text
    result: dict[str, Any] = order.json()
    return result


def cookie_session(cluster: Cluster) -> None:
    """The browser's way through the balancer: the CSRF cookie of one process, the login form on the next, the
    pages on the others (sessions and CSRF live in cookies and the database, not in a process)."""
    browser = httpx.Client(base_url=cluster.url, timeout=60)
    form = browser.get("/login")
    assert form.status_code == 200 and "rw_csrf" in browser.cookies, (form.headers, form.text[:200])
    login = browser.post("/login", data={"email": "factory@demo.roomwright", "password": DEMO_PASSWORD,
                                         "csrf_token": browser.cookies["rw_csrf"]})
    assert login.status_code == 303 and "rw_session" in browser.cookies, login.text[:300]
    pages = [browser.get("/factory/orders") for _ in range(3)]
    assert all(p.status_code == 200 and "/login" not in str(p.url) for p in pages)
    assert len({form.headers[PROCESS], login.headers[PROCESS], *(p.headers[PROCESS] for p in pages)}) == 3


def factory_journey(cluster: Cluster) -> None:
    order = _demo_order(cluster, 2)
    factory = client(cluster, "factory@demo.roomwright")
    queue = factory.get("/api/orders", params={"status": "submitted"}).json()
    assert order["id"] in [o["id"] for o in queue]
    package = factory.get(f"/api/orders/{order['id']}/package")  # built on a worker
    if package.status_code == 202:
        poll_everywhere(cluster, factory, package.headers["Location"], package.headers[PROCESS])
        package = factory.get(f"/api/orders/{order['id']}/package")
    assert package.status_code == 200 and package.headers["content-type"] == "application/zip", package.text[:300]
    names = zipfile.ZipFile(io.BytesIO(package.content)).namelist()
    assert "cutlist.csv" in names and "nesting.pdf" in names
    for base in cluster.app_urls:  # every process serves the same stored package
        single = httpx.get(f"{base}/api/orders/{order['id']}/files/nesting.pdf", headers=factory.headers, timeout=30)
        assert single.status_code == 200 and single.content.startswith(b"%PDF")
    page = factory.get(f"/factory/orders/{order['id']}")  # its sheet nesting is a job on a worker
    assert page.status_code == 200 and 'class="sheet"' in page.text and order["number"] in page.text
    for status in ("accepted", "in_production", "shipped"):
        moved = factory.patch(f"/api/orders/{order['id']}", json={"status": status, "note": status})
        assert moved.status_code == 200 and moved.json()["status"] == status, moved.text
    events = client(cluster, "homeowner@demo.roomwright").get(f"/api/orders/{order['id']}").json()["events"]
    assert [e["status"] for e in events][-3:] == ["accepted", "in_production", "shipped"]


def killed_worker(cluster: Cluster) -> None:
    order = _demo_order(cluster, 6)  # a package of a few seconds of work
    factory = client(cluster, "factory@demo.roomwright")
    answers: list[httpx.Response] = []
    asking = threading.Thread(target=lambda: answers.append(factory.get(f"/api/orders/{order['id']}/package")))
    asking.start()
    engine = make_engine(cluster.database_url, 2)
    sessions = make_sessionmaker(engine)
    key = f"package:{order['id']}"
    try:
        deadline = time.monotonic() + 60
        while True:
            with sessions() as db:
                record = db.scalar(select(tables.JobRecord).where(tables.JobRecord.key == key))
                if record is not None and record.status == "running" and record.worker:
                    break
            assert time.monotonic() < deadline, "the package job never started"
            time.sleep(0.05)
        killed = int(record.worker.rsplit(":", 1)[1])
        os.kill(killed, signal.SIGKILL)
        asking.join(timeout=60)
        deadline = time.monotonic() + 90
        while True:
            with sessions() as db:
                record = db.scalar(select(tables.JobRecord).where(tables.JobRecord.key == key))
                assert record is not None
                if record.status not in ("queued", "running") or time.monotonic() > deadline:
                    break
            time.sleep(0.2)
        assert record.status == "done" and record.attempts == 2, (record.status, record.attempts, record.error,
                                                                  cluster.log_text()[-3000:])
        assert record.worker != f"{record.worker.rsplit(':', 1)[0]}:{killed}"
        with sessions() as db:
            assert db.scalar(select(func.count()).select_from(tables.JobRecord)
                             .where(tables.JobRecord.key == key)) == 1
            row = db.get(tables.Order, order["id"])
            assert row is not None and row.package_key == record.result["package_key"]
    finally:
        engine.dispose()
    assert f"(pid {killed}) ended with -9; starting it again" in cluster.log_text()
    package = factory.get(f"/api/orders/{order['id']}/package")
    assert package.status_code == 200 and package.headers["content-type"] == "application/zip"
    stored = Path(cluster.log).parent / "uploads"
    assert sum(1 for p in stored.rglob("*") if p.is_file() and p.read_bytes() == package.content) == 1


def test_the_journeys_on_a_cluster_and_a_killed_worker(cluster: Cluster, sink: tuple[int, Sink]) -> None:
    """One test for one cluster: pytest-xdist would otherwise spread the steps over its workers (its
    ``xdist_group`` grouping has no effect with the pytest of this lock), each starting a cluster of its own."""
    homeowner_journey(cluster, sink)
    cookie_session(cluster)
    factory_journey(cluster)
    killed_worker(cluster)
