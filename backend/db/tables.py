"""SQLAlchemy tables. Queries live in ``backend.db.repositories``; the schema changes only through
Alembic migrations in ``backend/db/migrations`` (a test checks models and migrations agree)."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    true,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from backend import enums

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

JsonDoc = JSON().with_variant(JSONB(), "postgresql")

ROLES = enums.ROLES
ORDER_STATUSES = enums.ORDER_STATUSES
RENDER_STATUSES = enums.RENDER_STATUSES


def new_id(prefix: str) -> str:
    """A readable, non-guessable id such as ``des-5f2a9c0e1b7d``."""
    return f"{prefix}-{secrets.token_hex(6)}"


def utcnow() -> datetime:
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite stores them naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Store(Base):
    __tablename__ = "stores"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=lambda: new_id("store"))
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(400), default="")
    district: Mapped[str] = mapped_column(String(120), default="")
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Shanghai")
    # the store's phone (E.164, "" for none): the relay's fallback for its staff, never shown to customers
    phone: Mapped[str] = mapped_column(String(20), default="", server_default="")
    opening_hours: Mapped[dict[str, Any]] = mapped_column(JsonDoc, default=dict)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class User(Base):
    __tablename__ = "users"
    __table_args__ = (CheckConstraint(f"role IN {ROLES!r}", name="role_known"),)
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=lambda: new_id("usr"))
    email: Mapped[str] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20), index=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    store_id: Mapped[str | None] = mapped_column(ForeignKey("stores.id"), nullable=True)
    locale: Mapped[str | None] = mapped_column(String(10), nullable=True)
    # the account's own phone (E.164), optional: only the masked contact relay uses it
    phone: Mapped[str | None] = mapped_column(String(20), nullable=True)
    is_active: Mapped[bool] = mapped_column(default=True)
    # False for an account a store created for a walk-in customer until its owner chooses a password
    password_set: Mapped[bool] = mapped_column(default=True, server_default=true())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class Session(Base):
    """A login: the cookie and the bearer token both carry a random token whose hash is the key.

    ``design_id`` set: a session opened by a store's hand-off link, valid for that one design only."""

    __tablename__ = "sessions"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    design_id: Mapped[str | None] = mapped_column(ForeignKey("designs.id", ondelete="CASCADE"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())


class LoginFailure(Base):
    __tablename__ = "login_failures"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer(), "sqlite"), primary_key=True)
    email: Mapped[str] = mapped_column(String(320), index=True)
    client: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, index=True)


class Design(Base):
    """A design: its current state is the document of revision ``current_revision``."""

    __tablename__ = "designs"
    __table_args__ = (Index("ix_designs_owner_updated", "owner_id", "updated_at"),)
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=lambda: new_id("des"))
    owner_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    name: Mapped[str] = mapped_column(String(200))
    current_revision: Mapped[int] = mapped_column(Integer, default=1)
    schema_version: Mapped[int] = mapped_column(Integer)
    cabinet_count: Mapped[int] = mapped_column(Integer, default=0)
    room_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class DesignRevision(Base):
    """An immutable saved state. (design_id, number) is unique, so two writers saving on the same
    base can never both create the next revision: the database refuses the second."""

    __tablename__ = "design_revisions"
    __table_args__ = (UniqueConstraint("design_id", "number", name="uq_design_revisions_number"),)
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer(), "sqlite"), primary_key=True)
    design_id: Mapped[str] = mapped_column(ForeignKey("designs.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    document: Mapped[dict[str, Any]] = mapped_column(JsonDoc)
    author_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    message: Mapped[str] = mapped_column(String(500), default="")
    """The message in English, or the words a person gave the revision."""
    message_key: Mapped[str | None] = mapped_column(String(60), nullable=True, default=None)
    """A system message's key (``backend.configurator.wording.REVISIONS``), worded in each reader's
    language from ``message_params``; None for a person's own words and for rows saved before keys."""
    message_params: Mapped[dict[str, Any] | None] = mapped_column(JsonDoc, nullable=True, default=None)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    history: Mapped[dict[str, Any] | None] = mapped_column(JsonDoc, nullable=True)
    """The editor's stacks after this revision: {"undo": [inverse commands], "redo": [commands]}, or None."""


class DesignShare(Base):
    """Access to a design for another user (a designer), by booking or explicit share."""

    __tablename__ = "design_shares"
    __table_args__ = (UniqueConstraint("design_id", "user_id", name="uq_design_shares_user"),)
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer(), "sqlite"), primary_key=True)
    design_id: Mapped[str] = mapped_column(ForeignKey("designs.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(String(40), default="explicit")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    ends_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)


class Upload(Base):
    __tablename__ = "uploads"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=lambda: new_id("upl"))
    owner_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    content_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    width_px: Mapped[int | None] = mapped_column(Integer, nullable=True)
    height_px: Mapped[int | None] = mapped_column(Integer, nullable=True)
    filename: Mapped[str] = mapped_column(String(300), default="")
    storage_key: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class Render(Base):
    """A photoreal render of one design revision from one view (``backend.services.renders``): the row is
    written when the render starts (``running``) and names its PNG in the file store once ``done``.

    ``samples`` is None on renders made before this table (0015_renders moved them here from ``uploads``,
    which did not record it); their ids stay the ``upl-`` ids their addresses already use."""

    __tablename__ = "renders"
    __table_args__ = (
        CheckConstraint(f"status IN {RENDER_STATUSES!r}", name="status_known"),
        Index("ix_renders_design_revision", "design_id", "revision", "created_at"),
    )
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=lambda: new_id("rnd"))
    design_id: Mapped[str] = mapped_column(ForeignKey("designs.id", ondelete="CASCADE"))
    revision: Mapped[int] = mapped_column(Integer)
    camera: Mapped[str] = mapped_column(String(120))
    """The named view (``room``, ``door``, a wall's id) or ``view`` for a camera the editor gave."""
    width_px: Mapped[int] = mapped_column(Integer)
    height_px: Mapped[int] = mapped_column(Integer)
    samples: Mapped[int | None] = mapped_column(Integer, nullable=True)
    status: Mapped[str] = mapped_column(String(16), default=enums.RenderStatus.RUNNING)
    file_key: Mapped[str | None] = mapped_column(String(200), nullable=True)
    size_bytes: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    created_by: Mapped[str | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class Order(Base):
    """A factory order: a frozen copy of one design revision."""

    __tablename__ = "orders"
    __table_args__ = (
        UniqueConstraint("design_id", "revision_number", name="uq_orders_design_revision"),
        UniqueConstraint("owner_id", "idempotency_key", name="uq_orders_idempotency"),
        CheckConstraint(f"status IN {ORDER_STATUSES!r}", name="status_known"),
    )
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=lambda: new_id("ord"))
    design_id: Mapped[str] = mapped_column(ForeignKey("designs.id"), index=True)
    revision_number: Mapped[int] = mapped_column(Integer)
    owner_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), index=True, default=enums.OrderStatus.SUBMITTED.value)
    document: Mapped[dict[str, Any]] = mapped_column(JsonDoc)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    number: Mapped[str | None] = mapped_column(String(20), unique=True, nullable=True)
    quote: Mapped[dict[str, Any]] = mapped_column(JsonDoc, default=dict)
    delivery: Mapped[dict[str, Any]] = mapped_column(JsonDoc, default=dict)
    idempotency_key: Mapped[str | None] = mapped_column(String(100), nullable=True)
    submitted_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    package_key: Mapped[str | None] = mapped_column(String(64), nullable=True)


