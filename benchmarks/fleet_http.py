"""The fleet driver's HTTP client: one kept-alive HTTP/1.1 connection per laptop over asyncio
streams, a request written in one piece and the answer read by its Content-Length (or chunks).

The driver shares the machine's two cores with the servers it measures, so its own cost is part
of what it measures: httpx spent about a millisecond of CPU a request, as much as the server's
cheapest endpoint; this spends a small fraction of that (the benchmark prints the driver's CPU).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import orjson


class HttpError(Exception):
    """The connection failed or the answer was not HTTP; the name says which (as httpx's do)."""


class ConnectError(HttpError):
    pass


class ReadError(HttpError):
    pass


@dataclass(frozen=True, slots=True)
class Answer:
    status_code: int
    body: bytes

    def json(self) -> Any:
        return orjson.loads(self.body)


class Connection:
    """A laptop's connection to the server, opened on first use and again after a failure."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None
        self.retried = 0  # requests sent again because a kept-alive connection had been closed

    async def request(
        self, method: str, path: str, headers: dict[str, str] | None = None, body: object = None
    ) -> Answer:
        """Send one request and read its answer. A request that finds its kept-alive connection
        closed by the server before any answer came (the server's keep-alive timeout) is sent once
        more on a new connection, as a browser or httpx's pool does; the push it may carry is
        idempotent by operation id."""
        payload = b"" if body is None else orjson.dumps(body)
        head = [f"{method} {path} HTTP/1.1", f"Host: {self.host}"]
        head += [f"{name}: {value}" for name, value in (headers or {}).items()]
        if body is not None:
            head += ["Content-Type: application/json", f"Content-Length: {len(payload)}"]
        message = ("\r\n".join(head) + "\r\n\r\n").encode() + payload
        reused = self._writer is not None
        try:
            return await self._exchange(message)
        except ReadError as exc:
            if not (reused and exc.args and exc.args[0] == "closed before answering"):
                raise
        self.retried += 1
        return await self._exchange(message)

    async def _exchange(self, message: bytes) -> Answer:
        if self._writer is None:
            try:
                self._reader, self._writer = await asyncio.open_connection(self.host, self.port)
            except OSError as exc:
                raise ConnectError(type(exc).__name__) from None
        assert self._reader is not None and self._writer is not None
        try:
            self._writer.write(message)
            await self._writer.drain()
            head = await self._reader.readuntil(b"\r\n\r\n")
        except (OSError, asyncio.IncompleteReadError) as exc:
            self.close()
            partial = isinstance(exc, asyncio.IncompleteReadError) and exc.partial
            raise ReadError("answer cut short" if partial else "closed before answering") from None
        try:
            return await self._answer(head, self._reader)
        except (OSError, ValueError, IndexError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            self.close()
            raise ReadError("answer cut short") from None

    async def _answer(self, head: bytes, reader: asyncio.StreamReader) -> Answer:
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        fields = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            fields[name.strip().lower()] = value.strip()
        if "content-length" in fields:
            body = await reader.readexactly(int(fields["content-length"]))
        elif fields.get("transfer-encoding", "").lower() == "chunked":
            parts = []
            while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
                parts.append(await reader.readexactly(size))
                await reader.readexactly(2)
            await reader.readuntil(b"\r\n")
            body = b"".join(parts)
        else:
            body = b""
        if fields.get("connection", "").lower() == "close":
            self.close()
        return Answer(status, body)

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
        self._reader = self._writer = None
