"""The indexer process: writes pulled records into the search index's file while the database
worker goes on applying (index.py says why a process and not a thread).

It is started when a sync first hands over more records than are worth writing on the spot, and
stopped when the vault locks. The parent sends batches of index entries, in the order their
transactions committed; the indexer gathers them into large transactions (small ones cost the
index dearly: a team's initial sync took 10 s to index in transactions of 5,000 records, 6 s in
transactions of 40,000) and reports the highest batch it has written. A "drain" asks it to write
what it has now and say when it has. Each batch is marked written in the transaction that writes
its last part. If it dies or is stopped part way, nothing is lost: the records' database names
every batch handed over (search_pending), and the next flush indexes the unmarked ones again from
the records. When its parent dies (a sync killed), it writes nothing more and exits quietly: what
it held is unmarked, so the next run indexes it, and no late write of an old version can land
after the next run's newer one.

The data key is the first message through the pipe, never on a command line nor kept by the
process object; the process holds it only while the vault is unlocked, like the app itself.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import threading
import time
from collections import deque
from collections.abc import Iterator
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import orjson

from navigator_desktop.store.search.index_file import Entry, write

log = logging.getLogger("navigator.search")

WRITE_MIN = 20_000  # entries the indexer gathers before writing, while more keep coming...
GATHER_S = 0.3  # ...waiting this long at most for them
WRITE_MAX = 40_000  # entries in one transaction, at most
SEND_CHUNK = 10_000  # entries a message carries: the indexer decodes one message at a time
STOP_TIMEOUT_S = 3.0


class IndexerProcess:
    """The parent's side: starts the process on first use, sends it batches, asks it to drain."""

    def __init__(self, path: Path, key: bytes | None, cache_mib: int) -> None:
        self.path = path
        self.cache_mib = cache_mib
        self._key = bytearray(key) if key is not None else None
        self._proc: Any = None
        self._to: Connection | None = None
        self._from: Connection | None = None
        self._sent = 0  # the highest batch sent
        self._done = 0  # the highest batch it has written
        self._dead = False  # it failed or was stopped: nothing more is sent to it
        self._stopped = False

    def _start(self) -> None:
        context = multiprocessing.get_context("spawn")  # never fork a process that runs Qt
        to_child, child_in = context.Pipe(duplex=False)
        child_out, from_child = context.Pipe(duplex=False)
        self._proc = context.Process(
            target=serve,
            args=(to_child, from_child, str(self.path), self.cache_mib),
            name="navigator-indexer",
            daemon=True,
        )
        self._proc.start()
        to_child.close()
        from_child.close()
        self._to, self._from = child_in, child_out
        # The key goes through the pipe, so the process object keeps no copy of it.
        child_in.send_bytes(b"" if self._key is None else bytes(self._key))
        log.info("search indexer started")

    def _read_replies(self, timeout: float = 0.0) -> None:
        """Take the indexer's replies: which batches it has written, or that it failed."""
        source = self._from
        if source is None:
            return
        try:
            while source.poll(timeout):
                reply = source.recv()
                timeout = 0.0
                if reply[0] in ("done", "drained"):
                    self._done = max(self._done, int(reply[1]))
                elif reply[0] == "failed":
                    log.error("the search indexer failed: %s", reply[1])
                    self._dead = True
                    return
        except (EOFError, OSError):
            self._dead = True

    @property
    def dead(self) -> bool:
        """It failed or was stopped: what was sent and not reported written is lost."""
        self._read_replies()
        return self._dead

    def idle(self) -> bool:
        """Alive (or not started) with everything sent written: a batch may be written elsewhere
        without overtaking one of its."""
        self._read_replies()
        return not self._dead and (self._proc is None or self._done >= self._sent)

    def send(self, seq: int, entries: list[Entry]) -> bool:
        """Hand over a committed batch; False when the indexer cannot take it (it died)."""
        if self._dead:
            return False
        if self._proc is None:
            try:
                self._start()
            except Exception:  # the flush indexes from the records instead
                log.exception("the search indexer could not be started")
                self._proc, self._dead = None, True
                return False
        assert self._to is not None
        try:
            for start in range(0, len(entries), SEND_CHUNK):
                chunk = entries[start : start + SEND_CHUNK]
                last = start + SEND_CHUNK >= len(entries)
                self._to.send_bytes(orjson.dumps(["batch", seq, len(chunk), last]))
                self._to.send_bytes(orjson.dumps(chunk))
        except (OSError, ValueError):
            self._dead = True
            return False
        self._sent = max(self._sent, seq)
        return True

    def drain(self, timeout: float) -> bool:
        """Wait until everything sent is written; False if the indexer died or did not answer."""
        if self._proc is None:
            return True
        if self.idle():
            return not self._dead
        assert self._to is not None
        try:
            self._to.send_bytes(orjson.dumps(["drain"]))
        except (OSError, ValueError):
            self._dead = True
            return False
        deadline = time.monotonic() + timeout
        while not self._dead and self._done < self._sent:
            left = deadline - time.monotonic()
            if left <= 0:
                # Ended, so it cannot write an older batch over what the caller does next.
                log.warning("the search indexer did not drain in time; ended")
                self._end()
                self._dead = True
                return False
            self._read_replies(min(left, 0.5))
            if not self._proc.is_alive():
                self._read_replies()
                if self._done < self._sent:
                    self._dead = True
        return not self._dead

    def stop(self) -> None:
        """Stop the process (it finishes the transaction it is in, if any) and forget the key."""
        if self._key is not None:
            self._key[:] = bytes(len(self._key))
            self._key = None
        self._end()
        self._dead = self._stopped = True

    def restart_if_dead(self) -> None:
        """After a failure: the next batch starts a new process (what the old one lost, a flush
        has indexed from the records). Not after stop()."""
        if self._dead and not self._stopped:
            self._end()
            self._dead = False
            self._sent = self._done = 0

    def _end(self) -> None:
        if self._proc is None:
            return
        try:
            if self._to is not None:
                self._to.send_bytes(orjson.dumps(["stop"]))
        except (OSError, ValueError):
            pass
        self._proc.join(STOP_TIMEOUT_S)
        if self._proc.is_alive():
            log.warning("the search indexer did not stop in time; ended")
            self._proc.kill()
            self._proc.join(STOP_TIMEOUT_S)
        for conn in (self._to, self._from):
            if conn is not None:
                conn.close()
        self._proc = None
        self._to = self._from = None


