"""Designer search: filters and the documented ranking."""

from __future__ import annotations

from backend.booking.search import (
    DesignerProfile,
    DesignerQuery,
    InstallerTeamProfile,
    bayesian_rating,
    search_designers,
    teams_covering,
)
from backend.booking.service_types import ServiceCode

ALL = frozenset(ServiceCode) - {ServiceCode.INSTALLATION}
PROFILES = [
    DesignerProfile("des-anna", "Anna", "store-1", "Pudong", ALL, frozenset({"Nordic", "modern"}),
                    years_experience=8, rating_average=4.8, rating_count=40),
    DesignerProfile("des-bo", "Bo", "store-1", "Pudong", frozenset({ServiceCode.ONLINE_CONSULTATION}),
                    frozenset({"Chinese"}), years_experience=3, rating_average=5.0, rating_count=1),
    DesignerProfile("des-chen", "Chen", "store-2", "Xuhui", ALL, frozenset({"modern", "industrial"}),
                    years_experience=12, rating_average=4.2, rating_count=15),
    DesignerProfile("des-dai", "Dai", "store-2", "Xuhui", ALL, frozenset({"Mediterranean"})),
]


def ids(query: DesignerQuery, free: dict[str, int] | None = None) -> list[str]:
    return [h.profile.id for h in search_designers(PROFILES, query, free)]


def test_bayesian_rating_prefers_many_good_ratings_over_one_perfect() -> None:
    assert bayesian_rating(4.8, 40) > bayesian_rating(5.0, 1) > bayesian_rating(None, 0)
    assert ids(DesignerQuery(service=ServiceCode.ONLINE_CONSULTATION))[:2] == ["des-anna", "des-bo"]


def test_filters_combine() -> None:
    assert ids(DesignerQuery(service=ServiceCode.HOME_MEASUREMENT)) == ["des-anna", "des-chen", "des-dai"]
    assert ids(DesignerQuery(store_id="store-2")) == ["des-chen", "des-dai"]
    assert ids(DesignerQuery(district="pudong")) == ["des-anna", "des-bo"]
    assert ids(DesignerQuery(min_rating=4.5)) == ["des-anna", "des-bo"]
    assert ids(DesignerQuery(service=ServiceCode.INSTALLATION)) == []


def test_style_matches_rank_first_and_are_case_insensitive() -> None:
    hits = search_designers(PROFILES, DesignerQuery(styles=frozenset({"MODERN", "industrial"})))
    assert [h.profile.id for h in hits] == ["des-chen", "des-anna"]
    assert hits[0].style_matches == 2 and hits[0].reasons == ("industrial", "modern")


def test_free_slots_filter_and_tie_break() -> None:
    free = {"des-chen": 3, "des-dai": 10}
    assert ids(DesignerQuery(require_free_slots=True), free) == ["des-chen", "des-dai"]
    twins = [DesignerProfile(i, i, "s", services=ALL) for i in ("des-x", "des-y")]
    ranked = search_designers(twins, DesignerQuery(), {"des-x": 1, "des-y": 5})
    assert [h.profile.id for h in ranked] == ["des-y", "des-x"]


def test_teams_covering_a_district() -> None:
    teams = [
        InstallerTeamProfile("team-2", "Two", "store-1", frozenset({"Pudong", "Xuhui"}), 4.9, 30),
        InstallerTeamProfile("team-1", "One", "store-1", frozenset({"pudong"})),
        InstallerTeamProfile("team-3", "Three", "store-2", frozenset({"Minhang"}), 5.0, 50),
    ]
    assert [t.id for t in teams_covering(teams, " PUDONG ")] == ["team-2", "team-1"]
    assert teams_covering(teams, "Jing'an") == []
