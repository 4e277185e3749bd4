"""The app on shared file storage (ROOMWRIGHT_FILE_STORE=s3 with a real S3-compatible server on loopback,
or =database): a plan photo uploaded to one app process is traced by it and shown by another, and an
order's package built by one downloads from another that shares only the database (and the bucket),
not a directory."""

from __future__ import annotations

import hashlib
import io
import socket
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import func, select

from backend.db import tables
from backend.main import create_app
from backend.settings import Settings
from support.api import assert_problem, login, make_user
from support.db import close_app
from support.documents import kitchen
from support.plans import drawn_flat_png
from support.s3 import S3Server, bucket_name, s3_server


@pytest.fixture(scope="module")
def s3() -> Iterator[S3Server]:
    with s3_server() as server:
        yield server


def finished(client: TestClient, response: Any, headers: dict[str, str]) -> dict[str, Any]:
    body: dict[str, Any] = response.json()
    deadline = time.monotonic() + 60
    while body["status"] in ("queued", "running") and time.monotonic() < deadline:
        time.sleep(0.1)
        body = client.get(f"/api/jobs/{body['id']}", headers=headers).json()
    return body


def shared_settings(settings: Settings, backend: str, s3: S3Server, bucket: str, var_dir: Path) -> Settings:
    if backend == "database":
        return settings.model_copy(update={"var_dir": var_dir, "upload_dir": var_dir / "uploads",
                                           "file_store": "database"})
    return settings.model_copy(update={
        "var_dir": var_dir, "upload_dir": var_dir / "uploads", "file_store": "s3", "s3_bucket": bucket,
        "s3_prefix": "rw/", "s3_endpoint_url": s3.endpoint_url, "s3_region": s3.region,
        "s3_access_key_id": s3.access_key_id, "s3_secret_access_key": SecretStr(s3.secret_access_key)})


@pytest.mark.parametrize("backend", ["s3", "database"])
def test_plan_upload_and_order_package_shared_by_two_processes(settings: Settings, s3: S3Server, backend: str,
                                                               tmp_path: Path) -> None:
    bucket = bucket_name("app")
    s3.store(bucket)  # creates the bucket, as an operator would once
    one = create_app(shared_settings(settings, backend, s3, bucket, tmp_path / "one"))
    other = create_app(shared_settings(settings, backend, s3, bucket, tmp_path / "other"))
    try:
        with TestClient(one) as client, TestClient(other) as client2:
            owner = login(client, make_user(one, "homeowner"))
            factory = login(client2, make_user(one, "factory"))
            plan = drawn_flat_png()
            job = finished(client, client.post("/api/floorplans", files={"file": ("plan.png", plan, "image/png")},
                                               headers=owner), owner)
            assert job["status"] == "done", job  # traced from the bytes read back from the bucket
            upload_id = job["result"]["upload_id"]
            key = hashlib.sha256(plan).hexdigest()
            if backend == "s3":
                objects = s3.store(bucket, "rw/").client.list_objects_v2(Bucket=bucket)["Contents"]
                assert f"rw/{key[:2]}/{key[2:]}" in [o["Key"] for o in objects]
            else:
                with one.state.engine.connect() as conn:
                    assert conn.execute(select(tables.StoredFile.size_bytes).where(
                        tables.StoredFile.key == key)).scalar() == len(plan)
            shown = client2.get(f"/api/uploads/{upload_id}/content", headers=owner)
            assert shown.status_code == 200 and shown.content == plan

            design = client.post("/api/designs", json={"document": kitchen("Shared", 2)}, headers=owner).json()
            order = client.post(f"/api/designs/{design['id']}/orders", headers=owner, json={
                "revision": 1, "delivery": {"name": "Lin Wei", "phone": "138 0000 0000",
                                            "address": "8 Riverside Rd, Xuhui"}}).json()
            built = client.get(f"/api/orders/{order['id']}/package", headers=factory)
            assert built.status_code == 200, built.text
            assert "labels.pdf" in zipfile.ZipFile(io.BytesIO(built.content)).namelist()
            # the other process has no copy on its disk: it reads the package from the bucket
            again = client2.get(f"/api/orders/{order['id']}/package", headers=factory)
            assert again.status_code == 200 and again.content == built.content
            labels = client2.get(f"/api/orders/{order['id']}/files/labels.pdf", headers=factory)
            assert labels.status_code == 200 and labels.content.startswith(b"%PDF")
        assert not any(p.is_file() for p in tmp_path.rglob("uploads/**/*"))  # nothing written to local disk
    finally:
        other.state.engine.dispose()
        close_app(one)


def test_an_upload_while_the_bucket_is_unreachable_is_a_503_and_saves_nothing(settings: Settings,
                                                                              tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again: nothing listens there
    app = create_app(settings.model_copy(update={
        "var_dir": tmp_path, "file_store": "s3", "s3_bucket": "rw-down", "s3_endpoint_url": f"http://127.0.0.1:{port}",
        "s3_region": "us-east-1", "s3_access_key_id": "x", "s3_secret_access_key": SecretStr("y"), "s3_retries": 1}))
    try:
        with TestClient(app) as client:
            owner = login(client, make_user(app, "homeowner"))
            response = client.post("/api/uploads", files={"file": ("plan.png", drawn_flat_png(), "image/png")},
                                   headers=owner)
            body = assert_problem(response, 503)
            assert "try again" in body["detail"]
        with app.state.sessionmaker() as db:
            assert db.scalar(select(func.count()).select_from(tables.Upload)) == 0
    finally:
        close_app(app)
