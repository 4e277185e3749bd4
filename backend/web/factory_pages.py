"""The factory's production profiles as pages: which line cuts the boards (panel saw or CNC router), its
kerf, trims, stages and tool, the sheet sizes it stocks per board and the remnants it keeps for later orders.
The same service as ``PUT /api/factory/profiles/{code}``; a refused edit shows the form again as typed."""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from backend.bom.factory import FactoryProfile
from backend.errors import DomainError, InvalidInput
from backend.services import factory_profiles
from backend.services.actor import Actor
from backend.services.catalog import catalog
from backend.web import deps
from backend.web.deps import DbDep
from backend.web.errors import status_of
from backend.web.pages import FactoryUser, redirect, render

router = APIRouter(include_in_schema=False)

NUMBERS = ("kerf_mm", "trim_mm", "stages", "tool_diameter_mm", "small_side_mm", "small_area_mm2", "small_margin_mm")
NEW_REMNANT_ROWS = 3
REMNANT_FIELDS = ("id", "material", "length_mm", "width_mm", "quantity")
SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*[x×*]\s*(\d+(?:\.\d+)?)\s*$", re.IGNORECASE)


def _boards() -> list[tuple[str, str]]:
    """The sheet materials (code, name) a profile can stock, by name (worktops are not nested)."""
    cat = catalog()
    return sorted(((m.code, m.name) for m in cat.materials.values() if m.kind != "countertop"), key=lambda m: m[1])


def _form_values(profile: FactoryProfile) -> dict[str, Any]:
    """What the form shows for a saved profile."""
    return {"name": profile.name, "mode": profile.mode, "locale": profile.locale or "",
            **{k: f"{getattr(profile, k):g}" for k in NUMBERS},
            "stock": {code: ", ".join(f"{s.length_mm:g} × {s.width_mm:g}" for s in sizes)
                      for code, sizes in profile.stock.items()},
            "remnants": [{"id": r.id, "material": r.material, "length_mm": f"{r.length_mm:g}",
                          "width_mm": f"{r.width_mm:g}", "quantity": str(r.quantity)} for r in profile.remnants]}


def _typed(form: FormData) -> dict[str, Any]:
    """What the form held as typed (to show again after a refusal)."""
    count = int(str(form.get("remnant_rows") or 0)) if str(form.get("remnant_rows") or "").isdigit() else 0
    return {"name": str(form.get("name", "")), "mode": str(form.get("mode", "")), "locale": str(form.get("locale", "")),
            **{k: str(form.get(k, "")) for k in NUMBERS},
            "stock": {code: str(form.get(f"stock-{code}", "")) for code, _ in _boards()},
            "remnants": [{k: str(form.get(f"remnant-{i}-{k}", "")) for k in REMNANT_FIELDS} for i in range(count)]}


def _number(text: str, field: str, what: str | None = None) -> float:
    try:
        return float(text.replace(",", "."))
    except ValueError:
        raise InvalidInput(f"{what or field.replace('_mm', '').replace('_', ' ')}: '{text}' is not a number",
                           field=field) from None


def _profile_data(profile: FactoryProfile, typed: dict[str, Any]) -> dict[str, Any]:
    """The profile as the service takes it: the saved one (fields the form does not show kept) with the
    form's values; a size that does not read as "length × width" is refused naming its board."""
    data = profile.model_dump(mode="json")
    data["name"], data["mode"] = typed["name"].strip(), typed["mode"]
    data["locale"] = typed.get("locale") or None
    for k in NUMBERS:
        value = _number(typed[k], k)
        data[k] = int(value) if k == "stages" and value.is_integer() else value
    stock: dict[str, list[dict[str, float]]] = {}
    names = dict(_boards())
    for code, text in typed["stock"].items():
        sizes = []
        for piece in filter(None, (p.strip() for p in text.split(","))):
            found = SIZE.match(piece)
            if found is None:
                raise InvalidInput(f"{names.get(code, code)}: '{piece}' is not a sheet size like 2800 × 2070",
                                   field=f"stock.{code}")
            sizes.append({"length_mm": float(found[1]), "width_mm": float(found[2])})
        if sizes:
            stock[code] = sizes
    data["stock"] = stock
    remnants = []
    known = {code for code, _ in _boards()}
    for i, row in enumerate(typed["remnants"]):
        if not any(row[k].strip() for k in ("id", "length_mm", "width_mm")):
            continue  # an empty row (the form offers a few for new remnants)
        if row["material"] not in known:
            raise InvalidInput(f"remnant {i + 1}: choose its board", field=f"remnants.{i}.material")
        pieces = row.get("quantity", "").strip() or "1"
        if not pieces.isdigit() or int(pieces) < 1:
            raise InvalidInput(f"remnant {i + 1}: '{pieces}' is not a number of pieces", field=f"remnants.{i}.quantity")
        remnants.append({"id": row["id"].strip(), "material": row["material"],
                         "length_mm": _number(row["length_mm"], f"remnants.{i}.length_mm", f"remnant {i + 1}"),
                         "width_mm": _number(row["width_mm"], f"remnants.{i}.width_mm", f"remnant {i + 1}"),
                         "quantity": int(pieces)})
    data["remnants"] = remnants
    return data


def _edit_page(request: Request, profile: FactoryProfile, values: dict[str, Any], error: str | None = None,
               status_code: int = 200, saved: bool = False) -> Response:
    rows = [*values["remnants"], *({k: "" for k in REMNANT_FIELDS} for _ in range(NEW_REMNANT_ROWS))]
    return render(request, "factory_profile.html", {
        "profile": profile, "values": values, "remnant_rows": rows, "boards": _boards(), "numbers": NUMBERS,
        "error": error, "saved": saved}, status_code=status_code)


@router.get("/factory/profiles", response_class=HTMLResponse)
def profiles_page(request: Request, db: DbDep, actor: FactoryUser) -> Response:
    names = dict(_boards())
    return render(request, "factory_profiles.html", {"profiles": factory_profiles.list_for(db, actor),
                                                     "board_names": names})


@router.get("/factory/profiles/{code}", response_class=HTMLResponse)
def profile_page(code: str, request: Request, db: DbDep, actor: FactoryUser) -> Response:
    factory_profiles.list_for(db, actor)  # the factory's and admins' only
    profile = factory_profiles.get_profile(db, code)
    return _edit_page(request, profile, _form_values(profile), saved=request.query_params.get("saved") == "1")


@router.post("/factory/profiles/{code}", response_class=HTMLResponse)
async def profile_save(code: str, request: Request, db: DbDep, actor: FactoryUser) -> Response:
    form = await request.form()
    deps.check_csrf(request, str(form.get("csrf_token", "")))
    return await run_in_threadpool(_save, code, request, db, actor, form)  # the database work off the event loop


def _save(code: str, request: Request, db: DbDep, actor: Actor, form: FormData) -> Response:
    factory_profiles.list_for(db, actor)
    profile = factory_profiles.get_profile(db, code)
    typed = _typed(form)
    try:
        factory_profiles.save_profile(db, actor, code, _profile_data(profile, typed))
    except DomainError as exc:
        db.rollback()
        return _edit_page(request, profile, typed, exc.detail, status_of(exc))
    return redirect(f"/factory/profiles/{code}?saved=1")
