"""Live sync: a laptop holds one long-poll (``GET /v1/changes/wait``) that the store answers as soon
as its team's feed moves, and a locked on-call laptop keeps a narrow watch (``GET /v1/watch``).

- ``announce``: the write path's half. A transaction that handed out feed numbers sends, on
  PostgreSQL, ``NOTIFY navigator_feed, '<team>:<seq>'`` inside itself, so it fires on commit.
- ``notifier``: each server process's half. One asyncio task per process: on PostgreSQL one
  ``LISTEN navigator_feed`` connection; on SQLite (the embedded default) a cheap poll of the feed
  counter. Waiting requests are coroutines parked on a per-team ``asyncio.Event``, never threads.
- ``watch``: short-lived watch tokens and the counts they may read.
"""
