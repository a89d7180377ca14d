"""``navigator-server``: serve the API and administer users and devices from a shell.

Passwords are read from the terminal (asked twice), or from standard input when it is piped;
never from the command line, where other users and shell history would see them.
"""

from __future__ import annotations

import argparse
import getpass
import ipaddress
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import sqlalchemy as sa

from navigator_core.policy import Role
from navigator_server import accounts, database_check, logs, migrate
from navigator_server.db import Database
from navigator_server.security import Passwords
from navigator_server.settings import Settings

LOOPBACK_NAMES = {"localhost"}


class CliError(Exception):
    """A problem the administrator can act on: printed as one line, exit status 1."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="navigator-server", description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", help="where the default SQLite database lives (NAVIGATOR_DATA_DIR)")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the HTTP API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8443)
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument("--certfile", help="TLS certificate (PEM)")
    serve.add_argument("--keyfile", help="TLS private key (PEM)")
    sub.add_parser("migrate", help="bring the database schema up to date")
    team = sub.add_parser("create-team", help="add a team")
    team.add_argument("name")
    user = sub.add_parser("create-user", help="add a user; the password is read from the terminal or stdin")
    user.add_argument("username")
    user.add_argument("--team", required=True, help="the team's name")
    user.add_argument("--role", required=True, choices=[r.value for r in Role])
    user.add_argument("--display-name", default="")
    enrol = sub.add_parser("enrol", help="print a one-time, expiring enrolment code for a user's new laptop")
    enrol.add_argument("username")
    sub.add_parser("list-devices", help="list enrolled devices")
    revoke = sub.add_parser("revoke-device", help="refuse a device from now on and tell it to wipe itself")
    revoke.add_argument("device_id")
    sub.add_parser("sweep-overdue", help="mark visits past their expected end and grace as overdue, now")
    contact = sub.add_parser("set-contact", help="set where lone-working alerts reach a user")
    contact.add_argument("username")
    contact.add_argument("--email", default="")
    contact.add_argument("--mobile", default="")
    contact.add_argument(
        "--channels", default="", help="in order, e.g. sms,email (also notify_email, webhook)"
    )
    notify = sub.add_parser("notify-test", help="send a test alert to a user through each channel and report")
    notify.add_argument("--user", required=True)
    sar = sub.add_parser("subject-access", help="write everything the store holds about one client as a .zip")
    sar.add_argument("--client-id", required=True)
    sar.add_argument("--out", required=True, help="the archive to write (.zip)")
    sar.add_argument("--requested-by", default="", help="who runs it, for the audit log (default: login)")
    demo = sub.add_parser("seed-demo", help="create a demo team, users of every role and a demo caseload")
    demo.add_argument("--scale", default="small", choices=["small", "caseload", "team"])
    demo.add_argument("--seed", type=int, default=1)
    return parser


def read_password(prompt: str = "Password: ") -> str:
    if sys.stdin.isatty():
        first = getpass.getpass(prompt)
        if getpass.getpass("Again: ") != first:
            raise CliError("the two passwords differ")
        return first
    line = sys.stdin.readline()
    if not line:
        raise CliError("no password on standard input")
    return line.rstrip("\r\n")


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    tls = bool(args.certfile or args.keyfile)
    if tls and not (args.certfile and args.keyfile):
        raise CliError("--certfile and --keyfile go together")
    if not tls and not is_loopback(args.host) and not settings.allow_insecure_http:
        raise CliError(
            f"refusing plain HTTP on {args.host}: give --certfile and --keyfile, bind to 127.0.0.1 behind "
            "a TLS proxy, or set NAVIGATOR_ALLOW_INSECURE_HTTP=1 if a proxy on another host terminates TLS"
        )
    db = Database(settings)
    if not migrate.is_current(db):
        if not db.is_sqlite:
            raise CliError("the database schema is not up to date: run `navigator-server migrate` first")
        migrate.upgrade(db)
    db.dispose()
    if tls:
        os.environ["NAVIGATOR_SERVE_TLS"] = "1"
    uvicorn.run(
        "navigator_server.app:app_from_environment",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        ssl_certfile=args.certfile,
        ssl_keyfile=args.keyfile,
        log_config=logs.uvicorn_log_config(settings.log_level.upper()),
        server_header=False,
        proxy_headers=True,
    )
    return 0


def _with_db(settings: Settings) -> Database:
    db = Database(settings)
    if not migrate.is_current(db):
        if db.is_sqlite:
            migrate.upgrade(db)
        else:
            raise CliError("the database schema is not up to date: run `navigator-server migrate` first")
    return db


def _subject_access(db: Database, args: argparse.Namespace) -> int:
    from navigator_server import subject_access

    who = args.requested_by or getpass.getuser()
    try:
        with db.write() as conn:
            manifest = subject_access.export(conn, args.client_id, Path(args.out), made_by=who)
    finally:
        db.dispose()
    versions = manifest["counts"]["revisions.json"]
    print(f"wrote {args.out}: {manifest['total_records']} records, {versions} versions")
    return 0


def run(args: argparse.Namespace, settings: Settings) -> int:
    database_check.require_existing(settings, args.command)
    if args.command == "serve":
        return serve(args, settings)
    if args.command == "migrate":
        db = Database(settings)
        migrate.upgrade(db)
        print(f"schema at revision {migrate.current_revision(db)}")
        return 0
    if args.command == "seed-demo":
        from navigator_server.seed import seed_demo

        db = _with_db(settings)
        password = read_password("Password for every demo user: ")
        print(seed_demo(db, Passwords(settings), settings, password, scale=args.scale, seed=args.seed))
        return 0
    db = _with_db(settings)
    if args.command == "sweep-overdue":
        from navigator_server import overdue
        from navigator_server.escalation import chain

        with db.write() as conn:
            marked = overdue.sweep(conn, settings.overdue_grace_minutes, on_marked=chain.on_marked(settings))
        print(f"marked {len(marked)} visit(s) overdue")
        return 0
    if args.command == "subject-access":
        return _subject_access(db, args)
    if args.command == "notify-test":
        from navigator_server.escalation import notify_test

        with db.read() as conn:
            results = notify_test.run(conn, settings, args.user)
        for name, result in results:
            print(f"{name:14} {result}")
        return 0 if any(r == "accepted" for _n, r in results) else 1
    with db.write() as conn:
        if args.command == "create-team":
            print(accounts.create_team(conn, args.name))
        elif args.command == "create-user":
            team_id = accounts.team_id_by_name(conn, args.team)
            password = read_password()
            user_id = accounts.create_user(
                conn,
                Passwords(settings),
                settings,
                username=args.username,
                team_id=team_id,
                role=Role.parse(args.role),
                password=password,
                display_name=args.display_name,
            )
            print(user_id)
        elif args.command == "enrol":
            user = accounts.user_by_name(conn, args.username)
            if user is None:
                raise CliError("no such user")
            code, expires = accounts.issue_enrolment_code(conn, settings, user.id)
            print(f"Enrolment code for {args.username}: {code}")
            print(f"Valid once, until {expires} (UTC). Enter it with the user's password on the new laptop.")
        elif args.command == "list-devices":
            print(f"{'DEVICE':36}  {'USER':20}  {'NAME':20}  {'ENROLLED':24}  {'LAST SEEN':24}  STATUS")
            for d in accounts.list_devices(conn):
                status = "revoked" if d["revoked_at"] else "active"
                print(
                    f"{d['id']:36}  {d['username']:20.20}  {d['name']:20.20}  {d['created_at']:24}  "
                    f"{d['last_seen_at'] or '-':24}  {status}"
                )
        elif args.command == "set-contact":
            from navigator_server.escalation import contacts

            user = accounts.user_by_name(conn, args.username)
            if user is None:
                raise CliError("no such user")
            found = contacts.set_contact(
                conn, user.id, email=args.email, mobile=args.mobile, channels=args.channels or None
            )
            print(f"alerts reach {args.username} by {', '.join(found.channels)}")
        elif args.command == "revoke-device":
            accounts.revoke_device(conn, args.device_id)
            print(f"revoked {args.device_id}: its next sync is refused and told to wipe")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.data_dir:
        os.environ["NAVIGATOR_DATA_DIR"] = args.data_dir  # so uvicorn's workers see it too
    try:
        settings = Settings()
        logs.configure(settings.log_level.upper())
        return run(args, settings)
    except (CliError, accounts.AccountError, ValueError) as exc:
        print(f"navigator-server: {exc}", file=sys.stderr)
        return 1
    except sa.exc.OperationalError:
        print("navigator-server: cannot reach the database; check NAVIGATOR_DATABASE_URL", file=sys.stderr)
        return 1
