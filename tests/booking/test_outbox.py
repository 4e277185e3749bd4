"""Outbox: rendering in English and Simplified Chinese, the retry schedule, delivery, the file sender."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backend.booking.outbox import (
    LANGUAGES,
    DeliveryStatus,
    FileSender,
    MessageKind,
    OutboxMessage,
    RetryPolicy,
    booking_context,
    deliver,
    format_local,
    is_due,
    new_message,
    next_attempt,
    reminder_due_at,
    render,
)
from backend.booking.rules import Booking
from backend.errors import InvalidInput

SHANGHAI = ZoneInfo("Asia/Shanghai")
BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 6, 1, tzinfo=UTC)
MINUTE = timedelta(minutes=1)


@pytest.fixture
def booking(make_booking: Any) -> Booking:
    result: Booking = make_booking("home_measurement")
    return result


def context(booking: Booking, language: str) -> dict[str, str]:
    return booking_context(booking, SHANGHAI, language, customer_name="Hana", performer_name="Anna",
                           store_name="Roomwright Pudong", rating_link="https://rw.example/r/1",
                           previous_start=booking.start - timedelta(days=1))


def test_local_time_formats() -> None:
    moment = datetime(2026, 3, 29, 7, 30, tzinfo=UTC)
    assert format_local(moment, BERLIN, "en") == "Sunday 29 March 2026, 09:30 (Europe/Berlin)"
    assert format_local(moment, SHANGHAI, "zh-Hans") == "2026年3月29日 星期日 15:30（Asia/Shanghai）"


def test_confirmation_in_english(booking: Booking) -> None:
    text = render(MessageKind.CONFIRMATION, "en", context(booking, "en"))
    assert text.subject == "Your home measurement is confirmed: Friday 5 June 2026, 10:00 (Asia/Shanghai)"
    assert "Address: 88 Century Ave, Pudong" in text.body
    assert "free of charge until Thursday 4 June 2026, 10:00" in text.body


def test_confirmation_in_chinese(booking: Booking) -> None:
    text = render(MessageKind.CONFIRMATION, "zh-Hans", context(booking, "zh-Hans"))
    assert text.subject == "您的上门量尺已确认：2026年6月5日 星期五 10:00（Asia/Shanghai）"
    assert text.body.startswith("Hana，您好")
    assert "地址：88 Century Ave, Pudong" in text.body


@pytest.mark.parametrize("kind", list(MessageKind))
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("channel", ["email", "sms"])
def test_every_message_renders_without_leftover_placeholders(booking: Booking, kind: MessageKind,
                                                             language: str, channel: Any) -> None:
    text = render(kind, language, context(booking, language), channel)
    assert "{" not in text.subject + text.body and text.body
    assert (text.subject == "") == (channel == "sms")
    if language == "zh-Hans":
        assert any("\u4e00" <= ch <= "\u9fff" for ch in text.body)


def test_change_and_cancellation_texts(booking: Booking) -> None:
    change = render("change", "en", context(booking, "en"))
    assert "from Thursday 4 June 2026, 10:00 (Asia/Shanghai) to Friday 5 June 2026" in change.body
    cancelled = replace(booking, reason="designer ill")
    zh = render("cancellation", "zh-Hans", context(cancelled, "zh-Hans"))
    assert "原因：designer ill" in zh.body


def test_unknown_language_and_missing_placeholder() -> None:
    with pytest.raises(InvalidInput) as err:
        render("reminder", "fr", {})
    assert err.value.field == "language"
    with pytest.raises(InvalidInput) as err:
        render("reminder", "en", {"service": "x"})
    assert err.value.field is not None and err.value.field.startswith("context.")
    with pytest.raises(InvalidInput) as err:
        render("birthday", "en", {})
    assert err.value.field == "kind"


def test_reminder_waits_until_24_hours_before(booking: Booking) -> None:
    due = reminder_due_at(booking.start)
    msg = new_message("reminder", "hana@example.com", "email", "en", context(booking, "en"), now=NOW,
                      booking_id=booking.id, due_at=due)
    assert msg.due_at == booking.start - timedelta(hours=24)
    assert not is_due(msg, due - MINUTE) and is_due(msg, due)
    late = new_message("reminder", "hana@example.com", "sms", "zh-Hans", context(booking, "zh-Hans"),
                       now=due + MINUTE, due_at=due)
    assert late.due_at == due + MINUTE  # never in the past


def test_retry_schedule_doubles_and_stops() -> None:
    failed = datetime(2026, 6, 1, 12, tzinfo=UTC)
    waits = [next_attempt(n, failed) for n in range(1, 9)]
    assert [w - failed for w in waits[:7] if w] == [MINUTE * 2 ** i for i in range(7)]
    assert waits[7] is None
    capped = RetryPolicy(base_delay=timedelta(minutes=10), max_delay=timedelta(minutes=30), max_attempts=20)
    assert next_attempt(5, failed, capped) == failed + timedelta(minutes=30)
    with pytest.raises(InvalidInput):
        next_attempt(0, failed)


@given(attempts=st.integers(1, 30))
def test_retry_waits_grow_and_respect_the_cap(attempts: int) -> None:
    policy = RetryPolicy(max_attempts=31)
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    this, following = next_attempt(attempts, t0, policy), next_attempt(attempts + 1, t0, policy)
    assert this is not None and this - t0 <= policy.max_delay
    assert following is None or following >= this


class Flaky:
    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.sent: list[OutboxMessage] = []

    def send(self, message: OutboxMessage) -> None:
        if self.failures:
            self.failures -= 1
            raise ConnectionError("smtp down")
        self.sent.append(message)


def test_delivery_retries_until_sent_and_gives_up_after_max(booking: Booking) -> None:
    msg = new_message("confirmation", "hana@example.com", "email", "en", context(booking, "en"), now=NOW)
    sender = Flaky(failures=2)
    now = NOW
    for _ in range(3):
        assert is_due(msg, now)
        msg = deliver(msg, sender, now)
        if msg.status is DeliveryStatus.PENDING:
            assert msg.next_attempt_at is not None and not is_due(msg, now)
            now = msg.next_attempt_at
    assert msg.status is DeliveryStatus.SENT and msg.attempts == 2 and sender.sent
    assert msg.last_error == "ConnectionError: smtp down"
    dead = replace(msg, status=DeliveryStatus.PENDING, attempts=7)
    dead = deliver(dead, Flaky(failures=1), now)
    assert dead.status is DeliveryStatus.DEAD and dead.next_attempt_at is None and not is_due(dead, now)


def test_file_sender_appends_json_lines(tmp_path: Path, booking: Booking) -> None:
    path = tmp_path / "outbox" / "sent.jsonl"
    sender = FileSender(path)
    for language in LANGUAGES:
        msg = new_message("rating_request", "hana@example.com", "email", language, context(booking, language),
                          now=NOW, booking_id=booking.id)
        assert deliver(msg, sender, NOW).status is DeliveryStatus.SENT
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert [line["language"] for line in lines] == ["en", "zh-Hans"]
    assert "请为本次服务评分" in lines[1]["body"] and lines[0]["due_at"] == NOW.isoformat()