class OrderEvent(Base):
    """One status change of an order: who moved it, when, from what to what."""

    __tablename__ = "order_events"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer(), "sqlite"), primary_key=True)
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    previous_status: Mapped[str | None] = mapped_column(String(20), nullable=True)
    actor_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    note: Mapped[str] = mapped_column(String(500), default="")
    at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class DesignLink(Base):
    """A read-only link to a design (3D view and quote) that its owner can revoke."""

    __tablename__ = "design_links"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=lambda: new_id("lnk"))
    design_id: Mapped[str] = mapped_column(ForeignKey("designs.id", ondelete="CASCADE"), index=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_by: Mapped[str] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)


class HandoffToken(Base):
    """A one-time sign-in link that hands a design started in the store to the customer's phone."""

    __tablename__ = "handoff_tokens"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    design_id: Mapped[str] = mapped_column(ForeignKey("designs.id", ondelete="CASCADE"))
    created_by: Mapped[str] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)


class StoreClaim(Base):
    """A design a store started for an existing customer account, held by the staff member until the
    customer confirms it is theirs with the one-time code sent to their email (or their password)."""

    __tablename__ = "store_claims"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=lambda: new_id("clm"))
    design_id: Mapped[str] = mapped_column(ForeignKey("designs.id", ondelete="CASCADE"), index=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_by: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    code_hash: Mapped[str] = mapped_column(String(200))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    sends: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())
    confirmed_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)


class StoredFile(Base):
    """A file kept in the database (``ROOMWRIGHT_FILE_STORE=database``, backend.storage.database), named by
    the SHA-256 of its bytes like the other file stores."""

    __tablename__ = "stored_files"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
class JobRecord(Base):
    """A background job when the work runs on queue workers (``backend.jobqueue``): any app process answers
    a poll from here. ``attempts`` counts the runs started (a worker that died half-way leaves one behind);
    only the latest attempt may record the outcome, so a retried job finishes once."""

    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_key_status", "key", "status"),)
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    owner_id: Mapped[str] = mapped_column(String(40), index=True)
    key: Mapped[str | None] = mapped_column(String(200), nullable=True)
    status: Mapped[str] = mapped_column(String(16), default="queued")
    progress: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str] = mapped_column(String(300), default="")
    args: Mapped[dict[str, Any]] = mapped_column(JsonDoc, default=dict)
    result: Mapped[Any] = mapped_column(JsonDoc, nullable=True)
    error: Mapped[dict[str, Any] | None] = mapped_column(JsonDoc, nullable=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    worker: Mapped[str | None] = mapped_column(String(100), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
class FactoryProfileRow(Base):
    """A factory's edited production profile (``backend.bom.factory.FactoryProfile`` as JSON); a code
    with no row here uses the default in ``assets/models/factory/profiles.json``."""

    __tablename__ = "factory_profiles"
    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    data: Mapped[dict[str, Any]] = mapped_column(JsonDoc)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    updated_by: Mapped[str | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
