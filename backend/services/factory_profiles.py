"""Factory production profiles: the defaults in ``assets/models/factory/profiles.json`` as the factory
has edited them (rows of ``factory_profiles``), read by the order package builder."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.bom.factory import FactoryProfile, load_profiles, parse_profile
from backend.db import tables
from backend.db.tables import utcnow
from backend.enums import Role
from backend.errors import Forbidden, NotFound
from backend.services.actor import Actor

EDITORS = (Role.FACTORY, Role.ADMIN)


def _check(actor: Actor) -> None:
    if actor.role not in EDITORS:
        raise Forbidden("factory profiles are for the factory")


def profiles(db: Session) -> list[FactoryProfile]:
    """Every profile: the edited version where there is one, else the default."""
    rows = {r.code: r for r in db.scalars(select(tables.FactoryProfileRow))}
    out = []
    for p in load_profiles().profiles:
        row = rows.get(p.code)
        out.append(parse_profile(row.data, p.code) if row is not None else p)
    return out


def get_profile(db: Session, code: str | None = None) -> FactoryProfile:
    """A profile by code (default: the defaults file's default); unknown codes answer NotFound."""
    want = code or load_profiles().default
    for p in profiles(db):
        if p.code == want:
            return p
    raise NotFound(f"no factory profile {want!r}")


def list_for(db: Session, actor: Actor) -> list[FactoryProfile]:
    _check(actor)
    return profiles(db)


def save_profile(db: Session, actor: Actor, code: str, data: dict[str, Any]) -> FactoryProfile:
    """Replace profile ``code`` with ``data`` (validated whole; nothing is saved when it is bad)."""
    _check(actor)
    get_profile(db, code)  # only the profiles the defaults name can be edited
    prof = parse_profile(data, code)
    row = db.get(tables.FactoryProfileRow, code)
    if row is None:
        row = tables.FactoryProfileRow(code=code, data={})
        db.add(row)
    row.data = prof.model_dump(mode="json")
    row.updated_at = utcnow()
    row.updated_by = actor.id
    db.flush()
    return prof
