"""How fresh this laptop's copy of a record is, in words that only ever state a refresh that
happened: a demo vault says it is demo data, a laptop that never synced says "never refreshed"
(whatever time its records were loaded), and a record made here and not yet sent says so. Used on
screen (the client header, the on-call summary) and on every document (the crisis sheet)."""

from __future__ import annotations

from dataclasses import dataclass

from navigator_core import dates, timeutil
from navigator_desktop.store import settings
from navigator_desktop.store.db import Database

DEMO = "Demo data: made up for the demo on this laptop, never refreshed from a central store."
NEVER = "Never refreshed from the central store: this laptop has not synced with it yet."
LOCAL_ONLY = "Not yet sent to the central store: made or changed on this laptop only."


@dataclass(frozen=True)
class Source:
    """Where this laptop's records came from: the last sync (None: never), and whether it is the demo."""

    last_sync_at: str | None = None
    demo: bool = False

    def words(self, refreshed_at: str | None) -> str:
        """One record's freshness (record_words)."""
        return record_words(refreshed_at, self)


def read(db: Database) -> Source:
    return Source(settings.get(db, settings.LAST_SYNC_AT), settings.get(db, settings.DEMO_DATA) == "1")


def record_words(refreshed_at: str | None, source: Source) -> str:
    """One record's freshness: "Last refreshed from the central store: 3 Dec 09:14" only when
    this laptop has synced and the record came from it."""
    if source.demo:
        return DEMO
    if not source.last_sync_at:
        return NEVER
    if refreshed_at:
        return f"Last refreshed from the central store: {dates.day_and_time(timeutil.parse(refreshed_at))}."
    return LOCAL_ONLY
