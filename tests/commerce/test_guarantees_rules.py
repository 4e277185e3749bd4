"""The pure guarantee rules: which promises a complaint or a visit missed, and the compensation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from backend.commerce.guarantees import (
    Complaint,
    PromiseKind,
    Visit,
    load_promises,
    missed_arrival,
    missed_for_complaint,
)

P = load_promises()
T = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
H = timedelta(hours=1)


def test_a_complaint_answered_and_resolved_in_time_misses_nothing() -> None:
    assert missed_for_complaint(Complaint("c", T, T + 23 * H, T + 71 * H), T + 100 * H, P) == []
    assert missed_for_complaint(Complaint("c", T, None, None), T + 24 * H, P) == []  # still running


def test_late_answers_and_resolutions_are_missed_with_their_compensation() -> None:
    late = missed_for_complaint(Complaint("c", T, T + 25 * H, None), T + 73 * H, P)
    assert [(m.kind, m.kept_at, m.compensation_points) for m in late] == [
        (PromiseKind.COMPLAINT_RESPONSE, T + 25 * H, P[PromiseKind.COMPLAINT_RESPONSE].compensation_points),
        (PromiseKind.COMPLAINT_RESOLUTION, None, P[PromiseKind.COMPLAINT_RESOLUTION].compensation_points)]
    closed_at_once = missed_for_complaint(Complaint("c", T, None, T + 2 * H), T + 100 * H, P)
    assert closed_at_once == []  # closing it answers it


def test_arrival_within_the_window() -> None:
    assert missed_arrival(Visit("b", T, T + timedelta(minutes=15)), P) is None
    late = missed_arrival(Visit("b", T, T + timedelta(minutes=16)), P)
    assert late is not None and late.kind is PromiseKind.ARRIVAL and late.due_at == T + timedelta(minutes=15)
    assert missed_arrival(Visit("b", T, None), P) is None
