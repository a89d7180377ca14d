"""The team, its staff and the outline of each client, decided before any record is written.

Each client's outline (name, status, dates in the service, key worker, record counts) is small, so
all of them are kept; the records themselves are made later, one client at a time, each from a
``random.Random`` seeded by (seed, kind, client), which keeps the output the same for a seed
whatever order the passes run in.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from navigator_core import kinds, timeutil
from navigator_core.demo import meta
from navigator_core.demo.pools import Pools
from navigator_core.demo.scale import Scale

ROLES = ("navigator", "on-call", "manager", "admin", "peer-support")
# (he, his, him, he is) for each set of pronouns a client may use.
PRONOUNS = {
    "he/him": {"their": "his", "them": "him", "they_are": "he is", "their_cap": "His"},
    "she/her": {"their": "her", "them": "her", "they_are": "she is", "their_cap": "Her"},
    "they/them": {"their": "their", "them": "them", "they_are": "they are", "their_cap": "Their"},
}
NICKNAMES = {
    "Daniel": "Dan", "Michael": "Mike", "Christopher": "Chris", "Anthony": "Tony", "Robert": "Rob",
    "Stephen": "Steve", "Samuel": "Sam", "Alexander": "Alex", "Elizabeth": "Liz", "Rebecca": "Becky",
    "Katherine": "Kate", "Jennifer": "Jen", "Thomas": "Tom", "William": "Will", "Joseph": "Joe",
    "Matthew": "Matt", "Benjamin": "Ben", "Nicholas": "Nick", "Andrew": "Andy", "Victoria": "Vicky",
    "Samantha": "Sam", "Jonathan": "Jon", "Deborah": "Debbie", "Margaret": "Maggie", "Patricia": "Trish",
}  # fmt: skip
# Salts for the per-client random streams, one per pass.
SALTS = {name: number for number, name in enumerate(
    ("client", "risk_flag", "support_goal", "outcome", "visit", "contact", "safeguarding_concern",
     "handover_note", "acknowledgement", "agency", "profile", "review_log", "referral", "engagement",
     "supervision_item", "peer_support")
)}  # fmt: skip


@dataclass(frozen=True)
class DemoUser:
    id: str
    username: str
    display_name: str
    role: str  # navigator | on-call | manager | admin | peer-support
    device_id: str  # the laptop this user records from in the demo data

    @property
    def author(self) -> tuple[str, str]:
        return self.id, self.device_id


@dataclass(frozen=True)
class DemoTeam:
    team_id: str
    team_name: str
    users: list[DemoUser]
    demo_user_id: str  # the navigator whose caseload the desktop demo opens as
    busiest_client_id: str  # a client of the demo user with `Scale.busiest_client_contacts` contacts
    now: str  # the moment every date in the data set is relative to

    def by_role(self, role: str) -> list[DemoUser]:
        return [u for u in self.users if u.role == role]

    @property
    def demo_user(self) -> DemoUser:
        return next(u for u in self.users if u.id == self.demo_user_id)


@dataclass
class Profile:
    """What the passes need to know about one client."""

    idx: int
    id: str
    given: str
    family: str
    preferred: str | None
    gender: str
    pronouns: str
    other_locale: bool
    status: str
    referral: date
    hospital_discharge: date | None
    service_discharge: date | None
    start: datetime  # when records about this person can begin
    end: datetime  # and end (discharge, or now)
    key_worker: DemoUser | None
    co_workers: list[DemoUser]
    district: str
    address: str
    postcode: str
    pathways: list[str]
    legal_framework: str
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def workers(self) -> list[DemoUser]:
        return [w for w in (self.key_worker, *self.co_workers) if w is not None]

    def slots(self, rng: random.Random) -> dict[str, str]:
        """Values for the text templates' slots: how a note refers to this person."""
        first = self.preferred or self.given
        name = first if rng.random() < 0.75 else first[0]
        return {"name": name, "district": self.district, **PRONOUNS[self.pronouns]}


@dataclass(frozen=True)
class Agency:
    id: str
    agency_type: str
    pathways: tuple[str, ...]


@dataclass(frozen=True)
class Target:
    """A contact or an engagement a concern for supervision may be raised on."""

    kind: str
    id: str
    client_id: str | None
    author: DemoUser
    when: datetime


