"""Request and response bodies of the JSON API (the design document itself is backend.design.model)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from backend.db import tables
from backend.design.model import Design


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
    base_revision: int = Field(ge=1, description="the revision this edit started from")
    document: dict[str, Any]
    message: str = Field(default="", max_length=500)


class DesignRename(BaseModel):
    base_revision: int = Field(ge=1)
    name: str = Field(min_length=1, max_length=200)


class RevisionOut(BaseModel):
    number: int
    author_id: str
    author_name: str
    message: str
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
