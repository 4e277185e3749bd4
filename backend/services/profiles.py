"""A designer's own public profile: bio, photo, styles, specialties, services and portfolio."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.booking.service_types import ServiceCode
from backend.db import booking_tables as bt
from backend.db import tables
from backend.enums import Role
from backend.errors import InvalidInput, NotFound
from backend.services import uploads
from backend.services.actor import Actor

DESIGNER_SERVICES = ("online_consultation", "store_consultation", "home_measurement")


@dataclass(frozen=True)
class ProfileEdit:
    bio: str
    styles: list[str]
    specialties: list[str]
    services: list[str]
    years_experience: int
    district: str
    portfolio_design_ids: list[str]
    photo_upload_id: str | None = None


def own_profile(db: Session, actor: Actor) -> bt.DesignerProfile:
    if actor.role != Role.DESIGNER:
        raise NotFound("profiles are for designers")
    profile = db.get(bt.DesignerProfile, actor.id)
    if profile is None:
        profile = bt.DesignerProfile(user_id=actor.id, services=list(DESIGNER_SERVICES))
        db.add(profile)
        db.flush()
    return profile


def own_designs(db: Session, actor: Actor) -> list[tables.Design]:
    query = select(tables.Design).where(tables.Design.owner_id == actor.id).order_by(tables.Design.updated_at.desc())
    return list(db.scalars(query))


def update_profile(db: Session, actor: Actor, edit: ProfileEdit) -> bt.DesignerProfile:
    profile = own_profile(db, actor)
    unknown = [s for s in edit.services if s not in {c.value for c in ServiceCode} or s == "installation"]
    if unknown:
        raise InvalidInput(f"a designer cannot offer {', '.join(unknown)}", field="services")
    if not 0 <= edit.years_experience <= 70:
        raise InvalidInput("years of experience must be between 0 and 70", field="years_experience")
    mine = {d.id for d in own_designs(db, actor)}
    foreign = [d for d in edit.portfolio_design_ids if d not in mine]
    if foreign:
        raise InvalidInput("a portfolio shows only designs you own", field="portfolio_design_ids")
    if edit.photo_upload_id:
        uploads.get_upload(db, actor, edit.photo_upload_id)
        profile.photo_upload_id = edit.photo_upload_id
    profile.bio = edit.bio.strip()[:2000]
    profile.styles = [s.strip() for s in edit.styles if s.strip()][:12]
    profile.specialties = [s.strip() for s in edit.specialties if s.strip()][:12]
    profile.services = list(dict.fromkeys(edit.services))
    profile.years_experience = edit.years_experience
    profile.district = edit.district.strip()[:120]
    profile.portfolio_design_ids = list(dict.fromkeys(edit.portfolio_design_ids))
    profile.updated_at = tables.utcnow()
    db.flush()
    return profile
