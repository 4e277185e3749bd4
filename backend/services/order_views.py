"""What the order pages show: the status timeline, the installation offer for a shipped order, the
after-sales requests of an installed one, the factory's production sheet (parts, nesting, findings) and
the review before submitting. The pages only render these."""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.booking import search as core_search
from backend.booking.rules import BookingChoice, BookingStatus
from backend.booking.service_types import BookingRules
from backend.db import booking_tables as bt
from backend.db import tables
from backend.design.model import Design
from backend.enums import ServiceRequestStatus
from backend.errors import InvalidInput, NotFound, ServiceUnavailable
from backend.jobs import JobContext, JobRunner
from backend.services import booking_resources, bookings, designs, escrow, orders, points, policy
from backend.services.actor import Actor

if TYPE_CHECKING:
    from backend.bom.factory import FactoryProfile

OFFER_DAYS = 14
OFFER_TEAMS = 3
BOOKED = (BookingStatus.REQUESTED.value, BookingStatus.CONFIRMED.value, BookingStatus.COMPLETED.value)


def timeline(db: Session, order: tables.Order, role: str, locale: str = "en") -> dict[str, Any]:
    """The order with its design, history and the statuses this role may set next (accessory names in
    ``locale``)."""
    events = orders.order_events(db, order)
    settable = sorted(s for s in policy.ORDER_STATUS_SETTERS.get(role, set())
                      if s in policy.ORDER_TRANSITIONS.get(order.status, set()))
    return {"order": order, "design": Design.model_validate(order.document), "events": events,
            "quote": order.quote or {}, "statuses": tables.ORDER_STATUSES, "next_statuses": settable,
            "reached": {e.status for e in events}, **payment_lines(db, order, locale)}


def payment_lines(db: Session, order: tables.Order, locale: str = "en") -> dict[str, Any]:
    """What paid for the order so far, under its quoted total: points (a payment line, the price stays the
    price rule's), payments held in escrow, and what is still to pay; and the catalog accessories points
    bought with it (they come with the order, outside its quote)."""
    from backend.services.catalog import catalog

    redeemed = points.redemption_of(db, order.id)
    holds = escrow.order_holds(db, order.id)
    extras = points.accessory_lines(db, order.id, locale)
    fittings = catalog().fittings
    return {"redeemed": redeemed, "holds": holds, "accessories": extras,
            "accessory_articles": {a.code: fittings[a.code].article for a in extras if a.code in fittings},
            "compensated_cents": escrow.compensated_cents(db, holds),
            "still_due_cents": escrow.still_due_cents(db, order)}


def team_slots(db: Session, team_id: str, now: datetime, rules: BookingRules, limit: int) -> list[datetime]:
    """A team's next free installation times (two weeks ahead), in the store's time zone."""
    found = booking_resources.slots(db, team_id, "installation", now, now + timedelta(days=OFFER_DAYS), now, rules)
    tz = booking_resources.zone(None)
    return [slot.start.astimezone(tz) for slot in found[:limit]]


@dataclass(frozen=True)
class InstallationOffer:
    booked: bt.Booking | None
    address: str
    offers: list[tuple[bt.InstallerTeam, list[datetime]]]


def installation_offer(db: Session, order: tables.Order, now: datetime, rules: BookingRules) -> InstallationOffer:
    """Installation times of the teams serving the delivery address, unless one is already booked."""
    booked = db.scalar(select(bt.Booking).where(bt.Booking.order_id == order.id, bt.Booking.status.in_(BOOKED)))
    address = str((order.delivery or {}).get("address", ""))
    if booked is not None:
        return InstallationOffer(booked, address, [])
    teams = {t.id: t for t in db.scalars(select(bt.InstallerTeam))}
    profiles = [core_search.InstallerTeamProfile(t.id, t.name, t.store_id, frozenset(t.districts))
                for t in teams.values()]
    chosen = core_search.teams_for_address(profiles, address)[:OFFER_TEAMS]
    return InstallationOffer(None, address, [(teams[p.id], team_slots(db, p.id, now, rules, 8)) for p in chosen])


