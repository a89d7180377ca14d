"""The benchmarks run end to end at small scale and print every figure (no timing assertions:
machines are noisy; the team-scale run is what is read)."""

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIGURES = (
    "key derivation, Argon2id",
    "unlock excl. KDF: open, key, schema check, caseload query",
    "unlock excl. KDF, worst of 9",
    "the same on plain SQLite",
    "search (",
    "open client with 60 contacts",
    "vault p50",
    "vault p95",
    "plain SQLite p50",
    "plain SQLite p95",
    "encryption overhead, vault / plain",
    "diagnostic: sqlcipher engine, plain file, no key",
    "DIAGNOSTIC: store benchmark, small scale, vault WITH cipher_memory_security",
    "open client, first after unlock",
    "bulk insert of",
    "bulk insert: plain SQLite",
    "figures within target",
    "sweep 1 s: worst",  # lone-working alerts (escalation_bench, quick)
)


def _benchmark_output(module: str, *args: str) -> str:
    """What `python -m module args` prints, once it has exited 0 (within five minutes)."""
    result = subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.slow
def test_store_benchmark_prints_every_figure_at_small_scale(tmp_path):
    out = _benchmark_output("benchmarks", "--scale", "small", "--cache-dir", str(tmp_path))
    missing = [figure for figure in FIGURES if figure not in out]
    assert not missing, out
    figure_lines = [line for line in out.splitlines() if " target " in line]
    assert len(figure_lines) >= 20
    assert all(any(verdict in line for verdict in ("PASS", "FAIL", "info")) for line in figure_lines)
    # a second run reuses the cached data set instead of building it again
    again = _benchmark_output(
        "benchmarks.store", "--scale", "small", "--cache-dir", str(tmp_path), "--no-diagnostic"
    )
    assert "building" not in again
    assert "DIAGNOSTIC" not in again
    assert "figures within target" in again


@pytest.mark.slow
@pytest.mark.postgres
def test_live_benchmark_prints_its_figures_with_a_few_changes():
    out = _benchmark_output("benchmarks.live_bench", "--changes", "2", "--crowd", "4", "--crowd-teams", "2")
    for figure in (
        "live, p95",
        "push to B told, p95",
        "B syncs at once, p95",
        "one pull request, p95",
        "ratio",
    ):
        assert figure in out, out
    assert "errors 0" in out


FLEET_ARGS = ("--laptops", "6", "--seconds", "4", "--workers", "1", "--scale", "small", "--teams", "1")


@pytest.mark.slow
@pytest.mark.postgres
def test_fleet_benchmark_prints_its_tables_with_a_few_laptops():
    out = _benchmark_output("benchmarks.fleet", *FLEET_ARGS)
    for figure in (
        "| 1 | day | GET /v1/changes |",
        "| 1 | healthz | GET /healthz |",
        "| 1 | push storm | POST /v1/push |",
        "driver CPU, cores (day)",
        "syncs/s one core gives",
        "load average, day start → end",
        "feed lock held by a push of 1 contact(s)",
    ):
        assert figure in out, out
    assert "errors," not in out, out  # no error kinds listed
    day_pull = next(line for line in out.splitlines() if line.startswith("| 1 | day | GET /v1/changes |"))
    assert day_pull.rstrip("| ").endswith("| 0"), day_pull  # its errors column


@pytest.mark.postgres
def test_the_engines_benchmark_pulls_the_same_team_from_both_and_prints_the_ratio():
    """Every way (the server's side alone; a laptop's initial sync over HTTP into its vault, on
    shared cores and, where it may pin processes, with the server on its own core) pulls the same
    records from each engine and prints their ratio."""
    out = _benchmark_output(
        "benchmarks.pull_engines", "--scale", "small", "--runs", "1", "--laptop-runs", "1"
    )
    pinned = os.geteuid() == 0 and (os.cpu_count() or 1) >= 2
    ways = 3 if pinned else 2
    rows = [line.split("|") for line in out.splitlines() if line.startswith("| 1 |")]
    assert [r[2].strip() for r in rows] == ["PostgreSQL", "SQLite"] * ways, out
    for postgres, sqlite in zip(rows[::2], rows[1::2], strict=True):
        assert postgres[3] == sqlite[3] and int(postgres[3].replace(",", "")) > 0, out  # the same records
    assert out.count("(target >= 1.00)") == ways, out
    # Each laptop's sync says how long it waited for the store's pages: a part of its seconds.
    assert all(float(r[6]) < float(r[4]) for r in rows[2:]) and {r[6].strip() for r in rows[:2]} == {"n/a"}
    assert out.count("median seconds the laptop waited for the store's pages") == ways - 1, out
    assert "Per laptop: an initial sync over HTTP" in out, out
    assert ("the server on its own core: not run" in out) is not pinned, out


async def _answering(answers: list[bytes], seen: list[bytes]) -> tuple[asyncio.Server, int]:
    """A server that reads one request per answer in `answers`, in turn on whatever connection
    asks, and closes the connection without answering when the answer is empty."""

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while answers:
            try:
                head = await reader.readuntil(b"\r\n\r\n")
            except asyncio.IncompleteReadError:
                break
            length = [
                int(x.split(b":")[1]) for x in head.split(b"\r\n") if x.lower().startswith(b"content-length")
            ]
            seen.append(head + (await reader.readexactly(length[0]) if length else b""))
            answer = answers.pop(0)
            if not answer:
                break
            writer.write(answer)
            await writer.drain()
        writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    return server, server.sockets[0].getsockname()[1]


def test_the_fleet_drivers_client_reads_answers_keeps_alive_and_retries_a_closed_connection():
    from benchmarks.fleet_http import Connection, ReadError

    async def scenario() -> None:
        chunked = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\n[1,\r\n2\r\n2]\r\n0\r\n\r\n"
        answers = [b'HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n{"more":1}\n', chunked, b""]
        answers += [b"HTTP/1.1 401 Unauthorized\r\ncontent-length: 2\r\n\r\n{}"]
        seen: list[bytes] = []
        server, port = await _answering(answers, seen)
        async with server:
            http = Connection("127.0.0.1", port)
            first = await http.request("GET", "/v1/changes?since=0", {"Authorization": "Bearer t"})
            assert (first.status_code, first.json()) == (200, {"more": 1})
            assert (await http.request("POST", "/v1/push", None, {"ops": []})).json() == [1, 2]
            # The server closes the kept-alive connection without answering: sent again, once.
            again = await http.request("GET", "/healthz")
            assert again.status_code == 401 and http.retried == 1
            http.close()
            assert await _refused(port, server)  # nothing listening: a ConnectError
        assert (
            seen[0].startswith(b"GET /v1/changes?since=0 HTTP/1.1\r\n")
            and b"Authorization: Bearer t" in seen[0]
        )
        assert seen[1].endswith(b'{"ops":[]}') and b"Content-Length: 10" in seen[1]
        assert [s.split(b" ")[1] for s in seen[2:]] == [b"/healthz", b"/healthz"]

    async def _refused(port: int, server: asyncio.Server) -> bool:
        server.close()
        await server.wait_closed()
        try:
            await Connection("127.0.0.1", port).request("GET", "/healthz")
        except ReadError:
            return False
        except Exception as exc:
            return type(exc).__name__ == "ConnectError"
        return False

    asyncio.run(scenario())
