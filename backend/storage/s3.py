"""Files in an S3-compatible bucket (AWS S3, MinIO, Ceph RGW, SeaweedFS, Garage…), shared by every app
process and worker that names the same bucket: ``ROOMWRIGHT_FILE_STORE=s3`` with ``ROOMWRIGHT_S3_*``.

Objects are named ``<prefix><ab>/<cdef…>`` by the SHA-256 of their bytes, like the local store's paths. An
object is written whole by one PUT, so a reader sees all of it or nothing; two processes storing the same
bytes write the same object, which is harmless. The server checks the SHA-256 of each upload
(``ChecksumSHA256``), so a corrupted transfer is refused instead of stored under the wrong name.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError, ConnectionError, HTTPClientError

from backend.errors import StorageUnavailable
from backend.storage import check_key

MISSING = {"404", "NoSuchKey", "NotFound"}
UNREACHABLE = (ConnectionError, HTTPClientError)  # refused, timed out, reset: after botocore's retries
UNAVAILABLE = {"500", "502", "503", "504", "InternalError", "ServiceUnavailable", "SlowDown"}


def _unavailable(exc: BotoCoreError | ClientError) -> StorageUnavailable:
    return StorageUnavailable("the file storage cannot be reached just now; nothing was stored or changed, "
                              "try again in a moment", extra={"reason": type(exc).__name__})


class S3FileStore:
    def __init__(self, bucket: str, *, prefix: str = "", endpoint_url: str | None = None,
                 region: str | None = None, access_key_id: str | None = None,
                 secret_access_key: str | None = None, connections: int = 10, retries: int = 4) -> None:
        """Credentials not given here come from boto3's usual chain (``AWS_*`` variables, ~/.aws, an
        instance role). ``connections``: the HTTP pool, one per thread that may use the store at once."""
        self.bucket = bucket
        self.prefix = prefix
        config = Config(
            max_pool_connections=connections, connect_timeout=5, read_timeout=60,
            retries={"max_attempts": retries, "mode": "standard"},
            # a custom endpoint (a local server) is addressed by path: its buckets have no DNS names
            s3={"addressing_style": "path" if endpoint_url else "auto"},
            request_checksum_calculation="when_required", response_checksum_validation="when_required")
        self.client: Any = boto3.session.Session().client(
            "s3", endpoint_url=endpoint_url, region_name=region, aws_access_key_id=access_key_id,
            aws_secret_access_key=secret_access_key, config=config)

    def _name(self, key: str) -> str:
        check_key(key)
        return f"{self.prefix}{key[:2]}/{key[2:]}"

    def ensure_bucket(self) -> None:
        """Create the bucket if it does not exist (a fresh local server, the tests)."""
        try:
            self.client.head_bucket(Bucket=self.bucket)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") not in MISSING:
                raise
            self.client.create_bucket(Bucket=self.bucket)

    def put(self, data: bytes) -> str:
        digest = hashlib.sha256(data)
        key = digest.hexdigest()
        if self.exists(key):
            return key
        try:
            self.client.put_object(Bucket=self.bucket, Key=self._name(key), Body=data,
                                   ContentType="application/octet-stream",
                                   ChecksumSHA256=base64.b64encode(digest.digest()).decode())
        except UNREACHABLE as exc:
            raise _unavailable(exc) from exc
        except ClientError as exc:
            if _code(exc) in UNAVAILABLE:
                raise _unavailable(exc) from exc
            raise
        return key

    def get(self, key: str) -> bytes:
        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=self._name(key))
            data: bytes = answer["Body"].read()
        except UNREACHABLE as exc:
            raise _unavailable(exc) from exc
        except ClientError as exc:
            if _code(exc) in MISSING:
                raise FileNotFoundError(key) from exc
            if _code(exc) in UNAVAILABLE:
                raise _unavailable(exc) from exc
            raise
        return data

    def exists(self, key: str) -> bool:
        try:
            self.client.head_object(Bucket=self.bucket, Key=self._name(key))
        except KeyError:
            return False
        except UNREACHABLE as exc:
            raise _unavailable(exc) from exc
        except ClientError as exc:
            if _code(exc) in MISSING:
                return False
            if _code(exc) in UNAVAILABLE:
                raise _unavailable(exc) from exc
            raise
        return True


def _code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))
