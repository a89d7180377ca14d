"""ASGI middleware: the request size limit, security headers, and errors that never leak into logs.

An unexpected exception is logged by type and traceback *without its message* (a message can
quote data), and answered 500 here, so uvicorn never prints it either.
"""

from __future__ import annotations

import json
import logging
import traceback
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("navigator_server.errors")

_SECURITY_HEADERS = [
    (b"cache-control", b"no-store"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
]


class _TooLargeError(Exception):
    pass


class GuardMiddleware:
    """Outermost of our layers: refuses bodies over `max_body` bytes with a 413 (by Content-Length
    up front, or while streaming), adds security headers, turns crashes into a bare 500."""

    def __init__(self, app: ASGIApp, max_body: int, tls: bool = False):
        self.app, self.max_body, self.tls = app, max_body, tls

    def _json(self, status: int, body: dict[str, Any]) -> tuple[Message, Message]:
        payload = json.dumps(body).encode()
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode())]
        return (
            {"type": "http.response.start", "status": status, "headers": headers},
            {"type": "http.response.body", "body": payload},
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state = {"started": False, "too_large": False, "replaced": False, "received": 0}
        too_large = {
            "error": "too_large",
            "detail": f"The request body is larger than {self.max_body} bytes.",
        }

        async def guarded_send(message: Message) -> None:
            if state["replaced"]:
                return
            if message["type"] == "http.response.start":
                state["started"] = True
                if state["too_large"]:  # whatever the app made of the cut-off body, the answer is 413
                    state["replaced"] = True
                    for part in self._json(413, too_large):
                        await guarded_send_raw(part)
                    return
            await guarded_send_raw(message)

        async def guarded_send_raw(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", [])) + _SECURITY_HEADERS
                if self.tls:
                    headers.append((b"strict-transport-security", b"max-age=31536000"))
                message = {**message, "headers": headers}
            await send(message)

        async def limited_receive() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                state["received"] += len(message.get("body", b""))
                if state["received"] > self.max_body:
                    state["too_large"] = True
                    raise _TooLargeError
            return message

        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_body):
            status, body = (
                (413, too_large)
                if declared.isdigit()
                else (400, {"error": "bad_request", "detail": "Malformed Content-Length header."})
            )
            for part in self._json(status, body):
                await guarded_send_raw(part)
            return
        try:
            await self.app(scope, limited_receive, guarded_send)
        except _TooLargeError:
            if not state["started"]:
                for part in self._json(413, too_large):
                    await guarded_send_raw(part)
        except Exception as exc:
            route = scope.get("route")
            frames = "".join(traceback.format_tb(exc.__traceback__))
            log.error(
                "unhandled %s on %s %s\n%s",
                type(exc).__name__,
                scope.get("method"),
                getattr(route, "path", "-"),
                frames,
            )
            if not state["started"]:
                internal = {"error": "internal", "detail": "Something went wrong on the server."}
                for part in self._json(500, internal):
                    await guarded_send_raw(part)
