"""Designs: list, create, get, save (with the base revision), rename, revisions, shares."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response, status

from backend.configurator.wording import Gettext
from backend.design.model import design_json_schema
from backend.services import designs as svc
from backend.web import i18n
from backend.web.answers import json_answer
from backend.web.deps import ActorDep, ActorLookupDep, DbDep
from backend.web.pages import locale_of
from backend.web.schemas import (
    DesignCreate,
    DesignOut,
    DesignRename,
    DesignSave,
    DesignSummary,
    RevisionNumber,
    RevisionOut,
    RevisionRestore,
    ShareCreate,
    design_out,
)

router = APIRouter(prefix="/api", tags=["designs"])


@router.get("/schema/design.json", tags=["schema"])
def design_schema() -> dict[str, object]:
    """The JSON Schema of the design document (see docs/design-format.md)."""
    return design_json_schema()


@router.get("/designs", response_model=list[DesignSummary])
def list_designs(db: DbDep, actor: ActorDep) -> list[DesignSummary]:
    return [DesignSummary.model_validate(row) for row in svc.list_designs(db, actor)]


@router.post("/designs", status_code=status.HTTP_201_CREATED, response_model=DesignOut)
def create_design(body: DesignCreate, db: DbDep, who: ActorLookupDep) -> Response:
    view = svc.create_design(db, who.actor(), body.name, body.document)
    return json_answer(design_out(view.row, view.document, view.can_edit), db, status.HTTP_201_CREATED)


@router.get("/designs/{design_id}", response_model=DesignOut)
def get_design(design_id: str, db: DbDep, who: ActorLookupDep) -> Response:
    view = svc.get_design(db, who.actor(), design_id)
    return json_answer(design_out(view.row, view.document, view.can_edit), db)


@router.put("/designs/{design_id}", response_model=DesignOut,
            responses={409: {"description": "the base revision is stale; the body names the current one"}})
def save_design(design_id: str, body: DesignSave, db: DbDep, who: ActorLookupDep) -> Response:
    """Save a new revision. ``base_revision`` must be the latest, or the answer is 409 and nothing changes."""
    view = svc.save_design(db, who.actor(), design_id, body.base_revision, body.document, body.message)
    return json_answer(design_out(view.row, view.document, view.can_edit), db)


@router.patch("/designs/{design_id}", response_model=DesignOut)
def rename_design(design_id: str, body: DesignRename, db: DbDep, actor: ActorDep) -> DesignOut:
    view = svc.rename_design(db, actor, design_id, body.base_revision, body.name)
    return design_out(view.row, view.document, view.can_edit)


@router.get("/designs/{design_id}/revisions", response_model=list[RevisionOut])
def list_revisions(design_id: str, request: Request, db: DbDep, actor: ActorDep) -> list[RevisionOut]:
    """The history, newest first; each message in the reader's language (a person's own words as typed)."""
    revisions = svc.list_revisions(db, actor, design_id)
    names = svc.author_names(db, {r.author_id for r in revisions})
    words = _words(request)
    return [RevisionOut(number=r.number, author_id=r.author_id, author_name=names.get(r.author_id, ""),
                        message=svc.revision_message(r, words), message_key=r.message_key,
                        message_params=r.message_params, created_at=r.created_at) for r in revisions]


@router.get("/designs/{design_id}/revisions/{number}")
def get_revision(design_id: str, number: RevisionNumber, request: Request, db: DbDep,
                 actor: ActorDep) -> dict[str, object]:
    row = svc.get_design_row(db, actor, design_id)
    rev = svc.get_revision(db, row.id, number)
    return {"number": rev.number, "author_id": rev.author_id, "created_at": rev.created_at.isoformat(),
            "message": svc.revision_message(rev, _words(request)), "message_key": rev.message_key,
            "message_params": rev.message_params, "document": rev.document}


def _words(request: Request) -> Gettext:
    return i18n.gettext_for(locale_of(request)).gettext


@router.post("/designs/{design_id}/revisions/{number}/restore", response_model=DesignOut,
             responses={409: {"description": "the base revision is stale; the body names the current one"}})
def restore_revision(design_id: str, number: RevisionNumber, body: RevisionRestore, db: DbDep,
                     actor: ActorDep) -> DesignOut:
    """Restore an earlier revision: saved as a new revision equal to it (the later ones stay in the history)."""
    view = svc.restore_revision(db, actor, design_id, number, body.base_revision)
    return design_out(view.row, view.document, view.can_edit)


@router.post("/designs/{design_id}/shares", status_code=status.HTTP_201_CREATED)
def share(design_id: str, body: ShareCreate, db: DbDep, actor: ActorDep) -> dict[str, object]:
    share_row = svc.share_design(db, actor, design_id, body.email)
    return {"design_id": share_row.design_id, "user_id": share_row.user_id, "reason": share_row.reason}


@router.delete("/designs/{design_id}/shares/{user_id}", status_code=status.HTTP_204_NO_CONTENT)
def unshare(design_id: str, user_id: str, db: DbDep, actor: ActorDep) -> Response:
    svc.unshare_design(db, actor, design_id, user_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
