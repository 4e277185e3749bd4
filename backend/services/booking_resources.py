"""Designers and installer teams as bookable resources: profiles, ratings, stored hours, free slots
and search. The rules themselves live in ``backend.booking`` (availability, search); this module
only loads what they need from the database."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Date, String, bindparam, cast, event, func, literal_column, null, select, union_all
from sqlalchemy.orm import Session

from backend.booking import availability as av
from backend.booking import search as core_search
from backend.booking.rules import OPEN_STATUSES
from backend.booking.service_types import DEFAULT_RULES, BookingRules, Performer, ServiceCode, service_type
from backend.db import booking_tables as bt
from backend.db import tables
from backend.enums import Role
from backend.errors import InvalidInput, NotFound

DEFAULT_TZ = "Asia/Shanghai"


@dataclass(frozen=True)
class Resource:
    """A bookable designer or installer team, with the store whose time zone it works in (and the
    designer's profile or the team's row, loaded with it: the services and districts they offer)."""

    id: str
    performer: Performer
    name: str
    store: tables.Store
    profile: bt.DesignerProfile | None = None
    team: bt.InstallerTeam | None = None

    @property
    def tz(self) -> ZoneInfo:
        return zone(self.store.timezone)


@dataclass(frozen=True)
class DesignerView:
    user: tables.User
    profile: bt.DesignerProfile
    store: tables.Store | None
    rating_average: float | None
    rating_count: int
    portfolio: list[tables.Design] = field(default_factory=list)

    def domain(self) -> core_search.DesignerProfile:
        services = frozenset(ServiceCode(s) for s in self.profile.services if s in ServiceCode._value2member_map_)
        return core_search.DesignerProfile(
            id=self.user.id, name=self.user.display_name, store_id=self.user.store_id or "",
            district=self.profile.district or (self.store.district if self.store else ""), services=services,
            styles=frozenset(self.profile.styles), specialties=frozenset(self.profile.specialties),
            years_experience=self.profile.years_experience, rating_average=self.rating_average,
            rating_count=self.rating_count)


def zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or DEFAULT_TZ)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_TZ)


def rating_summary(db: Session, performer_ids: Sequence[str]) -> dict[str, tuple[float | None, int]]:
    """performer id → (average rounded to 0.1, count)."""
    if not performer_ids:
        return {}
    rows = db.execute(select(bt.Rating.performer_id, func.avg(bt.Rating.stars), func.count())
                      .where(bt.Rating.performer_id.in_(list(performer_ids)))
                      .group_by(bt.Rating.performer_id))
    found = {pid: (round(float(avg), 1) if avg is not None else None, int(n)) for pid, avg, n in rows}
    return {pid: found.get(pid, (None, 0)) for pid in performer_ids}


def _views(db: Session, users: Sequence[tables.User], with_portfolio: bool = False) -> list[DesignerView]:
    ids = [u.id for u in users]
    profiles = {p.user_id: p for p in db.scalars(select(bt.DesignerProfile).where(bt.DesignerProfile.user_id.in_(ids)))}
    store_ids = {u.store_id for u in users if u.store_id}
    stores = {s.id: s for s in db.scalars(select(tables.Store).where(tables.Store.id.in_(store_ids)))}
    ratings = rating_summary(db, ids)
    views = []
    for user in users:
        profile = profiles.get(user.id)
        if profile is None:
            continue
        portfolio: list[tables.Design] = []
        if with_portfolio and profile.portfolio_design_ids:
            portfolio = list(db.scalars(select(tables.Design).where(
                tables.Design.id.in_(profile.portfolio_design_ids)).order_by(tables.Design.name)))
        avg, count = ratings.get(user.id, (None, 0))
        views.append(DesignerView(user, profile, stores.get(user.store_id or ""), avg, count, portfolio))
    return views


def get_designer(db: Session, designer_id: str) -> DesignerView:
    user = db.get(tables.User, designer_id)
    if user is None or user.role != Role.DESIGNER or not user.is_active:
        raise NotFound(f"no designer '{designer_id}'", field="designer_id")
    views = _views(db, [user], with_portfolio=True)
    if not views:
        raise NotFound(f"designer '{designer_id}' has no public profile yet", field="designer_id")
    return views[0]


def check_designer(db: Session, designer_id: str) -> tuple[tables.User, bt.DesignerProfile]:
    """What :func:`get_designer` refuses (the same 404s), without building the profile view (ratings,
    portfolio): for answers that only need the designer to exist, such as their free times. One query
    (the user with their store and profile), which also makes them this transaction's bookable
    :func:`resource` when they work for a store."""
    user, store, profile = _designer_rows(db, designer_id)
    if user is None or user.role != Role.DESIGNER or not user.is_active:
        raise NotFound(f"no designer '{designer_id}'", field="designer_id")
    if profile is None:
        raise NotFound(f"designer '{designer_id}' has no public profile yet", field="designer_id")
    if store is not None:
        _memo(db).setdefault(designer_id, Resource(user.id, Performer.DESIGNER, user.display_name, store, profile))
    return user, profile


def list_designers(db: Session) -> list[DesignerView]:
    users = list(db.scalars(select(tables.User).join(bt.DesignerProfile, bt.DesignerProfile.user_id == tables.User.id)
                            .where(tables.User.role == Role.DESIGNER, tables.User.is_active.is_(True))
                            .order_by(tables.User.id)))
    return _views(db, users, with_portfolio=True)


_RESOURCES = "roomwright.resources"


def _memo(db: Session) -> dict[str, Resource]:
    memo: dict[str, Resource] = db.info.setdefault(_RESOURCES, {})
    return memo


def resource(db: Session, resource_id: str) -> Resource:
    """The designer (user id) or installer team (team id) behind ``resource_id``; looked up once per
    transaction (a request asks several times: the slots, then their check), forgotten at its end."""
    memo = _memo(db)
    found = memo.get(resource_id)
    if found is None:
        found = memo[resource_id] = _load_resource(db, resource_id)
    return found


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_soft_rollback")
def _forget_resources(session: Session, *_transaction: object) -> None:
    session.info.pop(_RESOURCES, None)


_DESIGNER_ROWS = (select(tables.User, tables.Store, bt.DesignerProfile)
                  .outerjoin(tables.Store, tables.Store.id == tables.User.store_id)
                  .outerjoin(bt.DesignerProfile, bt.DesignerProfile.user_id == tables.User.id)
                  .where(tables.User.id == bindparam("user_id", type_=String())))
"""Built once (every slots request and every booking asks): see :data:`_AVAILABILITY`."""


def _designer_rows(db: Session, user_id: str) -> tuple[tables.User | None, tables.Store | None,
                                                       bt.DesignerProfile | None]:
    """The user with their store and designer profile (each None if missing), in one query."""
    row = db.execute(_DESIGNER_ROWS, {"user_id": user_id}).first()
    return (row[0], row[1], row[2]) if row is not None else (None, None, None)


def _load_resource(db: Session, resource_id: str) -> Resource:
    """A designer in one query (with their store and profile); an installer team in two (the designer
    query finds nobody, then the team with its store)."""
    user, store, profile = _designer_rows(db, resource_id)
    if user is not None and user.role == Role.DESIGNER and user.is_active:
        if store is None:
            raise NotFound(f"designer '{resource_id}' does not work for a store and cannot be booked",
                           field="resource_id")
        return Resource(user.id, Performer.DESIGNER, user.display_name, store, profile)
    found = db.execute(select(bt.InstallerTeam, tables.Store)
                       .join(tables.Store, tables.Store.id == bt.InstallerTeam.store_id)
                       .where(bt.InstallerTeam.id == resource_id)).first()
    if found is None:
        raise NotFound(f"no designer or installer team '{resource_id}'", field="resource_id")
    team, team_store = found
    return Resource(team.id, Performer.INSTALLER_TEAM, team.name, team_store, team=team)


def service_area(res: Resource) -> list[str]:
    """The districts a resource serves on site: an installer team's districts; a designer's own district
    and their store's. Empty: not limited."""
    if res.performer is Performer.INSTALLER_TEAM:
        return [d for d in (res.team.districts if res.team else []) if d.strip()]
    found = [res.profile.district if res.profile else "", res.store.district]
    return list(dict.fromkeys(d.strip() for d in found if d and d.strip()))


