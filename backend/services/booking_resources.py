"""Designers and installer teams as bookable resources: profiles, ratings, stored hours, free slots
and search. The rules themselves live in ``backend.booking`` (availability, search); this module
only loads what they need from the database."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

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
    """A bookable designer or installer team, with the store whose time zone it works in."""

    id: str
    performer: Performer
    name: str
    store: tables.Store

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
    """What :func:`get_designer` refuses (the same 404s), without building the profile view (store,
    ratings, portfolio): for answers that only need the designer to exist, such as their free times.
    While the caller holds the rows, the session finds them again without a query (its identity map
    keeps only rows someone holds)."""
    user = db.get(tables.User, designer_id)
    if user is None or user.role != Role.DESIGNER or not user.is_active:
        raise NotFound(f"no designer '{designer_id}'", field="designer_id")
    profile = db.get(bt.DesignerProfile, designer_id)
    if profile is None:
        raise NotFound(f"designer '{designer_id}' has no public profile yet", field="designer_id")
    return user, profile


def list_designers(db: Session) -> list[DesignerView]:
    users = list(db.scalars(select(tables.User).join(bt.DesignerProfile, bt.DesignerProfile.user_id == tables.User.id)
                            .where(tables.User.role == Role.DESIGNER, tables.User.is_active.is_(True))
                            .order_by(tables.User.id)))
    return _views(db, users, with_portfolio=True)


_RESOURCES = "roomwright.resources"


def resource(db: Session, resource_id: str) -> Resource:
    """The designer (user id) or installer team (team id) behind ``resource_id``; looked up once per
    transaction (a request asks several times: the slots, then their check), forgotten at its end."""
    memo: dict[str, Resource] = db.info.setdefault(_RESOURCES, {})
    found = memo.get(resource_id)
    if found is None:
        found = memo[resource_id] = _load_resource(db, resource_id)
    return found


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_soft_rollback")
def _forget_resources(session: Session, *_transaction: object) -> None:
    session.info.pop(_RESOURCES, None)


def _load_resource(db: Session, resource_id: str) -> Resource:
    # a designer this session has already loaded (the slots answer checks them first) is not a team:
    # no team query for them
    loaded = db.identity_map.get(identity_key(tables.User, resource_id))
    team = None if isinstance(loaded, tables.User) and loaded.role == Role.DESIGNER else \
        db.get(bt.InstallerTeam, resource_id)
    if team is not None:
        store = db.get(tables.Store, team.store_id)
        assert store is not None
        return Resource(team.id, Performer.INSTALLER_TEAM, team.name, store)
    user = db.get(tables.User, resource_id)
    if user is None or user.role != Role.DESIGNER or not user.is_active:
        raise NotFound(f"no designer or installer team '{resource_id}'", field="resource_id")
    store = db.get(tables.Store, user.store_id) if user.store_id else None
    if store is None:
        raise NotFound(f"designer '{resource_id}' does not work for a store and cannot be booked",
                       field="resource_id")
    return Resource(user.id, Performer.DESIGNER, user.display_name, store)


def service_area(db: Session, res: Resource) -> list[str]:
    """The districts a resource serves on site: an installer team's districts; a designer's own district
    and their store's. Empty: not limited."""
    if res.performer is Performer.INSTALLER_TEAM:
        team = db.get(bt.InstallerTeam, res.id)
        return [d for d in (team.districts if team else []) if d.strip()]
    profile = db.get(bt.DesignerProfile, res.id)
    found = [profile.district if profile else "", res.store.district]
    return list(dict.fromkeys(d.strip() for d in found if d and d.strip()))


def hours_of(db: Session, resource_id: str) -> tuple[list[av.WorkingHours], list[av.AvailabilityException]]:
    hours = [av.WorkingHours(h.weekday, h.start_time, h.end_time)
             for h in db.scalars(select(bt.WorkingHours).where(bt.WorkingHours.resource_id == resource_id))]
    exceptions = [av.AvailabilityException(e.day, "extra" if e.kind == "extra" else "closed", e.start_time,
                                           e.end_time, e.reason)
                  for e in db.scalars(select(bt.AvailabilityException)
                                      .where(bt.AvailabilityException.resource_id == resource_id))]
    return hours, exceptions


def busy_ranges(db: Session, resource_id: str, start: datetime, end: datetime,
                exclude_booking_id: str | None = None) -> list[av.TimeRange]:
    """Blocked ranges of the resource's open bookings that overlap ``[start, end)``."""
    query = select(bt.Booking.blocked_start, bt.Booking.blocked_end).where(
        bt.Booking.resource_id == resource_id, bt.Booking.status.in_([s.value for s in OPEN_STATUSES]),
        bt.Booking.blocked_end > start, bt.Booking.blocked_start < end)
    if exclude_booking_id:
        query = query.where(bt.Booking.id != exclude_booking_id)
    return [av.TimeRange(a, b) for a, b in db.execute(query)]


def slots(db: Session, resource_id: str, service: str, start: datetime, end: datetime, now: datetime,
          rules: BookingRules = DEFAULT_RULES, exclude_booking_id: str | None = None) -> list[av.Slot]:
    """Bookable starts of ``service`` for the resource in ``[start, end)``."""
    res = resource(db, resource_id)
    stype = service_type(service, rules)
    if stype.performer is not res.performer:
        who = "an installer team" if stype.performer is Performer.INSTALLER_TEAM else "a designer"
        raise InvalidInput(f"a {stype.code.value} is booked with {who}", field="service")
    if res.performer is Performer.DESIGNER:
        profile = db.get(bt.DesignerProfile, res.id)
        if profile is None or stype.code.value not in profile.services:
            raise InvalidInput(f"this designer does not offer a {stype.code.value}", field="service")
    start, end = av.as_utc(start, "from"), av.as_utc(end, "to")
    if end <= start:
        raise InvalidInput("'to' must be after 'from'", field="to")
    if (end - start).days > 62:
        raise InvalidInput("ask for at most 62 days of slots at once", field="to")
    margin = stype.buffer_before + stype.duration + stype.buffer_after
    hours, exceptions = hours_of(db, res.id)
    busy = busy_ranges(db, res.id, start - margin, end + margin, exclude_booking_id)
    return av.bookable_slots(hours, exceptions, res.tz, busy, stype, start, end, rules, now, resource_id=res.id)


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
