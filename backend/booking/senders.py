"""Notification senders behind one interface (``outbox.Sender``: ``send(message)``, raising when it could not):
e-mail over SMTP, SMS through a pluggable sender, and one that routes each message by its channel.

SMTP is the standard library's ``smtplib`` (the protocol client every mail server speaks); a text message
provider is an HTTP API of its own, so SMS is whatever sender a deployment plugs in, and the
built-in one only logs.
"""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from backend.booking.outbox import OutboxMessage, Sender

log = logging.getLogger("roomwright.notifications")


class SmtpSender:
    """Sends e-mail through an SMTP server (one connection per message; STARTTLS and login when set).

    Each mail carries the outbox message id in ``X-Roomwright-Message`` so a receiving system can tell a
    resend from a new message."""

    def __init__(self, host: str, port: int = 25, sender: str = "Roomwright <no-reply@roomwright.invalid>", *,
                 starttls: bool = False, username: str | None = None, password: str | None = None,
                 timeout: float = 10.0) -> None:
        self.host, self.port, self.sender, self.starttls = host, port, sender, starttls
        self.username, self.password, self.timeout = username, password, timeout

    def mail(self, message: OutboxMessage) -> EmailMessage:
        mail = EmailMessage()
        mail["From"] = self.sender
        mail["To"] = message.recipient
        mail["Subject"] = message.subject
        mail["Date"] = format_datetime(message.due_at)
        mail["Message-ID"] = make_msgid(idstring=message.id, domain="roomwright.invalid")
        mail["X-Roomwright-Message"] = message.id
        mail["Content-Language"] = message.language
        mail.set_content(message.body)
        return mail

    def send(self, message: OutboxMessage) -> None:
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
            if self.starttls:
                smtp.starttls()
            if self.username:
                smtp.login(self.username, self.password or "")
            smtp.send_message(self.mail(message))


class LogSmsSender:
    """The built-in SMS sender: logs each text (recipient and body); plug a provider's sender in instead."""

    def send(self, message: OutboxMessage) -> None:
        log.info("SMS to %s: %s", message.recipient, message.body)


class ChannelSender:
    """Sends each message through the sender of its channel (``email`` or ``sms``)."""

    def __init__(self, email: Sender, sms: Sender) -> None:
        self.email, self.sms = email, sms

    def send(self, message: OutboxMessage) -> None:
        (self.sms if message.channel == "sms" else self.email).send(message)
