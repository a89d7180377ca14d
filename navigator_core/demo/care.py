"""Risk flags, support-plan goals, outcomes and safeguarding concerns for one client."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from navigator_core import kinds, timeutil
from navigator_core.demo import meta
from navigator_core.demo import text_plans as plans
from navigator_core.demo import text_risk as risk
from navigator_core.demo.world import DemoUser, Profile, World, pick

SEVERITY = {"low": 40, "medium": 45, "high": 15}
GOAL_STATUS = {"in_progress": 55, "not_started": 20, "paused": 10, "achieved": 8, "stopped": 7}
CATEGORY_WEIGHTS = {category: weight for category, (weight, _) in risk.RISKS.items()}


def _worker(world: World, rng: random.Random, p: Profile) -> DemoUser:
    workers = p.workers
    if workers and rng.random() < 0.85:
        return workers[0] if rng.random() < 0.8 else rng.choice(workers)
    return rng.choice(world.navigators)


def _day(world: World, rng: random.Random, p: Profile) -> date:
    return world.when(rng, p.start, p.end).date()


def risk_flags(world: World, p: Profile) -> list[dict[str, Any]]:
    rng = world.rng("risk_flag", p.idx)
    rows = []
    for _ in range(p.counts.get("risk_flag", 0)):
        category = pick(rng, CATEGORY_WEIGHTS)
        description, plan = rng.choice(risk.RISKS[category][1])
        slots = p.slots(rng)
        raiser = _worker(world, rng, p)
        raised = _day(world, rng, p)
        resolved = rng.random() < (0.6 if p.status == "discharged" else 0.18)
        review: str | None = None
        if not resolved:
            # Most reviews are coming up; about one in eight is overdue.
            offset = rng.randint(-45, -1) if rng.random() < 0.12 else rng.randint(0, 120)
            review = max(world.today + timedelta(days=offset), raised + timedelta(days=7)).isoformat()
        fields = {
            "client_id": p.id,
            "category": category,
            "severity": pick(rng, SEVERITY),
            "description": description.format(**slots),
            "management_plan": plan.format(**slots),
            "source": rng.choice(risk.SOURCES),
            "raised_by": raiser.id,
            "raised_on": raised.isoformat(),
            "review_date": review,
            "status": "resolved" if resolved else "active",
            "resolved_reason": rng.choice(risk.RESOLVED_REASONS) if resolved else None,
        }
        created_at = meta.local_time(raised, rng.randint(9, 16), rng.randrange(0, 60, 5))
        created_at = min(created_at, world.now - timedelta(minutes=30))
        updated, changed = None, []
        if resolved or rng.random() < 0.5:
            later = world.when(rng, created_at, max(p.end, created_at + timedelta(hours=1)))
            later = min(later, world.now - timedelta(minutes=10))
            if later > created_at:
                reviewer = _worker(world, rng, p)
                updated = (reviewer.id, reviewer.device_id, later)
                changed = ["status", "resolved_reason"] if resolved else ["review_date", "management_plan"]
        rows.append(meta.mutable(
            fields, rng=rng, created=(raiser.id, raiser.device_id, created_at),
            updated=updated, updated_fields=changed,
        ))  # fmt: skip
    return rows


def support_goals(world: World, p: Profile) -> list[dict[str, Any]]:
    """The client's goals; the first `outcome` ones are achieved (their outcomes refer to them)."""
    rng = world.rng("support_goal", p.idx)
    rows = []
    used: set[str] = set()
    achieved = p.counts.get("outcome", 0)
    for n in range(p.counts.get("support_goal", 0)):
        pathway = p.pathways[n % len(p.pathways)] if n < 6 else rng.choice(kinds.PATHWAYS)
        options = [g for g in plans.GOALS[pathway] if g[0] not in used] or list(plans.GOALS[pathway])
        goal, steps = rng.choice(options)
        used.add(goal)
        status = "achieved" if n < achieved else pick(rng, GOAL_STATUS)
        worker = _worker(world, rng, p)
        created_at = min(world.when(rng, p.start, p.end), world.now - timedelta(hours=1))
        done_steps = len(steps) if status == "achieved" else rng.randint(0, len(steps) - 1)
        step_rows = [
            {"step": step, "done": i < done_steps,
             "due": (created_at.date() + timedelta(days=21 * (i + 1))).isoformat()}
            for i, step in enumerate(steps)
        ]  # fmt: skip
        review = created_at.date() + timedelta(days=90)
        while review < world.today - timedelta(days=30) and rng.random() < 0.93:
            review += timedelta(days=90)
        fields = {
            "client_id": p.id,
            "pathway": pathway,
            "goal": goal,
            "steps": step_rows,
            "target_date": (created_at.date() + timedelta(days=rng.choice((90, 180, 270)))).isoformat(),
            "review_date": review.isoformat(),
            "status": status,
            "co_produced": rng.random() < 0.9,
            "review_log": _review_log(world, p, created_at.date(), review, worker, idx=p.idx * 100 + n),
        }
        updated, changed = None, []
        later = min(world.when(rng, created_at, max(p.end, created_at)), world.now - timedelta(minutes=10))
        if status != "not_started" and later > created_at:
            updated, changed = (worker.id, worker.device_id, later), ["status", "steps", "review_date"]
        rows.append(meta.mutable(
            fields, rng=rng, created=(worker.id, worker.device_id, created_at),
            updated=updated, updated_fields=changed,
        ))  # fmt: skip
    return rows


