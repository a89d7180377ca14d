"""Commands for IT staff preparing and supporting laptops (no Qt is imported here).

Passphrases and passwords are never taken from the command line (they would sit in the shell's
history and in every process listing): they are read from the terminal without echo, or one per
line from standard input when it is piped.
"""

from __future__ import annotations

import argparse
import gc
import getpass
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from navigator_desktop.session import Session
from navigator_desktop.store.search.index import index_of
from navigator_desktop.sync import enrolment
from navigator_desktop.sync.engine import PAGE_SIZE, Direct, SyncEngine
from navigator_desktop.sync.errors import SyncError
from navigator_desktop.sync.pages import MAX_ITEMS
from navigator_desktop.vault import KdfParams, VaultError
from navigator_desktop.vault.errors import NoRecoveryKey

COMMANDS = ("init", "enrol", "sync", "check", "passphrase", "recover", "rescue")
# Tests make vaults with tiny key-derivation settings; the app never does.
TEST_KDF_ENV = "NAVIGATOR_TEST_KDF"
# The records' page cache for these commands: half the app's, which keeps screens quick; a sync
# from the command line runs as fast with it (measured on a team's initial sync) in less memory.
CLI_CACHE_MIB = 32
# What "removed N" after a sync means (sync/apply.py: items the store sent as access "none").
REMOVED = (
    "  (records this user may no longer hold, such as a client moved off their caseload or "
    "discharged, or a resolved risk flag: taken off this laptop; the central store keeps them)"
)
SYNC_DESCRIPTION = """\
Run one sync: send what this laptop wrote, then receive what changed. Reads
the vault passphrase (from the terminal, or one line of piped standard input).
Prints one line each:
  pushed     changes sent and accepted by the central store
  pulled     records received from the central store
  conflicts  edits that clashed with someone else's, kept for review in the app
  removed    records this user may no longer hold, taken off this laptop
  rejected   changes the central store refused (each reason follows)
  seconds    how long it took"""
ENROL_DESCRIPTION = """\
Connect this laptop's vault to the organisation's central store (the app's
"Connect to your organisation" does the same). The address, the username and
the one-time code from `navigator-server enrol` are options; the two secrets
are read, never taken as options, in this order:

  1. the vault passphrase (the one chosen at `navigator-desktop init`);
  2. the password of --user on the central store.

From a terminal each is asked for without echo. When standard input is piped,
each is one line, in that order: printf '%s\\n%s\\n' "$PASSPHRASE" "$PASSWORD" |
navigator-desktop enrol ...

A refusal (server unreachable, certificate not trusted, code expired or used,
wrong username or password, account disabled) is said in one sentence with
what to do next, and the exit status is 1."""


class Secrets:
    """Reads secrets in order: from the terminal (no echo) or, when piped, one per line."""

    def __init__(self, stream: TextIO | None = None, prompt: Callable[[str], str] = getpass.getpass):
        self.stream = stream if stream is not None else sys.stdin
        self.prompt = prompt

    def read(self, label: str) -> str:
        if self.stream.isatty():
            return self.prompt(f"{label}: ")
        line = self.stream.readline()
        if not line:
            raise CliError(f"{label} was expected on standard input")
        return line.rstrip("\r\n")


class CliError(Exception):
    pass


def kdf() -> KdfParams:
    return KdfParams.for_tests() if os.environ.get(TEST_KDF_ENV) == "1" else KdfParams.DEFAULT


