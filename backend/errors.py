"""Typed domain errors. They carry no HTTP knowledge; ``backend.web.errors`` maps them to
RFC 9457 problem documents (``NotFound`` → 404, ``Conflict`` → 409, ...).

Every error says what went wrong in words a person understands (``detail``) and, where one
input is at fault, names it (``field``, a dotted path such as ``plan.walls.0.start``).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, ClassVar


@dataclass
class DomainError(Exception):
    detail: str
    field: str | None = None
    extra: dict[str, Any] = dataclasses.field(default_factory=dict)

    code: ClassVar[str] = "error"
    title: ClassVar[str] = "Error"

    def __str__(self) -> str:
        return self.detail if self.field is None else f"{self.field}: {self.detail}"


class InvalidInput(DomainError):
    code = "invalid-input"
    title = "Invalid input"


class NotFound(DomainError):
    code = "not-found"
    title = "Not found"


class Conflict(DomainError):
    code = "conflict"
    title = "Conflict"


class PayloadTooLarge(DomainError):
    code = "payload-too-large"
    title = "Upload too large"


class UnsupportedMedia(DomainError):
    code = "unsupported-media-type"
    title = "Unsupported file type"


class Forbidden(DomainError):
    code = "forbidden"
    title = "Not allowed"


class TooManyRequests(DomainError):
    """A per-person limit (comments an hour) is reached; trying later works."""

    code = "too-many-requests"
    title = "Too many requests"


class Unauthenticated(DomainError):
    code = "not-signed-in"
    title = "Not signed in"


class ServiceUnavailable(DomainError):
    """A service the request needs (the job queue's broker) is not reachable; nothing saved was lost."""

    code = "service-unavailable"
    title = "Service unavailable"


class Unavailable(DomainError):
    """A part of the service that needs something this server does not have (an optional program)."""

    code = "unavailable"
    title = "Not available on this server"


class StorageUnavailable(DomainError):
    """The file store (an S3-compatible server) cannot be reached: nothing was stored, try again later."""

    code = "storage-unavailable"
    title = "File storage unavailable"


class Busy(DomainError):
    """The database could not give the request a lock in time (another change holds it): nothing was
    saved, and the same request is likely to work in a moment (``extra["retry_after"]`` seconds)."""

    code = "busy"
    title = "Busy"