@dataclass
class World:
    scale: Scale
    seed: int
    now: datetime
    pools: Pools
    team: DemoTeam
    navigators: list[DemoUser]
    on_call: list[DemoUser]
    managers: list[DemoUser]
    profiles: list[Profile]
    agency_names: list[str] = field(default_factory=list)
    agencies: list[Agency] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)  # recent contacts and engagements

    def rng(self, salt: str, idx: int) -> random.Random:
        return random.Random((self.seed << 40) ^ (SALTS[salt] << 32) ^ idx)  # noqa: S311  (not secrets)

    @property
    def today(self) -> date:
        return self.now.date()

    def when(self, rng: random.Random, start: datetime, end: datetime, *, working: bool = True) -> datetime:
        """A plausible time between `start` and `end`: weekday working hours, mostly."""
        span = max((end - start).total_seconds(), 60.0)
        for _ in range(6):
            moment = start + timedelta(seconds=rng.uniform(0, span))
            day = moment.astimezone(timeutil.LONDON).date()
            if working and day.weekday() >= 5 and rng.random() < 0.85:
                continue
            if working:
                hour = rng.choice((9, 10, 10, 11, 11, 12, 13, 14, 14, 15, 15, 16, 17))
                candidate = meta.local_time(day, hour, rng.randrange(0, 60, 5))
                if start <= candidate <= end:
                    return candidate
                continue
            return moment
        return start + timedelta(seconds=rng.uniform(0, span))

    def soon_after(self, rng: random.Random, moment: datetime, *, days: int) -> datetime:
        """A working-hours time within `days` days after `moment` (when it was written up), or now."""
        day = moment.astimezone(timeutil.LONDON).date() + timedelta(days=rng.randint(0, days))
        candidate = meta.local_time(day, rng.randint(9, 17), rng.randrange(0, 60, 5))
        if candidate < moment:
            candidate = moment + timedelta(minutes=rng.randint(15, 120))
        return min(candidate, max(self.now - timedelta(minutes=5), moment))


def allocate(total: int, weights: Sequence[float], fixed: dict[int, int] | None = None) -> list[int]:
    """Share `total` out in proportion to `weights` (largest remainders), honouring `fixed` shares."""
    fixed = fixed or {}
    counts = [0] * len(weights)
    rest = total - sum(fixed.values())
    free = [i for i in range(len(weights)) if i not in fixed]
    for i, n in fixed.items():
        counts[i] = n
    if rest <= 0 or not free:
        return counts
    weight_sum = sum(weights[i] for i in free) or 1.0
    exact = [(rest * weights[i] / weight_sum, i) for i in free]
    for share, i in exact:
        counts[i] = int(share)
    short = rest - sum(int(share) for share, _ in exact)
    for _, i in sorted(exact, key=lambda pair: (pair[0] - int(pair[0]), -pair[1]), reverse=True)[:short]:
        counts[i] += 1
    return counts


