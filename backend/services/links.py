"""Read-only links to a design: its owner creates and revokes them; anyone with the link sees the
latest revision's 3D view, plan and quote, and nothing else."""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.db import tables
from backend.design.model import Design
from backend.enums import Role
from backend.errors import NotFound
from backend.services import designs
from backend.services.actor import Actor


def _owned(db: Session, actor: Actor, design_id: str) -> tables.Design:
    row = designs.get_design_row(db, actor, design_id)
    if row.owner_id != actor.id and actor.role != Role.ADMIN:
        raise NotFound(f"no design '{design_id}' that you own", field="design_id")
    return row


def create_link(db: Session, actor: Actor, design_id: str) -> tables.DesignLink:
    row = _owned(db, actor, design_id)
    link = tables.DesignLink(design_id=row.id, token=secrets.token_urlsafe(24), created_by=actor.id)
    db.add(link)
    db.flush()
    return link


def list_links(db: Session, actor: Actor, design_id: str) -> list[tables.DesignLink]:
    row = _owned(db, actor, design_id)
    query = select(tables.DesignLink).where(tables.DesignLink.design_id == row.id,
                                            tables.DesignLink.revoked_at.is_(None))
    return list(db.scalars(query.order_by(tables.DesignLink.created_at)))


def revoke_link(db: Session, actor: Actor, design_id: str, link_id: str) -> None:
    row = _owned(db, actor, design_id)
    link = db.get(tables.DesignLink, link_id)
    if link is None or link.design_id != row.id or link.revoked_at is not None:
        raise NotFound(f"no active link '{link_id}'", field="link_id")
    link.revoked_at = tables.utcnow()


def shared_design(db: Session, token: str) -> tuple[tables.Design, Design]:
    """The design behind an active link (latest revision), or NotFound."""
    link = db.scalar(select(tables.DesignLink).where(tables.DesignLink.token == token,
                                                     tables.DesignLink.revoked_at.is_(None)))
    if link is None:
        raise NotFound("this link does not exist or was revoked", field="token")
    row = db.get(tables.Design, link.design_id)
    if row is None:
        raise NotFound("this link does not exist or was revoked", field="token")
    rev = designs.get_revision(db, row.id, row.current_revision)
    return row, Design.model_validate(rev.document)


def shared_estimate(document: Design) -> dict[str, Any] | None:
    """The price estimate a share link shows (none for a design without cabinets)."""
    from backend.bom.pricing import quote
    from backend.services.catalog import catalog

    if not document.cabinets:
        return None
    result: dict[str, Any] = quote(document, catalog()).to_dict()
    return result
