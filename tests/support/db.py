"""Fresh PostgreSQL databases for the storage tests (trust auth on this machine and in CI)."""

from __future__ import annotations

from sqlalchemy.engine import make_url


def fresh_postgres(base_url: str, suffix: str) -> str:
    import psycopg

    url = make_url(base_url)
    name = f"{url.database}_{suffix}"
    admin = url.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return url.set(database=name).render_as_string(hide_password=False)
