"""The designer's "my profile and portfolio" page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from backend.enums import Role
from backend.errors import DomainError
from backend.services import accounts, profiles
from backend.services import uploads as upload_svc
from backend.services.actor import Actor
from backend.web import deps
from backend.web.api.uploads import read_limited
from backend.web.booking_pages import STYLES
from backend.web.deps import DbDep, SettingsDep, StoreDep
from backend.web.pages import redirect, render

router = APIRouter(include_in_schema=False)
DesignerUser = Annotated[Actor, deps.page_roles(Role.DESIGNER)]
SignedIn = Annotated[Actor, Depends(deps.page_user)]


def _context(db: DbDep, actor: Actor, **extra: object) -> dict[str, object]:
    return {"profile": profiles.own_profile(db, actor), "designs": profiles.own_designs(db, actor),
            "phone": accounts.own_phone(db, actor.id),
            "styles": STYLES, "services": profiles.DESIGNER_SERVICES, **extra}


@router.get("/profile", response_class=HTMLResponse)
def profile_page(request: Request, db: DbDep, actor: DesignerUser) -> Response:
    return render(request, "profile.html", _context(db, actor, saved=request.query_params.get("saved") == "1"))


@router.post("/profile", response_class=HTMLResponse)
def profile_save(
    request: Request, db: DbDep, actor: DesignerUser, settings: SettingsDep, store: StoreDep,
    bio: Annotated[str, Form()] = "", styles: Annotated[list[str] | None, Form()] = None,
    specialties: Annotated[str, Form()] = "", services: Annotated[list[str] | None, Form()] = None,
    years_experience: Annotated[int, Form()] = 0, district: Annotated[str, Form()] = "",
    portfolio: Annotated[list[str] | None, Form()] = None, photo: Annotated[UploadFile | None, File()] = None,
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    deps.check_csrf(request, csrf_token)
    try:
        photo_id = None
        if photo is not None and photo.filename:
            data = read_limited(photo, settings.max_upload_bytes)
            limits = upload_svc.UploadLimits(settings.max_upload_bytes, settings.max_upload_pixels)
            photo_id = upload_svc.store_upload(db, store, actor, data, photo.filename, limits).id
        profiles.update_profile(db, actor, profiles.ProfileEdit(
            bio=bio, styles=styles or [], specialties=specialties.split(","), services=services or [],
            years_experience=years_experience, district=district, portfolio_design_ids=portfolio or [],
            photo_upload_id=photo_id))
    except DomainError as exc:  # shown next to the field
        db.rollback()
        return render(request, "profile.html", _context(db, actor, error=exc.detail, error_field=exc.field))
    return redirect("/profile?saved=1")


# --- the account's own phone (every signed-in account) ----------------------------------------------


@router.get("/profile/phone", response_class=HTMLResponse)
def phone_page(request: Request, db: DbDep, actor: SignedIn) -> Response:
    """The account's own phone: for the masked contact relay only, never shown to the other side."""
    return render(request, "phone.html", {"phone": accounts.own_phone(db, actor.id),
                                          "saved": request.query_params.get("saved") == "1"})


@router.post("/profile/phone", response_class=HTMLResponse)
def phone_save(request: Request, db: DbDep, actor: SignedIn, phone: Annotated[str, Form(max_length=40)] = "",
               back: Annotated[str, Form()] = "", csrf_token: Annotated[str, Form()] = "") -> Response:
    deps.check_csrf(request, csrf_token)
    try:
        accounts.set_phone(db, actor.id, phone)
    except DomainError as exc:  # shown next to the field, with what was typed
        db.rollback()
        return render(request, "phone.html", {"phone": phone, "error": exc.detail, "error_field": exc.field},
                      status_code=422)
    return redirect("/profile?saved=1" if back == "profile" and actor.role == Role.DESIGNER
                    else "/profile/phone?saved=1")
