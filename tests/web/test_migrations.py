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


def test_message_keys_migration_keeps_old_messages(empty_url: str) -> None:
    """0013 adds the message key and parameters; revisions saved before keep their text (no key), and
    going back to 0012 keeps every revision's text."""
    from sqlalchemy import text
    from sqlalchemy.orm import Session

    upgrade(empty_url, "0012_gallery_comments")
    engine = make_engine(empty_url)
    assert "message_key" not in {c["name"] for c in inspect(engine).get_columns("design_revisions")}
    engine.dispose()
    upgrade(empty_url)
    engine = make_engine(empty_url)
    with Session(engine) as db:
        user = tables.User(email="a@example.com", password_hash="x", role="homeowner", display_name="A")
        db.add(user)
        db.flush()
        design = tables.Design(owner_id=user.id, name="K", current_revision=2, schema_version=1, room_count=0,
                               cabinet_count=0)
        db.add(design)
        db.flush()
        db.add_all([tables.DesignRevision(design_id=design.id, number=1, document={}, author_id=user.id,
                                          message="Created", message_key="created", message_params={}),
                    tables.DesignRevision(design_id=design.id, number=2, document={}, author_id=user.id,
                                          message="Renamed to K")])
        db.commit()
    engine.dispose()
    downgrade(empty_url, "0012_gallery_comments")
    upgrade(empty_url)
    engine = make_engine(empty_url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT number, message, message_key, message_params FROM design_revisions "
                                 "ORDER BY number")).all()
    engine.dispose()
    assert [tuple(r) for r in rows] == [(1, "Created", None, None), (2, "Renamed to K", None, None)]