def service_offers(db: Session, actor: Actor, order: tables.Order, now: datetime,
                   rules: BookingRules) -> list[tuple[bt.ServiceRequest, list[datetime]]]:
    """The customer's after-sales requests; assigned ones come with the team's free times."""
    out = []
    for row in bookings.service_requests_of_order(db, actor, order.id):
        slots = (team_slots(db, row.assigned_to, now, rules, 6)
                 if row.status == ServiceRequestStatus.ASSIGNED and row.assigned_to else [])
        out.append((row, slots))
    return out


def book_installation(db: Session, actor: Actor, order_id: str, team_id: str, start: datetime, now: datetime,
                      rules: BookingRules) -> bt.Booking:
    """Book an offered installation time for the customer's order, at its delivery address."""
    order = orders.get_order(db, actor, order_id)
    address = str((order.delivery or {}).get("address", "")) or None
    return bookings.book(db, actor, BookingChoice(team_id, "installation", start, order.design_id, order.id, address),
                         now, rules)


def schedule_service(db: Session, actor: Actor, order_id: str, request_id: str, start: datetime, now: datetime,
                     rules: BookingRules) -> bt.Booking:
    orders.get_order(db, actor, order_id)
    return bookings.schedule_service_request(db, actor, request_id, start, now, rules)


# --- the factory's production sheet -----------------------------------------------------------------------


@dataclass(frozen=True)
class ProductionSheet:
    parts: Any
    groups: Any
    hardware: Any
    findings: list[dict[str, Any]]


class _Memo:
    """Results worked out from an order's frozen document and number, by content: the parts list and the
    production sheet of an order are computed once, then every view of its pages reuses them. Bounded,
    least recently used out first."""

    def __init__(self, size: int = 64) -> None:
        self._items: OrderedDict[tuple[str, str], Any] = OrderedDict()
        self._lock = threading.Lock()
        self._size = size
        self.computed = 0

    def get(self, kind: str, order: tables.Order, make: Callable[[], Any]) -> Any:
        digest = hashlib.sha256(json.dumps([order.number, order.document], sort_keys=True,
                                           separators=(",", ":")).encode()).hexdigest()
        key = (kind, digest)
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = make()
        with self._lock:
            self.computed += 1
            self._items[key] = value
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return value


MEMO = _Memo()


def parts_of(order: tables.Order) -> Any:
    """The order's parts list (``backend.bom.parts.PartsList``)."""
    from backend.bom.parts import parts_list
    from backend.services.catalog import catalog

    return MEMO.get("parts", order, lambda: parts_list(Design.model_validate(order.document), catalog(),
                                                       order.number))


def unit_names_of(order: tables.Order) -> dict[str, dict[str, Any]]:
    """Every cabinet of the order named as findings name it ("the 600 mm base unit left of the sink"),
    as ``backend.configurator.wording.name`` parameters, by cabinet id."""
    from backend.bom.part_numbers import unit_names
    from backend.services.catalog import catalog

    names: dict[str, dict[str, Any]] = MEMO.get(
        "units", order, lambda: unit_names(Design.model_validate(order.document), catalog()))
    return names


def part_names(order: tables.Order, gettext: Callable[[str], str]) -> dict[str, str]:
    """Every part's plain name in the language of ``gettext`` ("Drawer 1 left side — the 600 mm drawer
    unit at the left end of its run"), by part id."""
    from backend.bom.part_numbers import plain_names

    return plain_names(parts_of(order).parts, unit_names_of(order), gettext)


def service_request_parts(db: Session, rows: list[bt.ServiceRequest],
                          gettext: Callable[[str], str] = str) -> dict[str, str]:
    """What each after-sales request's part reads as, by request id, in the language of ``gettext``: its
    number and plain name ("RW2612-0001 · P07 · Drawer 1 left side — the 600 mm drawer unit …"), also for
    a request made from a label printed before part numbers (its label id), else "Part 2 of the 600 mm
    drawer unit …" when only the unit can be recovered from the order."""
    from backend.bom.part_numbers import part_words

    out: dict[str, str] = {}
    for row in rows:
        if not row.part_id:
            continue
        order = db.get(tables.Order, row.order_id)
        out[row.id] = row.part_id if order is None else part_words(row.part_id, parts_of(order).parts, order.number,
                                                                    unit_names_of(order), gettext)
    return out


