"""``python -m benchmarks [--scale small|caseload|team] [--rebuild] [--strict]``: every benchmark."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    # Imported here, not above: a process multiprocessing starts (the search indexer) runs this
    # module again first, and needs none of them.
    from benchmarks import escalation_bench, reports_bench, store_bench, sync_bench, ui_bench

    # Each benchmark takes the same arguments; the exit code is the worst of them.
    return max(
        store_bench.main(argv),
        sync_bench.main(argv),
        ui_bench.main(argv),
        reports_bench.main(argv),
        escalation_bench.main(argv),  # the quick measurement (sweep every 1 s)
    )


if __name__ == "__main__":
    sys.exit(main())
