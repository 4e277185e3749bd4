"""Concurrent writers on SQLite against a real server (uvicorn on a loopback port, one process, the
way ``roomwright serve`` runs): every upload and every save succeeds, and the server keeps answering
while they run. Before the handlers left the event loop, 12–20 concurrent uploads gave 500
"database is locked" and the server stopped answering."""

from __future__ import annotations

import io
import os
import random
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from PIL import Image

from backend.db.engine import make_engine, make_sessionmaker
from backend.db.migrate import upgrade
from backend.services import accounts
from support.api import PASSWORD, png_bytes
from support.live import live_server
from support.threads import all_at_once

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """(base URL, database URL) of a real server on SQLite."""
    var = tmp_path_factory.mktemp("live")
    db_url = f"sqlite:///{var / 'live.db'}"
    upgrade(db_url)
    env = {**os.environ, "ROOMWRIGHT_DATABASE_URL": db_url, "ROOMWRIGHT_VAR_DIR": str(var),
           "ROOMWRIGHT_SECRET_KEY": "live-secret"}
    with live_server(env, var) as url:
        yield url, db_url


def tokens(url: str, db_url: str, prefix: str, count: int) -> list[dict[str, str]]:
    """Bearer headers of ``count`` new homeowners (created in the database, logged in over HTTP)."""
    engine = make_engine(db_url)
    with make_sessionmaker(engine)() as db:
        for i in range(count):
            accounts.create_user(db, f"{prefix}{i}@example.com", PASSWORD, "homeowner")
        db.commit()
    engine.dispose()
    out = []
    with httpx.Client(base_url=url, timeout=30) as client:
        for i in range(count):
            response = client.post("/api/auth/login", json={"email": f"{prefix}{i}@example.com", "password": PASSWORD})
            assert response.status_code == 200, response.text
            out.append({"Authorization": f"Bearer {response.json()['token']}"})
    return out


def photo(seed: int) -> bytes:
    """A 600×400 photo-like PNG (noise: nothing compresses it away), different for every seed."""
    rng = random.Random(seed)
    image = Image.frombytes("RGB", (600, 400), rng.randbytes(600 * 400 * 3))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


