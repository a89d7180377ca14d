"""The transport: plain HTTP only to this machine, retries with backoff, revoked devices told apart."""

from __future__ import annotations

import httpx
import pytest

from navigator_desktop.sync import transport as transport_module
from navigator_desktop.sync.errors import AuthError, DeviceRevokedError, InsecureServerError, OfflineError
from navigator_desktop.sync.transport import Transport, check_url


@pytest.mark.parametrize("url", ["http://example.org", "http://10.0.0.5:8443", "ftp://127.0.0.1", "nonsense"])
def test_plain_http_to_another_host_is_refused(url):
    with pytest.raises(InsecureServerError):
        check_url(url)


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8443", "http://localhost", "http://[::1]:1", "https://store.nhs.uk"]
)
def test_https_anywhere_and_http_to_loopback_are_allowed(url):
    assert check_url(url + "/") == url


def scripted(*answers):
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        answer = answers[min(len(calls), len(answers)) - 1]
        if isinstance(answer, Exception):
            raise answer
        return answer

    return httpx.MockTransport(handler), calls


def test_a_dropped_connection_is_retried_with_backoff():
    mock, calls = scripted(
        httpx.ReadError("gone"), httpx.Response(503), httpx.Response(200, json={"results": []})
    )
    waits: list[float] = []
    transport = Transport("http://127.0.0.1:1", "t", http_transport=mock, sleep=waits.append, backoff=1.0)
    assert transport.push([]) == {"results": []}
    assert len(calls) == 3 and len(waits) == 2
    assert 0 <= waits[0] <= 1.0 and 0 <= waits[1] <= 2.0, "full jitter under an exponential cap"


def test_it_gives_up_after_the_retries_and_says_offline():
    mock, calls = scripted(httpx.ConnectError("refused"))
    transport = Transport("http://127.0.0.1:1", "t", http_transport=mock, sleep=lambda _s: None, retries=2)
    with pytest.raises(OfflineError):
        transport.changes(0, 10)
    assert len(calls) == 3


def test_an_enrolment_that_reached_the_server_is_not_sent_again():
    mock, calls = scripted(httpx.ReadTimeout("slow"))
    transport = Transport("http://127.0.0.1:1", None, http_transport=mock, sleep=lambda _s: None)
    with pytest.raises(OfflineError):
        transport.enrol({"username": "x"})
    assert len(calls) == 1


def test_a_revoked_device_is_told_apart_from_a_bad_token():
    body = {"error": "device_revoked", "wipe": True}
    mock, _ = scripted(httpx.Response(403, json=body, headers={"X-Navigator-Action": "wipe"}))
    with pytest.raises(DeviceRevokedError):
        Transport("http://127.0.0.1:1", "t", http_transport=mock).changes(0, 1)
    mock, _ = scripted(httpx.Response(401, json={"error": "not_authenticated", "detail": "no"}))
    with pytest.raises(AuthError):
        Transport("http://127.0.0.1:1", "t", http_transport=mock).changes(0, 1)


def test_https_verifies_against_the_system_store_and_an_org_bundle(tmp_path):
    import ssl

    from navigator_desktop.sync.transport import ssl_context

    context = ssl_context()
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname


def test_every_transport_uses_the_apps_own_ssl_context_even_over_http(monkeypatch) -> None:
    """Left to itself httpx builds a context from certifi for each client (about 28 ms of CPU,
    measured): a sync, a ping and each live wake make one, competing with the window for the
    processor. The app's own context (truststore, under a millisecond) is used instead, for http://
    too (where it is never used to connect)."""
    made: list[object] = []

    def made_here(ca_bundle=None):  # type: ignore[no-untyped-def]
        made.append(ca_bundle)
        return real(ca_bundle)

    real = transport_module.ssl_context
    monkeypatch.setattr(transport_module, "ssl_context", made_here)
    for url in ("http://127.0.0.1:8000", "https://store.example.org"):
        Transport(url, "token").close()
    assert made == [None, None]
