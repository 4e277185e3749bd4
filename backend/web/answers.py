"""Finishing a request where its handler runs: the answer serialized and the request's database session
settled in the handler's own worker thread.

A sync handler runs in a worker thread. Returning a model instead, FastAPI validates it against the
route's ``response_model`` in a second worker-thread hop and serializes it on the event loop; the
request scope (``backend.main.RequestScope``) then commits the session in a third. Each hop is a thread
switch, a real part of a short request's CPU. :func:`json_answer` does all of it in the handler's
thread: the route keeps its ``response_model``, which documents the answer.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from backend.services.transactions import BUSY_DETAIL, RETRY_AFTER_SECONDS, is_lock_failure
from backend.web.errors import problem

log = logging.getLogger("roomwright.web")

SETTLED = "roomwright.settled"
"""Set in a session's ``info`` once :func:`settle` committed or rolled it back and closed it."""


def settle(db: Session, commit: bool) -> Response | None:
    """Commit the request's session (or roll it back) and close it; the problem that replaces the answer
    if the commit failed: 503 for a lock the database could not grant in time (nothing saved, the same
    change may work in a moment), else 409."""
    failed: Exception | None = None
    try:
        try:
            if commit:
                db.commit()
            else:
                db.rollback()
        except (IntegrityError, OperationalError) as exc:
            log.warning("commit failed: %s", exc)
            db.rollback()
            failed = exc
    finally:
        db.close()
        db.info[SETTLED] = True
    if failed is None:
        return None
    if is_lock_failure(failed):
        return problem(503, "Busy", BUSY_DETAIL, "busy", headers={"Retry-After": str(RETRY_AFTER_SECONDS)})
    return problem(409, "Conflict", "the change conflicted with another one and was not saved; "
                   "reload and try again", "conflict")


def is_settled(db: Session) -> bool:
    """Whether :func:`settle` finished ``db`` and nothing used it since."""
    return bool(db.info.get(SETTLED)) and not db.in_transaction()


def json_answer(body: BaseModel | dict[str, Any] | str, db: Session, status_code: int = 200) -> Response:
    """A sync handler's successful answer: ``body`` as JSON (a model by pydantic's core, a dict of plain
    JSON values as FastAPI's ``JSONResponse`` does, a ``str`` as the JSON text it already is), then the
    request's session ``db`` committed and closed, all in this thread; a commit that fails answers its
    problem instead."""
    if isinstance(body, BaseModel):
        body = body.model_dump_json(by_alias=True)
    response = (Response(body, status_code=status_code, media_type="application/json") if isinstance(body, str)
                else JSONResponse(body, status_code=status_code))
    return settle(db, True) or response
