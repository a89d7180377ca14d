"""The ASGI application: ``create_app()`` builds it from settings (uvicorn calls it as a factory)."""

from __future__ import annotations

import gc
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException

from navigator_core import __version__
from navigator_server import metrics
from navigator_server.api import (
    routes_admin,
    routes_audit,
    routes_escalation,
    routes_live,
    routes_sync,
    routes_team,
    routes_watch,
)
from navigator_server.api.deps import Services
from navigator_server.api.errors import (
    ERROR_RESPONSES,
    ApiError,
    api_error_handler,
    http_error_handler,
    validation_error_handler,
)
from navigator_server.api.middleware import GuardMiddleware
from navigator_server.api.schemas import Health
from navigator_server.db import Database
from navigator_server.escalation import chain
from navigator_server.escalation.runner import Runner
from navigator_server.overdue import Sweeper
from navigator_server.security import Passwords
from navigator_server.settings import Settings


def create_app(settings: Settings | None = None, db: Database | None = None, *, tls: bool = False) -> FastAPI:
    settings = settings or Settings()
    db = db or Database(settings)
    sweeper = Sweeper(db, settings)
    runner = Runner(db, settings)
    # A visit marked overdue starts its escalation chain in the same transaction, and wakes the sender.
    sweeper.on_marked = chain.on_marked(settings)
    sweeper.after_marked = runner.wake

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        """Each server process sweeps for overdue visits on a timer while it serves (overdue.py)."""
        # What the process holds once started (modules, the app) is never garbage: the collector
        # stops walking it. A page of changes makes tens of thousands of objects, and each full
        # collection they set off walked the whole framework as well (a fifth of a pull's time).
        gc.collect()  # so that only what is alive is set aside
        gc.freeze()
        # The thread pool that runs database work (anyio's, which FastAPI uses): 40 threads by default.
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.request_threads
        sweeper.start()
        runner.start()
        try:
            yield
        finally:
            sweeper.stop()
            runner.stop()

    app = FastAPI(
        title="Navigator central store",
        version=__version__,
        description="Sync API for Navigator laptops: enrolment, push, pull, team directory, administration.",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.services = Services(settings, db, Passwords(settings), sweeper, runner)
    app.add_exception_handler(ApiError, api_error_handler)
    app.add_exception_handler(RequestValidationError, validation_error_handler)
    app.add_exception_handler(HTTPException, http_error_handler)
    app.add_middleware(GuardMiddleware, max_body=settings.max_body_bytes, tls=tls)
    app.add_middleware(metrics.ObserveMiddleware)  # outside the guard: its answers are counted too

    @app.get("/healthz", response_model=Health, responses={**ERROR_RESPONSES, 503: {"model": Health}})
    def healthz() -> JSONResponse:
        """200 only when the database answers."""
        if db.ping():
            return JSONResponse({"status": "ok"})
        return JSONResponse({"status": "database unavailable"}, status_code=503)

    @app.get("/metrics", include_in_schema=False)
    def metrics_page() -> Response:
        """Prometheus metrics: counts, latencies and lags, nothing about anyone (metrics.py).
        Keep it off the public address (deploy/navigator-nginx.conf)."""
        body = metrics.exposition(db, settings.overdue_grace_minutes)
        return Response(body, media_type=metrics.CONTENT_TYPE)

    app.include_router(routes_sync.router)
    app.include_router(routes_team.router)
    app.include_router(routes_admin.router)
    app.include_router(routes_audit.router)
    app.include_router(routes_escalation.router)
    app.include_router(routes_live.router)
    app.include_router(routes_watch.router)
    return app


def app_from_environment() -> FastAPI:
    """What ``navigator-server serve`` hands uvicorn: settings from the environment."""
    return create_app(tls=os.environ.get("NAVIGATOR_SERVE_TLS") == "1")
