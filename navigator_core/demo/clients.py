"""Client records and the team's agencies."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from navigator_core import kinds, nhs
from navigator_core.demo import meta
from navigator_core.demo import text_plans as text
from navigator_core.demo.partners import AGENCY_PATHWAYS
from navigator_core.demo.world import PRONOUNS, Agency, Profile, World, pick

ETHNICITY = {"white": 70, "asian": 10, "black": 8, "mixed": 5, "other": 2, kinds.PREFER_NOT: 3}
DISABILITY = {"yes": 45, "no": 40, kinds.PREFER_NOT: 5}
ORIENTATION = {"heterosexual": 75, "gay_or_lesbian": 4, "bisexual": 3, "other": 1, kinds.PREFER_NOT: 9}
RELIGION = {
    "none": 45, "christian": 30, "muslim": 8, "hindu": 2, "sikh": 2, "jewish": 1, "buddhist": 1,
    "other": 2, kinds.PREFER_NOT: 9,
}  # fmt: skip
FORENSIC = ("conditional_discharge", "community_treatment_order", "licence")


def _maybe(rng: random.Random, weighted: dict[str, int], missing: float = 0.08) -> str | None:
    return None if rng.random() < missing else pick(rng, weighted)


def _coordinator(world: World, rng: random.Random) -> str:
    given, family = world.pools.full_name(rng, rng.choice(("woman", "man")))
    return f"{given} {family}, {rng.choice(text.COORDINATOR_ROLES)}, Community Forensic Team"


def _key_contacts(world: World, rng: random.Random, p: Profile) -> list[dict[str, Any]]:
    contacts = []
    for _ in range(rng.choice((0, 1, 1, 1, 2, 2))):
        relationship = rng.choice(text.RELATIONSHIPS)
        gender = "woman" if relationship in ("mother", "sister", "aunt", "daughter") else "man"
        if relationship in ("partner", "friend"):
            gender = rng.choice(("woman", "man"))
        given, family = world.pools.full_name(rng, gender, other_locale=p.other_locale)
        if relationship not in ("partner", "friend") and not p.other_locale and rng.random() < 0.7:
            family = p.family
        contacts.append(
            {
                "name": f"{given} {family}",
                "relationship": relationship,
                "phone": world.pools.mobile(rng),
                "carer": relationship in ("mother", "father", "sister", "partner") and rng.random() < 0.5,
                "may_contact_in_crisis": rng.random() < 0.7,
            }
        )
    return contacts


def client_row(world: World, p: Profile, nhs_numbers: set[str]) -> dict[str, Any]:
    rng = world.rng("client", p.idx)
    today = world.today
    victim = f"{rng.choice('ABCDEFGHJKLMNPRSTW')}. {rng.choice(world.pools.family)}"
    slots = {
        **PRONOUNS[p.pronouns],
        "name": p.preferred or p.given,
        "district": rng.choice(("Bramley", "Harehills", "Beeston", "Seacroft", "Armley", "Chapeltown")),
        "place": f"{rng.choice(world.pools.family)} House (supported accommodation)",
        "initial": victim,
        "coordinator": "",
        "phone": world.pools.landline(rng),
    }
    legal = p.legal_framework
    forensic = legal in FORENSIC
    conditions = licence = exclusion = no_contact = recall = None
    if legal == "conditional_discharge":
        conditions = rng.choice(text.CONDITIONS_OF_DISCHARGE).format(**slots)
    elif legal == "community_treatment_order":
        conditions = rng.choice(text.CTO_CONDITIONS)
    elif legal == "licence":
        licence = rng.choice(text.LICENCE_CONDITIONS).format(**slots)
    elif legal == "community_sentence":
        licence = "Community order: rehabilitation activity requirement (20 days); unpaid work (80 hours)."
    if forensic and rng.random() < 0.45:
        slots["place"] = f"{rng.choice(world.pools.streets)}, {rng.choice(('Leeds', 'Wakefield'))}"
        zones = text.EXCLUSION_ZONES if legal == "licence" else text.HOSPITAL_EXCLUSION_ZONES
        exclusion = rng.choice(zones).format(**slots)
    if forensic and rng.random() < 0.5:
        no_contact = rng.choice(text.NO_CONTACT).format(**slots)
    if forensic:
        recall = rng.choice(text.RECALL_TRIGGERS)
    mappa_category = mappa_level = None
    if legal in ("conditional_discharge", "licence") and rng.random() < 0.45:
        mappa_category = pick(rng, {"1": 10, "2": 80, "3": 10})
        mappa_level = pick(rng, {"1": 80, "2": 17, "3": 3})
    key_contacts = _key_contacts(world, rng, p)
    if key_contacts:
        first = key_contacts[0]
        slots["support"] = f"{slots['their']} {first['relationship']} {first['name'].split()[0]}"
    else:
        slots["support"] = f"{slots['their']} GP"
    coordinator = _coordinator(world, rng) if p.status != "referred" or rng.random() < 0.5 else None
    slots["coordinator"] = (coordinator or "").split(",")[0] or "(see record)"
    crisis = rng.choice(text.CRISIS_PLANS).format(**slots) if p.status != "referred" else None
    language, interpreter = "English", False
    if p.other_locale and rng.random() < 0.35:
        language, interpreter = rng.choice(("Polish", "Urdu", "Punjabi", "Irish")), rng.random() < 0.6
    elif rng.random() < 0.01:
        language, interpreter = "British Sign Language", True
    if language == "Irish":
        language, interpreter = "English", False
    nhs_number: str | None = None
    if rng.random() < 0.92:
        while nhs_number is None or nhs_number in nhs_numbers:
            nhs_number = nhs.make_test_number(rng)
        nhs_numbers.add(nhs_number)
    current = p.status in ("active", "in_reach")
    age_days = int(rng.triangular(19, 68, 34) * 365.25) + rng.randrange(365)
    ethnicity = _maybe(rng, ETHNICITY)
    if p.other_locale and ethnicity not in (None, kinds.PREFER_NOT):
        ethnicity = rng.choice(("asian", "white", "white", "other"))
    fields: dict[str, Any] = {
        "given_name": p.given,
        "family_name": p.family,
        "preferred_name": p.preferred,
        "pronouns": p.pronouns if rng.random() < 0.9 else None,
        "date_of_birth": (today - timedelta(days=age_days)).isoformat(),
        "nhs_number": nhs_number,
        "address": p.address,
        "postcode": p.postcode,
        "phone": world.pools.mobile(rng) if rng.random() < 0.88 else None,
        "team_id": world.team.team_id,
        "key_worker_id": p.key_worker.id if p.key_worker else None,
        "co_worker_ids": [w.id for w in p.co_workers],
        "care_coordinator": coordinator,
        "status": p.status,
        "referral_source": rng.choice(text.REFERRAL_SOURCES),
        "referral_date": p.referral.isoformat(),
        "hospital_discharge_date": p.hospital_discharge.isoformat() if p.hospital_discharge else None,
        "service_discharge_date": p.service_discharge.isoformat() if p.service_discharge else None,
        "legal_framework": legal,
        "conditions": conditions,
        "mappa_category": mappa_category,
        "mappa_level": mappa_level,
        "licence_conditions": licence,
        "exclusion_zones": exclusion,
        "no_contact": no_contact,
        "recall_triggers": recall,
        "crisis_plan": crisis,
        "cpa_review_date": (
            (today + timedelta(days=rng.randint(-40, 180))).isoformat()
            if current and legal in ("conditional_discharge", "community_treatment_order")
            else None
        ),
        "plan_review_date": (today + timedelta(days=rng.randint(-30, 90))).isoformat() if current else None,
        "language": language,
        "interpreter_needed": interpreter,
        "accessibility_needs": rng.choice(text.ACCESSIBILITY_NEEDS) if rng.random() < 0.2 else None,
        "consent_to_share": rng.random() < 0.9 if rng.random() < 0.95 else None,
        "key_contacts": key_contacts,
        "gender": p.gender if rng.random() < 0.95 else None,
        "ethnicity": ethnicity,
        "disability": _maybe(rng, DISABILITY),
        "sexual_orientation": _maybe(rng, ORIENTATION, 0.1),
        "religion": _maybe(rng, RELIGION, 0.1),
    }
    manager = rng.choice(world.managers)
    created = (manager.id, manager.device_id, meta.local_time(p.referral, rng.randint(9, 15), 30))
    updated = None
    changed: list[str] = []
    if p.key_worker is not None and p.status != "referred":
        last = min(world.now - timedelta(hours=2), p.end)
        when = world.when(rng, max(p.end - timedelta(days=60), p.start), last)
        updated = (p.key_worker.id, p.key_worker.device_id, max(when, created[2]))
        reviewed = ("status", "plan_review_date", "cpa_review_date", "service_discharge_date")
        changed = [name for name in reviewed if fields[name] is not None]
    return meta.mutable(
        fields, rng=rng, created=created, updated=updated, updated_fields=changed, record_id=p.id
    )


def agency_rows(world: World) -> list[dict[str, Any]]:
    rng = world.rng("agency", 0)
    areas = ["Leeds", "Aire Valley", "Wakefield", "Armley", "Harehills", "Seacroft", "Beeston", "Bramley",
             "Chapeltown", "Morley", "Pudsey", "Castleford"]  # fmt: skip
    rows = []
    manager = world.managers[0]
    for n in range(world.scale.agencies):
        agency_type, pattern, notes = text.AGENCIES[n % len(text.AGENCIES)]
        area = areas[(n // len(text.AGENCIES)) % len(areas)]
        name = pattern.format(area=area)
        if n >= len(text.AGENCIES) * len(areas):
            name += f" ({n // (len(text.AGENCIES) * len(areas)) + 1})"
        slug = "".join(ch for ch in name.lower().replace(" ", "-") if ch.isalnum() or ch == "-")[:40]
        _, postcode, district = world.pools.address(rng)
        street = f"{rng.randrange(1, 200)} {rng.choice(world.pools.streets)}"
        town = "Wakefield" if postcode.startswith("WF") else "Leeds"
        fields = {
            "team_id": world.team.team_id,
            "name": name,
            "agency_type": agency_type,
            "phone": world.pools.landline(rng),
            "email": f"referrals@{slug.strip('-')}.example.org",
            "address": f"{street}, {district}, {town} {postcode}",
            "pathways": list(AGENCY_PATHWAYS[agency_type]),
            "notes": notes,
        }
        created_at = meta.local_time(
            world.today - timedelta(days=rng.randint(200, 1500)), rng.randint(9, 16), 0
        )
        row = meta.mutable(fields, rng=rng, created=(manager.id, manager.device_id, created_at))
        rows.append(row)
        world.agency_names.append(name)
        world.agencies.append(Agency(row["id"], agency_type, AGENCY_PATHWAYS[agency_type]))
    return rows
