"""Each channel against a real receiver on loopback: SMTP with STARTTLS (aiosmtpd with a
certificate made here), the signed webhook (a receiver that checks the HMAC and timestamp), and
GOV.UK Notify. Notify cannot be reached from here: its channel is tested against a loopback
stand-in that checks each request against Notify's documented API v2 (the path, a bearer JWT
signed HS256 with the key's secret whose ``iss`` is the service id and ``iat`` is now, and the
body's ``phone_number``/``email_address``, ``template_id`` and ``personalisation``), using the
official client with its ``base_url`` pointed at the stand-in. Also SOS and contact details."""

from __future__ import annotations

import datetime as dt
import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from fastapi.testclient import TestClient
from pydantic import SecretStr

from navigator_core.policy import Role
from navigator_server.app import create_app
from navigator_server.db import Database
from navigator_server.escalation import contacts
from navigator_server.escalation.channels import ChannelError, NotifyChannel, SmtpChannel, WebhookChannel
from navigator_server.escalation.messages import Message
from navigator_server.escalation.runner import Runner
from tests.e2e.harness import free_port
from tests.server.escalation_support import (
    NOTIFY_KEY,
    WEBHOOK_SECRET,
    HttpReceiver,
    SmtpServer,
    assert_no_client_data,
    check_notify,
    check_webhook,
)
from tests.server.helpers import World, make_settings
from tests.server.test_escalation import Scene

MESSAGE = Message("Subject line", "Body text\nmore", "http://ack.test/ack/x.y", "ABCD2345", True, "V-ABC123")


