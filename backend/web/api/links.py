"""Read-only links to a design and the PDF proposal."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response, status
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from backend.jobs import Job, JobRunner
from backend.services import designs, links, proposals, renders
from backend.storage import FileStore
from backend.web.deps import ActorDep, DbDep, JobsDep, PublicBaseDep, StoreDep

router = APIRouter(prefix="/api", tags=["sharing"])


class LinkOut(BaseModel):
    id: str
    url: str
    created_at: str


def _link_out(link: object, base_url: str) -> LinkOut:
    from backend.db.tables import DesignLink

    assert isinstance(link, DesignLink)
    return LinkOut(id=link.id, url=f"{base_url.rstrip('/')}/s/{link.token}", created_at=link.created_at.isoformat())


@router.post("/designs/{design_id}/links", status_code=status.HTTP_201_CREATED, response_model=LinkOut)
def create_link(design_id: str, db: DbDep, actor: ActorDep, base: PublicBaseDep) -> LinkOut:
    """A read-only link (3D view and quote) that anyone who has it can open, until it is revoked."""
    return _link_out(links.create_link(db, actor, design_id), base)


@router.get("/designs/{design_id}/links", response_model=list[LinkOut])
def list_links(design_id: str, db: DbDep, actor: ActorDep, base: PublicBaseDep) -> list[LinkOut]:
    return [_link_out(link, base) for link in links.list_links(db, actor, design_id)]


@router.delete("/designs/{design_id}/links/{link_id}", status_code=status.HTTP_204_NO_CONTENT)
def revoke_link(design_id: str, link_id: str, db: DbDep, actor: ActorDep) -> Response:
    links.revoke_link(db, actor, design_id, link_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


PROPOSAL_WAIT_SECONDS = 30.0
"""How long a proposal download waits for its PDF before it answers 202 with the job to poll."""


def proposal_response(jobs: JobRunner, store: FileStore, owner_id: str, design_id: str, revision: int,
                      customer: str, poll_url: str | None = None, render_ids: list[str] | None = None,
                      locale: str = "en") -> Response:
    """The proposal PDF (made as a job) in ``locale``, or 202 with the job to poll (``/api/jobs/{id}``, or
    ``poll_url``: asked again, the same address joins the same job) when it takes longer."""
    found = proposals.proposal_or_job(jobs, store, owner_id, design_id, revision, customer, PROPOSAL_WAIT_SECONDS,
                                      render_ids or [], locale)
    if isinstance(found, Job):
        return JSONResponse(found.public(), status_code=status.HTTP_202_ACCEPTED,
                            headers={"Location": poll_url or f"/api/jobs/{found.id}", "Retry-After": "2"})
    pdf, filename = found
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{filename}"'})


@router.get("/designs/{design_id}/proposal.pdf", responses={200: {"content": {"application/pdf": {}}},
                                                            202: {"description": "still being made: poll the job"}})
def proposal(design_id: str, request: Request, db: DbDep, actor: ActorDep, jobs: JobsDep,
             store: StoreDep) -> Response:
    """The proposal as a PDF: plan, the newest renders, 3D view, elevation per wall, itemized quote; in the
    customer's language (the owner's locale, else this request's)."""
    view = designs.get_design(db, actor, design_id)
    locale = proposals.customer_locale(db, design_id, getattr(request.state, "locale", None))
    return proposal_response(jobs, store, actor.id, design_id, view.row.current_revision, actor.display_name,
                             render_ids=renders.latest_render_ids(db, view.row, 2), locale=locale)
