"""Entry point of the frozen app: exactly what the `navigator-desktop` console script runs."""

import multiprocessing
import sys

from navigator_desktop.__main__ import main

if __name__ == "__main__":
    # The search indexer is a process of this same executable (multiprocessing's spawn): in a
    # frozen app that start goes through here and must not start the app.
    multiprocessing.freeze_support()
    sys.exit(main())
