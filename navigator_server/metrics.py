"""Prometheus metrics (prometheus-client), served at ``/metrics``, and each request's id (see
ObserveMiddleware). The metrics: requests and their latency per route template, the sizes of
pulls and pushes, and how late the overdue sweep and the escalation sender are running. Labels are
route templates, methods and status codes: never a path with ids in it, a user, a device or
anything about a client.

Several worker processes: set ``PROMETHEUS_MULTIPROC_DIR`` to an empty directory (emptied at each
start, see deploy/README.md) and whichever worker answers ``/metrics`` reports every worker's
counts. The two lags are read from the database when scraped, so they are the same from any worker.
"""

from __future__ import annotations

import os
import re
import time
import uuid
from collections.abc import Iterator

import sqlalchemy as sa
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from navigator_core import timeutil
from navigator_server.db import Database
from navigator_server.logs import REQUEST_ID
from navigator_server.overdue import cutoff
from navigator_server.schema import escalation_steps, visit_watch

REQUESTS = Counter("navigator_http_requests", "HTTP requests answered", ["method", "route", "status"])
LATENCY = Histogram(
    "navigator_http_request_seconds",
    "Time to answer an HTTP request",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)
PULL_ITEMS = Histogram(
    "navigator_pull_page_items",
    "Records in a page of changes sent to a laptop",
    buckets=(0, 1, 10, 100, 1000, 2500, 5000, 10000),
)
PUSH_OPS = Histogram(
    "navigator_push_batch_ops",
    "Operations in a push from a laptop",
    buckets=(1, 2, 5, 10, 50, 100, 500, 1000),
)
CONTENT_TYPE = CONTENT_TYPE_LATEST
_PLAIN_ID = re.compile(rb"[A-Za-z0-9._-]{1,64}")


class LagCollector(Collector):
    """How far behind the lone-working safety net is, read from the database when scraped."""

    def __init__(self, db: Database, grace_minutes: float) -> None:
        self.db, self.grace = db, grace_minutes

    def collect(self) -> Iterator[GaugeMetricFamily]:
        now = timeutil.utcnow()
        sweep, escalation = 0.0, 0.0
        with self.db.read() as conn:
            oldest_due = conn.execute(
                sa.select(sa.func.min(visit_watch.c.ends_at)).where(
                    visit_watch.c.ends_at <= cutoff(self.grace, now)
                )
            ).scalar()
            oldest_step = conn.execute(
                sa.select(sa.func.min(escalation_steps.c.next_attempt_at)).where(
                    escalation_steps.c.status == "pending",
                    escalation_steps.c.next_attempt_at <= timeutil.to_text(now),
                )
            ).scalar()
        if oldest_due:
            due_at = timeutil.parse(oldest_due).timestamp() + self.grace * 60
            sweep = max(0.0, now.timestamp() - due_at)
        if oldest_step:
            escalation = max(0.0, now.timestamp() - timeutil.parse(oldest_step).timestamp())
        yield GaugeMetricFamily(
            "navigator_overdue_sweep_lag_seconds",
            "How long the oldest visit due to be marked overdue has waited for the sweep (0: none waiting)",
            value=sweep,
        )
        yield GaugeMetricFamily(
            "navigator_escalation_lag_seconds",
            "How long the oldest escalation step due to be sent has waited (0: none waiting)",
            value=escalation,
        )


def exposition(db: Database, grace_minutes: float) -> bytes:
    """The text /metrics answers: this process's series (or every worker's), and the lags."""
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        body = generate_latest(registry)
    else:
        from prometheus_client import REGISTRY

        body = generate_latest(REGISTRY)
    lags = CollectorRegistry()
    lags.register(LagCollector(db, grace_minutes))
    return body + generate_latest(lags)


class ObserveMiddleware:
    """Outermost: gives each request its id (the proxy's ``X-Request-ID`` when it is a plain token,
    else a new one), put on every log line written for it (logs.REQUEST_ID) and sent back in the
    answer; and counts and times every request by its route template (``/v1/changes``, not its URL)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        given = dict(scope.get("headers", [])).get(b"x-request-id", b"")
        request_id = given.decode() if _PLAIN_ID.fullmatch(given) else uuid.uuid4().hex
        token = REQUEST_ID.set(request_id)
        status = [500]

        async def observed_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
                headers = [*message.get("headers", []), (b"x-request-id", request_id.encode())]
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, observed_send)
        finally:
            REQUEST_ID.reset(token)
            route = getattr(scope.get("route"), "path", None) or "unmatched"
            method = scope.get("method", "-")
            REQUESTS.labels(method, route, str(status[0])).inc()
            LATENCY.labels(method, route).observe(time.perf_counter() - started)
