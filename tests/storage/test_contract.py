"""The FileStore contract, run against every backend: the local directory (the default), an S3-compatible
bucket on a real server (moto's, over HTTP on loopback), and the database (SQLite, and PostgreSQL when
ROOMWRIGHT_TEST_POSTGRES_URL is set). Two store objects on the same directory, bucket or database stand
for two app processes or machines: what one stores, the other reads."""

from __future__ import annotations

import hashlib
import os
import socket
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from backend.db import tables
from backend.db.engine import make_engine
from backend.db.migrate import upgrade
from backend.errors import StorageUnavailable
from backend.settings import Settings
from backend.storage import FileStore, LocalFileStore, file_store_from_settings
from backend.storage.database import DatabaseFileStore
from backend.storage.s3 import S3FileStore
from support.db import fresh_postgres
from support.s3 import S3Server, bucket_name, s3_server

PG_URL = os.environ.get("ROOMWRIGHT_TEST_POSTGRES_URL")

MakeStore = Callable[[], Any]


@pytest.fixture(scope="module")
def s3() -> Iterator[S3Server]:
    with s3_server() as server:
        yield server


@pytest.fixture(scope="module")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Engine]]:
    urls = {"sqlite": f"sqlite:///{tmp_path_factory.mktemp('files') / 'files.db'}"}
    if PG_URL:
        urls["postgres"] = fresh_postgres(PG_URL, f"files_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}")
    engines = {}
    for name, url in urls.items():
        upgrade(url)
        engines[name] = make_engine(url, pool_size=10)
    yield engines
    for engine in engines.values():
        engine.dispose()


@pytest.fixture(params=["local", "s3", "database-sqlite", *(["database-postgres"] if PG_URL else [])])
def stores(request: pytest.FixtureRequest, tmp_path: Path) -> MakeStore:
    """A factory of stores that share one backing (directory, bucket or database)."""
    if request.param == "local":
        return lambda: LocalFileStore(tmp_path / "files")
    if request.param.startswith("database-"):
        engine = request.getfixturevalue("databases")[request.param.removeprefix("database-")]
        with engine.begin() as conn:
            conn.execute(tables.StoredFile.__table__.delete())
        return lambda: DatabaseFileStore(engine)
    server: S3Server = request.getfixturevalue("s3")
    bucket = bucket_name("contract")
    return lambda: server.store(bucket, prefix="files/")


def test_put_returns_the_sha256_and_get_the_same_bytes(stores: MakeStore) -> None:
    store: FileStore = stores()
    for data in (b"", b"plan", bytes(range(256)) * 3, b"\x00" * 5_000_000):
        key = store.put(data)
        assert key == hashlib.sha256(data).hexdigest()
        assert store.exists(key)
        assert store.get(key) == data


def test_storing_the_same_bytes_twice_keeps_one_copy(stores: MakeStore, tmp_path: Path) -> None:
    store = stores()
    first, second = store.put(b"same bytes"), store.put(b"same bytes")
    assert first == second and store.get(first) == b"same bytes"
    if isinstance(store, S3FileStore):
        listed = store.client.list_objects_v2(Bucket=store.bucket)["Contents"]
        assert [o["Key"] for o in listed] == [f"files/{first[:2]}/{first[2:]}"]
    elif isinstance(store, DatabaseFileStore):
        with store.engine.connect() as conn:
            assert conn.execute(select(func.count()).select_from(tables.StoredFile)).scalar() == 1
    else:
        assert [p.name for p in (tmp_path / "files").rglob("*") if p.is_file()] == [first[2:]]


def test_a_key_never_stored_is_missing(stores: MakeStore) -> None:
    store = stores()
    key = hashlib.sha256(b"never stored").hexdigest()
    assert not store.exists(key)
    with pytest.raises(FileNotFoundError):
        store.get(key)


@pytest.mark.parametrize("bad", ["../../etc/passwd", "ab", "A" * 64, "g" * 64, "0" * 63 + "/", ""])
def test_a_key_that_is_not_a_sha256_names_no_file(stores: MakeStore, bad: str) -> None:
    store = stores()
    store.put(b"something")
    assert not store.exists(bad)
    with pytest.raises(KeyError):
        store.get(bad)


def test_another_process_on_the_same_backing_reads_what_one_stored(stores: MakeStore) -> None:
    writer, reader = stores(), stores()
    key = writer.put(b"an order package")
    assert reader.exists(key) and reader.get(key) == b"an order package"


def test_concurrent_puts_of_the_same_and_of_different_bytes(stores: MakeStore) -> None:
    store = stores()
    payloads = [f"file {i % 4}".encode() * 1000 for i in range(16)]
    with ThreadPoolExecutor(8) as pool:
        keys = list(pool.map(store.put, payloads))
    assert keys == [hashlib.sha256(p).hexdigest() for p in payloads]
    assert all(store.get(k) == p for k, p in zip(keys, payloads, strict=True))


def test_s3_prefixes_keep_two_installations_apart(s3: S3Server) -> None:
    bucket = bucket_name("prefix")
    one, other = s3.store(bucket, "one/"), s3.store(bucket, "other/")
    key = one.put(b"only in one")
    assert one.exists(key) and not other.exists(key)


def test_an_unreachable_s3_server_fails_loudly() -> None:
    store = S3FileStore("rw-nowhere", endpoint_url=f"http://127.0.0.1:{closed_port()}", access_key_id="x",
                        secret_access_key="y", region="us-east-1", retries=1)
    key = hashlib.sha256(b"not stored anywhere").hexdigest()
    for attempt in (lambda: store.put(b"not stored anywhere"), lambda: store.get(key), lambda: store.exists(key)):
        with pytest.raises(StorageUnavailable):
            attempt()


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_the_setting_chooses_the_backend(s3: S3Server, tmp_path: Path) -> None:
    assert isinstance(file_store_from_settings(Settings(var_dir=tmp_path)), LocalFileStore)
    bucket = bucket_name("settings")
    s3.store(bucket)
    chosen = file_store_from_settings(Settings(
        var_dir=tmp_path, file_store="s3", s3_bucket=bucket, s3_endpoint_url=s3.endpoint_url,
        s3_region=s3.region, s3_access_key_id=s3.access_key_id, s3_secret_access_key=s3.secret_access_key))
    assert isinstance(chosen, S3FileStore)
    key = chosen.put(b"via settings")
    assert s3.store(bucket).get(key) == b"via settings"
    with pytest.raises(ValueError, match="ROOMWRIGHT_S3_BUCKET"):
        file_store_from_settings(Settings(var_dir=tmp_path, file_store="s3"))
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    assert isinstance(file_store_from_settings(Settings(var_dir=tmp_path, file_store="database"), engine),
                      DatabaseFileStore)
    engine.dispose()

