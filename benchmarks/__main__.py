"""``python -m benchmarks [--scale small|caseload|team] [--rebuild] [--strict]``: every benchmark."""

from __future__ import annotations

import sys

from benchmarks import store_bench


def main(argv: list[str] | None = None) -> int:
    # One benchmark so far; each new one adds its run() here with the same arguments.
    return store_bench.main(argv)


if __name__ == "__main__":
    sys.exit(main())
