"""Notification senders: SMTP to a real local server (aiosmtpd), SMS through the pluggable sender, each message
routed by its channel; the settings choose them."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest

from backend.booking.outbox import AccountMessageKind as Kind
from backend.booking.outbox import DeliveryStatus, OutboxMessage, account_message, deliver
from backend.booking.senders import ChannelSender, LogSmsSender, SmtpSender
from backend.notify import make_sender, sms_sender
from backend.settings import Settings
from support.live import free_port
from support.services import smtp_sink

NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


def message(channel: str = "email") -> OutboxMessage:
    context = {"customer_name": "林", "store_name": "徐汇店", "url": "https://roomwright.example/p"}
    mail = account_message(Kind.PASSWORD_SET, "lin@example.com", "zh-Hans", context, now=NOW)
    return OutboxMessage(**{**mail.__dict__, "channel": channel})


class Kept:
    def __init__(self) -> None:
        self.sent: list[OutboxMessage] = []

    def send(self, message: OutboxMessage) -> None:
        self.sent.append(message)


def kept_sender() -> Kept:
    return Kept()


def test_smtp_sends_the_rendered_mail_to_the_server() -> None:
    sent = message()
    with smtp_sink() as (port, sink):
        result = deliver(sent, SmtpSender("127.0.0.1", port, "Roomwright <hi@roomwright.invalid>"), NOW)
    assert result.status is DeliveryStatus.SENT
    [mail] = sink.messages
    assert mail["To"] == "lin@example.com" and mail["From"] == "Roomwright <hi@roomwright.invalid>"
    assert mail["Subject"] == sent.subject and mail["X-Roomwright-Message"] == sent.id
    assert "林" in mail.get_content()


def test_an_unreachable_server_is_a_failure_the_outbox_retries() -> None:
    result = deliver(message(), SmtpSender("127.0.0.1", free_port(), timeout=2), NOW)
    assert result.status is DeliveryStatus.PENDING and result.attempts == 1 and result.next_attempt_at is not None


def test_each_message_goes_through_the_sender_of_its_channel(caplog: pytest.LogCaptureFixture) -> None:
    email, sms = Kept(), Kept()
    router = ChannelSender(email, sms)
    router.send(message("email"))
    router.send(message("sms"))
    assert [m.channel for m in email.sent] == ["email"] and [m.channel for m in sms.sent] == ["sms"]
    with caplog.at_level(logging.INFO, logger="roomwright.notifications"):
        LogSmsSender().send(message("sms"))
    assert "SMS to lin@example.com" in caplog.text


def test_the_settings_choose_the_senders(tmp_path: Path) -> None:
    smtp = make_sender(Settings(var_dir=tmp_path, smtp_host="mail.example.com", smtp_port=2525))
    assert isinstance(smtp, ChannelSender) and isinstance(smtp.email, SmtpSender) and smtp.email.port == 2525
    assert isinstance(smtp.sms, LogSmsSender)
    assert isinstance(sms_sender(f"{__name__}:kept_sender"), Kept)
    with pytest.raises(ValueError, match="module:factory"):
        sms_sender("nonsense")
