"""HTTP to the central store: timeouts, TLS against the system trust store (plus an optional
organisation CA bundle), retries with exponential backoff and jitter, and no plain HTTP except to
this machine.

Every call here is safe to repeat: a push is applied by operation id, so a batch whose answer was
lost is simply sent again and answered ``already_applied``; a pull only reads. Enrolment is the
exception (the code is single-use), so it is retried only when the request never got through.
"""

from __future__ import annotations

import ipaddress
import logging
import random
import socket
import ssl
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import orjson

from navigator_desktop.sync.closing import Closing
from navigator_desktop.sync.errors import (
    AuthError,
    DeviceRevokedError,
    EnrolmentRefused,
    InsecureServerError,
    OfflineError,
    RateLimitedError,
    SyncError,
    TlsError,
)

log = logging.getLogger("navigator.sync.transport")

TIMEOUT = httpx.Timeout(connect=10.0, read=60.0, write=60.0, pool=10.0)
_RETRY_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})


def check_url(url: str) -> str:
    """The server address without a trailing slash; refuses anything but https, or http to loopback."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise InsecureServerError("The server address must start with https:// and name a host.")
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise InsecureServerError(
            "Plain http:// is refused for any server but this machine: records would cross the "
            "network unencrypted. Use the https:// address."
        )
    return url.strip().rstrip("/")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def ssl_context(ca_bundle: Path | None = None) -> ssl.SSLContext:
    """The operating system's trust store (truststore), falling back to certifi's bundle where
    truststore is unavailable; an organisation's own CA is added on top when given."""
    context: ssl.SSLContext
    try:
        import truststore

        context = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    except ImportError:  # pragma: no cover - truststore ships with the app
        import certifi

        context = ssl.create_default_context(cafile=certifi.where())
    if ca_bundle is not None:
        context.load_verify_locations(cafile=str(ca_bundle))
    return context


