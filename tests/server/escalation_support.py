"""Real receivers on loopback for the escalation tests: an SMTP server (aiosmtpd), a webhook
receiver that checks the signature, and a stand-in for GOV.UK Notify. Each keeps what it
received, and ``assert_no_client_data`` scans it all for the clients' personal data."""

from __future__ import annotations

import email
import email.policy
import hashlib
import hmac
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
import sqlalchemy as sa
from aiosmtpd.controller import Controller

from navigator_server.db import Database
from navigator_server.escalation.channels import SIGNATURE_HEADER, TIMESTAMP_HEADER
from navigator_server.schema import records

NOTIFY_SERVICE_ID = "11111111-2222-3333-4444-555555555555"
NOTIFY_SECRET = "66666666-7777-8888-9999-000000000000"
NOTIFY_KEY = f"navigator_test-{NOTIFY_SERVICE_ID}-{NOTIFY_SECRET}"
WEBHOOK_SECRET = "webhook secret for tests"


@dataclass
class Mail:
    to: list[str]
    subject: str
    body: str


@dataclass
class Inbox:
    """What the SMTP server on loopback accepted."""

    mails: list[Mail] = field(default_factory=list)
    refuse: bool = False

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:
        if self.refuse:
            return "451 try later"
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        body = parsed.get_body(("plain",))
        text = body.get_content() if body is not None else ""
        self.mails.append(Mail(list(envelope.rcpt_tos), str(parsed["Subject"]), text))
        return "250 OK"

    def to(self, address: str) -> list[Mail]:
        return [m for m in self.mails if address in m.to]

    def wait_for(self, count: int, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while len(self.mails) < count:
            assert time.monotonic() < deadline, f"{len(self.mails)} mail(s) arrived, not {count}"
            time.sleep(0.05)


class SmtpServer:
    def __init__(self, port: int, **kwargs: Any) -> None:
        self.inbox = Inbox()
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=port, **kwargs)

    def __enter__(self) -> SmtpServer:
        self.controller.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.controller.stop()


@dataclass
class HttpLog:
    """What an HTTP receiver accepted (and refused, with why)."""

    accepted: list[dict[str, Any]] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    status: int = 200  # what to answer a good request with


def _handler(log: HttpLog, check: Any) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            problem, answer = check(self.path, self.headers, body)
            if problem:
                log.refused.append(problem)
                self._answer(403, {"errors": [{"error": "AuthError", "message": problem}]})
                return
            if log.status >= 300:
                self._answer(log.status, {"errors": [{"error": "Exception", "message": "down"}]})
                return
            log.accepted.append({"path": self.path, **json.loads(body)})
            self._answer(201 if answer else 200, answer or {})

        def _answer(self, status: int, payload: dict[str, Any]) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *_args: Any) -> None:
            pass

    return Handler


def check_webhook(path: str, headers: Any, body: bytes) -> tuple[str, dict[str, Any]]:
    """The receiver's side of the signed webhook, as deploy/README.md tells a receiver to check it."""
    stamp = headers.get(TIMESTAMP_HEADER, "")
    given = headers.get(SIGNATURE_HEADER, "")
    wanted = (
        "sha256="
        + hmac.new(WEBHOOK_SECRET.encode(), stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    )
    if not hmac.compare_digest(given, wanted):
        return "bad signature", {}
    if not stamp.isdigit() or abs(time.time() - int(stamp)) > 300:
        return "stale timestamp", {}
    return "", {}


def check_notify(path: str, headers: Any, body: bytes) -> tuple[str, dict[str, Any]]:
    """GOV.UK Notify's documented API v2, as far as a sender can be held to it: POST to
    /v2/notifications/sms or /v2/notifications/email; a bearer JWT signed HS256 with the API key's
    secret, whose ``iss`` is the service id and ``iat`` is now (within 30 s); a JSON body with
    ``phone_number`` or ``email_address``, ``template_id`` and ``personalisation``."""
    token = headers.get("Authorization", "").removeprefix("Bearer ")
    try:
        claims = jwt.decode(token, NOTIFY_SECRET, algorithms=["HS256"], options={"verify_iat": True})
    except jwt.InvalidTokenError as exc:
        return f"bad token: {type(exc).__name__}", {}
    if claims.get("iss") != NOTIFY_SERVICE_ID or abs(time.time() - int(claims.get("iat", 0))) > 30:
        return "bad claims", {}
    data = json.loads(body)
    address = {"/v2/notifications/sms": "phone_number", "/v2/notifications/email": "email_address"}.get(path)
    if address is None:
        return f"unknown path {path}", {}
    if (
        not data.get(address)
        or not data.get("template_id")
        or not isinstance(data.get("personalisation"), dict)
    ):
        return "bad body", {}
    return "", {"id": "a1b2c3d4-0000-0000-0000-000000000000", "reference": data.get("reference")}


class HttpReceiver:
    def __init__(self, check: Any) -> None:
        self.log = HttpLog()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self.log, check))
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> HttpReceiver:
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def client_data(db: Database) -> list[str]:
    """Every client's name, preferred name, address and NHS number held in the store."""
    found: list[str] = []
    with db.read() as conn:
        for row in conn.execute(sa.select(records.c.data).where(records.c.kind == "client")):
            data = row.data if isinstance(row.data, dict) else json.loads(row.data)
            for name in ("given_name", "family_name", "preferred_name", "address", "nhs_number", "phone"):
                value = data.get(name)
                if isinstance(value, str) and len(value) >= 3:
                    found.append(value)
    return found


def assert_no_client_data(db: Database, texts: list[str]) -> None:
    secrets_ = client_data(db)
    assert secrets_, "the scan needs clients to look for"
    for text in texts:
        for value in secrets_:
            assert value.lower() not in text.lower(), "a message carried a client's personal data"
