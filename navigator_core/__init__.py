"""Navigator's shared core: record kinds, validation, clocks and the sync wire format.

Pure Python. Imports neither Qt nor a database driver, so the desktop client and the
server can both depend on it.
"""

__version__ = "0.1.0"
