"""Store and staff analytics for the manager's view: load a period's bookings, ratings, follow-up cases,
orders and referral points, attribute each order to a store and a designer, and let
``backend.commerce.analytics`` add them up per store and per performer (designer or installer team).

Each store's days are its own: the chosen calendar days are cut at midnight in the store's time zone
(``stores.timezone``), and "today" (the default last day) is the viewer's store's today (for an admin, the
first store's).

Who sees what: an admin every store, a store manager their own store only; anyone else gets not found
(the page does not tell who may see it).

An order belongs to the store of the staff member who submitted it (store mode) and to that designer;
an order the customer placed themselves belongs to the store (and the designer, for a designer's booking)
of the customer's latest booking that started before the order and was not cancelled, preferring one
for the order's design. An order without either belongs to no store.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from backend.commerce import analytics as core
from backend.commerce.guarantees import Promise, PromiseKind, load_promises
from backend.commerce.points import PointsReason
from backend.db import booking_tables as bt
from backend.db import commerce_tables as ct
from backend.db import tables
from backend.enums import Role
from backend.errors import InvalidInput, NotFound
from backend.services.actor import Actor

DEFAULT_DAYS = 30
MAX_DAYS = 366
VIEWERS = (Role.STORE_MANAGER, Role.ADMIN)


@dataclass(frozen=True)
class Row:
    """One line of the report: a store, or a performer (``kind`` designer or installer_team) of a store."""

    name: str
    kind: str
    store: str
    figures: core.Figures


@dataclass(frozen=True)
class Report:
    first_day: date
    last_day: date
    stores: list[Row]
    staff: list[Row]


def period(first_day: date | None, last_day: date | None, today: date) -> tuple[date, date]:
    """The chosen days (both included; the stores' local days), by default the 30 days up to today."""
    last = last_day or today
    first = first_day or last - timedelta(days=DEFAULT_DAYS - 1)
    if first > last:
        raise InvalidInput("the first day must not be after the last day", field="first_day")
    if (last - first).days + 1 > MAX_DAYS:
        raise InvalidInput(f"choose at most {MAX_DAYS} days", field="first_day")
    return first, last


def _stores(db: Session, actor: Actor) -> list[tables.Store]:
    if actor.role == Role.ADMIN:
        return list(db.scalars(select(tables.Store).order_by(tables.Store.name, tables.Store.id)))
    if actor.role == Role.STORE_MANAGER and actor.store_id:
        store = db.get(tables.Store, actor.store_id)
        return [store] if store is not None else []
    raise NotFound("there is no such page for this account")


def report(db: Session, actor: Actor, first_day: date | None, last_day: date | None, now: datetime) -> Report:
    """The figures of each store the actor may see and of each of its designers and installer teams."""
    stores = _stores(db, actor)
    zone = core.store_zone(stores[0].timezone) if stores else UTC
    first, last = period(first_day, last_day, now.astimezone(zone).date())
    zones: dict[str, list[str]] = {}
    for s in stores:
        zones.setdefault(s.timezone or "", []).append(s.id)
    facts_of: dict[str, core.Facts] = {}  # store id → the facts of its own local days
    for name, group in zones.items():
        start, end = core.period_bounds(first, last, core.store_zone(name))
        facts = _facts(db, group, start, end)
        facts_of.update({store_id: facts for store_id in group})
    ids = [s.id for s in stores]
    promises = load_promises()
    by_store = {s.id: s.name for s in stores}
    store_rows = [Row(s.name, "store", s.name, _store_figures(facts_of[s.id], promises, s.id)) for s in stores]
    staff_rows = [Row(name, kind, by_store[store_id], _staff_figures(facts_of[store_id], promises, pid))
                  for pid, name, kind, store_id in _performers(db, ids)]
    return Report(first, last, store_rows, staff_rows)


def _store_figures(facts: core.Facts, promises: dict[PromiseKind, Promise], store_id: str) -> core.Figures:
    return core.figures(facts, [b for b in facts.bookings if b.store_id == store_id],
                        [c for c in facts.cases if c.store_id == store_id],
                        [o for o in facts.orders if o.store_id == store_id], promises)


def _staff_figures(facts: core.Facts, promises: dict[PromiseKind, Promise], performer_id: str) -> core.Figures:
    return core.figures(facts, [b for b in facts.bookings if b.performer_id == performer_id],
                        [c for c in facts.cases if c.performer_id == performer_id],
                        [o for o in facts.orders if o.designer_id == performer_id], promises, customers=False)


def _performers(db: Session, store_ids: Sequence[str]) -> list[tuple[str, str, str, str]]:
    """(id, name, kind, store id) of every designer and installer team of the stores, by name."""
    designers = db.execute(select(tables.User.id, tables.User.display_name, tables.User.store_id)
                           .where(tables.User.role == Role.DESIGNER.value, tables.User.store_id.in_(store_ids))
                           .order_by(tables.User.display_name, tables.User.id)).all()
    teams = db.execute(select(bt.InstallerTeam.id, bt.InstallerTeam.name, bt.InstallerTeam.store_id)
                       .where(bt.InstallerTeam.store_id.in_(store_ids))
                       .order_by(bt.InstallerTeam.name, bt.InstallerTeam.id)).all()
    return ([(d.id, d.display_name, "designer", d.store_id) for d in designers]
            + [(t.id, t.name, "installer_team", t.store_id) for t in teams])


def _facts(db: Session, store_ids: Sequence[str], start: datetime, end: datetime) -> core.Facts:
    booking_rows = list(db.scalars(select(bt.Booking).where(bt.Booking.store_id.in_(store_ids),
                                                            bt.Booking.start_at >= start, bt.Booking.start_at < end)))
    bookings = [core.BookingFact(b.id, b.store_id, b.resource_id, b.customer_id, b.service, b.status, b.start_at,
                                 b.arrived_at) for b in booking_rows]
    ratings = {booking_id: stars for booking_id, stars in db.execute(
        select(bt.Rating.booking_id, bt.Rating.stars).where(bt.Rating.booking_id.in_([b.id for b in bookings])))}
    cases = [core.CaseFact(c.store_id, c.performer_id, c.opened_at, c.acknowledged_at, c.closed_at)
             for c in db.scalars(select(bt.FollowUpCase).where(bt.FollowUpCase.store_id.in_(store_ids),
                                                               bt.FollowUpCase.opened_at >= start,
                                                               bt.FollowUpCase.opened_at < end))]
    orders = [o for o in _orders(db, store_ids, start) if o.store_id in store_ids]
    customers = {b.customer_id for b in bookings} | {o.customer_id for o in orders}
    referred = frozenset(db.scalars(select(ct.PointsAccount.user_id).where(
        ct.PointsAccount.user_id.in_(customers), ct.PointsAccount.referred_by.is_not(None))))
    points: dict[str, int] = {}
    for reference, delta in db.execute(select(ct.PointsEntry.reference, ct.PointsEntry.delta).where(
            ct.PointsEntry.reason == PointsReason.REFERRAL.value, ct.PointsEntry.reference.in_(customers),
            ct.PointsEntry.created_at >= start, ct.PointsEntry.created_at < end)):
        points[reference] = points.get(reference, 0) + delta
    return core.Facts(start, end, bookings, ratings, cases, orders, referred, points)


def _orders(db: Session, store_ids: Sequence[str], since: datetime) -> list[core.OrderFact]:
    """The orders placed since ``since`` (the period's and later ones) that may belong to the stores (their
    staff submitted them, or their customers placed them), each attributed to a store and a designer."""
    staff_ids = select(tables.User.id).where(tables.User.store_id.in_(store_ids))
    customer_ids = select(bt.Booking.customer_id).where(bt.Booking.store_id.in_(store_ids))
    rows = list(db.scalars(select(tables.Order).where(
        tables.Order.created_at >= since,
        or_(tables.Order.submitted_by.in_(staff_ids), tables.Order.owner_id.in_(customer_ids)))))
    staff = {u.id: u for u in db.scalars(select(tables.User).where(
        tables.User.id.in_({o.submitted_by for o in rows if o.submitted_by})))}
    earlier = list(db.scalars(select(bt.Booking).where(
        bt.Booking.customer_id.in_({o.owner_id for o in rows}),
        bt.Booking.status.not_in(tuple(core.CANCELLED))).order_by(bt.Booking.start_at.desc(), bt.Booking.id)))
    out = []
    for o in rows:
        submitter = staff.get(o.submitted_by or "")
        if submitter is not None and submitter.store_id and submitter.role != Role.HOMEOWNER:
            store_id: str | None = submitter.store_id
            designer_id = submitter.id if submitter.role == Role.DESIGNER else None
        else:
            before = [b for b in earlier if b.customer_id == o.owner_id and b.start_at <= o.created_at]
            booking = next((b for b in before if b.design_id == o.design_id), before[0] if before else None)
            store_id = booking.store_id if booking is not None else None
            designer_id = booking.resource_id if booking is not None and booking.performer == "designer" else None
        out.append(core.OrderFact(o.id, store_id, designer_id, o.owner_id, o.created_at,
                                  int(o.quote.get("total_cents", 0)), o.status))
    return out


def to_csv(rep: Report, headings: dict[str, str], label: Callable[[str], str]) -> str:
    """The report as CSV: one line per store, then per performer, the columns of ``headings`` (figure →
    heading, already translated); ``label`` translates the fixed words and the kinds. Shares are
    percentages with one decimal, money in the currency's units with two."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([label("Period"), f"{rep.first_day.isoformat()} – {rep.last_day.isoformat()}"])
    writer.writerow([label("Kind"), label("Name"), label("Store"), *(headings[f] for f in core.FIELDS)])
    for row in [*rep.stores, *rep.staff]:
        writer.writerow([label(row.kind), row.name, row.store, *(cell(row.figures, f) for f in core.FIELDS)])
    return out.getvalue()


def cell(fig: core.Figures, name: str) -> str:
    """One figure as the page and the CSV show it ("" where there is nothing to show)."""
    value = getattr(fig, name)
    if value is None:
        return ""
    if name in PERCENT:
        return f"{value * 100:.1f}"
    if name == "revenue_cents":
        return f"{value / 100:.2f}"
    if isinstance(value, float):
        return f"{value:.1f}" if name == "hours_to_close" else f"{value:.2f}"
    return str(value)


PERCENT = frozenset({"conversion", "on_time_rate"})
