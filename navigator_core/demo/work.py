"""Contacts, visits, handover notes and their acknowledgements: the day-to-day work."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from navigator_core import timeutil
from navigator_core.demo import meta
from navigator_core.demo import text_contacts as notes
from navigator_core.demo import text_plans as plans
from navigator_core.demo.world import DemoUser, Profile, World, pick

TYPES = {
    "home_visit": 26, "community": 22, "phone": 20, "office": 6, "text": 8, "video": 3,
    "with_other_agency": 7, "did_not_attend": 6, "cancelled": 2,
}  # fmt: skip
IN_REACH_TYPES = {"with_other_agency": 45, "phone": 25, "video": 15, "text": 8, "cancelled": 7}
MINUTES = {
    "home_visit": (45, 60, 60, 75, 90), "community": (30, 45, 60, 60, 90), "office": (30, 45, 60),
    "phone": (5, 10, 15, 20, 30), "video": (20, 30, 45), "text": (5,),
    "with_other_agency": (45, 60, 90, 120), "did_not_attend": (20, 30),
}  # fmt: skip
LATE_ENTRY_SHARE = 0.04


@dataclass(frozen=True)
class SpecialVisit:
    """A visit placed around now: the demo user's day and week, and the team's open visits."""

    worker: DemoUser
    start: datetime
    minutes: int
    status: str  # planned | in_progress | overdue | completed


def _author(world: World, rng: random.Random, p: Profile) -> DemoUser:
    roll = rng.random()
    if p.key_worker is not None and roll < 0.78:
        return p.key_worker
    if p.co_workers and roll < 0.93:
        return rng.choice(p.co_workers)
    return rng.choice(world.on_call if roll > 0.97 else world.navigators)


def _slots(world: World, rng: random.Random, p: Profile) -> dict[str, str]:
    slots = p.slots(rng)
    slots["venue"] = rng.choice(notes.VENUES)
    slots["day"] = rng.choice(notes.DAYS)
    slots["with_whom"] = rng.choice(notes.WITH_WHOM).format(**slots)
    return slots


def _narrative(
    rng: random.Random, kind: str, in_reach: bool, pathways: list[str], slots: dict[str, str]
) -> str:
    if kind == "did_not_attend":
        return rng.choice(notes.DID_NOT_ATTEND).format(**slots)
    if kind == "cancelled":
        return rng.choice(notes.CANCELLED).format(**slots)
    if kind == "text":
        return f"{rng.choice(notes.OPENINGS['text'])} {rng.choice(notes.TEXT_BODIES)}".format(**slots)
    ward = in_reach and kind == "with_other_agency"
    opening = rng.choice(notes.IN_REACH_OPENINGS if ward else notes.OPENINGS[kind])
    bodies = notes.REMOTE_BODIES if kind in ("phone", "video") else notes.IN_PERSON_BODIES
    parts = [opening, *(rng.choice(bodies[pathway]) for pathway in pathways), rng.choice(notes.CLOSINGS)]
    return " ".join(part for part in parts if part).format(**slots)


def contacts(world: World, p: Profile, errors: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """The client's contacts, oldest first; entries later marked in error go into `errors`."""
    rng = world.rng("contact", p.idx)
    count = p.counts.get("contact", 0)
    times = sorted(world.when(rng, p.start, p.end) for _ in range(count))
    in_error = set(rng.sample(range(count), min(count, p.counts.get("entered_in_error", 0))))
    discharged_from_hospital = (
        meta.local_time(p.hospital_discharge, 12, 0)
        if p.hospital_discharge
        else world.now + timedelta(days=1)
    )
    latest = world.now - timedelta(minutes=5)
    for n, occurred in enumerate(times):
        in_reach = occurred < discharged_from_hospital
        kind = pick(rng, IN_REACH_TYPES if in_reach else TYPES)
        author = _author(world, rng, p)
        slots = _slots(world, rng, p)
        pathways = (
            [] if kind in ("did_not_attend", "cancelled") else rng.sample(p.pathways, rng.choice((1, 1, 2)))
        )
        minutes = rng.choice(MINUTES[kind]) if kind in MINUTES else None
        place = None
        if kind == "home_visit":
            place = p.address
        elif kind in ("community", "did_not_attend"):
            place = slots["venue"][0].upper() + slots["venue"][1:]
        elif kind == "office":
            place = "Team base"
        elif kind == "with_other_agency":
            place = "Ward" if in_reach else rng.choice(world.agency_names or ["Partner agency office"])
        present = [author.display_name]
        if kind not in ("did_not_attend", "cancelled"):
            present.insert(0, f"{p.preferred or p.given} {p.family}")
        if kind == "with_other_agency":
            present.append(slots["with_whom"].replace(slots["their"] + " ", "").capitalize())
        if rng.random() < LATE_ENTRY_SHARE:
            recorded = occurred + timedelta(hours=rng.uniform(25, 96))
        else:
            recorded = occurred + timedelta(minutes=(minutes or 5) + rng.randint(10, 360))
        recorded = max(min(recorded, latest), occurred)
        actions = None
        if pathways and rng.random() < 0.5:
            options = notes.ACTIONS.get(pathways[0])
            actions = rng.choice(options).format(**slots) if options else None
        fields = {
            "client_id": p.id,
            "occurred_at": timeutil.to_text(occurred),
            "contact_type": kind,
            "duration_minutes": minutes,
            "place": place,
            "present": present,
            "pathways": pathways,
            "narrative": _narrative(rng, kind, in_reach, pathways, slots),
            "actions": actions,
            "feedback": rng.choice(notes.FEEDBACK).format(**slots)
            if pathways and rng.random() < 0.08
            else None,
            "safeguarding_raised": rng.random() < 0.004,
            "out_of_hours": False,
            "visit_id": None,
        }
        row = meta.entry(fields, rng=rng, author=author.author, recorded_at=recorded)
        if n in in_error:
            marked = world.soon_after(rng, recorded, days=3)
            reason = {
                "target_kind": "contact",
                "target_id": row["id"],
                "client_id": p.id,
                "reason": rng.choice(notes.ERROR_REASONS),
            }
            errors.append(meta.entry(reason, rng=rng, author=author.author, recorded_at=marked))
        yield row


