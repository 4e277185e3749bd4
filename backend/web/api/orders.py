"""Orders: submit a design revision, list and read orders with their history, move their status,
download the factory package."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Header, Request, Response, status
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from backend.db import tables
from backend.design.model import Design
from backend.enums import Role
from backend.errors import NotFound
from backend.jobs import Job, JobRunner
from backend.services import orders as svc
from backend.services import packages
from backend.web.api.bookings import NowDep
from backend.web.deps import ActorDep, DbDep, PublicBaseDep, StoreDep
from backend.web.schemas import RevisionNumber

router = APIRouter(prefix="/api", tags=["orders"])

FACTORY_ROLES = (Role.FACTORY, Role.ADMIN)


class Delivery(BaseModel):
    name: str = Field(default="", max_length=200)
    phone: str = Field(default="", max_length=50)
    address: str = Field(default="", max_length=300)
    preferred_date: str = Field(default="", max_length=20)
    notes: str = Field(default="", max_length=300)


class OrderCreate(BaseModel):
    revision: RevisionNumber
    delivery: Delivery = Field(default_factory=Delivery)
    idempotency_key: str | None = Field(default=None, max_length=100)
    expected_total_cents: int | None = Field(default=None, ge=0)
    """The total the person was shown; a different price is refused (409) so they see it first."""


class OrderStatusChange(BaseModel):
    status: str
    note: str = Field(default="", max_length=500)


class OrderEventOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    status: str
    previous_status: str | None
    actor_id: str | None
    note: str
    at: datetime


class OrderOut(BaseModel):
    id: str
    number: str | None
    design_id: str
    revision_number: int
    owner_id: str
    status: str
    quote: dict[str, Any]
    delivery: dict[str, Any]
    created_at: datetime
    updated_at: datetime
    events: list[OrderEventOut]
    package_ready: bool


def order_out(db: DbDep, order: tables.Order) -> OrderOut:
    events = [OrderEventOut.model_validate(e) for e in svc.order_events(db, order)]
    return OrderOut(id=order.id, number=order.number, design_id=order.design_id,
                    revision_number=order.revision_number, owner_id=order.owner_id, status=order.status,
                    quote=order.quote or {}, delivery=order.delivery or {}, created_at=order.created_at,
                    updated_at=order.updated_at, events=events, package_ready=order.package_key is not None)


@router.post("/designs/{design_id}/orders", response_model=OrderOut, status_code=status.HTTP_201_CREATED,
             responses={200: {"description": "already ordered (same revision or idempotency key)"},
                        409: {"description": "not the latest revision, a measured revision awaits approval, or the "
                                              "price is not the expected_total_cents"},
                        422: {"description": "the design cannot be made yet: the findings are listed"}})
def submit(design_id: str, body: OrderCreate, response: Response, db: DbDep, actor: ActorDep, now: NowDep,
           idempotency_key: Annotated[str | None, Header()] = None) -> OrderOut:
    """Hand a design revision to the factory. The revision is frozen into the order with its quote."""
    key = body.idempotency_key or idempotency_key
    order, created = svc.submit_order(db, actor, design_id, body.revision, body.delivery.model_dump(), key,
                                      body.expected_total_cents, now)
    if not created:
        response.status_code = status.HTTP_200_OK
    return order_out(db, order)


@router.get("/orders", response_model=list[OrderOut])
def list_orders(db: DbDep, actor: ActorDep, status: str | None = None) -> list[OrderOut]:
    return [order_out(db, o) for o in svc.list_orders(db, actor, status)]


@router.get("/orders/{order_id}", response_model=OrderOut)
def get_order(order_id: str, db: DbDep, actor: ActorDep) -> OrderOut:
    return order_out(db, svc.get_order(db, actor, order_id))


@router.patch("/orders/{order_id}", response_model=OrderOut)
def change_status(order_id: str, body: OrderStatusChange, db: DbDep, actor: ActorDep, now: NowDep) -> OrderOut:
    return order_out(db, svc.set_order_status(db, actor, order_id, body.status, body.note, now))


@router.get("/orders/{order_id}/scene.glb", responses={200: {"content": {"model/gltf-binary": {}}}})
def order_scene(order_id: str, db: DbDep, actor: ActorDep) -> Response:
    """The 3D scene of the frozen revision the order makes."""
    from backend.configurator.scene import build_scene_glb
    from backend.services.catalog import catalog

    order = svc.get_order(db, actor, order_id)
    glb = build_scene_glb(Design.model_validate(order.document), catalog())
    return Response(glb, media_type="model/gltf-binary", headers={"Cache-Control": "private, max-age=3600"})


def _factory_order(db: DbDep, actor: ActorDep, order_id: str) -> tables.Order:
    order = svc.get_order(db, actor, order_id)
    if actor.role not in FACTORY_ROLES:
        raise NotFound(f"no package for order '{order_id}'", field="order_id")
    return order


PACKAGE_WAIT_SECONDS = 10
"""How long a download waits for a package being built before it answers 202 with the job to poll."""


class PackageBuilding(Exception):
    """The package is still being built: the answer is 202 with the job (see ``package_building``)."""

    def __init__(self, order_id: str, job: Job) -> None:
        self.order_id, self.job = order_id, job


def package_building(request: Request, exc: PackageBuilding) -> Response:
    body = exc.job.public()
    return JSONResponse(body, status_code=status.HTTP_202_ACCEPTED,
                        headers={"Location": f"/api/orders/{exc.order_id}/package/jobs/{exc.job.id}"})


def ensure_package(request: Request, db: DbDep, store: StoreDep, order: tables.Order, base: str) -> str:
    """The package's storage key. A small order's package is built while the request waits a few seconds;
    a larger one answers 202 with the build's job, polled at ``/api/orders/{id}/package/jobs/{job}``."""
    jobs: JobRunner = request.app.state.jobs
    found = packages.package_or_job(db, jobs, store, order, base, PACKAGE_WAIT_SECONDS)
    if isinstance(found, Job):
        raise PackageBuilding(order.id, found)
    return found


