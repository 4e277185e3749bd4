"""The words the app stores and compares: account roles and order statuses, in one place.

They are ``StrEnum``: a member equals its string (``Role.ADMIN == "admin"``), so the values in the
database, in JSON and in templates stay the plain strings. Pure (no framework): every layer may
import it. The booking feature's own statuses and kinds (``BookingStatus``, ``ServiceCode``,
``Performer``, ``CaseStatus``, ``RevisionStatus``, ``MessageKind``, ``DeliveryStatus``) live with
its rules in ``backend.booking``.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """An account's role (the order is the one of the database check)."""

    HOMEOWNER = "homeowner"
    DESIGNER = "designer"
    STORE_MANAGER = "store_manager"
    INSTALLER = "installer"
    FACTORY = "factory"
    ADMIN = "admin"


class OrderStatus(StrEnum):
    """A manufacturing order's status, in the order an order goes through them."""

    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    IN_PRODUCTION = "in_production"
    SHIPPED = "shipped"
    INSTALLED = "installed"
    CANCELLED = "cancelled"



class ServiceRequestKind(StrEnum):
    """What an after-sales service request asks for."""

    REPAIR = "repair"
    MAINTENANCE = "maintenance"
    REPLACEMENT_PART = "replacement_part"


class ServiceRequestStatus(StrEnum):
    """An after-sales service request: open, assigned to an installer team, scheduled as a booking, closed."""

    OPEN = "open"
    ASSIGNED = "assigned"
    SCHEDULED = "scheduled"
    CLOSED = "closed"


class RenderStatus(StrEnum):
    """A photoreal render of a design revision: being made, kept (its PNG in the file store), or failed."""

    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


ROLES: tuple[str, ...] = tuple(r.value for r in Role)
ORDER_STATUSES: tuple[str, ...] = tuple(s.value for s in OrderStatus)
RENDER_STATUSES: tuple[str, ...] = tuple(s.value for s in RenderStatus)
