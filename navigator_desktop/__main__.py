"""`navigator-desktop`: start the app, or run one of the commands IT staff use to prepare laptops
(`init`, `enrol`, `sync`, `check`, `passphrase`, `recover`, `rescue`: see cli.py)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from navigator_core import __version__
from navigator_desktop import paths
from navigator_desktop.display import display_problem

COMMANDS = (
    "init",
    "enrol",
    "sync",
    "check",
    "passphrase",
    "recover",
    "rescue",
)  # cli.py; named here so the app's start imports no more
DESCRIPTION = (
    "Navigator: the caseload, contacts, risk flags and handover notes of a community forensic team, "
    "kept in an encrypted vault on this laptop and synced with the central store when online."
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="navigator-desktop",
        description=DESCRIPTION,
        epilog="IT commands: " + ", ".join(COMMANDS) + " (navigator-desktop COMMAND --help for each).",
    )
    parser.add_argument("--version", action="version", version=f"navigator-desktop {__version__}")
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help=f"where the vault and logs live (default: {paths.default_data_dir()})",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open a demo vault of synthetic clients, creating it in the data directory if none is there; "
        "the demo passphrase is shown on the unlock screen",
    )
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="start to the unlock (or first-run) screen, report it on standard output and quit: "
        "for checking an installed bundle",
    )
    return parser


def build_command_parser() -> argparse.ArgumentParser:
    from navigator_desktop import cli

    parser = argparse.ArgumentParser(prog="navigator-desktop", description="Commands for IT staff.")
    cli.add_commands(parser)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    given = list(sys.argv[1:] if argv is None else argv)
    if given and given[0] in COMMANDS:
        from navigator_desktop import cli

        return cli.run(build_command_parser().parse_args(given))
    args = build_parser().parse_args(given)
    data_dir: Path = (args.data_dir or paths.default_data_dir()).expanduser().resolve()
    problem = display_problem(os.environ)
    if problem:
        print(f"navigator-desktop: {problem}", file=sys.stderr)
        return 2
    from navigator_desktop.app import run  # Qt is imported only when there is a screen for it.

    return run(data_dir, demo=args.demo, self_test=args.self_test)


if __name__ == "__main__":
    sys.exit(main())