REVIEW_NOTES = (
    "Went through the steps together; still the right goal.",
    "Reviewed with the client and their care coordinator.",
    "Some progress; agreed the next step.",
    None,
)


def _review_log(
    world: World, p: Profile, created: date, current: date, worker: DemoUser, *, idx: int
) -> list[dict[str, Any]]:
    """The reviews held before the goal's current review date, one per 90-day review date: most on
    or before the date, some late, some missed (the date moved on with no review). A separate
    random stream, so the goal's other fields are the same as before the log existed."""
    rng = world.rng("review_log", idx)
    log: list[dict[str, Any]] = []
    due = created + timedelta(days=90)
    last_day = min(world.today, p.end.date()) - timedelta(days=1)
    while due < current:
        roll = rng.random()
        if roll < 0.75:
            on = due - timedelta(days=rng.randint(0, 14))
        elif roll < 0.9:
            on = due + timedelta(days=rng.randint(1, 30))
        else:
            on = None
        on = None if on is not None and on > last_day else on
        reviewed_on = on.isoformat() if on else None
        entry: dict[str, Any] = {"due": due.isoformat(), "reviewed_on": reviewed_on, "by": worker.id}
        note = rng.choice(REVIEW_NOTES) if on else None
        log.append({**entry, **({"note": note} if note else {})})
        due += timedelta(days=90)
    return log


def outcomes(world: World, p: Profile) -> list[dict[str, Any]]:
    rng = world.rng("outcome", p.idx)
    goals = support_goals(world, p)  # the same goals again: same seed, same ids
    rows = []
    for n in range(p.counts.get("outcome", 0)):
        goal = goals[n] if n < len(goals) else None
        pathway = goal["pathway"] if goal else rng.choice(p.pathways)
        outcome = plans.OUTCOME_FOR_PATHWAY.get(pathway, "other")
        earliest = timeutil.parse(goal["created_at"]) if goal else p.start
        achieved_at = world.when(rng, max(earliest, p.start), p.end)
        worker = _worker(world, rng, p)
        recorded = world.soon_after(rng, achieved_at, days=3)
        fields = {
            "client_id": p.id,
            "goal_id": goal["id"] if goal else None,
            "pathway": pathway,
            "outcome": outcome,
            "achieved_on": achieved_at.date().isoformat(),
            "notes": plans.OTHER_OUTCOME_NOTES.get(pathway, plans.OUTCOME_NOTES["other"])
            if outcome == "other"
            else plans.OUTCOME_NOTES[outcome],
        }
        rows.append(meta.entry(fields, rng=rng, author=worker.author, recorded_at=recorded))
    return rows


def safeguarding_concerns(world: World, p: Profile) -> list[dict[str, Any]]:
    rng = world.rng("safeguarding_concern", p.idx)
    rows = []
    for _ in range(p.counts.get("safeguarding_concern", 0)):
        category = rng.choice(tuple(risk.SAFEGUARDING))
        observed, action = risk.SAFEGUARDING[category][0]
        slots = p.slots(rng)
        when = world.when(rng, p.start, p.end)
        referred = rng.random() < 0.7
        fields = {
            "client_id": p.id,
            "category": category,
            "observed": observed.format(**slots),
            "action_taken": action.format(**slots),
            "referred_to_local_authority": referred,
            "local_authority_reference": f"ASC-{when.year}-{rng.randrange(10**6):06d}" if referred else None,
        }
        worker = _worker(world, rng, p)
        recorded = world.soon_after(rng, when, days=0)
        rows.append(meta.entry(fields, rng=rng, author=worker.author, recorded_at=recorded))
    return rows
