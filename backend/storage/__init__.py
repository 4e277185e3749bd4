"""File storage behind one small interface, content-addressed by SHA-256: a local directory by default, an
S3-compatible bucket that several app processes and machines share (``ROOMWRIGHT_FILE_STORE=s3``), or the
app's own database (``ROOMWRIGHT_FILE_STORE=database``, shared too when that is PostgreSQL).

Every file the app keeps goes through a ``FileStore``: uploaded photos and plans, and order packages (the
zip with cut lists, nesting, DXF, labels…). Proposal PDFs are rendered per request and never stored.

The contract, the same for every backend (tests/storage/test_contract.py): ``put`` returns the SHA-256 hex
digest of the bytes and storing the same bytes twice keeps one copy; ``get`` returns exactly the bytes
stored, and raises ``FileNotFoundError`` for a key never stored; ``exists`` answers False for it; a key that is
not a SHA-256 hex digest raises ``KeyError`` (``exists``: False), so a caller can never name another path.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from backend.settings import Settings


def check_key(key: str) -> str:
    """``key`` if it is a SHA-256 hex digest (what ``put`` returns), else ``KeyError``."""
    if len(key) != 64 or any(c not in "0123456789abcdef" for c in key):
        raise KeyError(key)
    return key


class FileStore(Protocol):
    def put(self, data: bytes) -> str:
        """Store ``data``; returns its key (the SHA-256 hex digest). Storing the same bytes twice is free."""

    def get(self, key: str) -> bytes: ...

    def exists(self, key: str) -> bool: ...


class LocalFileStore:
    """Files under ``root/ab/cdef…`` named by their SHA-256; writes are atomic (temp file + rename)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        check_key(key)
        return self.root / key[:2] / key[2:]

    def put(self, data: bytes) -> str:
        key = hashlib.sha256(data).hexdigest()
        path = self._path(key)
        if path.exists():
            return key
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return key

    def get(self, key: str) -> bytes:
        return self._path(key).read_bytes()

    def exists(self, key: str) -> bool:
        try:
            return self._path(key).exists()
        except KeyError:
            return False


def file_store_from_settings(settings: Settings, engine: Engine | None = None) -> FileStore:
    """The store the settings name: ``local`` (``ROOMWRIGHT_UPLOAD_DIR``), ``s3`` (``ROOMWRIGHT_S3_*``) or
    ``database`` (the app's database, through ``engine``)."""
    if settings.file_store == "database":
        from backend.storage.database import DatabaseFileStore

        if engine is None:
            raise ValueError("ROOMWRIGHT_FILE_STORE=database needs the app's database engine")
        return DatabaseFileStore(engine)
    if settings.file_store == "s3":
        from backend.storage.s3 import S3FileStore

        if not settings.s3_bucket:
            raise ValueError("ROOMWRIGHT_FILE_STORE=s3 needs ROOMWRIGHT_S3_BUCKET")
        return S3FileStore(
            settings.s3_bucket, prefix=settings.s3_prefix, endpoint_url=settings.s3_endpoint_url,
            region=settings.s3_region, access_key_id=settings.s3_access_key_id,
            secret_access_key=settings.s3_secret_access_key.get_secret_value() if settings.s3_secret_access_key
            else None, connections=settings.db_pool_size(), retries=settings.s3_retries)
    return LocalFileStore(settings.resolved_upload_dir())
