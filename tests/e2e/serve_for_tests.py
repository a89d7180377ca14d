"""``python -m tests.e2e.serve_for_tests DATABASE_URL PORT``: the central store in its own process,
with the tests' cheap password hashing, so a test can kill -9 it."""

from __future__ import annotations

import sys

import uvicorn

from navigator_server.app import create_app
from tests.server.helpers import make_settings

if __name__ == "__main__":
    url, port = sys.argv[1], int(sys.argv[2])
    uvicorn.run(create_app(make_settings(url)), host="127.0.0.1", port=port, log_level="warning")
