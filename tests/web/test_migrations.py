"""Migrations: empty → head → base → head on each backend, and the models match the migrations."""

from __future__ import annotations

import os

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from backend.db import tables
from backend.db.engine import make_engine
from backend.db.migrate import downgrade, upgrade
from support.db import fresh_postgres

PG_URL = os.environ.get("ROOMWRIGHT_TEST_POSTGRES_URL")


@pytest.fixture(params=["sqlite", *(["postgres"] if PG_URL else [])])
def empty_url(request: pytest.FixtureRequest, tmp_path: object) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/empty.db"
    assert PG_URL
    return fresh_postgres(PG_URL, f"mig_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}")


def test_empty_to_head_and_back(empty_url: str) -> None:
    upgrade(empty_url)
    engine = make_engine(empty_url)
    names = set(inspect(engine).get_table_names())
    assert {t.name for t in tables.Base.metadata.sorted_tables} <= names
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}),
                                tables.Base.metadata)
    assert diff == [], f"models and migrations differ; add a migration: {diff}"
    engine.dispose()
    downgrade(empty_url, "base")
    engine = make_engine(empty_url)
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    engine.dispose()
    upgrade(empty_url)
