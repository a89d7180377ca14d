"""A synthetic caseload: a believable team, its clients and years of their records.

Used by the desktop ``--demo`` mode, the server's ``seed-demo`` command, screenshots and the
benchmarks. Every name, address, NHS number (999 test range) and phone number (Ofcom drama ranges)
is made up; no row describes a real person.

    team, rows = generate(Scale.caseload(), seed=1)
    for kind_name, row in rows:  # agencies, clients, then each client-bound kind in turn
        ...

Rows are complete records as the central store holds them: every field of the kind (None where it
does not apply) plus the meta columns (``kinds.ENTRY_META`` for append-only kinds,
``kinds.MUTABLE_META`` for mutable ones). They stream, so the team scale never sits in memory, and
the same seed and ``now`` always give the same rows.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

from navigator_core import timeutil
from navigator_core.demo import care, clients, meta, partners, pools, work
from navigator_core.demo.scale import Scale
from navigator_core.demo.world import (
    DemoTeam,
    DemoUser,
    Profile,
    Target,
    World,
    allocate,
    make_peer_workers,
    make_profile,
    make_users,
)

__all__ = ["DemoTeam", "DemoUser", "Scale", "generate"]

TEAM_NAME = "Aire Valley Community Forensic Team"
# Order rows come out in: referenced records before the records that refer to them.
KIND_ORDER = (
    "agency", "client", "risk_flag", "support_goal", "outcome", "visit", "contact", "entered_in_error",
    "safeguarding_concern", "handover_note", "acknowledgement", "engagement", "referral", "supervision_item",
)  # fmt: skip
_STATUS_FACTOR = {"active": 1.0, "in_reach": 0.6, "referred": 0.4, "discharged": 0.7}
_TEAM_NOTE_SHARE = 0.05


def generate(
    scale: Scale, seed: int = 1, now: datetime | None = None
) -> tuple[DemoTeam, Iterator[tuple[str, dict[str, Any]]]]:
    """The team (users and ids known up front) and a stream of (kind name, row).

    `now` (aware; default: this minute) is the moment every date is placed around. It must not be
    later than the real clock, because contacts in the future fail validation.
    """
    if now is None:
        now = timeutil.utcnow().replace(second=0, microsecond=0)
    if now.tzinfo is None:
        raise ValueError("`now` must carry its time zone")
    rng = random.Random(seed)  # noqa: S311  (reproducible synthetic data, not secrets)
    pool = pools.build(seed)
    users = make_users(rng, pool, scale)
    users += make_peer_workers(seed, pool, scale, {u.username for u in users})
    navigators = [u for u in users if u.role == "navigator"]
    team = DemoTeam(
        team_id=meta.new_id(rng),
        team_name=TEAM_NAME,
        users=users,
        demo_user_id=navigators[0].id,
        busiest_client_id="",
        now=timeutil.to_text(now),
    )
    world = World(
        scale=scale,
        seed=seed,
        now=now,
        pools=pool,
        team=team,
        navigators=navigators,
        on_call=[u for u in users if u.role == "on-call"],
        managers=[u for u in users if u.role == "manager"],
        profiles=[],
    )
    world.profiles = [
        make_profile(world, i, demo=i < scale.demo_caseload, busiest=i == 0) for i in range(scale.clients)
    ]
    world.team = replace(team, busiest_client_id=world.profiles[0].id)
    specials = _special_visits(world)
    _share_out(world, sum(len(v) for v in specials.values()))
    return world.team, _rows(world, specials)


def _share_out(world: World, special_visits: int) -> None:
    scale, profiles = world.scale, world.profiles
    span = [max((p.end - p.start).days, 1) / 365 for p in profiles]
    activity = [s * _STATUS_FACTOR[p.status] for s, p in zip(span, profiles, strict=True)]
    engaged = [_STATUS_FACTOR[p.status] for p in profiles]
    achieving = [0.0 if p.status == "referred" else s for s, p in zip(span, profiles, strict=True)]
    risky = [
        e * (1.5 if p.legal_framework != "none" else 1.0) for e, p in zip(engaged, profiles, strict=True)
    ]
    client_notes = scale.handover_notes - round(scale.handover_notes * _TEAM_NOTE_SHARE)
    shares = {
        "contact": allocate(scale.contacts, activity, {0: scale.busiest_client_contacts}),
        "risk_flag": allocate(scale.risk_flags, risky),
        "support_goal": allocate(scale.support_goals, engaged),
        "outcome": allocate(scale.outcomes, achieving),
        "visit": allocate(max(scale.visits - special_visits, 0), activity),
        "safeguarding_concern": allocate(scale.safeguarding_concerns, activity),
        "referral": allocate(scale.referrals, achieving),
        "handover_note": allocate(
            client_notes, [e * (1 + s) ** 0.5 for e, s in zip(engaged, span, strict=True)]
        ),
    }
    # None on the busiest client, so all of its contacts show in its timeline.
    shares["entered_in_error"] = allocate(
        scale.entered_in_error, [float(c) for c in shares["contact"]], {0: 0}
    )
    for kind_name, counts in shares.items():
        for p, count in zip(profiles, counts, strict=True):
            p.counts[kind_name] = count


def _next_weekdays(day: date, count: int) -> list[date]:
    days: list[date] = []
    while len(days) < count:
        day += timedelta(days=1)
        if day.weekday() < 5:
            days.append(day)
    return days


def _status_now(world: World, start: datetime, minutes: int) -> str:
    if start + timedelta(minutes=minutes) < world.now:
        return "completed"
    return "in_progress" if start <= world.now else "planned"


def _special_visits(world: World) -> dict[int, list[work.SpecialVisit]]:
    """The demo user's visits today and this week; some team visits open right now."""
    rng = world.rng("visit", 10**7)
    demo = world.team.demo_user
    plan: list[tuple[int, work.SpecialVisit]] = []
    caseload = [
        p for p in world.profiles[: world.scale.demo_caseload] if p.status == "active"
    ] or world.profiles[:1]
    today = world.now.astimezone(timeutil.LONDON).date()
    for n, (hour, minute) in enumerate(((9, 30), (11, 30), (14, 0), (16, 0))):
        start = meta.local_time(today, hour, minute)
        visit = work.SpecialVisit(demo, start, 60, _status_now(world, start, 60))
        plan.append((caseload[(n + 1) % len(caseload)].idx, visit))
    for d, day in enumerate(_next_weekdays(today, 4)):
        for h, hour in enumerate((10, 14)):
            start = meta.local_time(day, hour, 0)
            plan.append(
                (caseload[(5 + 2 * d + h) % len(caseload)].idx, work.SpecialVisit(demo, start, 60, "planned"))
            )
    others = [p for p in world.profiles[world.scale.demo_caseload :] if p.status == "active" and p.key_worker]
    rng.shuffle(others)
    for n, p in enumerate(others[:14]):
        assert p.key_worker is not None
        if n < 2:  # not checked out in time: the on-call worker should see these
            start = world.now - timedelta(minutes=60 + rng.randint(25, 60))
            plan.append((p.idx, work.SpecialVisit(p.key_worker, start, 60, "overdue")))
        else:
            start = world.now - timedelta(minutes=rng.randint(10, 50))
            plan.append((p.idx, work.SpecialVisit(p.key_worker, start, 60, "in_progress")))
    specials: dict[int, list[work.SpecialVisit]] = {}
    for idx, visit in plan[: world.scale.visits]:
        specials.setdefault(idx, []).append(visit)
    return specials


