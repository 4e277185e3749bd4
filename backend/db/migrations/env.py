"""Alembic environment: runs migrations against the URL given by backend.db.migrate."""

from __future__ import annotations

from alembic import context

from backend.db import booking_tables, commerce_tables  # noqa: F401
from backend.db.engine import make_engine
from backend.db.tables import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    url = config.get_main_option("sqlalchemy.url")
    assert url, "sqlalchemy.url must be set by backend.db.migrate"
    engine = make_engine(url)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations_online()
