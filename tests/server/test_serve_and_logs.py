"""The real thing: `navigator-server` commands in subprocesses and `serve` under uvicorn with two
worker processes sharing one PostgreSQL. The same run pushes canary names, NHS numbers and note
text through every path (stored, rejected, refused, oversized) and then scans the server's log:
no canary may appear in it."""

from __future__ import annotations

import os
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from navigator_core import timeutil
from navigator_core.fields import new_id
from navigator_core.hlc import HybridClock
from navigator_core.ops import FieldChange, Operation, OpType
from navigator_server.cli import is_loopback
from tests.server.helpers import client_values, contact_entry

CANARIES = {
    "given": "Zebediah",
    "family": "Quarrington-Canary",
    "nhs": "9434765919",
    "note": "CANARYNOTE tangerine lighthouse",
    "reason": "CANARYREASON police welfare check",
    "password": "CANARY-password-42",
}
EXE = [sys.executable, "-m", "navigator_server"]


def run_cli(env: dict[str, str], *args: str, stdin: str = "") -> str:
    done = subprocess.run([*EXE, *args], input=stdin, capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture
def server_env(pg_url: str, pg_db: object, tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NAVIGATOR_")}
    env.update(
        NAVIGATOR_DATABASE_URL=pg_url,
        NAVIGATOR_ARGON2_MEMORY_KIB="64",
        NAVIGATOR_ARGON2_TIME_COST="1",
        NAVIGATOR_LOG_LEVEL="DEBUG",
        NAVIGATOR_MAX_BODY_BYTES="65536",
        NAVIGATOR_DATA_DIR=str(tmp_path),
    )
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(server_env: dict[str, str], tmp_path: Path) -> Iterator[tuple[str, Path]]:
    port = free_port()
    log_path = tmp_path / "server.log"
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            [*EXE, "serve", "--port", str(port), "--workers", "2"],
            env=server_env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert proc.poll() is None, log_path.read_text()
            assert time.monotonic() < deadline, "the server did not come up"
            time.sleep(0.2)
        yield base, log_path
    finally:
        proc.terminate()
        proc.wait(15)


def test_plain_http_is_refused_off_loopback(server_env: dict[str, str]) -> None:
    done = subprocess.run(
        [*EXE, "serve", "--host", "0.0.0.0", "--port", str(free_port())],
        env=server_env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1 and "refusing plain HTTP" in done.stderr
    assert is_loopback("::1") and is_loopback("localhost") and not is_loopback("10.0.0.1")


@pytest.mark.slow
def test_a_real_server_round_trip_leaves_no_canary_in_its_log(
    server: tuple[str, Path], server_env: dict[str, str]
) -> None:
    base, log_path = server
    env = server_env
    run_cli(env, "create-team", "North")
    run_cli(
        env,
        "create-user",
        "nina",
        "--team",
        "North",
        "--role",
        "navigator",
        stdin=CANARIES["password"] + "\n",
    )
    code = run_cli(env, "enrol", "nina").split(": ")[1].split()[0]
    api = httpx.Client(base_url=base, timeout=30)
    wrong = api.post(
        "/v1/enrol", json={"username": "nina", "code": code, "password": CANARIES["password"] + "x"}
    )
    assert wrong.status_code == 401
    enrolled = api.post(
        "/v1/enrol", json={"username": "nina", "code": code, "password": CANARIES["password"]}
    )
    assert enrolled.status_code == 200, enrolled.text
    me = enrolled.json()
    headers = {"Authorization": f"Bearer {me['token']}"}
    clock = HybridClock(me["device_id"])

    def op(kind: str, kind_op: OpType, record_id: str, **body: object) -> dict[str, object]:
        return Operation(
            new_id(),
            kind,
            record_id,
            kind_op,
            clock.now(),
            me["user_id"],
            me["device_id"],
            timeutil.now_text(),
            **body,
        ).to_wire()  # type: ignore[arg-type]

    client_id = new_id()
    values = client_values(
        me["team_id"],
        me["user_id"],
        given_name=CANARIES["given"],
        family_name=CANARIES["family"],
        nhs_number=CANARIES["nhs"],
    )
    create = op(
        "client",
        OpType.CREATE,
        client_id,
        changes={k: FieldChange(v, clock.now()) for k, v in values.items()},
    )
    contact = op("contact", OpType.APPEND, new_id(), entry=contact_entry(client_id, CANARIES["note"]))
    bad_tag = op(
        "contact",
        OpType.APPEND,
        new_id(),
        entry={**contact_entry(client_id, CANARIES["note"]), "pathways": [CANARIES["given"]]},
    )
    bad_kind = {**contact, "kind": CANARIES["family"]}
    pushed = api.post("/v1/push", headers=headers, json={"ops": [create, contact, bad_tag, bad_kind]})
    assert [r["status"] for r in pushed.json()["results"]] == ["applied", "applied", "rejected", "rejected"]
    pulled = api.get("/v1/changes", headers=headers).json()
    assert any(i["data"].get("given_name") == CANARIES["given"] for i in pulled["changes"] if "data" in i)
    glass = api.post(
        "/v1/break-glass", headers=headers, json={"client_id": client_id, "reason": CANARIES["reason"]}
    )
    assert glass.status_code == 200
    big = api.post("/v1/push", headers=headers, content=(CANARIES["note"] * 5000).encode())
    assert big.status_code == 413
    broken = api.post(
        "/v1/push",
        headers={**headers, "Content-Type": "application/json"},
        content=b'{"ops": [' + CANARIES["note"].encode(),
    )
    assert broken.status_code == 422
    # The two worker processes share the database: every request sees the same state.
    for _ in range(6):
        assert api.get("/v1/changes", headers=headers).json()["cursor"] == pulled["cursor"]
    api.close()

    run_cli(env, "revoke-device", me["device_id"])
    assert me["device_id"] in run_cli(env, "list-devices")
    refused = httpx.get(f"{base}/v1/changes", headers=headers, timeout=10)
    assert refused.status_code == 403 and refused.json()["wipe"] is True

    time.sleep(0.5)  # let the workers flush their log lines
    log_text = log_path.read_text()
    assert "POST /v1/push" in log_text  # the log is really being written
    leaked = [name for name, canary in CANARIES.items() if canary in log_text]
    assert not leaked, f"canaries in the server log: {leaked}"


def _self_signed(tmp_path: Path) -> tuple[Path, Path]:
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .sign(key, hashes.SHA256())
    )
    certfile, keyfile = tmp_path / "cert.pem", tmp_path / "key.pem"
    certfile.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    keyfile.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return certfile, keyfile


@pytest.mark.slow
def test_serve_speaks_tls_when_given_a_certificate(tmp_path: Path) -> None:
    certfile, keyfile = _self_signed(tmp_path)
    env = {k: v for k, v in os.environ.items() if not k.startswith("NAVIGATOR_")}
    env["NAVIGATOR_DATA_DIR"] = str(tmp_path / "data")
    port = free_port()
    proc = subprocess.Popen(
        [*EXE, "serve", "--port", str(port), "--certfile", str(certfile), "--keyfile", str(keyfile)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                trust = ssl.create_default_context(cafile=str(certfile))
                response = httpx.get(f"https://localhost:{port}/healthz", verify=trust, timeout=1)
                break
            except httpx.TransportError:
                assert proc.poll() is None and time.monotonic() < deadline, "the TLS server did not come up"
                time.sleep(0.2)
        assert response.status_code == 200
        assert response.headers["strict-transport-security"].startswith("max-age=")
        with pytest.raises(httpx.TransportError):
            httpx.get(f"http://localhost:{port}/healthz", timeout=2)
    finally:
        proc.terminate()
        proc.wait(15)
