"""Nothing a navigator writes is readable on disk: not in the database, its WAL or SHM, the key
header, the logs, or any temp file SQLite or Python makes while the vault is in use."""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path

import pytest

from navigator_core import timeutil
from navigator_desktop import logs, paths
from navigator_desktop.session import Session
from navigator_desktop.store import audit, clients, contacts, drafts, handover, risk, search, settings
from navigator_desktop.store.context import make_actor
from navigator_desktop.vault import KdfParams

PASSPHRASE = "kettle harbour lantern morning"
TEAM = "77777777-7777-4777-8777-777777777777"
USER = "11111111-1111-4111-8111-111111111111"
# Distinct canaries per field, so a failure says which kind of content leaked.
CANARIES = {
    "name": "Zephyrine",
    "family": "Quillfeather",
    "nhs": "9990001006",  # 999 test range, valid check digit
    "narrative": "canary-narrative-marmalade-lighthouse",
    "handover": "canary-handover-porcupine-saxophone",
    "risk": "canary-risk-description-tangerine",
    "draft": "canary-draft-unfinished-walrus",
    "token": "canary-device-token-6b1d",
}


def encodings(text: str) -> list[bytes]:
    return [text.encode("utf-8"), text.encode("utf-16-le")]


def scan(root: Path) -> list[str]:
    """Every leak under `root`: a canary in any file, or a file that is a plain SQLite database."""
    found = []
    for path in root.rglob("*"):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if data.startswith(b"SQLite format 3"):
            found.append(f"{path.name} is an unencrypted SQLite file")
        for label, text in CANARIES.items():
            if any(needle in data for needle in encodings(text)):
                found.append(f"{label} canary in {path.relative_to(root)}")
    return found


@pytest.fixture
def watched_temp(tmp_path, monkeypatch):
    """Point every temp directory Python and SQLite would use at one we can scan."""
    temp = tmp_path / "temp"
    temp.mkdir()
    for name in ("TMPDIR", "SQLITE_TMPDIR", "TEMP", "TMP"):
        monkeypatch.setenv(name, str(temp))
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    return temp


def test_no_canary_and_no_plain_database_anywhere_under_the_data_dir(tmp_path, watched_temp):
    data_dir = tmp_path / "data"
    session = Session(data_dir, KdfParams.for_tests())
    session.create(PASSPHRASE, recovery_key=True)
    log_file = logs.configure(paths.log_dir(data_dir), level=logging.DEBUG)
    db = session.db
    with db.transaction():
        settings.put(db, settings.CURRENT_USER, USER)
        settings.put(db, settings.DEVICE_TOKEN, CANARIES["token"])
    actor = make_actor(USER, settings.get(db, settings.DEVICE_ID) or "device-1")
    client = clients.create(
        db,
        actor,
        {
            "given_name": CANARIES["name"],
            "family_name": CANARIES["family"],
            "date_of_birth": "1980-05-05",
            "nhs_number": CANARIES["nhs"],
            "team_id": TEAM,
            "key_worker_id": USER,
            "status": "active",
        },
    ).record_id
    for n in range(300):  # enough to spill pages, grow the WAL and the search index
        contacts.add(
            db,
            actor,
            {
                "client_id": client,
                "occurred_at": timeutil.now_text(),
                "contact_type": "home_visit",
                "narrative": f"{CANARIES['narrative']} visit {n}",
            },
        )
    handover.write(
        db,
        actor,
        {
            "team_id": TEAM,
            "client_id": client,
            "text": CANARIES["handover"],
            "valid_from": timeutil.now_text(),
            "priority": "urgent",
            "audience": "on_call",
        },
    )
    risk.raise_flag(
        db,
        actor,
        {
            "client_id": client,
            "category": "environment",
            "severity": "high",
            "description": CANARIES["risk"],
            "raised_on": "2026-11-01",
            "review_date": "2027-01-01",
            "status": "active",
        },
    )
    drafts.save(db, "new-contact", {"narrative": CANARIES["draft"]}, user_id=USER)
    audit.record_view(db, actor, client)
    assert search.search(db, CANARIES["family"][:6]), "the search index really holds the name"
    assert search.search(db, "marmalade")
    logging.getLogger("navigator.test").info("wrote records for client %s", client)

    open_leaks = scan(data_dir) + scan(watched_temp)
    assert (data_dir / "navigator.db-wal").exists(), "the scan covered a live WAL"
    session.vault.check_integrity(db.connection)
    session.lock()
    closed_leaks = scan(data_dir) + scan(watched_temp)

    assert log_file.read_text(), "the log was written, so the scan covered it"
    assert open_leaks == [] and closed_leaks == []
    # The scan covered the search index's own file, which holds the names and the notes' words.
    assert {"logs", "navigator.db", "navigator.vault", "navigator-search.db"} <= {
        p.name for p in data_dir.iterdir()
    }


def test_the_scan_would_notice_a_leak(tmp_path):
    (tmp_path / "oops.txt").write_text(f"note: {CANARIES['narrative']}")
    (tmp_path / "plain.db").write_bytes(b"SQLite format 3\x00rest")
    assert len(scan(tmp_path)) == 2


def test_the_environment_points_temp_files_at_the_watched_dir(watched_temp):
    handle, name = tempfile.mkstemp()
    os.close(handle)
    assert Path(name).parent == watched_temp
