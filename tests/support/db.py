"""Fresh PostgreSQL databases for the storage tests (trust auth on this machine and in CI)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete
from sqlalchemy.engine import make_url

from backend.db import tables


def fresh_postgres(base_url: str, suffix: str) -> str:
    import psycopg

    url = make_url(base_url)
    name = f"{url.database}_{suffix}"
    admin = url.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return url.set(database=name).render_as_string(hide_password=False)


def close_app(app: Any) -> None:
    """Empty every table of the app's database (children first) and close its connections, so the next
    test that shares the database starts from nothing."""
    with app.state.sessionmaker() as db:
        for table in reversed(tables.Base.metadata.sorted_tables):
            db.execute(delete(table))
        db.commit()
    app.state.engine.dispose()
