"""Real services for the queue and cluster tests: Redis from ROOMWRIGHT_TEST_REDIS_URL (each test its own key
namespace, removed afterwards), and an SMTP sink (aiosmtpd) on a free loopback port that keeps what it gets."""

from __future__ import annotations

import email
import email.policy
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from typing import Any

import pytest

REDIS_URL = os.environ.get("ROOMWRIGHT_TEST_REDIS_URL")
PG_URL = os.environ.get("ROOMWRIGHT_TEST_POSTGRES_URL")


def redis_url() -> str:
    """The test Redis (skips the test cleanly when ROOMWRIGHT_TEST_REDIS_URL is unset)."""
    if not REDIS_URL:
        pytest.skip("ROOMWRIGHT_TEST_REDIS_URL is not set (.ci/run sets it)")
    return REDIS_URL


@contextmanager
def redis_namespace() -> Iterator[str]:
    """A fresh key namespace on the test Redis; its keys are deleted at the end."""
    import redis

    namespace = f"rwtest-{uuid.uuid4().hex[:10]}"
    yield namespace
    client = redis.Redis.from_url(redis_url())
    keys = list(client.scan_iter(f"{namespace}*", count=500))
    if keys:
        client.delete(*keys)
    client.close()


class Sink:
    """What the SMTP sink received, one parsed e-mail per message, headers decoded (``handle_DATA`` is the
    hook aiosmtpd calls)."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        mail = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(mail, EmailMessage)
        self.messages.append(mail)
        return "250 OK"


@contextmanager
def smtp_sink() -> Iterator[tuple[int, Sink]]:
    """A real SMTP server (aiosmtpd) on a free port of 127.0.0.1: ``(port, sink)``."""
    from aiosmtpd.controller import Controller

    from support.live import free_port

    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller.port, sink
    finally:
        controller.stop()