@dataclass(frozen=True)
class Availability:
    """What the free times of a resource are computed from: its weekly hours, its one-day exceptions,
    and the blocked ranges of its open bookings near the asked range."""

    hours: list[av.WorkingHours]
    exceptions: list[av.AvailabilityException]
    busy: list[av.TimeRange]


def _availability_statement(exclude: bool) -> Any:
    """The resource's hours, exceptions and the blocked ranges of its open bookings overlapping a range,
    as one ``UNION ALL``, each row tagged with the table it came from (a column a table lacks is NULL, typed
    by the first select); bound parameters ``resource_id``, ``start``, ``end`` (and ``exclude``)."""
    wh, ex, bk = bt.WorkingHours, bt.AvailabilityException, bt.Booking
    rid = bindparam("resource_id", type_=String())

    def tag(src: str) -> Any:
        return literal_column(f"'{src}'", String()).label("src")

    def none(type_: Any, name: str) -> Any:
        return cast(null(), type_).label(name)

    hours = select(tag("h"), wh.weekday.label("weekday"), none(Date(), "day"), none(String(), "kind"),
                   wh.start_time.label("start_time"), wh.end_time.label("end_time"), none(String(), "reason"),
                   none(tables.UtcDateTime(), "blocked_start"), none(tables.UtcDateTime(), "blocked_end"),
                   ).where(wh.resource_id == rid)
    exceptions = select(tag("x"), null(), ex.day, ex.kind, ex.start_time, ex.end_time, ex.reason, null(), null(),
                        ).where(ex.resource_id == rid)
    busy = select(tag("b"), null(), null(), null(), null(), null(), null(), bk.blocked_start, bk.blocked_end).where(
        bk.resource_id == rid, bk.status.in_([s.value for s in OPEN_STATUSES]),
        bk.blocked_end > bindparam("start", type_=tables.UtcDateTime()),
        bk.blocked_start < bindparam("end", type_=tables.UtcDateTime()))
    if exclude:
        busy = busy.where(bk.id != bindparam("exclude", type_=String()))
    return union_all(hours, exceptions, busy)


