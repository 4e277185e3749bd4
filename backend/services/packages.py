"""Order packages (cut lists, nesting PDF, DXF per part, labels…) built by backend.bom.package and kept in
the file store, so a package is made once per order and downloaded many times."""

from __future__ import annotations

import io
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from backend.db import tables
from backend.design.model import Design
from backend.errors import NotFound
from backend.jobs import Progress
from backend.storage import FileStore


@dataclass(frozen=True)
class PartView:
    """What the part page (the QR code on a label) shows about one physical part."""

    order: tables.Order
    part: Any
    cabinet_family: str
    material_name: str
    care: str


CARE = {
    "board": "Wipe with a damp cloth and mild soap; dry at once. No scouring pads or solvents; keep steam from "
             "the kettle and dishwasher away from edges.",
    "front": "Clean with a soft, damp microfibre cloth; avoid alcohol and abrasive cleaners, which dull matt and "
             "gloss finishes alike.",
    "countertop": "Wipe spills promptly (wine, oil, lemon); use a trivet for hot pans and a board for cutting.",
}


def order_info(order: tables.Order, base_url: str) -> Any:
    from backend.bom.package import OrderInfo

    delivery = order.delivery or {}
    return OrderInfo(number=order.number or order.id, date=order.created_at.date(),
                     design_revision=order.revision_number, base_url=base_url,
                     customer=str(delivery.get("name", "")), delivery_address=str(delivery.get("address", "")),
                     notes=str(delivery.get("notes", "")))


def build_work(store: FileStore, order: tables.Order, base_url: str) -> Any:
    """A job body that builds the package and stores the zip; returns its storage key."""
    from backend.bom.package import build_package
    from backend.services.catalog import catalog

    design = Design.model_validate(order.document)
    info = order_info(order, base_url)

    def run(progress: Progress) -> dict[str, Any]:
        progress(5, "building parts, nesting and drawings")
        with tempfile.TemporaryDirectory() as tmp:
            files = build_package(design, catalog(), info, Path(tmp))
            zip_path = files[-1]
            key = store.put(zip_path.read_bytes())
        return {"package_key": key, "files": len(files) - 1}

    return run


def package_files(store: FileStore, key: str) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(store.get(key))) as archive:
        return sorted(archive.namelist())


def package_file(store: FileStore, key: str, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(store.get(key))) as archive:
        try:
            return archive.read(name)
        except KeyError as exc:
            raise NotFound(f"the package has no file '{name}'", field="name") from exc


def part_view(order: tables.Order, part_id: str) -> PartView:
    from backend.bom.parts import parts_list
    from backend.services.catalog import catalog

    design = Design.model_validate(order.document)
    plist = parts_list(design, catalog(), order.number)
    for part in plist.parts:
        if part.id == part_id:
            family = design.cabinet(part.cabinet_id).family
            kind = "countertop" if part.role == "countertop" else (
                "front" if part.role in ("door", "drawer_front") else "board")
            return PartView(order, part, family, part.material_name, CARE[kind])
    raise NotFound(f"no part '{part_id}'", field="part_id")