def serve(inbox: Connection, outbox: Connection, path: str, cache_mib: int) -> None:
    """The indexer process: a thread takes messages off the pipe as they come (so the parent never
    waits on a full pipe while a transaction is written), this one writes them. The first message
    is the data key (empty for a plain file).

    The cycle collector runs between transactions only, when little is alive: during one it would
    walk the tens of thousands of entries in hand again and again (the loop makes no reference
    cycles, so reference counting frees them)."""
    gc.disable()
    gc.freeze()  # what the process holds after start-up is never garbage
    try:
        key: bytes | None = inbox.recv_bytes() or None
        conn = _open(Path(path), key, cache_mib)
    except Exception as exc:
        _tell(outbox, ("failed", f"could not open the index: {type(exc).__name__}"))
        return
    finally:
        key = None
    messages: deque[list[Any]] = deque()
    arrived = threading.Condition()

    def receive() -> None:
        while True:
            try:
                message = orjson.loads(inbox.recv_bytes())
                if message[0] == "batch":
                    message.append(inbox.recv_bytes())  # its entries, decoded as they are written
            except (EOFError, OSError):
                message = ["gone"]  # the parent died (or closed the pipe without a word)
            except orjson.JSONDecodeError:
                message = ["stop"]
            with arrived:
                messages.append(message)
                arrived.notify()
            if message[0] in ("stop", "gone"):
                return

    threading.Thread(target=receive, name="receive", daemon=True).start()
    try:
        _write_loop(conn, messages, arrived, outbox)
    except Exception as exc:
        _tell(outbox, ("failed", type(exc).__name__))
    finally:
        conn.close()


def _tell(outbox: Connection, reply: tuple[str, Any]) -> bool:
    """Send a reply to the parent; False when it is gone (killed): nobody is left to tell."""
    try:
        outbox.send(reply)
    except OSError:  # BrokenPipeError, ConnectionResetError
        return False
    return True


def _write_loop(
    conn: Any, messages: deque[list[Any]], arrived: threading.Condition, outbox: Connection
) -> None:
    while True:
        with arrived:
            arrived.wait_for(lambda: bool(messages))
            deadline = time.monotonic() + GATHER_S
            while _gathered(messages) < WRITE_MIN and not _asked(messages) and time.monotonic() < deadline:
                arrived.wait(max(0.0, deadline - time.monotonic()))
            if any(m[0] == "gone" for m in messages):
                return  # the parent died: nothing it holds is written, those batches stay unmarked
            payloads: list[bytes] = []
            done: list[int] = []
            count, control = 0, None
            while messages and count < WRITE_MAX:
                message = messages.popleft()
                if message[0] == "batch":
                    if message[3]:  # the last part of its batch: the batch is done once written
                        done.append(int(message[1]))
                    count += int(message[2])
                    payloads.append(message[4])
                else:
                    control = message[0]
                    break
        if payloads:
            # One transaction, its parts decoded one at a time (lists, as they come off the wire:
            # write() reads them as it reads tuples).
            write(conn, _decoded(payloads), done, chunks=True)
            if done and not _tell(outbox, ("done", max(done))):
                return
            gc.collect()
        if control == "stop":  # after writing what it had gathered: removals must not wait
            return
        if control == "drain" and not _tell(outbox, ("drained", 0)):
            return


def _decoded(payloads: list[bytes]) -> Iterator[list[Entry]]:
    while payloads:
        yield orjson.loads(payloads.pop(0))


def _gathered(messages: deque[list[Any]]) -> int:
    return sum(int(m[2]) for m in messages if m[0] == "batch")


def _asked(messages: deque[list[Any]]) -> bool:
    return any(m[0] != "batch" for m in messages)


def _open(path: Path, key: bytes | None, cache_mib: int) -> Any:
    if key is None:
        import sqlite3

        from navigator_desktop.store.db import PLAIN_PRAGMAS

        conn = sqlite3.connect(str(path), isolation_level=None)
        for pragma in PLAIN_PRAGMAS:
            conn.execute(pragma)
        conn.execute(f"PRAGMA cache_size = {-1024 * cache_mib}")
        return conn
    from navigator_desktop.vault.connection import SEARCH_CIPHER, connect

    return connect(path, key, cache_mib=cache_mib, cipher=SEARCH_CIPHER)
