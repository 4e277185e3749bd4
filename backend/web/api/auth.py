"""Sign-up, login, logout, me, and admin-created staff accounts."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response, status

from backend.enums import Role
from backend.errors import NotFound
from backend.services import accounts, policy
from backend.services import store as store_svc
from backend.services.accounts import NewSession
from backend.settings import Settings
from backend.web import deps
from backend.web.deps import ActorDep, DbDep, SettingsDep, UserDep
from backend.web.schemas import Credentials, NewUser, PhoneIn, PhoneOut, SignUp, TokenOut, UserOut

router = APIRouter(prefix="/api", tags=["accounts"])


def set_session_cookie(request: Request, response: Response, session: NewSession, settings: Settings) -> None:
    response.set_cookie(
        deps.SESSION_COOKIE, deps.signer(request).sign(session.token).decode(),
        max_age=settings.session_days * 86400, httponly=True, samesite="lax", secure=settings.cookie_secure,
        path="/",
    )


def _token_out(session: NewSession) -> TokenOut:
    return TokenOut(token=session.token, csrf_token=session.csrf_token, user=UserOut.model_validate(session.user))


@router.post("/auth/signup", status_code=status.HTTP_201_CREATED, response_model=TokenOut)
def signup(body: SignUp, request: Request, response: Response, db: DbDep, settings: SettingsDep) -> TokenOut:
    """Create a homeowner account and sign in (session cookie plus a bearer token)."""
    user = accounts.create_user(db, body.email, body.password, Role.HOMEOWNER, body.display_name)
    session = accounts.start_session(db, user, deps.login_limits(settings))
    set_session_cookie(request, response, session, settings)
    return _token_out(session)


@router.post("/auth/login", response_model=TokenOut,
             responses={401: {"description": "wrong email or password"}, 429: {"description": "too many attempts"}})
def login(body: Credentials, request: Request, response: Response, db: DbDep, settings: SettingsDep) -> TokenOut:
    limits = deps.login_limits(settings)
    request.state.commit_anyway = True  # a failed attempt must still be counted
    user = accounts.authenticate(db, body.email, body.password, deps.client_key(request), limits)
    session = accounts.start_session(db, user, limits)
    set_session_cookie(request, response, session, settings)
    return _token_out(session)


@router.post("/auth/logout", status_code=status.HTTP_204_NO_CONTENT)
def logout(request: Request, db: DbDep, user: deps.OptionalUserDep) -> Response:
    token, _ = deps.session_token(request)
    if token:
        accounts.end_session(db, token)
    response = Response(status_code=status.HTTP_204_NO_CONTENT)
    response.delete_cookie(deps.SESSION_COOKIE, path="/")
    return response


@router.get("/me", response_model=UserOut)
def me(user: UserDep) -> UserOut:
    return UserOut.model_validate(user)


@router.get("/me/phone", response_model=PhoneOut)
def my_phone(user: UserDep) -> PhoneOut:
    """The account's own phone ("" for none): only its holder and the contact relay see it."""
    return PhoneOut(phone=user.phone or "")


@router.put("/me/phone", response_model=PhoneOut,
            responses={422: {"description": "not a phone number with its country code (field phone)"}})
def set_my_phone(body: PhoneIn, db: DbDep, user: UserDep) -> PhoneOut:
    """Set (or, with "", clear) the account's own phone, in E.164 form (``+8613812345678``)."""
    return PhoneOut(phone=accounts.set_phone(db, user.id, body.phone))


@router.get("/store/phone", response_model=PhoneOut, responses={404: {"description": "not a store's manager"}})
def store_phone(db: DbDep, actor: ActorDep) -> PhoneOut:
    """The phone of the store the caller manages."""
    return PhoneOut(phone=store_svc.managed_store(db, actor).phone)


@router.put("/store/phone", response_model=PhoneOut,
            responses={404: {"description": "not a store's manager"},
                       422: {"description": "not a phone number with its country code (field phone)"}})
def set_store_phone(body: PhoneIn, db: DbDep, actor: ActorDep) -> PhoneOut:
    """Set (or clear) the phone of the store the caller manages (its manager only)."""
    return PhoneOut(phone=store_svc.set_store_phone(db, actor, body.phone).phone)


@router.post("/admin/users", status_code=status.HTTP_201_CREATED, response_model=UserOut)
def create_staff_user(body: NewUser, db: DbDep, actor: ActorDep) -> UserOut:
    """Admins create designer, store manager, installer, factory and admin accounts."""
    if not policy.may_manage_users(actor):
        raise NotFound("there is nothing at /api/admin/users")
    user = accounts.create_user(db, body.email, body.password, body.role, body.display_name, body.store_id)
    return UserOut.model_validate(user)
