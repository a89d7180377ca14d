"""The ways an alert leaves the store, behind one small interface: ``send(message, address)``
either returns (the other end accepted it) or raises ``ChannelError`` with a reason fit for a log
(no address, no message text).

- ``SmtpChannel``: e-mail with the standard library's smtplib, STARTTLS or implicit TLS, login
  from settings.
- ``NotifyChannel``: GOV.UK Notify's official client (``notifications-python-client``), SMS or
  e-mail through a template holding the placeholders ``((subject))`` and ``((body))``.
- ``WebhookChannel``: a JSON POST signed with HMAC-SHA256. Headers:
  ``X-Navigator-Timestamp`` (Unix seconds) and ``X-Navigator-Signature: sha256=<hex>``, the MAC of
  ``<timestamp>.<body>`` under ``NAVIGATOR_WEBHOOK_SECRET``. A receiver recomputes it over the raw
  body, compares in constant time and refuses timestamps more than five minutes old.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import smtplib
import ssl
import time
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Protocol

import httpx

from navigator_server.escalation.messages import Message
from navigator_server.settings import Settings

TIMESTAMP_HEADER = "X-Navigator-Timestamp"
SIGNATURE_HEADER = "X-Navigator-Signature"


class ChannelError(Exception):
    """The channel did not take the message; the text is safe to log."""


class Channel(Protocol):
    name: str

    def send(self, message: Message, address: str) -> None: ...


class SmtpChannel:
    name = "email"

    def __init__(self, settings: Settings, context: ssl.SSLContext | None = None) -> None:
        self.settings = settings
        self.context = context or ssl.create_default_context(cafile=settings.smtp_ca_file or None)

    def send(self, message: Message, address: str) -> None:
        s = self.settings
        mail = EmailMessage()
        mail["Subject"] = message.subject
        mail["From"] = s.smtp_from or f"navigator@{s.smtp_host}"
        mail["To"] = address
        mail["Message-ID"] = make_msgid(domain="navigator.invalid")
        if message.urgent:
            mail["Importance"] = "high"
            mail["X-Priority"] = "1"
        mail.set_content(message.body)
        try:
            if s.smtp_security == "tls":
                client: smtplib.SMTP = smtplib.SMTP_SSL(
                    s.smtp_host, s.smtp_port, timeout=s.smtp_timeout_seconds, context=self.context
                )
            else:
                client = smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=s.smtp_timeout_seconds)
            with client:
                if s.smtp_security == "starttls":
                    client.starttls(context=self.context)
                if s.smtp_username:
                    client.login(s.smtp_username, s.smtp_password.get_secret_value())
                refused = client.send_message(mail)
        except (OSError, smtplib.SMTPException) as exc:
            raise ChannelError(f"SMTP: {type(exc).__name__}") from None
        if refused:
            raise ChannelError("SMTP: recipient refused")


class NotifyChannel:
    """SMS (``kind="sms"``) or e-mail (``kind="notify_email"``) through GOV.UK Notify."""

    def __init__(self, settings: Settings, kind: str) -> None:
        self.settings = settings
        self.name = kind

    def send(self, message: Message, address: str) -> None:
        from notifications_python_client.errors import APIError
        from notifications_python_client.notifications import NotificationsAPIClient

        s = self.settings
        client = NotificationsAPIClient(  # type: ignore[no-untyped-call]
            s.notify_api_key.get_secret_value(), base_url=s.notify_base_url, timeout=s.notify_timeout_seconds
        )
        personalisation = {
            "subject": message.subject,
            "body": message.sms if self.name == "sms" else message.body,
        }
        try:
            if self.name == "sms":
                client.send_sms_notification(  # type: ignore[no-untyped-call]
                    address,
                    s.notify_sms_template_id,
                    personalisation=personalisation,
                    reference=message.visit_ref,
                )
            else:
                client.send_email_notification(  # type: ignore[no-untyped-call]
                    address,
                    s.notify_email_template_id,
                    personalisation=personalisation,
                    reference=message.visit_ref,
                )
        except APIError as exc:
            raise ChannelError(f"Notify: HTTP {exc.status_code}") from None
        except Exception as exc:  # the client raises requests' and its own errors
            raise ChannelError(f"Notify: {type(exc).__name__}") from None


def signature(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


class WebhookChannel:
    name = "webhook"

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def send(self, message: Message, address: str) -> None:
        s = self.settings
        payload = {
            "recipient": address,  # a user id, or "last_resort"
            "subject": message.subject,
            "text": message.body,
            "urgent": message.urgent,
            "visit_ref": message.visit_ref,
            "ack_url": message.ack_url,
            "ack_code": message.ack_code,
        }
        body = json.dumps(payload, separators=(",", ":")).encode()
        stamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/json",
            TIMESTAMP_HEADER: stamp,
            SIGNATURE_HEADER: signature(s.webhook_secret.get_secret_value(), stamp, body),
        }
        try:
            answer = httpx.post(
                s.webhook_url, content=body, headers=headers, timeout=s.webhook_timeout_seconds
            )
        except httpx.HTTPError as exc:
            raise ChannelError(f"webhook: {type(exc).__name__}") from None
        if not 200 <= answer.status_code < 300:
            raise ChannelError(f"webhook: HTTP {answer.status_code}")


def build(settings: Settings) -> dict[str, Channel]:
    """Every channel by name (recipients.address_for says which are configured)."""
    return {
        "email": SmtpChannel(settings),
        "sms": NotifyChannel(settings, "sms"),
        "notify_email": NotifyChannel(settings, "notify_email"),
        "webhook": WebhookChannel(settings),
    }
