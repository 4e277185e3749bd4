"""Settings shared by several app processes on one machine."""

from __future__ import annotations

import multiprocessing
from pathlib import Path
from typing import Any

from backend.settings import Settings


def _secret(var_dir: str, barrier: Any, out: Any) -> None:
    barrier.wait()
    out.put(Settings(var_dir=Path(var_dir)).resolved_secret_key())


def test_processes_starting_at_once_agree_on_one_generated_secret_key(tmp_path: Path) -> None:
    """uvicorn --workers N starts N processes at once on a fresh var/: all must sign cookies with one key
    (else a session cookie made by one is refused by the others)."""
    context = multiprocessing.get_context("fork")
    barrier, out = context.Barrier(8), context.Queue()
    workers = [context.Process(target=_secret, args=(str(tmp_path), barrier, out)) for _ in range(8)]
    for worker in workers:
        worker.start()
    keys = {out.get(timeout=30) for _ in workers}
    for worker in workers:
        worker.join(timeout=30)
    assert len(keys) == 1 and (tmp_path / "secret.key").read_text().strip() in keys
    assert (tmp_path / "secret.key").stat().st_mode & 0o777 == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["secret.key"]  # no temporary file left behind
