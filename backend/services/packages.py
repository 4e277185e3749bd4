"""Order packages (cut lists, nesting PDF, DXF per part, labels…) built by backend.bom.package and kept in
the file store, so a package is made once per order and downloaded many times."""

from __future__ import annotations

import io
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from backend.bom.factory import FactoryProfile
from backend.db import tables
from backend.design.model import Design
from backend.errors import InvalidInput, NotFound
from backend.i18n import supported
from backend.jobs import Job, JobContext, JobRunner
from backend.services import factory_profiles
from backend.storage import FileStore


@dataclass(frozen=True)
class PartView:
    """What the part page (the QR code on a label) shows about one physical part."""

    order: tables.Order
    part: Any
    cabinet_family: str
    material_name: str
    care: str
    unit: dict[str, Any]
    """The unit the part belongs to, as ``backend.configurator.wording.name`` parameters."""

    def name(self, gettext: Callable[[str], str] = str) -> str:
        """What the part is and which unit it belongs to, in the language of ``gettext``."""
        from backend.bom.part_numbers import plain_name

        return plain_name(self.part.name, self.unit, gettext)

    def unit_name(self, gettext: Callable[[str], str] = str) -> str:
        from backend.configurator import wording

        words = wording.name(self.unit, gettext)
        return words[:1].upper() + words[1:]


CARE = {
    "board": "Wipe with a damp cloth and mild soap; dry at once. No scouring pads or solvents; keep steam from "
             "the kettle and dishwasher away from edges.",
    "front": "Clean with a soft, damp microfibre cloth; avoid alcohol and abrasive cleaners, which dull matt and "
             "gloss finishes alike.",
    "countertop": "Wipe spills promptly (wine, oil, lemon); use a trivet for hot pans and a board for cutting.",
}


def order_info(order: tables.Order, base_url: str, db: Session | None = None) -> Any:
    """What the order adds to its design in the package; with ``db``, also the catalog accessories the
    customer bought with it in points (packed loose, in the hardware tables)."""
    from backend.bom.package import OrderInfo

    delivery = order.delivery or {}
    return OrderInfo(number=order.number or order.id, date=order.created_at.date(),
                     design_revision=order.revision_number, base_url=base_url,
                     customer=str(delivery.get("name", "")), delivery_address=str(delivery.get("address", "")),
                     notes=str(delivery.get("notes", "")),
                     accessories=order_accessories(db, order.id) if db is not None else ())