def add_commands(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    init = sub.add_parser("init", help="create a vault (reads the new passphrase twice)")
    init.add_argument("--demo", action="store_true", help="fill it with synthetic demo records")
    enrol = sub.add_parser(
        "enrol",
        help="enrol with a central store (reads the vault passphrase, then the user's password)",
        description=ENROL_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    enrol.add_argument("--server", required=True, help="the central store's https:// address")
    enrol.add_argument("--code", required=True, help="the one-time enrolment code from IT")
    enrol.add_argument("--user", required=True, help="the username of the person this laptop is for")
    enrol.add_argument("--device-name", default="", help="a name for this laptop (default: its host name)")
    sub.add_parser(
        "sync",
        help="run one sync and print what moved (reads the passphrase)",
        description=SYNC_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub.add_parser("check", help="check the vault's integrity and print counts per record kind")
    sub.add_parser(
        "passphrase", help="change the vault passphrase (reads the current one, then the new one twice)"
    )
    sub.add_parser(
        "recover",
        help="set a new passphrase with the recovery key (reads the key, then the new passphrase twice)",
    )
    rescue = sub.add_parser(
        "rescue",
        help="save what a damaged vault has not sent to an encrypted rescue file, or --read one "
        "(reads the passphrase; the vault is only read)",
    )
    rescue.add_argument("--read", type=Path, default=None, help="print this rescue file's content")
    for command in sub.choices.values():
        command.add_argument("--data-dir", type=Path, required=True, help="the vault's folder")
        command.add_argument("--ca-bundle", type=Path, default=None, help=argparse.SUPPRESS)


def run(args: argparse.Namespace, secrets: Secrets | None = None, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    secrets = secrets or Secrets()
    data_dir = Path(args.data_dir).expanduser().resolve()
    session = Session(data_dir, kdf(), cache_mib=CLI_CACHE_MIB)
    try:
        handler: Callable[[Session, argparse.Namespace, Secrets, TextIO], int] = _HANDLERS[args.command]
        return handler(session, args, secrets, out)
    except (CliError, SyncError, VaultError) as exc:
        print(f"navigator-desktop {args.command}: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    finally:
        session.lock()


def _passphrase(session: Session, secrets: Secrets) -> str:
    if not session.vault.exists():
        raise CliError(f"there is no vault in {session.data_dir}; run `navigator-desktop init` first")
    return secrets.read("Vault passphrase")


def _unlock(session: Session, secrets: Secrets) -> None:
    session.unlock(_passphrase(session, secrets))


def cmd_init(session: Session, args: argparse.Namespace, secrets: Secrets, out: TextIO) -> int:
    if session.vault.exists() and not session.vault.is_wiped():
        raise CliError(f"a vault exists already in {session.data_dir}; it was left as it was")
    if args.demo:
        from navigator_desktop import demo

        demo.ensure_demo_vault(session)
        print(f"Demo vault created in {session.data_dir} (passphrase: {demo.DEMO_PASSPHRASE!r}).", file=out)
        return 0
    first = secrets.read("New vault passphrase")
    if secrets.read("Repeat the passphrase") != first:
        raise CliError("the two passphrases differ; nothing was created")
    session.create(first, recovery_key=False)
    print(f"Vault created in {session.data_dir}.", file=out)
    return 0


def _engine(session: Session, args: argparse.Namespace) -> SyncEngine:
    from navigator_desktop.sync.transport import Transport
    from navigator_desktop.sync.wipe import wipe_session

    ca = args.ca_bundle
    return SyncEngine(
        Direct(session),
        lambda url, token: Transport(url, token, ca_bundle=ca),
        push_batch=int(os.environ.get("NAVIGATOR_SYNC_BATCH", "500")),
        page_size=int(os.environ.get("NAVIGATOR_SYNC_PAGE", str(PAGE_SIZE))),
        transaction_items=int(os.environ.get("NAVIGATOR_SYNC_TRANSACTION", str(MAX_ITEMS))),
        wipe=lambda: wipe_session(session),
    )


def cmd_enrol(session: Session, args: argparse.Namespace, secrets: Secrets, out: TextIO) -> int:
    _unlock(session, secrets)
    password = secrets.read(f"Password for {args.user}")
    try:
        user_id = _engine(session, args).enrol(args.server, args.user, args.code, password, args.device_name)
    except SyncError as exc:
        raise CliError(enrolment.explain(exc, args.server, args.user).sentence) from exc
    print(f"Enrolled with {args.server} as {args.user} (user {user_id}).", file=out)
    return 0


def cmd_sync(session: Session, args: argparse.Namespace, secrets: Secrets, out: TextIO) -> int:
    _unlock(session, secrets)
    # The cyclic collector waits until the sync is over: an initial sync holds pages of thousands
    # of records at a time, and every full collection in between walked them all (what a sync
    # frees, reference counting frees; the app's own collector runs between events instead).
    collecting = gc.isenabled()
    gc.disable()
    try:
        report = _engine(session, args).sync()
    finally:
        if collecting:
            gc.enable()
    print(
        f"pushed {report.pushed}\npulled {report.pulled}\nconflicts {report.conflicts}"
        f"\nremoved {report.forgotten}{REMOVED}"
        f"\nrejected {report.rejected}\nseconds {report.seconds:.2f}",
        file=out,
    )
    for reason in report.rejections[:20]:
        print(f"rejected: {reason}", file=out)
    return 0


def cmd_check(session: Session, args: argparse.Namespace, secrets: Secrets, out: TextIO) -> int:
    from navigator_desktop.check_report import check_read_only
    from navigator_desktop.store.search import check as search_check
    from navigator_desktop.store.search import writer as search_writer
    from navigator_desktop.vault import check_integrity

    # The records are looked at read-only first: a damaged file is reported, never written to.
    passphrase = _passphrase(session, secrets)
    check_read_only(session.vault, session.vault.data_key(passphrase), out)
    session.unlock(passphrase)
    db = session.db
    try:
        check_integrity(index_of(db).conn)
    except VaultError:
        # Everything in it comes from the records: it is made again at the next unlock.
        session.lock()
        session.vault.remove_search_index()
        print(
            f"{'search index':22} damaged: removed; it is made again from the records at the next unlock",
            file=out,
        )
        return 0
    indexed = search_writer.flush(db)
    repaired = search_check.repair(db)
    for kind in search_check.compare(db):
        print(
            f"{'search ' + kind.kind:22} {kind.indexed} of {kind.records} (checksum {kind.indexed_digest})",
            file=out,
        )
    if not repaired:
        print(f"{'search index':22} ok ({indexed} records brought up to date)", file=out)
        return 0
    for kind in repaired:
        print(
            f"{'search index':22} repaired {kind.kind}: {kind.missing} missing, {kind.stale} out of date, "
            f"{kind.extra} that should not be there ({len(kind.differing)} written again)",
            file=out,
        )
    return 0


def _new_passphrase(secrets: Secrets) -> str:
    first = secrets.read("New vault passphrase")
    if secrets.read("Repeat the new passphrase") != first:
        raise CliError("the two new passphrases differ; nothing was changed")
    return first


def _existing(session: Session) -> None:
    if not session.vault.exists():
        raise CliError(f"there is no vault in {session.data_dir}; run `navigator-desktop init` first")


def cmd_passphrase(session: Session, args: argparse.Namespace, secrets: Secrets, out: TextIO) -> int:
    """Rewraps the data key under a new passphrase; only the header is rewritten. A wrong current
    passphrase counts towards the slow-down and the organisation's wipe, as at the unlock screen."""
    _existing(session)
    current = secrets.read("Current vault passphrase")
    session.vault.change_passphrase(current, _new_passphrase(secrets))
    print("Passphrase changed. Only the key file was rewritten; the records are as they were.", file=out)
    return 0


def cmd_recover(session: Session, args: argparse.Namespace, secrets: Secrets, out: TextIO) -> int:
    """For a forgotten passphrase: the recovery key (not a command-line argument: it is as
    secret as the passphrase), then the new passphrase twice."""
    _existing(session)
    if not session.vault.has_recovery_key():
        raise CliError(str(NoRecoveryKey()))
    key = secrets.read("Recovery key")
    session.vault.change_passphrase_with_recovery_key(key, _new_passphrase(secrets))
    print("New passphrase set with the recovery key. The recovery key still works.", file=out)
    return 0


def cmd_rescue(session: Session, args: argparse.Namespace, secrets: Secrets, out: TextIO) -> int:
    """Reads the records only (a damaged vault stays as it is)."""
    import json

    from navigator_desktop import rescue

    key = session.vault.data_key(_passphrase(session, secrets))
    if args.read is not None:
        print(json.dumps(rescue.read(args.read, key), indent=2, default=str), file=out)
        return 0
    rescued = rescue.export(session.vault, key)
    print(
        f"Rescue file written: {rescued.path} ({rescued.changes} changes, {rescued.drafts} drafts)", file=out
    )
    return 0


_HANDLERS = {
    "init": cmd_init,
    "enrol": cmd_enrol,
    "sync": cmd_sync,
    "check": cmd_check,
    "passphrase": cmd_passphrase,
    "recover": cmd_recover,
    "rescue": cmd_rescue,
}
