"""A real cluster for the tests: ``roomwright cluster`` (3 app processes on consecutive ports behind the
round-robin balancer, 2 queue workers) on a fresh PostgreSQL database and the test Redis, with an SMTP sink
for the notifications; stopped (SIGTERM, as a person would) at the end."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from support.live import ROOT
from support.services import Sink


@dataclass
class Cluster:
    url: str
    app_urls: list[str]
    database_url: str
    log: Path

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


def consecutive_free_ports(count: int) -> int:
    """The first of ``count`` consecutive free loopback ports."""
    for base in range(20000 + os.getpid() % 20000, 60000, count + 7):
        sockets = []
        try:
            for port in range(base, base + count):
                sock = socket.socket()
                sockets.append(sock)
                sock.bind(("127.0.0.1", port))
            return base
        except OSError:
            continue
        finally:
            for sock in sockets:
                sock.close()
    raise RuntimeError("no free ports")


def _healthy(url: str) -> bool:
    try:
        return httpx.get(f"{url}/api/health", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


@contextmanager
def running_cluster(database_url: str, redis_url: str, namespace: str, var: Path, smtp_port: int,
                    apps: int = 3, workers: int = 2, start_seconds: float = 90) -> Iterator[Cluster]:
    base = consecutive_free_ports(apps + 1)
    env = {**os.environ, "ROOMWRIGHT_DATABASE_URL": database_url, "ROOMWRIGHT_BROKER_URL": redis_url,
           "ROOMWRIGHT_BROKER_NAMESPACE": namespace, "ROOMWRIGHT_BROKER_HEARTBEAT_SECONDS": "3",
           "ROOMWRIGHT_OUTBOX_INTERVAL_SECONDS": "1", "ROOMWRIGHT_SMTP_HOST": "127.0.0.1",
           "ROOMWRIGHT_SMTP_PORT": str(smtp_port), "ROOMWRIGHT_VAR_DIR": str(var),
           "ROOMWRIGHT_PROCESS_HEADER": "true", "ROOMWRIGHT_REQUEST_THREADS": "8", "ROOMWRIGHT_JOB_WORKERS": "2",
           "ROOMWRIGHT_SECRET_KEY": "cluster-test-secret"}
    log = var / "cluster.log"
    cluster = Cluster(f"http://127.0.0.1:{base}", [f"http://127.0.0.1:{base + 1 + i}" for i in range(apps)],
                      database_url, log)
    with log.open("w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "backend.cli", "cluster", "--apps", str(apps),
                                 "--workers", str(workers), "--port", str(base)],
                                env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + start_seconds
            while not (all(_healthy(u) for u in [cluster.url, *cluster.app_urls])
                       and cluster.log_text().count(" ready") >= workers):
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError(f"the cluster did not start:\n{cluster.log_text()[-5000:]}")
                time.sleep(0.3)
            yield cluster
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()


def wait_for_mail(sink: Sink, recipient: str, timeout: float) -> list[str]:
    """The subjects of the mails to ``recipient`` once at least one has arrived (or none after ``timeout``)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [str(m["Subject"]) for m in sink.messages if m["To"] == recipient]
        if found:
            return found
        time.sleep(0.2)
    return []
