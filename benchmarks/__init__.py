"""Benchmarks at team scale: each prints its figures beside their ceilings, the ratio and PASS/FAIL.

    .venv/bin/python -m benchmarks                 # everything, team scale (builds the cache once)
    .venv/bin/python -m benchmarks.store           # the store benchmark alone
    .venv/bin/python -m benchmarks --scale small   # a quick smoke run (seconds)

The data set is built from ``navigator_core.demo`` and cached under ``benchmarks/.cache/``
(an encrypted vault and a plain SQLite database with the same schema and rows), since making and
loading 430,000 rows takes a few minutes. ``--rebuild`` throws the cache away first.
"""
