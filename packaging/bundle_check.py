"""`navigator-bundle-check`: checks, inside a frozen bundle, that what the app loads at run time is there.

Built into the same folder as `navigator-desktop` by navigator-desktop.spec and run by
tests/packaging/test_bundle.py; IT staff can run it after installing a bundle. It prints one line
per check and exits 0 only when every check passed. It never opens or creates a vault.
"""

from __future__ import annotations

import importlib.resources
import importlib.util
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path


def _migrations() -> str:
    names = sorted(
        entry.name
        for entry in importlib.resources.files("navigator_desktop.vault.migrations").iterdir()
        if entry.name.endswith(".sql")
    )
    from navigator_desktop.vault.migrations import MIGRATIONS, SEARCH_MIGRATIONS

    every = [*MIGRATIONS, *SEARCH_MIGRATIONS]
    if not names or len(names) != len(every) or not all(m.sql.strip() for m in every):
        raise RuntimeError(f"migration files {names} do not match {len(every)} migrations")
    return f"{len(names)} migration files: {', '.join(names)}"


def _passphrases() -> str:
    from navigator_desktop.vault import passphrase

    if passphrase.TOO_COMMON not in passphrase.weaknesses("password123"):
        raise RuntimeError("zxcvbn's frequency lists did not reject 'password123'")
    return "zxcvbn refuses 'password123' as a common password"


def _sqlcipher() -> str:
    import sqlcipher3

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "check.db"
        db = sqlcipher3.connect(str(path))
        try:
            db.execute("PRAGMA key = 'bundle-check'")
            version = db.execute("PRAGMA cipher_version").fetchone()
            db.execute("CREATE VIRTUAL TABLE t USING fts5(x)")  # the search index needs FTS5
            db.execute("INSERT INTO t VALUES ('encrypted')")
            db.commit()
        finally:
            db.close()
        if not version or b"encrypted" in path.read_bytes():
            raise RuntimeError("the database file is not encrypted")
    return f"sqlcipher {version[0]}, FTS5"


def _cryptography() -> str:
    import cryptography
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

    key = Argon2id(salt=b"0" * 16, length=32, iterations=1, lanes=1, memory_cost=8).derive(b"check")
    sealed = AESGCM(key).encrypt(b"0" * 12, b"plain", None)
    if AESGCM(key).decrypt(b"0" * 12, sealed, None) != b"plain":
        raise RuntimeError("AES-GCM round trip failed")
    return f"cryptography {cryptography.__version__}: Argon2id, AES-GCM"


def _qt_plugins() -> str:
    from PySide6.QtCore import QLibraryInfo

    plugins = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath))
    found = sorted(p.name for p in (plugins / "platforms").glob("libq*"))
    missing = (
        [name for name in ("libqxcb.so", "libqoffscreen.so") if name not in found]
        if sys.platform.startswith("linux")
        else []
    )
    if missing:
        raise RuntimeError(f"Qt platform plugins missing: {missing} (found {found})")
    return f"Qt platforms: {', '.join(found)}"


def _tls() -> str:
    """What the sync transport (navigator_desktop/sync/transport.py) needs to reach the central store."""
    import ssl

    import certifi
    import httpx

    try:
        import truststore

        truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        trust = "truststore (the system's CAs)"
    except ImportError:
        trust = "no truststore"
    cafile = Path(certifi.where())
    if not cafile.is_file() or b"BEGIN CERTIFICATE" not in cafile.read_bytes():
        raise RuntimeError(f"certifi's CA bundle is missing: {cafile}")
    return f"httpx {httpx.__version__}, {ssl.OPENSSL_VERSION}, {trust}, certifi CA bundle"


def demo_pools_digest() -> str:
    """A digest of the demo data's name pools; the test compares it with the venv's, which shows
    the Faker locales the spec leaves out are not ones the demo draws from."""
    import dataclasses
    import hashlib

    from navigator_core.demo import pools

    return hashlib.sha256(repr(dataclasses.astuple(pools.build(8))).encode()).hexdigest()[:16]


def _demo_data() -> str:
    return f"demo pools digest {demo_pools_digest()}"


def _no_server() -> str:
    bundled = [
        name
        for name in ("navigator_server", "fastapi", "uvicorn", "sqlalchemy", "psycopg", "alembic")
        if importlib.util.find_spec(name) is not None
    ]
    if bundled:
        raise RuntimeError(f"server-side packages are in the desktop bundle: {bundled}")
    return "no server-side packages"


def _indexer() -> str:
    """The search indexer runs as a process of the app's own executable (multiprocessing's spawn,
    which a frozen app must support): a batch too large to write on the spot goes through it."""
    import tempfile
    import uuid

    from navigator_desktop.store.search.index import INLINE_MAX, Entry
    from navigator_desktop.store.search.index import open_plain as open_plain_search

    with tempfile.TemporaryDirectory() as folder:
        index = open_plain_search(Path(folder) / "records.db")
        entries: list[Entry] = [
            ("contact", str(uuid.uuid4()), "search_text", f"note {i}", None) for i in range(INLINE_MAX)
        ]
        index.submit(1, entries)
        if not index.drain(60):
            raise RuntimeError("the indexer process did not write its batch")
        written = index.conn.execute("SELECT count(*) FROM search_docs").fetchone()[0]
        index.close()
    if written != len(entries):
        raise RuntimeError(f"the indexer process wrote {written} of {len(entries)} entries")
    return f"indexer process wrote {written} entries"


def _licences() -> str:
    """The third-party notices and Qt's licence (LGPL, which incorporates the GPL) must ship."""
    from navigator_desktop import licences

    sizes = {name: len(licences.text(name)) for name, _ in licences.FILES}
    if "Qt" not in licences.text(licences.NOTICES) or "LESSER GENERAL PUBLIC" not in licences.text(
        "LGPL-3.0.txt"
    ):
        raise RuntimeError("the third-party notices or the LGPL text are not the expected files")
    return ", ".join(f"{name} ({size} characters)" for name, size in sizes.items())


CHECKS: dict[str, Callable[[], str]] = {
    "migrations": _migrations,
    "passphrases": _passphrases,
    "sqlcipher": _sqlcipher,
    "cryptography": _cryptography,
    "qt-plugins": _qt_plugins,
    "tls": _tls,
    "demo-data": _demo_data,
    "no-server": _no_server,
    "indexer": _indexer,
    "licences": _licences,
}


def main() -> int:
    failed = 0
    for name, check in CHECKS.items():
        try:
            print(f"ok   {name}: {check()}", flush=True)
        except Exception as exc:  # report every check, then fail
            failed += 1
            print(f"FAIL {name}: {type(exc).__name__}: {exc}", flush=True)
    print(
        "navigator-bundle-check: " + ("all checks passed" if not failed else f"{failed} failed"), flush=True
    )
    return 1 if failed else 0


if __name__ == "__main__":
    import multiprocessing

    multiprocessing.freeze_support()  # the indexer check starts a process of this executable
    sys.exit(main())
