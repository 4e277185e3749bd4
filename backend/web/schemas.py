"""Request and response bodies of the JSON API (the design document itself is backend.design.model)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from annotated_types import Ge, Le
from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field

from backend.db import tables
from backend.design.model import Design

DB_INT_MAX = 2**31 - 1
"""The largest value of an INTEGER column on PostgreSQL (and what SQLite is held to with it)."""

RevisionNumber = Annotated[int, Ge(1), Le(DB_INT_MAX)]
"""A design revision number, in any path, query or body: 1 to 2³¹−1, else a 422 naming the field
(the database could not hold a larger one, so it would be a 500 or a misleading 409)."""

EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(3000, 1, 1, tzinfo=UTC)
"""Moments outside [EARLIEST, LATEST) are refused: no booking or slot lives there, and a week or a
time zone added to ``9999-12-31T23:00Z`` (or taken from ``0001-01-01``) leaves what dates can hold."""


def _in_range(value: datetime) -> datetime:
    moment = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    try:
        inside = EARLIEST <= moment < LATEST
    except OverflowError:
        inside = False
    if not inside:
        raise ValueError(f"must be between {EARLIEST:%Y-%m-%d} and {LATEST:%Y-%m-%d}")
    return value


Moment = Annotated[datetime, AfterValidator(_in_range)]
"""A moment (naive ones are refused later, with their field, by ``as_utc``) between 1970 and 3000."""
AwareMoment = Annotated[AwareDatetime, AfterValidator(_in_range)]
"""A moment with its offset, between 1970 and 3000."""


class Credentials(BaseModel):
    email: str = Field(min_length=3, max_length=320, examples=["ana@example.com"])
    password: str = Field(min_length=1, max_length=1024)


class SignUp(Credentials):
    display_name: str = Field(default="", max_length=200)


class UserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: str
    email: str
    role: str
    display_name: str
    store_id: str | None


class PhoneIn(BaseModel):
    phone: str = Field(max_length=40)


class PhoneOut(BaseModel):
    phone: str


class TokenOut(BaseModel):
    token: str
    token_type: str = "bearer"
    csrf_token: str
    user: UserOut


class NewUser(BaseModel):
    email: str
    password: str
    role: str
    display_name: str = ""
    store_id: str | None = None


class DesignSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: str
    name: str
    owner_id: str
    current_revision: int
    room_count: int
    cabinet_count: int
    created_at: datetime
    updated_at: datetime


class DesignOut(BaseModel):
    id: str
    name: str
    owner_id: str
    revision: int
    can_edit: bool
    updated_at: datetime
    document: Design


class DesignCreate(BaseModel):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    document: dict[str, Any] | None = None


class DesignSave(BaseModel):
    base_revision: RevisionNumber = Field(description="the revision this edit started from")
    document: dict[str, Any]
    message: str = Field(default="", max_length=500)


class DesignRename(BaseModel):
    base_revision: RevisionNumber
    name: str = Field(min_length=1, max_length=200)


class RevisionRestore(BaseModel):
    base_revision: RevisionNumber = Field(description="the latest revision, as the page last saw it")


class RevisionOut(BaseModel):
    number: int
    author_id: str
    author_name: str
    message: str
    """In the reader's language for a system message; a person's own words as they wrote them."""
    message_key: str | None = None
    """The system message's key (None for a person's words and older revisions)."""
    message_params: dict[str, Any] | None = None
    created_at: datetime


class ShareCreate(BaseModel):
    email: str


class UploadOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: str
    sha256: str
    content_type: str
    size_bytes: int
    width_px: int | None
    height_px: int | None
    filename: str
    created_at: datetime


def design_out(view_row: tables.Design, document: Design, can_edit: bool) -> DesignOut:
    return DesignOut(id=view_row.id, name=view_row.name, owner_id=view_row.owner_id,
                     revision=view_row.current_revision, can_edit=can_edit, updated_at=view_row.updated_at,
                     document=document)
