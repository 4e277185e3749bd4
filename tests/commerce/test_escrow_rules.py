"""The pure escrow rules: the state machine and when held money may go to the store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from backend.commerce.escrow import RELEASE_DEADLINE, HoldState, check_release, check_transition
from backend.errors import Conflict

T = datetime(2026, 12, 1, tzinfo=UTC)


def test_final_states_move_nowhere() -> None:
    check_transition(HoldState.AUTHORIZED, HoldState.HELD)
    check_transition(HoldState.HELD, HoldState.REFUNDED)
    for state in (HoldState.RELEASED, HoldState.REFUNDED):
        for to in HoldState:
            with pytest.raises(Conflict):
                check_transition(state, to)
    with pytest.raises(Conflict):
        check_transition(HoldState.AUTHORIZED, HoldState.RELEASED)


def test_release_needs_acceptance_or_the_deadline() -> None:
    assert "accepted" in check_release(HoldState.HELD, T, T, T)
    assert "passed" in check_release(HoldState.HELD, None, T, T + RELEASE_DEADLINE)
    with pytest.raises(Conflict, match="accepts the work"):
        check_release(HoldState.HELD, None, T, T + RELEASE_DEADLINE - timedelta(seconds=1))
    with pytest.raises(Conflict, match="accepts the work"):
        check_release(HoldState.HELD, None, None, T + timedelta(days=999))
    with pytest.raises(Conflict, match="released cannot be released"):
        check_release(HoldState.RELEASED, T, T, T)
