"""Storage: SQLAlchemy tables (one module per domain, one metadata), engines, Alembic migrations."""
