"""The work with other agencies and liaison and diversion: referrals and signposts with their
outcomes, engagements in custody, court and the community (some later taken on as clients), and
concerns raised for supervision.

Each pass draws from its own random stream (world.rng), so adding these kinds left every other
kind's rows as they were.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

from navigator_core import kinds, timeutil
from navigator_core.demo import meta
from navigator_core.demo.world import Agency, DemoUser, Profile, Target, World, pick

# The pathways each type of agency serves (the directory's pathway filter).
AGENCY_PATHWAYS: dict[str, tuple[str, ...]] = {
    "housing": ("housing",),
    "probation": ("employment", "family_social"),
    "police": ("family_social",),
    "welfare_benefits": ("welfare_benefits",),
    "substance_use": ("substance_use",),
    "recovery_gym": ("physical_health", "wellbeing_college"),
    "college": ("education", "wellbeing_college", "employment"),
    "volunteering": ("volunteering", "employment"),
    "health": ("physical_health",),
    "other": ("welfare_benefits", "family_social", "volunteering"),
}
WHAT_FOR = {
    "housing": "Move-on accommodation; tenancy sustainment support",
    "volunteering": "A volunteering placement that accepts convictions",
    "education": "Maths and English at entry level, with a bursary",
    "employment": "Help into work: CV, disclosure of convictions, job search",
    "welfare_benefits": "Universal Credit claim and a PIP application",
    "wellbeing_college": "A wellbeing college course on managing anxiety",
    "physical_health": "Registration with a GP and an annual health check",
    "substance_use": "Open-access assessment at the recovery hub",
    "family_social": "Support to rebuild contact with family; a peer group",
}
OUTCOMES = {
    "housing": "Offered a move-on flat; tenancy signed.",
    "volunteering": "Started two mornings a week at the community garden.",
    "education": "Enrolled on the entry-level maths course.",
    "employment": "Two interviews arranged; one trial shift done.",
    "welfare_benefits": "Claim in payment; PIP decision awaited.",
    "wellbeing_college": "Completed the six-week course.",
    "physical_health": "Registered; health check done.",
    "substance_use": "Assessed; attending the Thursday group.",
    "family_social": "Attends the peer group most weeks.",
}
# How far referrals get: (status, weight). Signposts are the commonest; declined ones happen.
STATUS_WEIGHTS = {
    "signposted": 22,
    "referral_made": 14,
    "accepted": 12,
    "declined": 9,
    "attended": 25,
    "outcome_recorded": 18,
}
# The steps a referral went through to reach each status.
PATHS = {
    "signposted": ("signposted",),
    "referral_made": ("referral_made",),
    "accepted": ("referral_made", "accepted"),
    "declined": ("referral_made", "declined"),
    "attended": ("referral_made", "accepted", "attended"),
    "outcome_recorded": ("referral_made", "accepted", "attended", "outcome_recorded"),
}
SETTING_WEIGHTS = {"police_custody": 45, "court": 35, "community": 15, "prison": 3, "hospital": 2}
PLACES = {
    "police_custody": ("Elland Road custody suite", "Wakefield custody suite", "Leeds Bridewell"),
    "court": ("Leeds Magistrates' Court", "Wakefield Magistrates' Court", "Leeds Crown Court"),
    "community": ("Recovery café, Armley", "Hostel drop-in, Harehills", "Library, Seacroft"),
    "prison": ("HMP Leeds, visits hall",),
    "hospital": ("A&E, St James's",),
}
PERSON = (
    "Man in his 30s, arrested overnight; first time in custody",
    "Woman, late 40s, remanded to appear next week",
    "Young man, 19, known to the youth offending team",
    "Man in his 50s, rough sleeping in the city centre",
    "Woman in her 20s, in custody after a breach of bail",
    "Man, 40s, on licence; says he has nowhere to stay tonight",
)
OFFERED = (
    "Explained the service; gave the recovery hub's open-access times and our number.",
    "Offered a follow-up at court next week; signposted to the welfare rights drop-in.",
    "Talked about housing options; referral to the housing options team agreed.",
    "Offered support to register with a GP; left a leaflet on the wellbeing college.",
    "Declined further support for now; took our card.",
)
SUPERVISION_REASONS = (
    "Disclosed thoughts of self-harm and then played it down; want to talk through how I responded.",
    "Said a family member takes his benefits; unsure whether this meets the safeguarding threshold.",
    "Custody staff asked me for information I was not sure I could share without consent.",
    "Found this meeting hard: a threat was made to another worker in the custody suite.",
    "Pattern of missed appointments after court dates; should the care plan change?",
)
DISCUSSION_NOTES = (
    "Talked it through; response was right. Record the disclosure and tell the key worker.",
    "Agreed it meets the threshold: safeguarding concern raised with the local authority.",
    "Consent was needed; only share what the risk requires. Reread the sharing agreement.",
    "Debriefed; incident form done. Pair up for custody visits this month.",
    "Agreed to move appointments away from court weeks; raise at the next CPA review.",
)


def _day(moment: datetime) -> date:
    return moment.astimezone(timeutil.LONDON).date()


def _agency_for(world: World, rng: random.Random, pathway: str) -> Agency:
    matching = [a for a in world.agencies if pathway in a.pathways] or world.agencies
    return rng.choice(matching)


def _referral(
    world: World,
    rng: random.Random,
    *,
    pathway: str,
    made_at: datetime,
    by: DemoUser,
    client_id: str | None,
    engagement_id: str | None,
    signpost: bool = False,
) -> dict[str, Any]:
    """One referral with the dates of each step it went through up to its status now."""
    status = "signposted" if signpost else pick(rng, STATUS_WEIGHTS)
    made = _day(made_at)
    limit = _day(world.now)
    fields: dict[str, Any] = {
        "team_id": world.team.team_id,
        "client_id": client_id,
        "engagement_id": engagement_id,
        "agency_id": _agency_for(world, rng, pathway).id,
        "pathway": pathway,
        "what_for": WHAT_FOR[pathway],
        "made_on": made.isoformat(),
        "made_by": by.id,
        "status": status,
        **dict.fromkeys(kinds.REFERRAL_STATUS_DATES.values()),
        "outcome": None,
    }
    day = made
    for step in PATHS[status]:
        if step != PATHS[status][0]:
            day = min(day + timedelta(days=rng.randint(3, 21)), limit)
        fields[kinds.REFERRAL_STATUS_DATES[step]] = day.isoformat()
    if status == "outcome_recorded":
        fields["outcome"] = OUTCOMES[pathway]
    elif status == "declined":
        fields["outcome"] = rng.choice(
            ("Waiting list closed.", "Did not meet their criteria.", "Client withdrew.")
        )
    updated_at = min(meta.local_time(day, 15, 0), world.now - timedelta(minutes=10))
    created_at = min(made_at, updated_at)
    later = [kinds.REFERRAL_STATUS_DATES[s] for s in PATHS[status][1:]] + ["status", "outcome"]
    changed = [n for n in later if fields[n] is not None] if len(PATHS[status]) > 1 else []
    return meta.mutable(
        fields,
        rng=rng,
        created=(by.id, by.device_id, created_at),
        updated=(by.id, by.device_id, updated_at) if changed else None,
        updated_fields=changed,
    )


def client_referrals(world: World, p: Profile) -> list[dict[str, Any]]:
    rng = world.rng("referral", p.idx)
    rows = []
    for _ in range(p.counts.get("referral", 0)):
        by = p.workers[0] if p.workers and rng.random() < 0.8 else rng.choice(world.navigators)
        made_at = world.when(rng, p.start, p.end)
        pathway = rng.choice(p.pathways)
        rows.append(
            _referral(world, rng, pathway=pathway, made_at=made_at, by=by, client_id=p.id, engagement_id=None)
        )
    return rows


def engagements(
    world: World, peers: list[DemoUser], signposts: list[dict[str, Any]], navigator: DemoUser | None = None
) -> Iterator[dict[str, Any]]:
    """Engagements by the peer support workers, and one in four by `navigator` (on the team's
    custody and court liaison rota: the demo user, so the desktop demo's Engagements screen has
    their own); about one in eight later became a client of the team (the engagement and its
    referrals attached to them). Their signposts go into `signposts`, to come after every
    engagement (rows of one kind together load as one batch)."""
    count = world.scale.engagements
    if not count or not peers:
        return
    rng = world.rng("engagement", 0)
    joinable = [p for p in world.profiles if p.status in ("referred", "in_reach", "active")]
    start = world.now - timedelta(days=365)
    for n in range(count):
        worker = navigator if navigator is not None and n % 4 == 3 else peers[n % len(peers)]
        met_at = world.when(rng, start, world.now - timedelta(hours=3), working=rng.random() < 0.8)
        setting = pick(rng, SETTING_WEIGHTS)
        asked = rng.random() < 0.9
        needs = rng.sample(kinds.NEEDS, rng.choice((1, 2, 2, 3)))
        client: Profile | None = None
        if joinable and rng.random() < 0.125:
            client = rng.choice(joinable)
        recorded_at = world.soon_after(rng, met_at, days=1)
        fields = {
            "team_id": world.team.team_id,
            "client_id": client.id if client else None,
            "person": rng.choice(PERSON),
            "setting": setting,
            "place": rng.choice(PLACES[setting]),
            "met_at": timeutil.to_text(met_at),
            "consent_asked": asked,
            "consent_answer": pick(rng, {"given": 75, "declined": 15, "not_able_to_decide": 10})
            if asked
            else None,
            "needs": needs,
            "offered": rng.choice(OFFERED),
            "notes": None,
            "linked_on": _day(min(met_at + timedelta(days=rng.randint(1, 30)), world.now)).isoformat()
            if client
            else None,
        }
        linked = ["client_id", "linked_on"] if client else []
        row = meta.mutable(
            fields,
            rng=rng,
            created=(worker.id, worker.device_id, recorded_at),
            updated=(worker.id, worker.device_id, max(recorded_at, world.now - timedelta(days=1)))
            if client
            else None,
            updated_fields=linked,
        )
        yield row
        pathways = [n for n in needs if n in kinds.PATHWAYS]
        for pathway in pathways[: rng.choice((0, 1, 1, 2))]:
            referral = _referral(
                world,
                rng,
                pathway=pathway,
                made_at=recorded_at,
                by=worker,
                client_id=client.id if client else None,
                engagement_id=row["id"],
                signpost=rng.random() < 0.6,
            )
            signposts.append(referral)
        world.targets.append(
            Target("engagement", row["id"], client.id if client else None, worker, recorded_at)
        )


def supervision_items(world: World) -> list[dict[str, Any]]:
    """Concerns raised for supervision on recent contacts and engagements; older ones discussed."""
    rng = world.rng("supervision_item", 0)
    targets = sorted(world.targets, key=lambda t: t.when)[-max(world.scale.supervision_items * 4, 1) :]
    rows = []
    for _ in range(min(world.scale.supervision_items, len(targets))):
        target = targets.pop(rng.randrange(len(targets)))
        raised_at = min(target.when + timedelta(hours=rng.randint(1, 30)), world.now - timedelta(minutes=30))
        discussed = raised_at < world.now - timedelta(days=10) and rng.random() < 0.8
        supervisor = rng.choice(world.managers)
        fields = {
            "team_id": world.team.team_id,
            "client_id": target.client_id,
            "target_kind": target.kind,
            "target_id": target.id,
            "reason": rng.choice(SUPERVISION_REASONS),
            "supervisor_id": supervisor.id if rng.random() < 0.5 else None,
            "status": "discussed" if discussed else "open",
            "discussed_on": None,
            "discussed_by": None,
            "discussion_note": None,
        }
        updated = None
        if discussed:
            when = min(raised_at + timedelta(days=rng.randint(3, 14)), world.now - timedelta(hours=1))
            fields.update(
                discussed_on=_day(when).isoformat(),
                discussed_by=supervisor.id,
                discussion_note=rng.choice(DISCUSSION_NOTES),
            )
            updated = (supervisor.id, supervisor.device_id, when)
        author = target.author
        rows.append(
            meta.mutable(
                fields,
                rng=rng,
                created=(author.id, author.device_id, raised_at),
                updated=updated,
                updated_fields=("status", "discussed_on", "discussed_by", "discussion_note")
                if discussed
                else (),
            )
        )
    return rows
