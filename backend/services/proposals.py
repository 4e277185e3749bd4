"""Proposal PDFs (plan, 3D view, elevations, itemized quote) made as a job: a proposal is a pure function of
(design revision, customer name, date, language), so a finished one is reused for the same key, and the PDF
is kept in the file store. It is written in the customer's language: the design owner's own locale, else
the language of the page that asks for it."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from backend.db import tables
from backend.design.model import Design
from backend.errors import InvalidInput, NotFound
from backend.i18n import supported
from backend.jobs import Job, JobContext, JobRunner
from backend.services import designs, renders
from backend.storage import FileStore


def proposal_task(ctx: JobContext, args: dict[str, Any]) -> dict[str, Any]:
    """The ``proposal`` job: render the PDF of one design revision and store it; returns its storage key."""
    from backend.bom.pricing import quote
    from backend.bom.proposal import proposal_pdf
    from backend.services.catalog import catalog

    with ctx.sessions() as db:
        row = db.get(tables.Design, args["design_id"])
        if row is None:
            raise NotFound(f"the design '{args['design_id']}' was deleted before its proposal was made",
                           field="design_id")
        document = Design.model_validate(designs.get_revision(db, args["design_id"], args["revision"]).document)
        pictures = [renders.stored_render(db, ctx.store, row, rid) for rid in args.get("renders", [])]
    ctx.progress(10, "drawing the plan, the 3D view and the elevations")
    pdf = proposal_pdf(document, catalog(), quote(document, catalog()), customer=args["customer"],
                       when=date.fromisoformat(args["when"]), renders=pictures, locale=args.get("locale"))
    name = "".join(ch if ch.isalnum() else "-" for ch in document.name)[:60] or "design"
    return {"pdf_key": ctx.store.put(pdf), "filename": f"proposal-{name}.pdf"}


def customer_locale(db: Session, design_id: str, fallback: str | None = None) -> str:
    """The language of the design's customer: the owner's own locale when they chose one, else
    ``fallback`` (the asking page's), else English."""
    row = db.get(tables.Design, design_id)
    owner = db.get(tables.User, row.owner_id) if row is not None else None
    return supported(owner.locale if owner is not None else None, supported(fallback))


def start_proposal(jobs: JobRunner, owner_id: str, design_id: str, revision: int, customer: str,
                   render_ids: list[str] | None = None, locale: str = "en") -> Job:
    """The proposal job for this revision with these renders, in ``locale`` (a finished one of today is
    reused)."""
    today = date.today().isoformat()
    pictures = list(render_ids or [])
    args = {"design_id": design_id, "revision": revision, "customer": customer, "when": today, "renders": pictures,
            "locale": locale}
    key = f"proposal:{design_id}:{revision}:{today}:{locale}:{','.join(pictures)}:{customer}"[:200]
    return jobs.submit("proposal", owner_id, args, key=key, reuse_done=True)


def proposal_or_job(jobs: JobRunner, store: FileStore, owner_id: str, design_id: str, revision: int,
                    customer: str, wait_seconds: float, render_ids: list[str] | None = None,
                    locale: str = "en") -> tuple[bytes, str] | Job:
    """The PDF and its file name once made (waiting up to ``wait_seconds``), else the job to poll."""
    job = jobs.wait(start_proposal(jobs, owner_id, design_id, revision, customer, render_ids, locale).id,
                    wait_seconds)
    if job.status == "failed" and job.error:
        raise InvalidInput(job.error["detail"], field=job.error.get("field") or "design_id")
    if job.status != "done":
        return job
    return store.get(job.result["pdf_key"]), str(job.result["filename"])
