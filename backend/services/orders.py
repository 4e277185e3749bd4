"""Orders: submitting freezes one design revision with its checks and quote; the factory moves the
production status; every change is an event the customer sees."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from backend.db import tables
from backend.design.model import Design
from backend.enums import OrderStatus
from backend.errors import Conflict, Forbidden, InvalidInput, NotFound
from backend.services import escrow, points, policy
from backend.services.actor import Actor
from backend.services.booking_measurements import ensure_orderable
from backend.services.booking_resources import zone
from backend.services.designs import get_design_row, get_revision, revision_message

if TYPE_CHECKING:
    from backend.bom.factory import FactoryProfile

ORDER_STATUSES = tables.ORDER_STATUSES


def _catalog() -> Any:
    from backend.services.catalog import catalog

    return catalog()


def order_checks(document: Design, gettext: Callable[[str], str] | None = None,
                 factory: FactoryProfile | None = None) -> list[dict[str, Any]]:
    """Findings that decide whether a design can be made: placement rules and manufacturability (the
    placement findings in the language of ``gettext``, each with what to do). ``factory`` is the
    production profile the order goes to (the factory's as edited, :func:`factory_profile`): the
    boards a part must fit are its stock."""
    from backend.bom.checks import check_design
    from backend.bom.machining import wording as machining_words
    from backend.configurator import wording
    from backend.configurator.validation import validate

    catalog = _catalog()
    findings: list[dict[str, Any]] = []
    _ = gettext or str
    for f in validate(document, catalog):
        message = wording.render(str(f.params.get("kind", f.rule)), f.params, _) if f.params else f.message
        todo = wording.render(f.fix.code, f.fix.params, _) if f.fix is not None and f.fix.code else ""
        findings.append({"severity": f.severity, "rule": f.rule, "objects": list(f.object_ids),
                         "message": f"{message} {todo}".strip(), "source": f.source})
    for m in check_design(document, catalog, factory=factory):
        words = m.params and m.code in machining_words.TEMPLATES
        text = machining_words.render(m.code, m.params, _) if words else m.message
        findings.append({"severity": m.severity, "rule": m.code, "objects": [m.part_id], "message": text,
                         "source": "factory"})
    return findings


def factory_profile(db: Session) -> FactoryProfile:
    """The production profile orders go to: the default profile as the factory has edited it (the one
    the order package is built with)."""
    from backend.services.factory_profiles import get_profile

    return get_profile(db)


def order_quote(document: Design, number: str | None) -> dict[str, Any]:
    """The order's quote: the same rule (``backend.bom.pricing.quote``) and the same number as the
    live quote the editor shows for this document."""
    from backend.bom.pricing import quote

    result: dict[str, Any] = quote(document, _catalog(), order_number=number).to_dict()
    return result


def price_change(db: Session, actor: Actor, design_id: str, seen_cents: int | None, seen_revision: int | None,
                 gettext: Callable[[str], str] | None = None) -> dict[str, Any] | None:
    """How the price of the design's latest revision differs from the one the person last saw
    (``seen_cents`` for ``seen_revision``), and why; None when it is the same or nothing was seen.

    Reasons (codes for the page to word): ``design_changed`` (revisions saved since, with their
    messages in the language of ``gettext``) and ``prices_changed`` (the seen revision itself is now
    priced differently: the catalog's prices or the pricing rule changed)."""
    if seen_cents is None:
        return None
    design = get_design_row(db, actor, design_id)
    rev = get_revision(db, design.id, design.current_revision)
    now = order_quote(Design.model_validate(rev.document), None)
    if now["total_cents"] == seen_cents:
        return None
    reasons: list[dict[str, Any]] = []
    seen_rev = seen_revision if seen_revision and 1 <= seen_revision <= design.current_revision else None
    if seen_rev is not None and seen_rev < design.current_revision:
        later = db.scalars(select(tables.DesignRevision).where(
            tables.DesignRevision.design_id == design.id, tables.DesignRevision.number > seen_rev)
            .order_by(tables.DesignRevision.number)).all()
        reasons.append({"code": "design_changed", "from_revision": seen_rev, "to_revision": design.current_revision,
                        "messages": [m for m in (revision_message(r, gettext) for r in later) if m][:10]})
    then = now
    if seen_rev is not None and seen_rev != design.current_revision:
        then = order_quote(Design.model_validate(get_revision(db, design.id, seen_rev).document), None)
    if seen_rev is None or then["total_cents"] != seen_cents:
        reasons.append({"code": "prices_changed", "catalog_version": now["catalog_version"]})
    return {"before_cents": seen_cents, "after_cents": now["total_cents"],
            "difference_cents": now["total_cents"] - seen_cents, "currency": now["currency"],
            "seen_revision": seen_rev, "reasons": reasons}


def _next_number(db: Session, now: datetime | None = None) -> str:
    now = now or tables.utcnow()
    prefix = f"RW{now:%y%m}-"
    count = db.scalar(select(func.count()).select_from(tables.Order).where(tables.Order.number.like(f"{prefix}%")))
    return f"{prefix}{int(count or 0) + 1:04d}"


def local_today(db: Session, actor: Actor, now: datetime | None) -> date:
    """Today where the customer is served: in the time zone of the actor's store (a walk-in order made in
    the store), else the stores' default time zone."""
    store = db.get(tables.Store, actor.store_id) if actor.store_id else None
    return (now or datetime.now(UTC)).astimezone(zone(store.timezone if store else None)).date()


def _clean_delivery(db: Session, actor: Actor, delivery: dict[str, Any] | None,
                    now: datetime | None = None) -> dict[str, Any]:
    """The delivery details, trimmed; a preferred delivery date must be a date, today or later (in the
    local time zone; today is allowed), so an order is never made for a day that has passed."""
    delivery = {k: str(v).strip()[:300] for k, v in (delivery or {}).items() if v is not None}
    allowed = {"name", "phone", "address", "preferred_date", "notes"}
    unknown = set(delivery) - allowed
    if unknown:
        raise InvalidInput(f"unknown delivery field(s): {', '.join(sorted(unknown))}", field="delivery")
    wanted = delivery.get("preferred_date", "")
    if wanted:
        try:
            day = date.fromisoformat(wanted)
        except ValueError:
            raise InvalidInput(f"the preferred delivery date '{wanted[:20]}' is not a date (YYYY-MM-DD)",
                               field="preferred_date") from None
        today = local_today(db, actor, now)
        if day < today:
            raise InvalidInput(f"the preferred delivery date {day.isoformat()} has passed; choose today "
                               f"({today.isoformat()}) or a later day", field="preferred_date")
        delivery["preferred_date"] = day.isoformat()
    return delivery


def submit_order(db: Session, actor: Actor, design_id: str, revision: int, delivery: dict[str, Any] | None = None,
                 idempotency_key: str | None = None, expected_total_cents: int | None = None,
                 now: datetime | None = None) -> tuple[tables.Order, bool]:
    """Freeze ``revision`` of the design as an order, after its checks pass. Idempotent: the same
    revision, or the same idempotency key, gives back the existing order (and False for "created").

    With ``expected_total_cents`` (the total the person was shown) an order whose price is not that
    total is refused with Conflict (``extra``: the new total), so a price change is seen first.

    ``now`` (the web layer passes the request clock, the same one bookings use) stamps the order and
    its first event, so an order comes after the measurement it follows under a test clock too."""
    design = get_design_row(db, actor, design_id)
    if not policy.may_submit_order(actor, design):
        raise NotFound(f"no design '{design_id}' that you can order", field="design_id")
    if idempotency_key:
        again = db.scalar(select(tables.Order).where(tables.Order.owner_id == design.owner_id,
                                                     tables.Order.idempotency_key == idempotency_key))
        if again is not None:
            return again, False
    if revision != design.current_revision:
        raise Conflict(
            f"revision {revision} is not the latest ({design.current_revision}); review the latest version "
            "before ordering it", field="revision", extra={"current_revision": design.current_revision})
    existing = db.scalar(select(tables.Order).where(
        tables.Order.design_id == design.id, tables.Order.revision_number == revision))
    if existing is not None:
        return existing, False
    cleaned = _clean_delivery(db, actor, delivery, now)
    ensure_orderable(db, design.id, revision)
    rev = get_revision(db, design.id, revision)
    document = Design.model_validate(rev.document)
    if not document.cabinets:
        raise InvalidInput("the design has no cabinets yet; add cabinets before ordering", field="revision")
    findings = order_checks(document, factory=factory_profile(db))
    errors = [f for f in findings if f["severity"] == "error"]
    if errors:
        raise InvalidInput(
            f"the design cannot be made yet: {errors[0]['message']}"
            + (f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""),
            field="revision", extra={"findings": errors})
    if expected_total_cents is not None:
        total = order_quote(document, None)["total_cents"]
        if total != expected_total_cents:
            raise Conflict(f"the price is now {total / 100:.2f}, not the {expected_total_cents / 100:.2f} you were "
                           "shown; review it before ordering", field="expected_total_cents",
                           extra={"total_cents": total, "expected_total_cents": expected_total_cents})
    return _insert_order(db, actor, design, rev, document, cleaned, idempotency_key, now or tables.utcnow())


def _insert_order(db: Session, actor: Actor, design: tables.Design, rev: tables.DesignRevision, document: Design,
                  delivery: dict[str, Any], idempotency_key: str | None,
                  now: datetime) -> tuple[tables.Order, bool]:
    """Insert the order (True), or, when a concurrent submit of the same revision won the race, give
    back the order it made (False): the unique constraint on (design, revision) decides."""
    for _attempt in range(5):
        number = _next_number(db, now)
        order = tables.Order(design_id=design.id, revision_number=rev.number, owner_id=design.owner_id,
                             document=rev.document, number=number, quote=order_quote(document, number),
                             delivery=delivery, idempotency_key=idempotency_key or None, submitted_by=actor.id,
                             created_at=now, updated_at=now)
        try:
            with db.begin_nested():
                db.add(order)
                db.flush()
                db.add(tables.OrderEvent(order_id=order.id, status=OrderStatus.SUBMITTED.value, actor_id=actor.id,
                                         at=now))
                db.flush()
        except IntegrityError as exc:
            taken = db.scalar(select(tables.Order).where(tables.Order.design_id == design.id,
                                                         tables.Order.revision_number == rev.number))
            if taken is not None:
                return taken, False
            if "number" not in str(exc.orig).lower():
                raise Conflict("this order was submitted at the same moment from elsewhere", field="revision") from exc
            continue
        return order, True
    raise Conflict("could not allocate an order number; try again", field="revision")


def list_orders(db: Session, actor: Actor, status: str | None = None) -> list[tables.Order]:
    query = policy.visible_orders(actor)
    if status:
        query = query.where(tables.Order.status == status)
    return list(db.scalars(query.order_by(tables.Order.created_at.desc(), tables.Order.id)))


def get_order(db: Session, actor: Actor, order_id: str) -> tables.Order:
    order = db.scalar(policy.visible_orders(actor).where(tables.Order.id == order_id))
    if order is None:
        raise NotFound(f"no order '{order_id}' that you can see", field="order_id")
    return order


def order_events(db: Session, order: tables.Order) -> list[tables.OrderEvent]:
    query = select(tables.OrderEvent).where(tables.OrderEvent.order_id == order.id).order_by(
        tables.OrderEvent.at, tables.OrderEvent.id)
    return list(db.scalars(query))


def set_order_status(db: Session, actor: Actor, order_id: str, status: str, note: str = "",
                     now: datetime | None = None) -> tables.Order:
    """Move the order to ``status``, as an event stamped ``now`` (the request clock; the wall clock when None)."""
    now = now or tables.utcnow()
    order = get_order(db, actor, order_id)
    if status not in tables.ORDER_STATUSES:
        raise InvalidInput(f"status must be one of {', '.join(tables.ORDER_STATUSES)}", field="status")
    if status == order.status:
        return order
    if status not in policy.ORDER_STATUS_SETTERS.get(actor.role, set()):
        raise Forbidden(f"a {actor.role} account cannot set an order to '{status}'", field="status")
    if not policy.may_set_order_status(actor, order.status, status):
        raise Conflict(f"an order that is '{order.status}' cannot be set to '{status}' by a {actor.role}",
                       field="status", extra={"current_status": order.status})
    db.add(tables.OrderEvent(order_id=order.id, status=status, previous_status=order.status, actor_id=actor.id,
                             note=note[:500], at=now))
    order.status = status
    order.updated_at = now
    db.flush()
    if status == OrderStatus.INSTALLED:
        points.on_order_installed(db, order, actor.id)
    elif status == OrderStatus.CANCELLED:
        points.on_order_cancelled(db, order, actor.id)
        escrow.on_order_cancelled(db, order, actor, now)
    return order


def find_order_by_number(db: Session, number: str) -> tables.Order | None:
    return db.scalar(select(tables.Order).where(tables.Order.number == number))