def visits(world: World, p: Profile, specials: list[SpecialVisit]) -> Iterator[dict[str, Any]]:
    rng = world.rng("visit", p.idx)
    # Past visits end before today, which holds only the visits placed around now.
    before_today = meta.local_time(world.now.astimezone(timeutil.LONDON).date(), 0, 0)
    planned: list[tuple[DemoUser, datetime, int, str]] = [
        (s.worker, s.start, s.minutes, s.status) for s in specials
    ]
    for _ in range(p.counts.get("visit", 0)):
        worker = _author(world, rng, p)
        start = world.when(rng, p.start, max(min(p.end, before_today) - timedelta(hours=3), p.start))
        planned.append(
            (
                worker,
                start,
                rng.choice((45, 60, 60, 90)),
                pick(rng, {"completed": 90, "cancelled": 7, "escalated": 3}),
            )
        )
    for worker, start, minutes, status in planned:
        others = [n for n in world.navigators if n is not worker]
        buddy = rng.choice(others) if others else None
        call = rng.choice(plans.CALL_CONTACTS)
        if call == "Buddy" and buddy is not None:
            call = f"{buddy.display_name} (buddy)"
        checked_in = checked_out = None
        overrun = None
        end = start + timedelta(minutes=minutes)
        if status in ("completed", "escalated", "in_progress", "overdue"):
            checked_in = min(start + timedelta(minutes=rng.randint(0, 10)), world.now - timedelta(minutes=1))
        if status == "completed":
            checked_out = end + timedelta(minutes=rng.randint(-15, 10))
        elif status == "escalated":
            checked_out = end + timedelta(minutes=rng.randint(25, 50))
            overrun = rng.choice(plans.OVERRUN_ACTIONS)
        fields = {
            "client_id": p.id,
            "worker_id": worker.id,
            "place": p.address if rng.random() < 0.6 else rng.choice(notes.VENUES).capitalize(),
            "planned_start": timeutil.to_text(start),
            "expected_minutes": minutes,
            "call_contact": call,
            "buddy_id": buddy.id if buddy else None,
            "checked_in_at": timeutil.to_text(checked_in) if checked_in else None,
            "checked_out_at": timeutil.to_text(checked_out) if checked_out else None,
            "status": status,
            "overrun_action": overrun,
        }
        booked = start.astimezone(timeutil.LONDON).date() - timedelta(days=rng.randint(1, 7))
        created_at = min(
            meta.local_time(booked, rng.randint(9, 16), 5 * rng.randrange(12)), world.now - timedelta(hours=1)
        )
        last = checked_out or checked_in
        updated = (worker.id, worker.device_id, last) if last is not None and last > created_at else None
        changed = ["status", "checked_in_at", "checked_out_at", "overrun_action"] if updated else []
        yield meta.mutable(
            fields,
            rng=rng,
            created=(worker.id, worker.device_id, created_at),
            updated=updated,
            updated_fields=changed,
        )


