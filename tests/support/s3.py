"""A real S3-compatible server on a free loopback port for the storage tests: moto's standalone server
(``moto[s3]``, the same HTTP API as AWS S3; MinIO and the like are not on PyPI or Debian). The app's
boto3 client talks to it over HTTP exactly as it would to a bucket elsewhere."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from backend.storage.s3 import S3FileStore


@dataclass(frozen=True)
class S3Server:
    endpoint_url: str
    access_key_id: str = "roomwright-test"
    secret_access_key: str = "roomwright-test-secret"
    region: str = "us-east-1"

    def store(self, bucket: str, prefix: str = "") -> S3FileStore:
        from backend.storage.s3 import S3FileStore

        store = S3FileStore(bucket, prefix=prefix, endpoint_url=self.endpoint_url, region=self.region,
                            access_key_id=self.access_key_id, secret_access_key=self.secret_access_key)
        store.ensure_bucket()
        return store


@contextmanager
def s3_server() -> Iterator[S3Server]:
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request otherwise
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield S3Server(f"http://{host}:{port}")
    finally:
        server.stop()


def bucket_name(label: str) -> str:
    return f"rw-{label}-{os.urandom(4).hex()}"
