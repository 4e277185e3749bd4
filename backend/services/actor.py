"""Who is acting: the small, framework-free view of a signed-in user that services and policies use."""

from __future__ import annotations

from dataclasses import dataclass

from backend.db import tables


@dataclass(frozen=True)
class Actor:
    id: str
    role: str
    email: str
    display_name: str
    store_id: str | None = None

    @classmethod
    def of(cls, user: tables.User) -> Actor:
        return cls(user.id, user.role, user.email, user.display_name, user.store_id)