_AVAILABILITY = {exclude: _availability_statement(exclude) for exclude in (False, True)}
"""Built once: a statement built anew for each request costs its construction and its cache key each time."""


def availability(db: Session, resource_id: str, start: datetime, end: datetime,
                 exclude_booking_id: str | None = None) -> Availability:
    """The resource's hours, exceptions and the blocked ranges of its open bookings that overlap
    ``[start, end)``, in one round trip (:func:`_availability_statement`)."""
    params: dict[str, Any] = {"resource_id": resource_id, "start": start, "end": end}
    if exclude_booking_id:
        params["exclude"] = exclude_booking_id
    found = Availability([], [], [])
    for row in db.execute(_AVAILABILITY[bool(exclude_booking_id)], params):
        if row.src == "h":
            found.hours.append(av.WorkingHours(row.weekday, row.start_time, row.end_time))
        elif row.src == "x":
            found.exceptions.append(av.AvailabilityException(
                row.day, "extra" if row.kind == "extra" else "closed", row.start_time, row.end_time, row.reason))
        else:
            found.busy.append(av.TimeRange(row.blocked_start, row.blocked_end))
    return found


def slots(db: Session, resource_id: str, service: str, start: datetime, end: datetime, now: datetime,
          rules: BookingRules = DEFAULT_RULES, exclude_booking_id: str | None = None) -> list[av.Slot]:
    """Bookable starts of ``service`` for the resource in ``[start, end)``."""
    res = resource(db, resource_id)
    stype = service_type(service, rules)
    if stype.performer is not res.performer:
        who = "an installer team" if stype.performer is Performer.INSTALLER_TEAM else "a designer"
        raise InvalidInput(f"a {stype.code.value} is booked with {who}", field="service")
    if res.performer is Performer.DESIGNER and (res.profile is None or stype.code.value not in res.profile.services):
        raise InvalidInput(f"this designer does not offer a {stype.code.value}", field="service")
    start, end = av.as_utc(start, "from"), av.as_utc(end, "to")
    if end <= start:
        raise InvalidInput("'to' must be after 'from'", field="to")
    if (end - start).days > 62:
        raise InvalidInput("ask for at most 62 days of slots at once", field="to")
    margin = stype.buffer_before + stype.duration + stype.buffer_after
    found = availability(db, res.id, start - margin, end + margin, exclude_booking_id)
    return av.bookable_slots(found.hours, found.exceptions, res.tz, found.busy, stype, start, end, rules, now,
                             resource_id=res.id)


