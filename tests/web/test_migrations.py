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


def test_renders_migration_moves_old_renders_into_their_table(empty_url: str) -> None:
    """0015 moves the renders kept as ``uploads`` rows (``render:DESIGN:rREVISION:CAMERA``) into ``renders``,
    same ids and files, so their addresses keep working; an upload merely named like a render of someone
    else's design stays an upload; going back to 0014 puts the finished renders back under the old names."""
    from datetime import UTC, datetime

    from sqlalchemy import text
    from sqlalchemy.orm import Session

    upgrade(empty_url, "0014_portfolios")
    engine = make_engine(empty_url)
    at = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    with engine.begin() as conn:
        for uid, email in (("usr-owner", "o@example.com"), ("usr-other", "x@example.com")):
            conn.execute(text("INSERT INTO users (id, email, password_hash, role, display_name, is_active, "
                              "password_set, created_at) VALUES (:id, :e, 'x', 'homeowner', 'O', true, true, :at)"),
                         {"id": uid, "e": email, "at": at})
        conn.execute(text("INSERT INTO designs (id, owner_id, name, current_revision, schema_version, "
                          "cabinet_count, room_count, created_at, updated_at) "
                          "VALUES ('des-k', 'usr-owner', 'K', 2, 1, 0, 0, :at, :at)"), {"at": at})
        for uid, owner, name, key in (("upl-r1", "usr-owner", "render:des-k:r1:room", "k1"),
                                      ("upl-r2", "usr-owner", "render:des-k:r2:wall-ab12", "k2"),
                                      ("upl-fake", "usr-other", "render:des-k:r2:room", "k3"),
                                      ("upl-plan", "usr-owner", "plan.png", "k4")):
            conn.execute(text("INSERT INTO uploads (id, owner_id, sha256, content_type, size_bytes, width_px, "
                              "height_px, filename, storage_key, created_at) VALUES (:id, :owner, :key, "
                              "'image/png', 1234, 64, 36, :name, :key, :at)"),
                         {"id": uid, "owner": owner, "name": name, "key": key, "at": at})
    engine.dispose()
    upgrade(empty_url)
    engine = make_engine(empty_url)
    with Session(engine) as db:
        moved = db.query(tables.Render).order_by(tables.Render.id).all()
        assert [(r.id, r.design_id, r.revision, r.camera, r.width_px, r.height_px, r.samples, r.status, r.file_key,
                 r.size_bytes, r.created_at) for r in moved] == [
            ("upl-r1", "des-k", 1, "room", 64, 36, None, "done", "k1", 1234, at),
            ("upl-r2", "des-k", 2, "wall-ab12", 64, 36, None, "done", "k2", 1234, at)]
        assert sorted(u.id for u in db.query(tables.Upload)) == ["upl-fake", "upl-plan"]
        db.add(tables.Render(id="rnd-new", design_id="des-k", revision=2, camera="door", width_px=32, height_px=18,
                             samples=8, status="done", file_key="k5", size_bytes=99))
        db.add(tables.Render(id="rnd-failed", design_id="des-k", revision=2, camera="door", width_px=32,
                             height_px=18, samples=8, status="failed"))
        db.commit()
    engine.dispose()
    downgrade(empty_url, "0014_portfolios")
    engine = make_engine(empty_url)
    assert "renders" not in set(inspect(engine).get_table_names())
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT id, owner_id, filename, storage_key FROM uploads ORDER BY id")).all()
    engine.dispose()
    assert [tuple(r) for r in rows] == [
        ("rnd-new", "usr-owner", "render:des-k:r2:door", "k5"), ("upl-fake", "usr-other", "render:des-k:r2:room", "k3"),
        ("upl-plan", "usr-owner", "plan.png", "k4"), ("upl-r1", "usr-owner", "render:des-k:r1:room", "k1"),
        ("upl-r2", "usr-owner", "render:des-k:r2:wall-ab12", "k2")]
    upgrade(empty_url)


def test_store_phones_migration_keeps_the_rows_and_their_references(empty_url: str) -> None:
    """0017 adds ``stores.phone`` ("" for the stores there were) and ``users.phone`` (none), on tables that
    others reference; going back to 0015 drops them and keeps every row."""
    from datetime import UTC, datetime

    from sqlalchemy import text

    upgrade(empty_url, "0016_perf_indexes")
    engine = make_engine(empty_url)
    at = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO stores (id, name, address, district, timezone, opening_hours, created_at) "
                          "VALUES ('store-a', 'A', '', '', 'Asia/Shanghai', '{}', :at)"), {"at": at})
        conn.execute(text("INSERT INTO users (id, email, password_hash, role, display_name, store_id, is_active, "
                          "password_set, created_at) VALUES ('usr-m', 'm@example.com', 'x', 'store_manager', 'M', "
                          "'store-a', true, true, :at)"), {"at": at})
        conn.execute(text("INSERT INTO designs (id, owner_id, name, current_revision, schema_version, "
                          "cabinet_count, room_count, created_at, updated_at) "
                          "VALUES ('des-k', 'usr-m', 'K', 1, 1, 0, 0, :at, :at)"), {"at": at})
    engine.dispose()
    upgrade(empty_url)
    engine = make_engine(empty_url)
    with engine.begin() as conn:
        assert conn.execute(text("SELECT phone FROM stores WHERE id = 'store-a'")).scalar_one() == ""
        assert conn.execute(text("SELECT phone FROM users WHERE id = 'usr-m'")).scalar_one() is None
        conn.execute(text("UPDATE users SET phone = '+8613800138042' WHERE id = 'usr-m'"))
    engine.dispose()
    downgrade(empty_url, "0016_perf_indexes")
    engine = make_engine(empty_url)
    assert "phone" not in {c["name"] for c in inspect(engine).get_columns("users")}
    assert "phone" not in {c["name"] for c in inspect(engine).get_columns("stores")}
    with engine.connect() as conn:
        assert conn.execute(text("SELECT owner_id FROM designs WHERE id = 'des-k'")).scalar_one() == "usr-m"
        assert conn.execute(text("SELECT store_id FROM users WHERE id = 'usr-m'")).scalar_one() == "store-a"
    engine.dispose()
