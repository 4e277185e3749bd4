"""Files kept in the app's own database (``ROOMWRIGHT_FILE_STORE=database``): on PostgreSQL, every app
process and machine that shares the database shares the files too, with nothing else to run or back up.
Best for installations whose files stay modest (photos of a few MB, packages of a few MB); for many GB
an S3-compatible bucket (backend.storage.s3) keeps the database small.

Each ``put`` commits on its own connection at once, like a file written to a directory or a bucket: a
request rolled back later leaves the bytes stored but unreferenced, which is harmless (content-addressed,
a later identical upload reuses them).
"""

from __future__ import annotations

import hashlib

from sqlalchemy import Engine, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from backend.db import tables
from backend.storage import check_key

FILES = tables.StoredFile


class DatabaseFileStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._insert = pg_insert if engine.dialect.name == "postgresql" else sqlite_insert

    def put(self, data: bytes) -> str:
        key = hashlib.sha256(data).hexdigest()
        if self.exists(key):
            return key
        statement = self._insert(FILES).values(key=key, data=data, size_bytes=len(data),
                                               created_at=tables.utcnow()).on_conflict_do_nothing()
        with self.engine.begin() as conn:
            conn.execute(statement)
        return key

    def get(self, key: str) -> bytes:
        check_key(key)
        with self.engine.connect() as conn:
            data = conn.execute(select(FILES.data).where(FILES.key == key)).scalar()
        if data is None:
            raise FileNotFoundError(key)
        return bytes(data)

    def exists(self, key: str) -> bool:
        try:
            check_key(key)
        except KeyError:
            return False
        with self.engine.connect() as conn:
            return conn.execute(select(FILES.key).where(FILES.key == key)).first() is not None
