"""Money held in escrow states, as pure rules, and the payment provider interface.

A hold (an order's deposit or balance, a service's fee, a promotion's deposit) goes
``authorized → held → released`` (to the store, after the customer accepted the work or the stated
deadline passed) or ``→ refunded`` (by rule, on cancellation or a failed service). ``released`` and
``refunded`` are final: nothing is released twice (the database's conditional UPDATE on the state makes a
second release find nothing to move; see ``backend.services.escrow``).

A **partial refund** (a compensation a service guarantee gives in money) gives part of a held payment
back: the hold keeps holding the rest, and the part refunded becomes its own row, ``refunded``, split off
the hold (same kind, payer and provider payment, its reference the guarantee case that asked for it), so
one case refunds once by construction. Never more than is held; refunding all that is held refunds the
hold itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol

from backend.errors import Conflict

RELEASE_DEADLINE = timedelta(days=15)
"""Without the customer's acceptance, held money is released this long after the work was done."""


class HoldState(StrEnum):
    AUTHORIZED = "authorized"
    HELD = "held"
    RELEASED = "released"
    REFUNDED = "refunded"


class HoldKind(StrEnum):
    ORDER_DEPOSIT = "order_deposit"
    ORDER_BALANCE = "order_balance"
    SERVICE_FEE = "service_fee"
    PREBOOKING_DEPOSIT = "prebooking_deposit"


HOLD_STATES: tuple[str, ...] = tuple(s.value for s in HoldState)
HOLD_KINDS: tuple[str, ...] = tuple(k.value for k in HoldKind)
TRANSITIONS: dict[HoldState, frozenset[HoldState]] = {
    HoldState.AUTHORIZED: frozenset({HoldState.HELD, HoldState.REFUNDED}),
    HoldState.HELD: frozenset({HoldState.RELEASED, HoldState.REFUNDED}),
    HoldState.RELEASED: frozenset(),
    HoldState.REFUNDED: frozenset(),
}


def check_transition(state: HoldState, to: HoldState) -> None:
    if to not in TRANSITIONS[state]:
        raise Conflict(f"money that is {state.value} cannot be {to.value}", field="state",
                       extra={"hold_state": state.value})


def check_release(state: HoldState, accepted_at: datetime | None, work_done_at: datetime | None,
                  now: datetime, deadline: timedelta = RELEASE_DEADLINE) -> str:
    """Whether held money may go to the store now; the reason recorded with the release."""
    check_transition(state, HoldState.RELEASED)
    if accepted_at is not None:
        return "the customer accepted the work"
    if work_done_at is not None and now >= work_done_at + deadline:
        return f"{deadline.days} days passed after the work without a complaint"
    raise Conflict("nothing is released before the customer accepts the work or the deadline passes",
                   field="state")


def check_forfeit(state: HoldState) -> None:
    """A deposit forfeited by rule (a late cancellation, a no-show) goes to the store from held only."""
    if state is not HoldState.HELD:
        raise Conflict(f"money that is {state.value} cannot be forfeited", field="state",
                       extra={"hold_state": state.value})


def partial_refund_cents(held_cents: int, share: float | None = None, amount_cents: int | None = None) -> int:
    """What a partial refund gives back of a hold holding ``held_cents``: ``share`` of it (0 < share <= 1,
    rounded to the cent) or a fixed ``amount_cents``, never more than is held (0: nothing to refund)."""
    if (share is None) == (amount_cents is None):
        raise ValueError("a partial refund is a share or an amount, one of them")
    if share is not None and not 0 < share <= 1:
        raise ValueError(f"a refund share is above 0 and at most 1, not {share}")
    if amount_cents is not None and amount_cents <= 0:
        raise ValueError(f"a refund amount is positive, not {amount_cents}")
    want = round(held_cents * share) if share is not None else int(amount_cents or 0)
    return max(0, min(want, held_cents))


def check_partial_refund(state: HoldState, held_cents: int, amount_cents: int) -> None:
    """Only money still held is refunded in part, and never more than is held."""
    if state is not HoldState.HELD:
        raise Conflict(f"money that is {state.value} cannot be refunded in part", field="state",
                       extra={"hold_state": state.value})
    if not 0 < amount_cents <= held_cents:
        raise Conflict(f"a partial refund is from 0.01 to what is held ({held_cents / 100:.2f})",
                       field="amount_cents", extra={"held_cents": held_cents})


class PaymentProvider(Protocol):
    """What a payment provider does for a hold; every call names the provider's own reference."""

    name: str

    def authorize(self, amount_cents: int, reference: str) -> str: ...
    def capture(self, provider_ref: str) -> None: ...
    def pay_out(self, provider_ref: str, payee: str) -> None: ...
    def refund(self, provider_ref: str) -> None: ...
    def refund_part(self, provider_ref: str, amount_cents: int) -> None: ...


@dataclass
class TestProvider:
    """A provider that moves no money: it records what was asked, so tests see each call exactly once."""

    __test__ = False  # not a pytest test class
    name: str = "test"
    calls: list[tuple[str, str]] = field(default_factory=list)

    def authorize(self, amount_cents: int, reference: str) -> str:
        ref = f"test-{reference}-{len(self.calls)}"
        self.calls.append(("authorize", ref))
        return ref

    def capture(self, provider_ref: str) -> None:
        self.calls.append(("capture", provider_ref))

    def pay_out(self, provider_ref: str, payee: str) -> None:
        self.calls.append(("pay_out", provider_ref))

    def refund(self, provider_ref: str) -> None:
        self.calls.append(("refund", provider_ref))

    def refund_part(self, provider_ref: str, amount_cents: int) -> None:
        self.calls.append(("refund_part", f"{provider_ref}:{amount_cents}"))
