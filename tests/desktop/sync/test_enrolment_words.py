"""What the transport raises when TLS fails or the server answers badly, and the sentence an
enrolment failure gets for the cases the app's end-to-end tests cannot make a real server give
(a server error, an answer of an unknown kind, a bug of ours)."""

from __future__ import annotations

import contextlib
import http.server
import threading
from collections.abc import Iterator

import pytest

from navigator_desktop.sync import enrolment
from navigator_desktop.sync.errors import OfflineError, SyncError, TlsError
from navigator_desktop.sync.transport import Transport


class _Answer(http.server.BaseHTTPRequestHandler):
    status = 503

    def do_POST(self) -> None:
        self.send_response(self.status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"error": "teapot", "detail": "a reason the laptop has no words for"}')

    def log_message(self, *_args: object) -> None:
        pass


@contextlib.contextmanager
def answering(status: int) -> Iterator[str]:
    """A plain-HTTP server on loopback answering every POST with `status`."""
    handler = type("Handler", (_Answer,), {"status": status})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_tls_to_a_plain_http_port_fails_at_once_and_is_not_retried() -> None:
    slept: list[float] = []
    with (
        answering(503) as host,
        Transport(f"https://{host}", retries=4, sleep=slept.append) as transport,
        pytest.raises(TlsError) as caught,
    ):
        transport.enrol({"username": "ann"})
    assert slept == []  # a certificate or protocol fault does not mend itself
    assert enrolment.explain(caught.value, f"https://{host}").kind == "tls"


def _refused_by(status: int, raised: type[SyncError]) -> enrolment.Failure:
    """Enrol against a server answering `status`; what the person is told."""
    with (
        answering(status) as host,
        Transport(f"http://{host}", retries=0) as transport,
        pytest.raises(raised) as caught,
    ):
        transport.enrol({"username": "ann"})
    return enrolment.explain(caught.value, f"http://{host}")


def test_a_server_error_is_told_apart_from_no_server() -> None:
    failure = _refused_by(503, OfflineError)
    assert failure.kind == "unavailable" and "answered but could not enrol" in failure.sentence
    assert "Try again in a few minutes" in failure.sentence


def test_an_answer_of_an_unknown_kind_is_said_with_the_server_s_reason() -> None:
    failure = _refused_by(418, SyncError)
    assert failure.kind == "other"
    assert "a reason the laptop has no words for" in failure.sentence and "tell IT" in failure.sentence


def test_a_bug_of_ours_is_logged_and_said_plainly(caplog: pytest.LogCaptureFixture) -> None:
    failure = enrolment.explain(KeyError("user_id"))
    assert failure.kind == "other" and "inside Navigator" in failure.sentence
    assert "user_id" not in failure.sentence
    assert any(record.exc_info for record in caplog.records)


def test_an_address_that_is_not_https_says_so() -> None:
    with pytest.raises(SyncError) as caught:
        Transport("http://navigator.example.org")
    failure = enrolment.explain(caught.value, "http://navigator.example.org")
    assert failure.kind == "address" and failure.field == "server" and "https://" in failure.sentence
