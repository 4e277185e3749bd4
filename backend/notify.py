"""The notification sender the settings describe: SMTP when ``ROOMWRIGHT_SMTP_HOST`` is set (else the file
``var/outbox.jsonl``, the development default) for e-mail, and ``ROOMWRIGHT_SMS_SENDER`` for SMS."""

from __future__ import annotations

from backend.booking.outbox import FileSender, Sender
from backend.booking.senders import ChannelSender, LogSmsSender, SmtpSender
from backend.plugins import make_plugin
from backend.settings import Settings


def make_sender(settings: Settings) -> Sender:
    email: Sender = (SmtpSender(settings.smtp_host, settings.smtp_port, settings.smtp_from,
                                starttls=settings.smtp_starttls, username=settings.smtp_username,
                                password=settings.smtp_password, timeout=settings.smtp_timeout_seconds)
                     if settings.smtp_host else FileSender(settings.var_dir / "outbox.jsonl"))
    return ChannelSender(email, sms_sender(settings.sms_sender))


def sms_sender(spec: str) -> Sender:
    """``log``, or ``package.module:factory`` naming a callable that returns a sender."""
    if spec == "log":
        return LogSmsSender()
    sender: Sender = make_plugin(spec, "ROOMWRIGHT_SMS_SENDER", "'log'")
    return sender