def _note_times(
    world: World, rng: random.Random, p: Profile | None, current: bool
) -> tuple[datetime, datetime | None]:
    if current:
        valid_from = world.now - timedelta(minutes=rng.randint(30, 30 * 60))
        return valid_from, world.now + timedelta(minutes=rng.randint(6 * 60, 96 * 60))
    start, end = (p.start, p.end) if p else (world.now - timedelta(days=730), world.now - timedelta(days=2))
    valid_from = world.when(rng, start, min(end, world.now - timedelta(days=2)), working=False)
    valid_from = valid_from.replace(second=0, microsecond=0)
    until = None if rng.random() < 0.08 else valid_from + timedelta(hours=rng.choice((12, 24, 48, 72, 168)))
    return valid_from, until


def handover_notes(world: World, p: Profile | None, count: int, current_share: float) -> list[dict[str, Any]]:
    """Notes about client `p` (or team-wide notes when `p` is None), oldest first.

    The first is current (valid now) with probability `current_share`.
    """
    rng = world.rng("handover_note", p.idx if p else 10**7)
    rows = []
    for n in range(count):
        current = n == 0 and rng.random() < current_share
        valid_from, until = _note_times(world, rng, p, current)
        if p is not None:
            slots = _slots(world, rng, p)
            text = rng.choice(plans.HANDOVER_CLIENT).format(**slots)
        else:
            text = rng.choice(plans.HANDOVER_TEAM).format(day=rng.choice(notes.DAYS))
        audience = pick(rng, {"on_call": 45, "team": 40, "worker": 15})
        author = (
            rng.choice(world.on_call)
            if rng.random() < 0.4
            else _author(world, rng, p)
            if p
            else rng.choice(world.managers)
        )
        for_user = None
        if audience == "worker":
            for_user = p.key_worker if p and p.key_worker else rng.choice(world.navigators)
        fields = {
            "team_id": world.team.team_id,
            "client_id": p.id if p else None,
            "text": text,
            "valid_from": timeutil.to_text(valid_from),
            "valid_until": timeutil.to_text(until) if until else None,
            "priority": "urgent" if rng.random() < 0.15 else "routine",
            "audience": audience,
            "for_user_id": for_user.id if for_user else None,
        }
        recorded = min(valid_from + timedelta(minutes=rng.randint(0, 20)), world.now - timedelta(minutes=1))
        rows.append(meta.entry(fields, rng=rng, author=author.author, recorded_at=recorded))
    rows.sort(key=lambda row: str(row["valid_from"]))
    return rows


def acknowledgements(
    world: World, notes_rows: list[dict[str, Any]], salt_idx: int
) -> Iterator[dict[str, Any]]:
    """Who has read each note. The demo user has not yet read the notes that are current."""
    rng = world.rng("acknowledgement", salt_idx)
    mean = world.scale.acknowledgements / max(world.scale.handover_notes, 1)
    readers_pool = world.navigators + world.on_call + world.managers
    demo = world.team.demo_user
    latest = world.now - timedelta(minutes=1)
    for note in notes_rows:
        valid_from = max(timeutil.parse(note["valid_from"]), timeutil.parse(note["recorded_at"]))
        current = note["valid_until"] is not None and timeutil.parse(note["valid_until"]) > world.now
        count = int(mean) + (1 if rng.random() < mean - int(mean) else 0)
        if current:
            count = rng.randint(0, count)
        candidates = [u for u in readers_pool if u.id != note["author_id"] and not (current and u is demo)]
        for reader in rng.sample(candidates, min(count, len(candidates))):
            seen = min(valid_from + timedelta(minutes=rng.randint(5, 18 * 60)), latest)
            fields = {"note_id": note["id"], "team_id": world.team.team_id}
            yield meta.entry(fields, rng=rng, author=reader.author, recorded_at=max(seen, valid_from))
