"""Fixtures for storage and API tests: they run on SQLite always and on PostgreSQL when
ROOMWRIGHT_TEST_POSTGRES_URL is set (each pytest-xdist worker gets its own fresh database)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from backend.db.migrate import upgrade
from backend.main import create_app
from backend.services.demo import seed_demo
from backend.settings import Settings
from support.db import close_app, fresh_postgres

PG_URL = os.environ.get("ROOMWRIGHT_TEST_POSTGRES_URL")
BACKENDS = ["sqlite", *(["postgres"] if PG_URL else [])]


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'roomwright.db'}"
    else:
        assert PG_URL
        url = fresh_postgres(PG_URL, worker)
    upgrade(url)
    return url


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(database_url=database_url, var_dir=tmp_path, upload_dir=tmp_path / "uploads",
                    secret_key="test-secret-key", max_upload_bytes=2 * 1024 * 1024, max_upload_pixels=4_000_000,
                    login_max_failures=3, renderer="off",  # renders: tests/web/test_renders.py
                    contact_relay="test")  # the recording relay: tests/web/test_contact_relay.py


@pytest.fixture
def app(settings: Settings) -> Iterator[FastAPI]:
    application = create_app(settings)
    yield application
    close_app(application)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def demo_app(app: FastAPI) -> FastAPI:
    """The app with the demo data seeded (the accounts ``make run`` prints)."""
    with app.state.sessionmaker() as db:
        seed_demo(db)
        db.commit()
    return app
