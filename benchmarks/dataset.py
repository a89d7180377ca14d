"""The benchmark data set: one team's records in an encrypted vault and in plain SQLite.

Both databases get the same rows, in the same order, through the store's own bulk loader (the
path the sync apply and the demo use), so the only difference between them is encryption. They are
cached under ``benchmarks/.cache/<scale>-seed<seed>/`` with a ``dataset.json`` saying what is there;
a cache made by another version of this file or of the schema is rebuilt.
"""

from __future__ import annotations

import argparse
import fcntl
import hashlib
import itertools
import json
import shutil
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from navigator_core import timeutil
from navigator_core.demo import DemoTeam, Scale, generate
from navigator_desktop.session import store_for
from navigator_desktop.store import bulk, directory
from navigator_desktop.store.db import Database
from navigator_desktop.store.plain import open_plain
from navigator_desktop.vault import KdfParams, Vault
from navigator_desktop.vault import close as close_vault
from navigator_desktop.vault.migrations import LATEST_VERSION, MIGRATIONS, SEARCH_MIGRATIONS

DATASET_VERSION = 2  # 2: records' ids are version-7 UUIDs (navigator_core.demo.meta)
CACHE_ROOT = Path(__file__).resolve().parent / ".cache"
# Not a secret: it guards synthetic data, and the benchmark must unlock without asking.
PASSPHRASE = "benchmark vault for synthetic caseloads only"
SEED = 1
BATCH = 5_000


@dataclass(frozen=True)
class Dataset:
    scale: str
    directory: Path
    team_id: str
    demo_user_id: str
    busiest_client_id: str
    now: str
    counts: dict[str, int]
    build_seconds: float
    family_names: list[str]  # a few of the clients' names, for the search queries
    given_names: list[str]

    @property
    def vault_dir(self) -> Path:
        return self.directory / "vault"

    @property
    def plain_path(self) -> Path:
        return self.directory / "plain.db"

    @property
    def rows(self) -> int:
        return sum(self.counts.values())

    def vault(self) -> Vault:
        return Vault(self.vault_dir)

    def open_vault(self) -> Database:
        """The vault as the app opens it: the records and the search index's own file."""
        return store_for(self.vault().open_store(PASSPHRASE))[0]

    def open_plain(self) -> Database:
        return open_plain(self.plain_path)


def batches(
    rows: Iterable[tuple[str, dict[str, Any]]], size: int = BATCH
) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """Consecutive rows of one kind, at most `size` at a time."""
    for kind, group in itertools.groupby(rows, key=lambda pair: pair[0]):
        rows_of_kind = (row for _, row in group)
        while chunk := list(itertools.islice(rows_of_kind, size)):
            yield kind, chunk


def save_directory(db: Database, team: DemoTeam) -> None:
    with db.transaction():
        directory.save_team(db, team.team_id, team.team_name)
        directory.save_users(
            db,
            [
                {"id": u.id, "display_name": u.display_name, "role": u.role, "team_id": team.team_id}
                for u in team.users
            ],
        )


def load(
    scale_name: str, *, cache_root: Path = CACHE_ROOT, rebuild: bool = False, log: Any = print
) -> Dataset:
    """The cached data set for `scale_name`, built first if missing, stale or `rebuild`."""
    where = cache_root / f"{scale_name}-seed{SEED}"
    described = where / "dataset.json"
    cache_root.mkdir(parents=True, exist_ok=True)
    # One builder at a time: two benchmark runs must not build into the same folder at once.
    with (cache_root / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not rebuild and described.is_file():
            info = json.loads(described.read_text("utf-8"))
            if info.get("version") == DATASET_VERSION and info.get("schema") == schema_fingerprint():
                for extra in ("version", "schema", "built_at"):
                    info.pop(extra, None)
                return Dataset(**{**info, "directory": where})
        return build(scale_name, where, log=log)


def schema_fingerprint() -> str:
    """The schema's identity: a cache built under other migration text is stale even if the
    version number is the same (migrations change while they are unreleased)."""
    text = "\n".join(f"{m.version}:{m.sql}" for m in [*MIGRATIONS, *SEARCH_MIGRATIONS])
    return f"{LATEST_VERSION}-{hashlib.sha256(text.encode()).hexdigest()[:16]}"


def build(scale_name: str, where: Path, *, log: Any = print) -> Dataset:
    if where.exists():
        shutil.rmtree(where)
    where.mkdir(parents=True)
    log(f"building the {scale_name} data set in {where} (once; later runs reuse it)")
    started = time.perf_counter()
    team, rows = generate(Scale.named(scale_name), seed=SEED)
    vault, _ = Vault.create(where / "vault", PASSPHRASE, kdf=KdfParams.DEFAULT)
    encrypted, search = store_for(vault.open_store(PASSPHRASE))
    plain = open_plain(where / "plain.db")
    counts: Counter[str] = Counter()
    family: list[str] = []
    given: list[str] = []
    try:
        for db in (encrypted, plain):
            save_directory(db, team)
        for kind, chunk in batches(rows):
            for db in (encrypted, plain):
                bulk.load(db, kind, chunk)
            before = sum(counts.values())
            counts[kind] += len(chunk)
            if kind == "client":
                family += [r["family_name"] for r in chunk[::97]]
                given += [r["given_name"] for r in chunk[::89]]
            if (before + len(chunk)) // 50_000 > before // 50_000:
                log(f"  {before + len(chunk):>9,} rows loaded ({time.perf_counter() - started:.0f} s)")
    finally:
        search.close()
        close_vault(encrypted.connection)
        plain.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        plain.close()
    dataset = Dataset(
        scale=scale_name,
        directory=where,
        team_id=team.team_id,
        demo_user_id=team.demo_user_id,
        busiest_client_id=team.busiest_client_id,
        now=team.now,
        counts=dict(counts),
        build_seconds=round(time.perf_counter() - started, 1),
        family_names=family[:12],
        given_names=given[:12],
    )
    info = asdict(dataset)
    info.pop("directory")
    info.update(version=DATASET_VERSION, schema=schema_fingerprint(), built_at=timeutil.now_text())
    (where / "dataset.json").write_text(json.dumps(info, indent=2), "utf-8")
    log(f"built {dataset.rows:,} rows into both databases in {dataset.build_seconds:.0f} s")
    return dataset


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options every benchmark on the cached data set takes (``python -m benchmarks`` passes
    the same ones to each)."""
    parser.add_argument("--scale", choices=("small", "caseload", "team"), default="team")
    parser.add_argument("--rebuild", action="store_true", help="build the cached data set afresh")
    parser.add_argument("--cache-dir", type=Path, default=None, help="where the data set is cached")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a figure misses its target")
