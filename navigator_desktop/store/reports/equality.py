"""Equality monitoring in aggregate only: small counts suppressed, and the whole table withheld
when the group is so small that any count could identify someone."""

from __future__ import annotations

from typing import Any

from navigator_core.kinds import ETHNICITIES, GENDERS, ORIENTATIONS, RELIGIONS, YES_NO_PREFER

Record = dict[str, Any]
NOT_RECORDED = "not_recorded"
SMALL = 5  # counts from 1 to SMALL - 1 are suppressed
EQUALITY_FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "gender": ("Gender", GENDERS),
    "ethnicity": ("Ethnic group", ETHNICITIES),
    "disability": ("Disability", YES_NO_PREFER),
    "sexual_orientation": ("Sexual orientation", ORIENTATIONS),
    "religion": ("Religion or belief", RELIGIONS),
}


def _equality_counts(rows: list[Record], name: str) -> dict[str, int]:
    counts = dict.fromkeys((*EQUALITY_FIELDS[name][1], NOT_RECORDED), 0)
    for row in rows:
        value = row[name] or NOT_RECORDED
        counts[value] = counts.get(value, 0) + 1
    return counts


def suppress(counts: dict[str, int]) -> list[tuple[str, int, str]]:
    """Each category with its count and what may be shown of it.

    Counts from 1 to 4 are shown as "fewer than 5" (0 is shown: it describes nobody). The total is
    published, so a lone hidden cell could be worked out by subtraction: complementary suppression
    then hides the smallest other non-zero counts (then zeros), shown as "suppressed", until no
    hidden cell can be pinned down from the total and what a reader knows of each hidden cell
    (1 to 4 for "fewer than 5"; anything from 0 to the total for "suppressed").
    """
    primary = {k for k, v in counts.items() if 0 < v < SMALL}
    secondary: set[str] = set()
    while _pinned(counts, primary, secondary):
        spare = sorted((v == 0, v, k) for k, v in counts.items() if k not in primary | secondary)
        if not spare:
            break  # everything is hidden already
        secondary.add(spare[0][2])
    return [
        (k, v, "fewer than 5" if k in primary else "suppressed" if k in secondary else str(v))
        for k, v in counts.items()
    ]


def _pinned(counts: dict[str, int], primary: set[str], secondary: set[str]) -> bool:
    """Whether a reader who knows the total could work out any hidden count exactly."""
    hidden = primary | secondary
    total = sum(counts[k] for k in hidden)
    ranges = {k: (1, SMALL - 1) if k in primary else (0, total) for k in hidden}
    for k in hidden:
        others_low = sum(ranges[o][0] for o in hidden if o != k)
        others_high = sum(ranges[o][1] for o in hidden if o != k)
        if max(ranges[k][0], total - others_high) == min(ranges[k][1], total - others_low):
            return True
    return False


def equality_label(name: str) -> str:
    return EQUALITY_FIELDS[name][0]


WITHHELD_SMALL = (
    "Equality monitoring is not shown: fewer than {small} clients were open in the period, so any count "
    "could identify someone."
)
WITHHELD_PINNED = (
    "Equality monitoring is not shown: with so few clients, a count could be worked out from the total "
    "and could identify someone."
)


def equality_tables(rows: list[Record]) -> tuple[dict[str, list[tuple[str, int, str]]], str | None]:
    """Each characteristic's suppressed counts for the clients in `rows`, or ({}, why) when the
    whole table must be withheld: fewer than SMALL clients (every small cell would be exactly
    known, e.g. one client), or a characteristic where suppression cannot stop a count being
    worked out from the total (say 5 clients in 5 categories: each "fewer than 5" is 1)."""
    if len(rows) < SMALL:
        return {}, WITHHELD_SMALL.format(small=SMALL)
    tables = {}
    for name in EQUALITY_FIELDS:
        counts = _equality_counts(rows, name)
        shown = suppress(counts)
        primary = {k for k, _, s in shown if s == "fewer than 5"}
        secondary = {k for k, _, s in shown if s == "suppressed"}
        if primary and _pinned(counts, primary, secondary):
            return {}, WITHHELD_PINNED
        tables[name] = shown
    return tables, None
