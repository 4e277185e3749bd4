"""Demo data for ``make run``: a store, accounts of every role, a sample design, a package promotion and some
points. Created once."""

from __future__ import annotations

import importlib
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.commerce.points import PointsReason
from backend.commerce.promotions import PackageSpec, PromotionSpec
from backend.db import tables
from backend.enums import Role
from backend.services import accounts, designs, points, promotions
from backend.services.actor import Actor

DEMO_PASSWORD = "roomwright-demo"
DEMO_ACCOUNTS: tuple[tuple[str, str, str], ...] = (
    ("homeowner@demo.roomwright", Role.HOMEOWNER, "Lin Wei"),
    ("designer.chen@demo.roomwright", Role.DESIGNER, "Chen Jing"),
    ("designer.muller@demo.roomwright", Role.DESIGNER, "Anna Müller"),
    ("manager@demo.roomwright", Role.STORE_MANAGER, "Zhou Ming"),
    ("installer@demo.roomwright", Role.INSTALLER, "Team Li"),
    ("factory@demo.roomwright", Role.FACTORY, "Factory Jiangmen"),
    ("admin@demo.roomwright", Role.ADMIN, "Admin"),
)


def seed_demo(db: Session) -> tuple[bool, list[tuple[str, str, str]]]:
    """Create the demo store, accounts and design unless they exist. Returns (created, accounts)."""
    listing = [(email, DEMO_PASSWORD, role) for email, role, _ in DEMO_ACCOUNTS]
    listing.insert(3, ("designer.sun@demo.roomwright", DEMO_PASSWORD, Role.DESIGNER))  # made by the booking demo
    if db.scalar(select(tables.User.id).where(tables.User.email == DEMO_ACCOUNTS[0][0])):
        return False, listing
    store = tables.Store(name="Roomwright Showroom Xuhui", address="1 Caoxi North Road, Xuhui, Shanghai",
                         district="Xuhui", timezone="Asia/Shanghai",
                         opening_hours={"mon-sun": ["10:00", "21:00"]})
    db.add(store)
    db.flush()
    users = {}
    for email, role, name in DEMO_ACCOUNTS:
        store_id = store.id if role in (Role.DESIGNER, Role.STORE_MANAGER) else None
        users[role if role != Role.DESIGNER else email] = accounts.create_user(
            db, email, DEMO_PASSWORD, role, name, store_id)
    owner = Actor.of(users[Role.HOMEOWNER])
    designs.create_design(db, owner, "My first kitchen", demo_document())
    from backend.services.booking_demo import seed_booking_demo
    seed_booking_demo(db, {user.email: user for user in users.values()})
    seed_commerce_demo(db, Actor.of(users[Role.STORE_MANAGER]), owner)
    return True, listing


def seed_commerce_demo(db: Session, manager: Actor, homeowner: Actor) -> None:
    """A package and a promotion of the demo store (open for 30 days from seeding), and a welcome gift of
    points for the demo homeowner, so the points, promotions and payments pages have something to show."""
    package = promotions.create_package(db, manager, PackageSpec(
        "Kitchen + wardrobe set", 180_000, ("carcasses in E0 board", "doors", "soft-close hinges", "installation"),
        {"quartz worktop": 60_000, "solid oak doors": 40_000}), "A kitchen and a wardrobe at one price per metre.")
    now = tables.utcnow()
    promotions.create_promotion(db, manager, package.id, PromotionSpec(
        "Double 12 pre-booking day", now - timedelta(hours=1), now + timedelta(days=30), 50, 9_900))
    points.award(db, homeowner.id, PointsReason.COMPENSATION, "demo-welcome", 2_000, None, "welcome gift (demo)")


def demo_document() -> dict[str, object] | None:
    """The configurator's demo kitchen when available, else an empty design."""
    try:
        module = importlib.import_module("backend.configurator.demo")
    except ImportError:
        return None
    builder = getattr(module, "demo_design", None)
    if builder is None:
        return None
    document: dict[str, object] = builder().model_dump(mode="json")
    return document