class Watch:
    """Asks /api/health every 50 ms while the load runs; the slowest answer tells whether the server froze."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.slowest = 0.0
        self.failures = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run)

    def _run(self) -> None:
        with httpx.Client(base_url=self.url, timeout=60) as client:
            while not self._stop.is_set():
                start = time.perf_counter()
                try:
                    ok = client.get("/api/health").status_code == 200
                except httpx.HTTPError:
                    ok = False
                self.failures += not ok
                self.slowest = max(self.slowest, time.perf_counter() - start)
                self._stop.wait(0.05)

    def __enter__(self) -> Watch:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()


def test_twenty_concurrent_uploads_on_sqlite_all_succeed(live: tuple[str, str]) -> None:
    url, db_url = live
    users = tokens(url, db_url, "uploader", 20)
    images = [photo(i) for i in range(20)]

    def upload(i: int) -> tuple[int, str]:
        with httpx.Client(base_url=url, timeout=120) as client:
            response = client.post("/api/uploads", headers=users[i],
                                   files={"file": (f"plan{i}.png", images[i], "image/png")})
        return response.status_code, response.text

    with Watch(url) as watch:
        results = all_at_once(20, upload)
    answers = [r for r in results if isinstance(r, tuple)]
    assert len(answers) == 20, [r for r in results if not isinstance(r, tuple)]
    assert [code for code, _ in answers] == [201] * 20, [text for code, text in answers if code != 201]
    assert watch.failures == 0 and watch.slowest < 10, f"the server froze for {watch.slowest:.1f} s"
    with httpx.Client(base_url=url, timeout=30) as client:
        for i in range(20):
            listed = client.get("/api/designs", headers=users[i])
            assert listed.status_code == 200


def test_fifty_users_loading_and_saving_at_once_on_sqlite(live: tuple[str, str]) -> None:
    url, db_url = live
    users = tokens(url, db_url, "saver", 50)
    designs = []
    with httpx.Client(base_url=url, timeout=30) as client:
        for headers in users:
            created = client.post("/api/designs", json={"name": "Kitchen"}, headers=headers)
            assert created.status_code == 201, created.text
            designs.append(created.json()["id"])

    def session(i: int) -> list[int]:
        codes = []
        with httpx.Client(base_url=url, timeout=120, headers=users[i]) as client:
            for n in range(4):
                loaded = client.get(f"/api/designs/{designs[i]}")
                codes.append(loaded.status_code)
                body = loaded.json()
                document = {**body["document"], "name": f"Kitchen {n}"}
                saved = client.put(f"/api/designs/{designs[i]}",
                                   json={"base_revision": body["revision"], "document": document})
                codes.append(saved.status_code)
        return codes

    with Watch(url) as watch:
        results = all_at_once(50, session)
    errors = [r for r in results if not isinstance(r, list) or any(code >= 400 for code in r)]
    assert not errors, errors[:5]
    assert watch.failures == 0 and watch.slowest < 10, f"the server froze for {watch.slowest:.1f} s"
    with httpx.Client(base_url=url, timeout=30) as client:
        final = client.get(f"/api/designs/{designs[0]}", headers=users[0]).json()
    assert final["revision"] == 5 and final["name"] == "Kitchen 3"


def test_two_app_processes_on_one_sqlite_database(live: tuple[str, str], tmp_path: Path) -> None:
    """A second process on the same SQLite file (WAL and the busy timeout hold across processes): saves
    of one design on one base from both at once give exactly one new revision and 409s, never a 500 or
    "database is locked"; uploads and saves of different designs through both all succeed, and each
    process serves what the other wrote (its per-process caches never hide a newer revision)."""
    url, db_url = live
    env = {**os.environ, "ROOMWRIGHT_DATABASE_URL": db_url, "ROOMWRIGHT_VAR_DIR": str(tmp_path),
           "ROOMWRIGHT_SECRET_KEY": "live-secret", "ROOMWRIGHT_UPLOAD_DIR": str(Path(db_url[10:]).parent / "uploads")}
    with live_server(env, tmp_path) as other:
        urls = [url, other]
        users = tokens(url, db_url, "twoproc", 6)
        with httpx.Client(timeout=30) as client:
            designs = [client.post(f"{url}/api/designs", json={"name": "Shared"}, headers=h).json() for h in users]
            client.get(f"{other}/api/designs/{designs[0]['id']}", headers=users[0])  # cached there at revision 1

        def race(i: int) -> int:
            with httpx.Client(base_url=urls[i % 2], timeout=60, headers=users[0]) as client:
                return client.put(f"/api/designs/{designs[0]['id']}", json={
                    "base_revision": 1, "document": {"schema_version": 1, "name": f"Writer {i}"}}).status_code

        codes = all_at_once(20, race)
        assert sorted(codes) == [200] + [409] * 19, codes  # type: ignore[type-var]
        images = [png_bytes(64 + i, 48) for i in range(6)]

        def work(i: int) -> list[int]:
            with httpx.Client(base_url=urls[i % 2], timeout=60, headers=users[i]) as client:
                up = client.post("/api/uploads", files={"file": (f"p{i}.png", images[i], "image/png")})
                codes = [up.status_code]
                for n in range(3):
                    saved = client.put(f"/api/designs/{designs[i]['id']}", json={
                        "base_revision": 1 + n + (i == 0), "document": {"schema_version": 1, "name": f"Mine {n}"}})
                    codes.append(saved.status_code)
            return codes

        results = all_at_once(6, work)
        assert results == [[201, 200, 200, 200]] * 6, results
        with httpx.Client(timeout=30) as client:
            for i, design in enumerate(designs):
                for base in urls:
                    body = client.get(f"{base}/api/designs/{design['id']}", headers=users[i]).json()
                    assert (body["revision"], body["name"]) == (4 + (i == 0), "Mine 2"), (base, body)
