"""Designer search over plain profile records: filters, then one documented ranking.

Filters (all optional, combined with AND): offers the service; knows *at least one* of the
requested styles; belongs to the store; works in the district; average rating at least
``min_rating`` (designers without ratings fail a ``min_rating`` filter); has at least one free slot
in the requested range (the caller computes ``free_slots`` per designer with ``bookable_slots`` and
passes the counts; a designer missing from the mapping has none).

Ranking, best first (ties broken by the next key):

1. how many of the requested styles the designer has;
2. the *Bayesian* average rating ``(n·avg + k·m) / (n + k)`` with prior mean ``m = 4.0`` and weight
   ``k = 5``, so one 5-star rating does not beat forty ratings averaging 4.8;
3. the number of free slots in the range (more is better), when known;
4. years of experience;
5. the designer id (stable order).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from backend.booking.service_types import ServiceCode

PRIOR_MEAN = 4.0
PRIOR_WEIGHT = 5


@dataclass(frozen=True)
class DesignerProfile:
    id: str
    name: str
    store_id: str
    district: str = ""
    services: frozenset[ServiceCode] = frozenset()
    styles: frozenset[str] = frozenset()
    specialties: frozenset[str] = frozenset()
    years_experience: int = 0
    rating_average: float | None = None
    rating_count: int = 0


@dataclass(frozen=True)
class DesignerQuery:
    service: ServiceCode | None = None
    styles: frozenset[str] = frozenset()
    store_id: str | None = None
    district: str | None = None
    min_rating: float | None = None
    require_free_slots: bool = False


@dataclass(frozen=True)
class SearchHit:
    profile: DesignerProfile
    style_matches: int
    score: float
    free_slots: int | None
    reasons: tuple[str, ...] = field(default=())


def bayesian_rating(average: float | None, count: int) -> float:
    if average is None or count <= 0:
        return PRIOR_MEAN
    return (count * average + PRIOR_WEIGHT * PRIOR_MEAN) / (count + PRIOR_WEIGHT)


def _norm(values: frozenset[str]) -> frozenset[str]:
    return frozenset(v.strip().casefold() for v in values)


def _matches(p: DesignerProfile, q: DesignerQuery, free: int | None) -> bool:
    checks = (
        q.service is None or q.service in p.services,
        not q.styles or bool(_norm(q.styles) & _norm(p.styles)),
        q.store_id is None or p.store_id == q.store_id,
        q.district is None or p.district.casefold() == q.district.casefold(),
        q.min_rating is None or (p.rating_average is not None and p.rating_average >= q.min_rating),
        not q.require_free_slots or (free or 0) > 0,
    )
    return all(checks)


@dataclass(frozen=True)
class InstallerTeamProfile:
    """An installer team and the districts it serves."""

    id: str
    name: str
    store_id: str
    districts: frozenset[str] = frozenset()
    rating_average: float | None = None
    rating_count: int = 0


def teams_covering(teams: Sequence[InstallerTeamProfile], district: str) -> list[InstallerTeamProfile]:
    """The teams serving ``district`` (case-insensitive), best Bayesian rating first, then by id."""
    wanted = district.strip().casefold()
    covering = [t for t in teams if wanted in _norm(t.districts)]
    return sorted(covering, key=lambda t: (-bayesian_rating(t.rating_average, t.rating_count), t.id))


def teams_for_address(teams: Sequence[InstallerTeamProfile], address: str) -> list[InstallerTeamProfile]:
    """The teams that serve a delivery address: those with a district named in it (case-insensitive),
    or every team when none is (an address the districts do not cover still gets offers), by name then id."""
    where = address.casefold()
    named = [t for t in teams if any(d.strip() and d.strip().casefold() in where for d in t.districts)]
    return sorted(named or teams, key=lambda t: (t.name, t.id))


def serves_address(districts: Sequence[str], address: str) -> bool:
    """Whether an on-site address lies in a service area: it names one of the ``districts``
    (case-insensitive). An area with no districts set is not limited."""
    area = [d.strip().casefold() for d in districts if d.strip()]
    where = address.casefold()
    return not area or any(d in where for d in area)


def search_designers(profiles: Sequence[DesignerProfile], query: DesignerQuery,
                     free_slots: Mapping[str, int] | None = None) -> list[SearchHit]:
    """The profiles matching ``query``, best first (see the module docstring for the order)."""
    hits: list[SearchHit] = []
    wanted = _norm(query.styles)
    for profile in profiles:
        free = None if free_slots is None else free_slots.get(profile.id, 0)
        if not _matches(profile, query, free):
            continue
        matched = len(wanted & _norm(profile.styles))
        score = bayesian_rating(profile.rating_average, profile.rating_count)
        reasons = tuple(sorted(s for s in profile.styles if s.strip().casefold() in wanted))
        hits.append(SearchHit(profile, matched, round(score, 3), free, reasons))
    hits.sort(key=lambda h: (-h.style_matches, -h.score, -(h.free_slots or 0),
                             -h.profile.years_experience, h.profile.id))
    return hits
