"""``navigator-server``: the central store's command line."""

from __future__ import annotations

from navigator_server.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