def make_users(rng: random.Random, pools: Pools, scale: Scale) -> list[DemoUser]:
    n = scale.navigators
    roles = ["navigator"] * n + ["on-call"] * max(1, n // 25) + ["manager"] * max(1, n // 30) + ["admin"]
    users: list[DemoUser] = []
    taken: set[str] = set()
    for role in roles:
        gender = rng.choice(("woman", "woman", "man", "man", "non_binary"))
        given, family = pools.full_name(rng, gender, other_locale=rng.random() < 0.15)
        username = f"{given}.{family}".lower().replace(" ", "").replace("'", "")
        suffix = 2
        while username in taken:
            username, suffix = f"{given}.{family}{suffix}".lower(), suffix + 1
        taken.add(username)
        users.append(DemoUser(meta.new_id(rng), username, f"{given} {family}", role, meta.new_id(rng)))
    return users


def make_peer_workers(world_seed: int, pools: Pools, scale: Scale, taken: set[str]) -> list[DemoUser]:
    """The team's liaison-and-diversion peer support workers, from a stream of their own (so the
    other users, and everything made from them, are as they were before peer support existed)."""
    rng = random.Random((world_seed << 40) ^ (SALTS["peer_support"] << 32))  # noqa: S311  (not secrets)
    users = []
    for _ in range(max(1, scale.navigators // 20) if scale.engagements else 0):
        given, family = pools.full_name(rng, rng.choice(("woman", "man")), other_locale=rng.random() < 0.15)
        username = f"{given}.{family}".lower().replace(" ", "").replace("'", "")
        while username in taken:
            username += "2"
        taken.add(username)
        users.append(
            DemoUser(meta.new_id(rng), username, f"{given} {family}", "peer-support", meta.new_id(rng))
        )
    return users


def pick(rng: random.Random, weighted: dict[str, int]) -> str:
    return rng.choices(tuple(weighted), weights=tuple(weighted.values()))[0]


STATUS_WEIGHTS = {"active": 70, "in_reach": 9, "referred": 7, "discharged": 14}
LEGAL_WEIGHTS = {
    "conditional_discharge": 35, "community_treatment_order": 15, "licence": 20,
    "community_sentence": 8, "guardianship": 2, "none": 20,
}  # fmt: skip
# Still in hospital: leaving on a restriction order, a CTO, or an informal or unrestricted route.
IN_HOSPITAL_LEGAL = {"conditional_discharge": 55, "community_treatment_order": 25, "none": 20}
GENDER_WEIGHTS = {"man": 80, "woman": 16, "non_binary": 2, kinds.PREFER_NOT: 2}


def make_profile(world: World, idx: int, *, demo: bool, busiest: bool) -> Profile:
    rng = world.rng("profile", idx)
    today, now = world.today, world.now
    gender = pick(rng, GENDER_WEIGHTS)
    pronouns = {"man": "he/him", "woman": "she/her", "non_binary": "they/them"}.get(
        gender, rng.choice(("he/him", "she/her"))
    )
    other_locale = rng.random() < 0.14
    name_gender = {"he/him": "man", "she/her": "woman"}.get(pronouns, "non_binary")
    given, family = world.pools.full_name(rng, name_gender, other_locale=other_locale)
    preferred = NICKNAMES.get(given) if rng.random() < 0.5 else None
    if busiest:
        status = "active"
    elif demo:
        status = pick(rng, {"active": 85, "in_reach": 10, "referred": 5})
    else:
        status = pick(rng, STATUS_WEIGHTS)
    hospital = service_end = None
    if status == "referred":
        referral = today - timedelta(days=rng.randint(3, 60))
    elif status == "in_reach":
        referral = today - timedelta(days=rng.randint(30, 365))
    elif status == "active":
        referral = today - timedelta(days=1100 if busiest else rng.randint(120, 1800))
        hospital = min(referral + timedelta(days=rng.randint(30, 180)), today - timedelta(days=14))
    else:
        referral = today - timedelta(days=rng.randint(400, 2200))
        hospital = referral + timedelta(days=rng.randint(30, 180))
        service_end = max(today - timedelta(days=rng.randint(30, 700)), hospital + timedelta(days=150))
    start = meta.local_time(referral, 9, 0)
    end = meta.local_time(service_end, 17, 0) if service_end else now - timedelta(minutes=30)
    address, postcode, district = world.pools.address(rng)
    key_worker: DemoUser | None = world.team.demo_user if demo else rng.choice(world.navigators)
    if status == "referred" and not demo and rng.random() < 0.5:
        key_worker = None  # waiting for allocation
    others = [n for n in world.navigators if n is not key_worker]
    co_workers = rng.sample(others, 1) if others and rng.random() < 0.3 else []
    return Profile(
        idx=idx,
        id=meta.new_id(rng, start),  # the morning of the referral: the client's record is made that day
        given=given,
        family=family,
        preferred=preferred,
        gender=gender,
        pronouns=pronouns,
        other_locale=other_locale,
        status=status,
        referral=referral,
        hospital_discharge=hospital,
        service_discharge=service_end,
        start=start,
        end=max(end, start + timedelta(hours=1)),
        key_worker=key_worker,
        co_workers=co_workers,
        district=district,
        address=address,
        postcode=postcode,
        pathways=rng.sample(kinds.PATHWAYS, 3),
        legal_framework=pick(rng, IN_HOSPITAL_LEGAL if status == "in_reach" else LEGAL_WEIGHTS),
    )
