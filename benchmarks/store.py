"""``python -m benchmarks.store``: the store benchmark alone (see store_bench.py)."""

from __future__ import annotations

import sys

from benchmarks.store_bench import main

if __name__ == "__main__":
    sys.exit(main())