def self_signed(tmp: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    import ipaddress

    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=1))
        .not_valid_after(now + dt.timedelta(hours=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp / "cert.pem", tmp / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_path, key_path


def test_smtp_sends_over_starttls_with_a_login(tmp_path: Path) -> None:
    cert, key = self_signed(tmp_path)
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_tls.load_cert_chain(cert, key)
    logins: list[str] = []

    def authenticator(
        _server: object, _session: object, _envelope: object, _mech: str, auth: object
    ) -> object:
        from aiosmtpd.smtp import AuthResult

        logins.append(getattr(auth, "login", b"").decode())
        return AuthResult(success=getattr(auth, "password", b"") == b"relay password")

    port = free_port()
    with SmtpServer(port, tls_context=server_tls, require_starttls=True, authenticator=authenticator) as smtp:
        settings = make_settings(
            "sqlite://",
            smtp_host="127.0.0.1",
            smtp_port=port,
            smtp_security="starttls",
            smtp_username="navigator",
            smtp_password="relay password",
            smtp_ca_file=str(cert),
        )
        SmtpChannel(settings).send(MESSAGE, "olly@navigator.test")
        assert [m.subject for m in smtp.inbox.mails] == ["Subject line"]
        assert logins == ["navigator"]
        wrong = settings.model_copy(update={"smtp_ca_file": ""})  # the relay's certificate is not trusted
        with pytest.raises(ChannelError, match="SMTP"):
            SmtpChannel(wrong).send(MESSAGE, "olly@navigator.test")


def test_smtp_that_is_down_is_a_channel_error() -> None:
    settings = make_settings("sqlite://", smtp_host="127.0.0.1", smtp_port=free_port(), smtp_security="none")
    with pytest.raises(ChannelError, match="SMTP: ConnectionRefusedError"):
        SmtpChannel(settings).send(MESSAGE, "olly@navigator.test")


@pytest.fixture
def webhook() -> Iterator[HttpReceiver]:
    with HttpReceiver(check_webhook) as receiver:
        yield receiver


def test_the_webhook_is_signed_and_a_500_is_a_channel_error(webhook: HttpReceiver) -> None:
    settings = make_settings("sqlite://", webhook_url=webhook.url + "/hook", webhook_secret=WEBHOOK_SECRET)
    WebhookChannel(settings).send(MESSAGE, "user-1")
    [got] = webhook.log.accepted
    assert got["subject"] == "Subject line" and got["recipient"] == "user-1" and got["urgent"] is True
    webhook.log.status = 500
    with pytest.raises(ChannelError, match="HTTP 500"):
        WebhookChannel(settings).send(MESSAGE, "user-1")
    forged = settings.model_copy(update={"webhook_secret": SecretStr("not the secret")})
    with pytest.raises(ChannelError, match="HTTP 403"):
        WebhookChannel(forged).send(MESSAGE, "user-1")
    assert webhook.log.refused == ["bad signature"]


def test_notify_sms_and_email_reach_the_stand_in_as_notify_documents_them() -> None:
    with HttpReceiver(check_notify) as notify:
        settings = make_settings(
            "sqlite://",
            notify_api_key=NOTIFY_KEY,
            notify_base_url=notify.url,
            notify_sms_template_id="sms-template",
            notify_email_template_id="email-template",
        )
        NotifyChannel(settings, "sms").send(MESSAGE, "07700900123")
        NotifyChannel(settings, "notify_email").send(MESSAGE, "olly@navigator.test")
        sms, mail = notify.log.accepted
        assert sms["path"] == "/v2/notifications/sms" and sms["phone_number"] == "07700900123"
        assert "ABCD2345" in sms["personalisation"]["body"] and sms["reference"] == "V-ABC123"
        assert mail["path"] == "/v2/notifications/email" and mail["template_id"] == "email-template"
        assert notify.log.refused == []
        bad = settings.model_copy(update={"notify_api_key": SecretStr(NOTIFY_KEY[:-4] + "abcd")})
        with pytest.raises(ChannelError, match="Notify: HTTP 403"):
            NotifyChannel(bad, "sms").send(MESSAGE, "07700900123")


def test_a_channel_that_fails_gives_way_to_the_persons_next_channel(store_db: Database) -> None:
    """On call prefers the webhook (answering 500 here), then SMS by Notify: the SMS goes."""
    world = World(store_db, store_db.settings)
    world.team("North")
    with (
        SmtpServer(free_port()) as smtp,
        HttpReceiver(check_webhook) as hook,
        HttpReceiver(check_notify) as notify,
    ):
        hook.log.status = 500
        scene = Scene(world, smtp)
        scene.settings = scene.settings.model_copy(
            update={
                "webhook_url": hook.url,
                "webhook_secret": SecretStr(WEBHOOK_SECRET),
                "notify_api_key": SecretStr(NOTIFY_KEY),
                "notify_base_url": notify.url,
                "notify_sms_template_id": "sms-template",
                "escalation_steps": "on_call",
            }
        )
        scene.runner = Runner(scene.db, scene.settings)
        with scene.db.write() as conn:
            contacts.set_contact(
                conn, scene.olly.who.user_id, email=None, mobile="07700 900123", channels="webhook,sms"
            )
        visit = scene.visit()
        scene.mark_overdue()
        scene.runner.tick()
        [sms] = notify.log.accepted
        assert sms["phone_number"] == "07700900123"
        [(step, notes)] = scene.entries(visit)
        assert step == "notified" and "text (SMS)" in notes and "webhook: HTTP 500" in notes
        texts = [str(s["personalisation"]) for s in notify.log.accepted]
        assert_no_client_data(store_db, texts)


def test_sos_alerts_on_call_and_the_manager_at_once_and_only_the_worker_may_raise_it(
    store_db: Database,
) -> None:
    world = World(store_db, store_db.settings)
    world.team("North")
    with SmtpServer(free_port()) as smtp:
        scene = Scene(world, smtp)
        visit = scene.visit(planned_start=scene_now(), checked_in_at=scene_now())
        with TestClient(
            create_app(scene.settings.model_copy(update={"escalation_poll_seconds": 0}), store_db)
        ) as http:
            refused = http.post(f"/v1/visits/{visit}/sos", headers=scene.olly.headers)
            assert refused.status_code == 403
            unknown = http.post(
                f"/v1/visits/{'0' * 8}-0000-4000-8000-{'0' * 12}/sos", headers=scene.nav.headers
            )
            assert unknown.status_code == 404
            first = http.post(f"/v1/visits/{visit}/sos", headers=scene.nav.headers)
            again = http.post(f"/v1/visits/{visit}/sos", headers=scene.nav.headers)
            assert first.status_code == 202 and again.json()["escalation_id"] == first.json()["escalation_id"]
        scene.runner.tick()
        assert sorted(a for m in smtp.inbox.mails for a in m.to) == [
            "boss@navigator.test",
            "olly@navigator.test",
        ]
        assert all(m.subject.startswith("URGENT") for m in smtp.inbox.mails)
        assert [s for s, _ in scene.entries(visit)] == ["sos_raised", "notified", "notified"]
        assert_no_client_data(store_db, [m.body for m in smtp.inbox.mails])


def scene_now() -> str:
    from navigator_core import timeutil

    return timeutil.now_text()


def test_contact_details_are_set_by_an_admin_and_checked(store_db: Database) -> None:
    world = World(store_db, store_db.settings)
    world.team("North")
    admin = world.person("root", "North", Role.ADMIN)
    nav = world.person("nav", "North", Role.NAVIGATOR)
    with TestClient(create_app(store_db.settings, store_db)) as http:
        url = f"/v1/admin/users/{nav.who.user_id}/contact"
        body = {"email": "nav@navigator.test", "mobile": "+44 7700 900123", "channels": "sms,email"}
        assert http.put(url, json=body, headers=nav.headers).status_code == 403
        done = http.put(url, json=body, headers=admin.headers)
        assert done.status_code == 200 and done.json()["channels"] == ["sms", "email"]
        assert done.json()["mobile"] == "+447700900123"
        assert http.put(url, json={"email": "not an address"}, headers=admin.headers).status_code == 422
        assert http.put(url, json={"channels": "pigeon"}, headers=admin.headers).status_code == 422
        unknown = f"/v1/admin/users/{'0' * 8}-0000-4000-8000-{'0' * 12}/contact"
        assert http.put(unknown, json=body, headers=admin.headers).status_code == 422