def order_accessories(db: Session, order_id: str) -> tuple[Any, ...]:
    """The accessories bought with the order in points (not refunded), as hardware lines of the catalog's
    fittings (article, name, category, catalog price), oldest first."""
    from backend.bom.parts import HardwareItem
    from backend.services.catalog import catalog
    from backend.services.points import accessories_of

    fittings = catalog().fittings
    out = []
    for row in accessories_of(db, order_id):
        fitting = fittings.get(row.code)
        out.append(HardwareItem(code=row.code, article=fitting.article if fitting else "",
                                name=fitting.name if fitting else row.code,
                                category=fitting.category if fitting else "accessory", quantity=row.quantity,
                                unit_price_cents=row.cents // row.quantity, per_cabinet=()))
    return tuple(out)


def order_locale(db: Session, order: tables.Order) -> str:
    """The order's language: its customer's (the owner's own locale), else English."""
    owner = db.get(tables.User, order.owner_id)
    return supported(owner.locale if owner is not None else None)


def package_locale(db: Session, order: tables.Order, factory: FactoryProfile) -> str:
    """The language of the package's human-readable files: the factory profile's setting, else the order's."""
    return factory.locale or order_locale(db, order)


def package_task(ctx: JobContext, args: dict[str, Any]) -> dict[str, Any]:
    """The ``package`` job: build the order's package and store the zip; returns its storage key. The
    zip is content-addressed, so a build that runs twice (a worker died half-way) stores it once; the
    order keeps the key when the job is first seen done (:func:`package_job`) or here, whichever is first."""
    from backend.bom.package import make_package
    from backend.services.catalog import catalog

    with ctx.sessions() as db:
        order = db.get(tables.Order, args["order_id"])
        if order is None:
            raise NotFound(f"the order '{args['order_id']}' no longer exists", field="order_id")
        design = Design.model_validate(order.document)
        info = order_info(order, args["base_url"], db)
        factory = factory_profiles.get_profile(db)  # the factory's edited production profile
        locale = package_locale(db, order, factory)
    ctx.progress(5, "building parts, nesting and drawings")
    with tempfile.TemporaryDirectory() as tmp:
        files = make_package(design, catalog(), info, Path(tmp), factory=factory, locale=locale).files
        key = ctx.store.put(files[-1].read_bytes())
    with ctx.sessions() as db:
        db.execute(update(tables.Order).where(tables.Order.id == args["order_id"], tables.Order.package_key.is_(None))
                   .values(package_key=key))
        db.commit()
    return {"package_key": key, "files": len(files) - 1}


def ready_key(store: FileStore, order: tables.Order) -> str | None:
    """The storage key of the order's package if it has been built and is still in the store."""
    return order.package_key if order.package_key and store.exists(order.package_key) else None


def _job_key(order: tables.Order) -> str:
    return f"package:{order.id}"


def start_package(jobs: JobRunner, store: FileStore, order: tables.Order, base_url: str) -> Job | None:
    """Start building the order's package in the background (or join the build under way); None when
    it is built already. The job uses the factory's production profile as edited when it runs."""
    if ready_key(store, order) is not None:
        return None
    return jobs.submit("package", order.owner_id, {"order_id": order.id, "base_url": base_url}, key=_job_key(order))


def package_job(db: Session, jobs: JobRunner, order: tables.Order, job_id: str) -> Job:
    """The build of this order's package; once it is done the order keeps the package's key."""
    job = jobs.get(job_id)
    if job.key != _job_key(order):
        raise NotFound(f"no package build '{job_id}' for this order", field="job_id")
    if job.status == "done" and order.package_key != job.result["package_key"]:
        order.package_key = job.result["package_key"]
        db.flush()
    return job


def package_or_job(db: Session, jobs: JobRunner, store: FileStore, order: tables.Order, base_url: str,
                   wait_seconds: float) -> str | Job:
    """The package's storage key, building it the first time; when the build takes longer than
    ``wait_seconds`` (a large order), the job to poll instead. A failed build is the job's error."""
    key = ready_key(store, order)
    if key is not None:
        return key
    job = start_package(jobs, store, order, base_url)
    assert job is not None
    job = package_job(db, jobs, order, jobs.wait(job.id, wait_seconds).id)
    if job.status == "failed" and job.error:
        raise InvalidInput(job.error["detail"], field=job.error.get("field") or "order")
    if job.status != "done":
        return job
    return str(order.package_key)


def package_files(store: FileStore, key: str) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(store.get(key))) as archive:
        return sorted(archive.namelist())


def package_file(store: FileStore, key: str, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(store.get(key))) as archive:
        try:
            return archive.read(name)
        except KeyError as exc:
            raise NotFound(f"the package has no file '{name}'", field="name") from exc


def find_part(db: Session, key: str) -> PartView:
    """A part by its part number's key (``RW2612-0001-P07``, the target of the label's QR code) or by
    its label id (``RW2612-0001-cab-3-side-l``: labels printed before part numbers), with its order."""
    from backend.bom.part_numbers import split_ref
    from backend.services.orders import find_order_by_number

    split = split_ref(key)
    pieces = key.split("-")
    candidates = ([split[0]] if split else []) + ["-".join(pieces[:n]) for n in (2, 1) if len(pieces) > n]
    for number in dict.fromkeys(candidates):
        order = find_order_by_number(db, number)
        if order is not None:
            try:
                return part_view(order, key)
            except NotFound:
                continue
    raise NotFound(f"no part '{key}'", field="part_id")


def part_view(order: tables.Order, key: str) -> PartView:
    from backend.services.order_views import parts_of, unit_names_of

    design = Design.model_validate(order.document)
    part = parts_of(order).find(key)
    if part is None:
        raise NotFound(f"no part '{key}'", field="part_id")
    family = design.cabinet(part.cabinet_id).family
    kind = "countertop" if part.role == "countertop" else (
        "front" if part.role in ("door", "drawer_front") else "board")
    return PartView(order, part, family, part.material_name, CARE[kind], unit_names_of(order).get(part.cabinet_id, {}))