def production_sheet(order: tables.Order, factory: FactoryProfile | None = None) -> ProductionSheet:
    """What the factory's order page shows beside the nesting: parts, groups, hardware, findings (the
    board sizes checked against ``factory``, the production profile, default: the profiles file's)."""

    def make() -> ProductionSheet:
        plist = parts_of(order)
        return ProductionSheet(plist.parts, plist.groups, plist.hardware,
                               orders.order_checks(Design.model_validate(order.document), factory=factory))

    line = "" if factory is None else hashlib.sha256(factory.model_dump_json().encode()).hexdigest()
    sheet: ProductionSheet = MEMO.get(f"sheet:{line}", order, make)
    return sheet


def nesting_json(result: Any) -> dict[str, Any]:
    """A nesting result (``backend.bom.nesting.NestResult``) as the JSON the factory page draws."""
    def rect(r: Any) -> dict[str, float]:
        return {"x": r.x, "y": r.y, "width": r.width, "height": r.height}

    boards = [sh.board for m in result.materials for sh in m.sheets]
    return {"view": {"length": max((b.length for b in boards), default=1.0),  # one scale for every sheet
                     "width": max((b.width for b in boards), default=1.0)},
            "materials": [
        {"material": m.material, "sheet_count": m.sheet_count, "lower_bound": m.lower_bound,
         "yield_": m.yield_, "sheets": [
             {"board": {"length": sh.board.length, "width": sh.board.width}, "remnant_id": sh.remnant_id,
              "placements": [rect(pl) | {"part_id": pl.part_id} for pl in sh.placements],
              "offcuts": [rect(o) for o in sh.offcuts]} for sh in m.sheets]}
        for m in result.materials]}


def nesting_task(ctx: JobContext, args: dict[str, Any]) -> dict[str, Any]:
    """The ``nesting`` job: the panel saw's sheet nesting of an order, for the factory's page: as the
    order package lays it out, on the factory profile's stock (remnants first, several sizes)."""
    from backend.bom.package import saw_nesting
    from backend.bom.pricing import rules_for
    from backend.services.catalog import catalog
    from backend.services.factory_profiles import get_profile

    with ctx.sessions() as db:
        order = db.get(tables.Order, args["order_id"])
        if order is None:
            raise NotFound(f"the order '{args['order_id']}' no longer exists", field="order_id")
        db.expunge(order)
        prof = get_profile(db)
    ctx.progress(10, "nesting the parts on the sheets")
    plist, cat = parts_of(order), catalog()
    settings = rules_for(cat).nest_settings
    return nesting_json(saw_nesting(plist, cat, prof, settings, None))


def sheet_nesting(jobs: JobRunner, order: tables.Order, wait_seconds: float) -> dict[str, Any] | None:
    """The order's nesting, made once as a job (a finished one is reused: the order is frozen); None while
    it is still being made after ``wait_seconds``, or while the job queue is unreachable (the rest of the
    page does not need it). A failed nesting is the job's error."""
    try:
        job = jobs.submit("nesting", order.owner_id, {"order_id": order.id}, key=f"nesting:{order.id}",
                          reuse_done=True)
    except ServiceUnavailable:
        return None
    job = jobs.wait(job.id, wait_seconds)
    if job.status == "failed" and job.error:
        raise InvalidInput(job.error["detail"], field=job.error.get("field") or "order")
    return job.result if job.status == "done" else None


# --- review before submitting ----------------------------------------------------------------------------


def submit_review(db: Session, actor: Actor, design_id: str, seen_cents: int | None = None,
                  seen_revision: int | None = None, gettext: Callable[[str], str] | None = None) -> dict[str, Any]:
    """The latest revision's quote and findings, split into what blocks an order and what only warns, and
    how its price differs from the last price the person saw in the editor (``seen_cents`` for
    ``seen_revision``), with the reason; the findings in the language of ``gettext``."""
    view = designs.get_design(db, actor, design_id)
    findings = (orders.order_checks(view.document, gettext, orders.factory_profile(db))
                if view.document.cabinets else [])
    quote = orders.order_quote(view.document, None) if view.document.cabinets else None
    change = orders.price_change(db, actor, design_id, seen_cents, seen_revision, gettext) if quote else None
    return {"design": view.document, "design_id": design_id, "revision": view.row.current_revision,
            "blocking": [f for f in findings if f["severity"] == "error"],
            "warnings": [f for f in findings if f["severity"] != "error"], "quote": quote,
            "change": change, "seen_cents": seen_cents, "seen_revision": seen_revision}
