"""Read-only links to a design and the PDF proposal."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Response, status
from pydantic import BaseModel

from backend.design.model import Design
from backend.services import designs, links, renders
from backend.web.deps import ActorDep, DbDep, PublicBaseDep, StoreDep

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


def proposal_response(document: Design, customer: str, renders: list[bytes] | None = None) -> Response:
    from backend.bom.pricing import quote
    from backend.bom.proposal import proposal_pdf
    from backend.services.catalog import catalog

    pdf = proposal_pdf(document, catalog(), quote(document, catalog()), customer=customer,
                       when=date.today(), renders=renders or [])
    name = "".join(ch if ch.isalnum() else "-" for ch in document.name)[:60] or "design"
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="proposal-{name}.pdf"'})


@router.get("/designs/{design_id}/proposal.pdf", responses={200: {"content": {"application/pdf": {}}}})
def proposal(design_id: str, db: DbDep, actor: ActorDep, store: StoreDep) -> Response:
    """The proposal as a PDF: plan, the newest renders, 3D view, elevation per wall, itemized quote."""
    view = designs.get_design(db, actor, design_id)
    return proposal_response(view.document, actor.display_name, renders.renders_of(db, store, view.row))