@dataclass(frozen=True)
class DesignerHit:
    view: DesignerView
    hit: core_search.SearchHit


def search(db: Session, *, service: str | None = None, styles: Sequence[str] = (), store_id: str | None = None,
           district: str | None = None, min_rating: float | None = None, start: datetime | None = None,
           end: datetime | None = None, now: datetime, rules: BookingRules = DEFAULT_RULES) -> list[DesignerHit]:
    """Designers matching the filters, best first (``backend.booking.search`` ranks them). With a
    service and a date range, only designers with a free slot in it are kept."""
    code = None
    if service:
        code = service_type(service, rules).code
        if code is ServiceCode.INSTALLATION:
            raise InvalidInput("installations are booked with an installer team, not a designer", field="service")
    if min_rating is not None and not 1 <= min_rating <= 5:
        raise InvalidInput("min_rating is between 1 and 5", field="min_rating")
    views = {v.user.id: v for v in list_designers(db)}
    free: dict[str, int] | None = None
    if code is not None and start is not None and end is not None:
        free = {}
        for view in views.values():
            if code.value in view.profile.services and view.user.store_id:
                free[view.user.id] = len(slots(db, view.user.id, code.value, start, end, now, rules))
    query = core_search.DesignerQuery(service=code, styles=frozenset(s for s in styles if s.strip()),
                                      store_id=store_id or None, district=district or None,
                                      min_rating=min_rating, require_free_slots=free is not None)
    hits = core_search.search_designers([v.domain() for v in views.values()], query, free)
    return [DesignerHit(views[h.profile.id], h) for h in hits]


def team_of(db: Session, user_id: str) -> bt.InstallerTeam | None:
    return db.scalar(select(bt.InstallerTeam).join(bt.InstallerTeamMember,
                                                   bt.InstallerTeamMember.team_id == bt.InstallerTeam.id)
                     .where(bt.InstallerTeamMember.user_id == user_id))


def get_team(db: Session, team_id: str) -> bt.InstallerTeam:
    team = db.get(bt.InstallerTeam, team_id)
    if team is None:
        raise NotFound(f"no installer team '{team_id}'", field="team_id")
    return team


def teams_covering(db: Session, district: str) -> list[bt.InstallerTeam]:
    teams = {t.id: t for t in db.scalars(select(bt.InstallerTeam))}
    ratings = rating_summary(db, list(teams))
    profiles = [core_search.InstallerTeamProfile(t.id, t.name, t.store_id, frozenset(t.districts),
                                                 *ratings.get(t.id, (None, 0))) for t in teams.values()]
    return [teams[p.id] for p in core_search.teams_covering(profiles, district)]
