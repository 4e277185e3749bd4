"""Settings: the only module that reads the environment (``ROOMWRIGHT_*`` variables)."""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ROOMWRIGHT_", env_file=None, extra="ignore")

    database_url: str = Field(
        default=f"sqlite:///{PROJECT_ROOT / 'var' / 'roomwright.db'}",
        description="SQLAlchemy URL; postgresql+psycopg://user@host/db switches to PostgreSQL",
    )
    var_dir: Path = PROJECT_ROOT / "var"
    upload_dir: Path | None = Field(default=None, description="where uploads are kept (default var/uploads)")
    file_store: Literal["local", "s3", "database"] = Field(
        default="local", description="where uploads and order packages are kept: local (upload_dir, one "
        "machine), s3 (an S3-compatible bucket that several app processes and machines share) or database "
        "(a table in the app's database: shared too on PostgreSQL)")
    s3_bucket: str | None = Field(default=None, description="the bucket (file_store=s3)")
    s3_prefix: str = Field(default="", description="prepended to every object name, e.g. roomwright/")
    s3_endpoint_url: str | None = Field(default=None, description="a server other than AWS, e.g. "
                                        "http://minio.internal:9000")
    s3_region: str | None = None
    s3_access_key_id: str | None = Field(default=None, description="unset: boto3's usual credential chain "
                                         "(AWS_* variables, ~/.aws, an instance role)")
    s3_secret_access_key: SecretStr | None = None
    s3_retries: int = Field(default=4, ge=1, le=10, description="attempts per S3 request before the answer "
                            "is 503 (file storage unavailable)")
    secret_key: str | None = Field(
        default=None, description="signs session cookies; generated once into var/secret.key when unset (set it "
        "when app processes run on several machines: each would make its own)"
    )
    max_upload_bytes: int = 25 * 1024 * 1024
    max_upload_pixels: int = 50_000_000
    session_days: int = 14
    cookie_secure: bool = False
    login_max_failures: int = Field(default=5, ge=1, description="failed logins of one account from one source "
                                    "before that pair waits (other sources are not affected)")
    login_window_seconds: int = Field(default=900, ge=1, description="how long a failed login counts; also the "
                                      "longest wait")
    login_backoff_seconds: int = Field(default=30, ge=1, description="the first wait once the failures reach the "
                                       "limit; it doubles with each further failure, up to the window")
    login_source_max_failures: int = Field(default=100, ge=1, description="failed logins from one source, over "
                                           "all accounts, before that source waits for the window")
    trusted_proxies: str = Field(default="", description="comma-separated addresses or networks (10.0.0.0/8) of "
                                 "reverse proxies whose X-Forwarded-For/-Proto are believed; from any other peer "
                                 "these headers are ignored")
    request_threads: int = Field(default=40, ge=1, le=512, description="threads serving requests; as many "
                                 "requests use the database at once, the others queue")
    gc_tune: bool = Field(default=True, description="at start-up, move what start-up made (modules, routes, "
                          "schemas: 200 000 objects and more) out of the garbage collector's reach (gc.freeze) and "
                          "collect the youngest objects every 10 000 allocations instead of 700, once per "
                          "process: the collector then stops the process less often and for less time")
    db_wait_seconds: float = Field(default=20.0, gt=0, description="longest wait for a database connection or "
                                   "(SQLite) for the write lock")
    public_url: str | None = Field(
        default=None, description="the address people and printed labels reach the server at "
        "(https://roomwright.example.com); absolute links (QR codes on part labels and hand-offs, share links) "
        "start with it. Unset: the address the request came to, i.e. the host and port it serves on")
    frontend_dir: Path = PROJECT_ROOT / "frontend"
    assets_dir: Path = PROJECT_ROOT / "assets"
    default_locale: str = "en"
    test_clock: bool = Field(default=False, description="end-to-end tests only: an admin may move the booking clock")
    renderer: str = Field(default="blender", description="the Blender command for photoreal renders (a name on "
                          "PATH or a path); 'off' disables renders")
    job_workers: int = Field(default=2, ge=1, le=64, description="threads for long work (vectorizing, packages); "
                             "in `roomwright worker` the threads of each worker process")
    broker_url: str | None = Field(default=None, description="Redis URL of the job queue (redis://host:6379/0); "
                                   "set, jobs run on `roomwright worker` processes and their records live in the "
                                   "database; unset, jobs run in the app process (the embedded default)")
    broker_namespace: str = Field(default="roomwright", min_length=1, max_length=60,
                                  description="prefix of every key the queue keeps in Redis (one per deployment)")
    broker_heartbeat_seconds: float = Field(default=15.0, gt=0, description="a worker silent this long is taken "
                                            "for dead: the jobs it had taken are delivered again")
    job_time_limit_seconds: float = Field(default=600.0, gt=0, description="a job running longer is stopped "
                                          "and fails with a timeout")
    job_keep_seconds: float = Field(default=86400.0, gt=0, description="how long finished jobs stay pollable")
    outbox_interval_seconds: float = Field(default=30.0, gt=0, description="how often a worker sends the due "
                                           "notifications (one worker of the cluster per interval)")
    smtp_host: str | None = Field(default=None, description="SMTP server for e-mail notifications; unset, they "
                                  "are appended to var/outbox.jsonl")
    smtp_port: int = Field(default=25, ge=1, le=65535)
    smtp_starttls: bool = False
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_from: str = Field(default="Roomwright <no-reply@roomwright.invalid>", description="the From: address")
    smtp_timeout_seconds: float = Field(default=10.0, gt=0)
    sms_sender: str = Field(default="log", description="`log` (each SMS is logged) or `module:factory`, a "
                            "callable that returns a sender with send(message)")
    contact_relay: str = Field(default="none", description="the masked phone relay a booking's customer and "
                               "performer contact each other through: `none` (the booking page says to contact "
                               "through the store), `test` (the recording relay: routes nothing, for tests and "
                               "demos) or `module:factory`, a callable that returns a relay "
                               "(backend.commerce.relay.ContactRelay)")
    process_header: bool = Field(default=False, description="add X-Roomwright-Process (host:pid) to every "
                                 "response, to see which app process answered behind a load balancer")

    @field_validator("public_url")
    @classmethod
    def _public_url_is_http(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("ROOMWRIGHT_PUBLIC_URL must start with http:// or https://")
        return value or None

    def public_base(self, request_base: str) -> str:
        """The server's public address without a trailing slash: the setting, else ``request_base``
        (the request's own base URL)."""
        return (self.public_url or request_base).rstrip("/")

    def trusted_proxy_list(self) -> list[str]:
        return [item.strip() for item in self.trusted_proxies.split(",") if item.strip()]

    def db_pool_size(self) -> int:
        """Connections needed at most: one per request using the database, one per job thread, a few spare."""
        return self.request_threads + self.job_workers + 4

    def resolved_upload_dir(self) -> Path:
        return self.upload_dir or self.var_dir / "uploads"

    def resolved_secret_key(self) -> str:
        """The configured secret, or one generated once and kept in ``var/secret.key``."""
        if self.secret_key:
            return self.secret_key
        path = self.var_dir / "secret.key"
        if not path.exists():
            # Several app processes starting at once (uvicorn --workers N) must end with one key: each
            # writes its own to a temporary file and links it into place, which only the first succeeds.
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".secret-")
            try:
                with os.fdopen(fd, "w") as handle:
                    handle.write(secrets.token_urlsafe(48))
                os.chmod(tmp, 0o600)
                with contextlib.suppress(FileExistsError):  # another process was first: its key stands
                    os.link(tmp, path)
            finally:
                os.unlink(tmp)
        return path.read_text().strip()


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
