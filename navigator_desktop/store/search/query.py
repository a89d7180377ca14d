"""Search as you type over client names and the text of records (FTS5, migration 3).

The person's text is never passed to FTS5 as query syntax: it is cut into words (letters and
digits, as the index's tokenizer cuts them), each word is quoted, and the last word is matched as
a prefix while it is still being typed. So quotes, ``NEAR(``, ``*``, ``-`` or ``OR`` are searched
for as words (or ignored), never obeyed, and no input raises an error.

Names are searched first and ranked (there is one per client). Notes come next, newest first with
a limit and no ranking: ranking would score every match, which for a common word is most of the
index.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from navigator_desktop.store.db import Database, mapped_errors
from navigator_desktop.store.search.index import index_of
from navigator_desktop.store.search.writer import flush

# Snippets mark matched words with these characters, which cannot occur in typed text: the UI
# escapes the snippet for display, then turns them into emphasis.
HIGHLIGHT_START = "\x02"
HIGHLIGHT_END = "\x03"
ELLIPSIS = "…"
MAX_WORDS = 8
# A one-letter prefix over every note would gather most of the index; over names it is cheap.
MIN_NOTE_PREFIX = 2
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Hit:
    kind: str  # client, contact, handover_note, risk_flag, support_goal
    record_id: str
    client_id: str | None
    snippet: str


def build_query(text: str, *, min_prefix: int = 1) -> str | None:
    """An FTS5 query matching every word of `text`, the last as a prefix unless the person has
    finished it (typed a space or punctuation after it); None when there is nothing to search."""
    words = _WORD.findall(text)[:MAX_WORDS]
    if not words:
        return None
    terms = [f'"{word}"' for word in words]
    still_typing = bool(_WORD.fullmatch(text[-1:])) and len(_WORD.findall(text)) <= MAX_WORDS
    if still_typing and len(words[-1]) >= min_prefix:
        terms[-1] += " *"
    return " ".join(terms)


def search(db: Database, text: str, limit: int = 50) -> list[Hit]:
    """Clients whose names match, then the newest notes, risk descriptions and goals that match."""
    if limit <= 0:
        return []
    flush(db)
    hits = _names(db, text, limit)
    if len(hits) < limit:
        hits += _notes(db, text, limit - len(hits))
    return hits


def _names(db: Database, text: str, limit: int) -> list[Hit]:
    query = build_query(text, min_prefix=1)
    if query is None:
        return []
    rows = _index_rows(
        db,
        "SELECT kind, record_id, client_id, snippet(search_names, 0, ?, ?, ?, 8) "
        "FROM search_names WHERE search_names MATCH ? ORDER BY rank LIMIT ?",
        (HIGHLIGHT_START, HIGHLIGHT_END, ELLIPSIS, query, limit),
    )
    return [Hit(kind, record_id, client_id, snippet.strip()) for kind, record_id, client_id, snippet in rows]


def _notes(db: Database, text: str, limit: int) -> list[Hit]:
    query = build_query(text, min_prefix=MIN_NOTE_PREFIX)
    if query is None:
        return []
    # Newest first, a window at a time: entries entered in error or since corrected are left out,
    # as in the usual views (one indexed look-up in the records per window), and the scan stops
    # as soon as there are enough.
    hits: list[Hit] = []
    below = None
    window = max(limit * 2, 20)
    while len(hits) < limit:
        before = "" if below is None else "AND rowid < ? "
        rows = _index_rows(
            db,
            "SELECT rowid, kind, record_id, client_id, snippet(search_text, 0, ?, ?, ?, 12) FROM search_text "
            f"WHERE search_text MATCH ? {before}ORDER BY rowid DESC LIMIT ?",
            (HIGHLIGHT_START, HIGHLIGHT_END, ELLIPSIS, query, *(() if below is None else (below,)), window),
        )
        hidden = _hidden(db, [row[2] for row in rows])
        for _, kind, record_id, client_id, snippet in rows:
            if record_id not in hidden and len(hits) < limit:
                hits.append(Hit(kind, record_id, client_id, snippet))
        if len(rows) < window:
            break
        below = rows[-1][0]
    return hits


def _index_rows(db: Database, sql: str, params: tuple[object, ...]) -> list[tuple[Any, ...]]:
    with mapped_errors():
        rows: list[tuple[Any, ...]] = index_of(db).conn.execute(sql, params).fetchall()
    return rows


def _hidden(db: Database, record_ids: list[str]) -> set[str]:
    """Which of these entries are not shown in the usual views: entered in error, or corrected
    (an amendment points at them)."""
    if not record_ids:
        return set()
    marks = ", ".join("?" * len(record_ids))
    return set(
        db.column(
            f"SELECT target_id FROM entered_in_errors WHERE target_id IN ({marks}) "
            f"UNION SELECT amends_id FROM contacts WHERE amends_id IN ({marks}) "
            f"UNION SELECT amends_id FROM handover_notes WHERE amends_id IN ({marks})",
            record_ids * 3,
        )
    )
