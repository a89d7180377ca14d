"""Entry point of the frozen app: exactly what the `navigator-desktop` console script runs."""

import sys

from navigator_desktop.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
