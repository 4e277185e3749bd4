"""Helpers for the commerce tests: the acting user of an email, and work released together in threads."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from sqlalchemy import select

from backend.db import tables
from backend.services.actor import Actor


def user(app: FastAPI, email: str) -> Actor:
    with app.state.sessionmaker() as db:
        row = db.scalar(select(tables.User).where(tables.User.email == email))
        assert row is not None
        return Actor.of(row)


def all_at_once(count: int, work: Callable[[int], Any]) -> list[Any]:
    """Run ``work(i)`` in ``count`` threads released together by a barrier; their results or exceptions."""
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = work(i)
        except Exception as exc:  # counted by the caller
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results