BUILDING: dict[int | str, dict[str, Any]] = {
    202: {"description": "the package is still being built: poll the job in `Location`"}}


@router.get("/orders/{order_id}/package", responses={200: {"content": {"application/zip": {}}}, **BUILDING})
def download_package(order_id: str, request: Request, db: DbDep, actor: ActorDep, store: StoreDep,
                     base: PublicBaseDep) -> Response:
    """The whole factory package as a zip (order.json, cut lists, nesting.pdf, DXF per part, labels…)."""
    order = _factory_order(db, actor, order_id)
    key = ensure_package(request, db, store, order, base)
    name = f"{order.number or order.id}.zip"
    return Response(store.get(key), media_type="application/zip",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/orders/{order_id}/package/jobs/{job_id}")
def package_build(order_id: str, job_id: str, request: Request, db: DbDep, actor: ActorDep) -> dict[str, Any]:
    """The build of an order's package (status, progress); once ``done``, the downloads answer at once."""
    order = _factory_order(db, actor, order_id)
    return packages.package_job(db, request.app.state.jobs, order, job_id).public()


@router.get("/orders/{order_id}/files", responses=BUILDING)
def list_package_files(order_id: str, request: Request, db: DbDep, actor: ActorDep, store: StoreDep,
                       base: PublicBaseDep) -> dict[str, list[str]]:
    order = _factory_order(db, actor, order_id)
    return {"files": packages.package_files(store, ensure_package(request, db, store, order, base))}


MEDIA = {"pdf": "application/pdf", "csv": "text/csv; charset=utf-8", "json": "application/json",
         "dxf": "application/dxf", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@router.get("/orders/{order_id}/files/{name:path}", responses=BUILDING)
def package_file(order_id: str, name: str, request: Request, db: DbDep, actor: ActorDep, store: StoreDep,
                 base: PublicBaseDep) -> Response:
    """One file of the package on its own (e.g. ``nesting.pdf``, ``parts/<material>/<part>.dxf``)."""
    order = _factory_order(db, actor, order_id)
    data = packages.package_file(store, ensure_package(request, db, store, order, base), name)
    media = MEDIA.get(name.rsplit(".", 1)[-1].lower(), "application/octet-stream")
    disposition = "inline" if media == "application/pdf" else "attachment"
    return Response(data, media_type=media,
                    headers={"Content-Disposition": f'{disposition}; filename="{name.rsplit("/", 1)[-1]}"'})
