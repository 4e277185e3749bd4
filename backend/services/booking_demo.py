"""Demo data of the service loop: three designers with profiles, styles, portfolios and working
hours, and an installer team, so that a newcomer running ``make run`` can book at once."""

from __future__ import annotations

from datetime import time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.db import booking_tables as bt
from backend.db import tables
from backend.enums import Role
from backend.services import accounts

DEMO_PASSWORD = "roomwright-demo"
ALL_DESIGNER_SERVICES = ["online_consultation", "store_consultation", "home_measurement"]
PROFILES: tuple[tuple[str, str, list[str], list[str], int, str, list[str]], ...] = (
    ("designer.chen@demo.roomwright",
     "Compact city kitchens that cook like big ones; ten years with Shanghai apartments.",
     ["modern", "minimalist", "Chinese"], ["small kitchens", "whole-house storage"], 10, "Xuhui",
     ALL_DESIGNER_SERVICES),
    ("designer.muller@demo.roomwright",
     "Light wood, clean lines and a lot of daylight: Nordic kitchens and wardrobes.",
     ["Nordic", "modern", "industrial"], ["wardrobes", "open kitchens"], 7, "Jing'an", ALL_DESIGNER_SERVICES),
    ("designer.sun@demo.roomwright",
     "Warm Mediterranean colours and classic fronts; family kitchens with an island.",
     ["Mediterranean", "classic"], ["kitchen islands", "whole-house storage"], 4, "Pudong",
     ["online_consultation", "store_consultation"]),
)


def _hours(db: Session, resource_id: str, days: range, start: time, end: time) -> None:
    for weekday in days:
        db.add(bt.WorkingHours(resource_id=resource_id, weekday=weekday, start_time=start, end_time=end))


def seed_booking_demo(db: Session, users_by_email: dict[str, tables.User]) -> None:
    """Profiles, hours and an installer team for the demo store (the first store). Weekly hours
    repeat, so the next four weeks (and beyond) are bookable; one day off shows an exception."""
    store = db.scalar(select(tables.Store).order_by(tables.Store.created_at, tables.Store.id).limit(1))
    if store is None or db.scalar(select(bt.DesignerProfile.user_id).limit(1)) is not None:
        return
    if "designer.sun@demo.roomwright" not in users_by_email:
        users_by_email["designer.sun@demo.roomwright"] = accounts.create_user(
            db, "designer.sun@demo.roomwright", DEMO_PASSWORD, Role.DESIGNER, "Sun Lei", store.id)
    homeowner = users_by_email.get("homeowner@demo.roomwright")
    portfolio: list[str] = []
    if homeowner is not None:
        first = db.scalar(select(tables.Design.id).where(tables.Design.owner_id == homeowner.id).limit(1))
        portfolio = [first] if first else []
    for index, (email, bio, styles, specialties, years, district, services) in enumerate(PROFILES):
        user = users_by_email.get(email)
        if user is None:
            continue
        db.add(bt.DesignerProfile(user_id=user.id, bio=bio, styles=styles, specialties=specialties, services=services,
                                  years_experience=years, district=district,
                                  portfolio_design_ids=portfolio if index == 0 else []))
        if index == 2:
            _hours(db, user.id, range(2, 7), time(12), time(20))
        else:
            _hours(db, user.id, range(0, 5), time(9), time(18))
            _hours(db, user.id, range(5, 6), time(10), time(16))
    chen = users_by_email.get("designer.chen@demo.roomwright")
    if chen is not None:
        day_off = (tables.utcnow() + timedelta(days=10)).date()
        db.add(bt.AvailabilityException(resource_id=chen.id, day=day_off, kind="closed", reason="Training day"))
    team = bt.InstallerTeam(name="Team Li", store_id=store.id, districts=["Xuhui", "Jing'an", "Pudong", "Minhang"])
    db.add(team)
    db.flush()
    installer = users_by_email.get("installer@demo.roomwright")
    if installer is not None:
        db.add(bt.InstallerTeamMember(team_id=team.id, user_id=installer.id))
    _hours(db, team.id, range(0, 6), time(8), time(18))
    db.flush()