class Transport(Closing):
    """One device's conversation with the central store."""

    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        *,
        ca_bundle: Path | None = None,
        retries: int = 4,
        backoff: float = 0.5,
        max_backoff: float = 30.0,
        timeout: httpx.Timeout = TIMEOUT,
        http_transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.base_url = check_url(base_url)
        self.token = token
        self.retries = retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        self._sleep = sleep
        # Always our own context, http:// too: left to itself httpx builds a default one from
        # certifi's bundle for every client, about 28 ms of CPU each time (measured), and a sync,
        # a ping and each live wake make a transport; truststore's costs under a millisecond.
        verify: ssl.SSLContext = ssl_context(ca_bundle)
        self._client = httpx.Client(
            base_url=self.base_url,
            timeout=timeout,
            verify=verify,
            transport=http_transport,
            headers={"User-Agent": "navigator-desktop"},
            follow_redirects=False,
        )

    def close(self) -> None:
        self._client.close()

    # -- the calls -------------------------------------------------------------------------

    def enrol(self, body: Mapping[str, Any]) -> dict[str, Any]:
        return self.request("POST", "/v1/enrol", json=dict(body), auth=False, retry_sent=False)

    def push(self, ops: list[dict[str, Any]]) -> dict[str, Any]:
        return self.request("POST", "/v1/push", json={"ops": ops})

    def changes(self, since: int, limit: int) -> dict[str, Any]:
        return self.request("GET", "/v1/changes", params={"since": since, "limit": limit})

    def me(self) -> dict[str, Any]:
        """Who this device signs in as, and the organisation's settings for it."""
        return self.request("GET", "/v1/me")

    def directory(self) -> dict[str, Any]:
        """The team: its people (names for ids) and its on-call rota."""
        return self.request("GET", "/v1/directory")

    def watch_sockets(self, callback: Callable[[socket.socket], None]) -> None:
        """Hand `callback` the socket of each connection this transport opens, so that another
        thread may shut it down to end a long-poll at once (sync/live.py): closing a client does
        not wake a thread blocked reading from it."""

        def trace(event: str, info: dict[str, Any]) -> None:
            if event == "connection.connect_tcp.complete" and info.get("return_value") is not None:
                callback(info["return_value"].get_extra_info("socket"))

        def hook(request: httpx.Request) -> None:
            request.extensions["trace"] = trace

        self._client.event_hooks["request"].append(hook)

    def ping(self) -> bool:
        """Whether the store answers at all (for the worker's online indicator)."""
        try:
            return self._client.get("/healthz", timeout=5.0).status_code < 500
        except httpx.HTTPError:
            return False

    # -- any call, and the machinery -------------------------------------------------------

    def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        auth: bool = True,
        retry_sent: bool = True,
    ) -> dict[str, Any]:
        """Any call to the store, with the same TLS rules, timeouts, retries and error mapping:
        signed in with the device token unless `auth` is False (enrolment, which gets the token).
        `retry_sent=False` for a call that must not be repeated once the store may have seen it."""
        headers = {"Content-Type": "application/json"}
        if auth:
            headers["Authorization"] = f"Bearer {self.token}"
        content = orjson.dumps(json) if json is not None else None
        attempt = 0
        while True:
            attempt += 1
            try:
                # Streamed and joined here rather than kept on the response (httpx's response
                # objects are freed by the cycle collector, and a page is megabytes).
                with self._client.stream(
                    method, path, content=content, params=params, headers=headers
                ) as response:
                    body = b"".join(response.iter_bytes())
            except httpx.HTTPError as exc:
                if _tls_failure(exc):  # a certificate or protocol fault: trying again changes nothing
                    raise TlsError("No secure connection could be made to the central store.") from exc
                sent = not isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout)
                if attempt > self.retries or (sent and not retry_sent):
                    raise OfflineError("The central store could not be reached.") from exc
                log.info("%s %s failed (%s); retrying", method, path, type(exc).__name__)
                self._wait(attempt, None)
                continue
            if response.status_code in _RETRY_STATUS and retry_sent and attempt <= self.retries:
                log.info("%s %s answered %d; retrying", method, path, response.status_code)
                self._wait(attempt, response.headers.get("Retry-After"))
                continue
            return self._answer(response, body)

    def _wait(self, attempt: int, retry_after: str | None) -> None:
        delay = min(self.max_backoff, self.backoff * 2 ** (attempt - 1))
        delay = random.uniform(0, delay)  # noqa: S311 - "full jitter", not cryptography
        if retry_after and retry_after.isdigit():
            delay = max(delay, min(float(retry_after), self.max_backoff))
        self._sleep(delay)

    @staticmethod
    def _answer(response: httpx.Response, content: bytes) -> dict[str, Any]:
        try:
            body = orjson.loads(content) if content else {}
        except orjson.JSONDecodeError:
            body = {}
        if not isinstance(body, dict):
            body = {}
        if response.status_code < 300:
            return body
        if response.headers.get("X-Navigator-Action") == "wipe" or body.get("error") == "device_revoked":
            raise DeviceRevokedError()
        detail = str(body.get("detail") or body.get("message") or body.get("error") or "")[:300]
        if body.get("error") == "enrolment_refused":
            raise EnrolmentRefused(detail, str(body.get("reason") or ""))
        if response.status_code == 429:
            wait = response.headers.get("Retry-After", "")
            raise RateLimitedError(detail or "Too many attempts.", int(wait) if wait.isdigit() else 0)
        if response.status_code == 401:
            raise AuthError(detail or "The central store did not accept this laptop's credentials.")
        if response.status_code >= 500 or response.status_code in _RETRY_STATUS:
            raise OfflineError(f"The central store is unavailable ({response.status_code}).")
        raise SyncError(f"The central store refused the request ({response.status_code}): {detail}")


def _tls_failure(exc: BaseException) -> bool:
    """Whether an HTTP error was caused by TLS (httpx wraps the ssl module's error)."""
    seen: BaseException | None = exc
    for _ in range(10):  # the chain is short; bounded all the same
        if seen is None:
            return False
        if isinstance(seen, ssl.SSLError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False