def _rows(world: World, specials: dict[int, list[work.SpecialVisit]]) -> Iterator[tuple[str, dict[str, Any]]]:
    profiles = world.profiles
    for row in clients.agency_rows(world):
        yield "agency", row
    nhs_numbers: set[str] = set()
    for p in profiles:
        yield "client", clients.client_row(world, p, nhs_numbers)
    for kind_name, make in (
        ("risk_flag", care.risk_flags),
        ("support_goal", care.support_goals),
        ("outcome", care.outcomes),
    ):
        for p in profiles:
            for row in make(world, p):
                yield kind_name, row
    for p in profiles:
        for row in work.visits(world, p, specials.get(p.idx, [])):
            yield "visit", row
    errors: list[dict[str, Any]] = []
    users = {u.id: u for u in world.team.users}
    recent = timeutil.to_text(world.now - timedelta(days=45))
    for p in profiles:
        for row in work.contacts(world, p, errors):
            if row["recorded_at"] > recent:  # what a concern for supervision may be raised on
                when = timeutil.parse(row["recorded_at"])
                world.targets.append(Target("contact", row["id"], p.id, users[row["author_id"]], when))
            yield "contact", row
    for row in errors:
        yield "entered_in_error", row
    for p in profiles:
        for row in care.safeguarding_concerns(world, p):
            yield "safeguarding_concern", row
    for notes in _all_notes(world):
        for row in notes:
            yield "handover_note", row
    for n, notes in enumerate(_all_notes(world)):
        for row in work.acknowledgements(world, notes, n):
            yield "acknowledgement", row
    signposts: list[dict[str, Any]] = []
    peers = world.team.by_role("peer-support")
    for row in partners.engagements(world, peers, signposts, world.team.demo_user):
        yield "engagement", row
    for row in signposts:
        yield "referral", row
    for p in profiles:
        for row in partners.client_referrals(world, p):
            yield "referral", row
    for row in partners.supervision_items(world):
        yield "supervision_item", row


def _all_notes(world: World) -> Iterator[list[dict[str, Any]]]:
    """Handover notes, team-wide first, then each client's; made afresh on every call (same rows)."""
    team_notes = round(world.scale.handover_notes * _TEAM_NOTE_SHARE)
    yield work.handover_notes(world, None, team_notes, 1.0)
    for p in world.profiles:
        yield work.handover_notes(world, p, p.counts.get("handover_note", 0), _current_share(world, p))


def _current_share(world: World, p: Profile) -> float:
    if p.status not in ("active", "in_reach"):
        return 0.0
    return 0.4 if p.idx < world.scale.demo_caseload else 0.12
