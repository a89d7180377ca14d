"""The synthetic caseload: every row valid, complete, deterministic, and believable in shape."""

import re
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from navigator_core import kinds, nhs, timeutil
from navigator_core.demo import Scale, generate
from navigator_core.hlc import Stamp

NOW = datetime(2026, 11, 2, 12, 17, tzinfo=UTC)  # a Monday lunchtime, in the past of any test run


@pytest.fixture(scope="module")
def small():
    team, rows = generate(Scale.small(), seed=7, now=NOW)
    return team, list(rows)


@pytest.fixture(scope="module")
def caseload():
    team, rows = generate(Scale.caseload(), seed=3, now=NOW)
    return team, list(rows)


def meta_of(kind_name):
    return kinds.MUTABLE_META if kinds.kind(kind_name).mutable else kinds.ENTRY_META


def fields_only(kind_name, row):
    meta = set(meta_of(kind_name))
    return {name: value for name, value in row.items() if name not in meta}


def by_kind(rows):
    grouped = {}
    for kind_name, row in rows:
        grouped.setdefault(kind_name, []).append(row)
    return grouped


def test_every_generated_row_passes_its_kinds_checks(small, caseload):
    for _, rows in (small, caseload):
        for kind_name, row in rows:
            assert kinds.kind(kind_name).errors(fields_only(kind_name, row)) == [], (kind_name, row)


def test_rows_carry_every_field_of_their_kind_and_the_meta_columns(small):
    _, rows = small
    for kind_name, row in rows:
        spec = kinds.kind(kind_name)
        assert set(row) == set(spec.field_names) | set(meta_of(kind_name)), kind_name


def test_counts_match_the_scale():
    scale = Scale.caseload()
    team, rows = generate(scale, seed=1, now=NOW)
    counts = Counter(kind_name for kind_name, _ in rows)
    assert counts["client"] == scale.clients
    assert counts["contact"] == scale.contacts
    assert counts["risk_flag"] == scale.risk_flags
    assert counts["handover_note"] == scale.handover_notes
    assert counts["visit"] == scale.visits
    assert counts["support_goal"] == scale.support_goals
    assert counts["outcome"] == scale.outcomes
    assert counts["agency"] == scale.agencies
    assert counts["safeguarding_concern"] == scale.safeguarding_concerns
    assert counts["entered_in_error"] == scale.entered_in_error
    assert 0.7 * scale.acknowledgements < counts["acknowledgement"] < 1.3 * scale.acknowledgements
    assert len(team.by_role("navigator")) == scale.navigators


def test_same_seed_and_now_give_the_same_rows_and_another_seed_does_not():
    first_team, first = generate(Scale.small(), seed=11, now=NOW)
    second_team, second = generate(Scale.small(), seed=11, now=NOW)
    assert first_team == second_team
    assert list(first) == list(second)
    other_team, other = generate(Scale.small(), seed=12, now=NOW)
    assert other_team.team_id != first_team.team_id
    assert next(iter(other)) != next(iter(generate(Scale.small(), seed=11, now=NOW)[1]))


def test_rows_stream_rather_than_being_built_up_front():
    _, rows = generate(Scale.team(), seed=1, now=NOW)
    kind_name, row = next(rows)  # the first row comes at once, long before 250,000 contacts exist
    assert kind_name == "agency" and row["team_id"]


def test_referenced_records_come_before_the_records_that_refer_to_them(small):
    team, rows = small
    seen: set[str] = set()
    users = {u.id for u in team.users}
    for kind_name, row in rows:
        for name in ("client_id", "goal_id", "note_id", "target_id"):
            if row.get(name) is not None:
                assert row[name] in seen, (kind_name, name)
        for name in ("author_id", "created_by", "updated_by", "key_worker_id", "worker_id", "raised_by"):
            if row.get(name) is not None:
                assert row[name] in users, (kind_name, name)
        assert row["id"] not in seen
        seen.add(row["id"])


def test_meta_columns_are_well_formed_and_never_in_the_future(small):
    _, rows = small
    for kind_name, row in rows:
        if kinds.kind(kind_name).mutable:
            assert row["deleted"] == 0
            assert row["created_at"] <= row["updated_at"] <= timeutil.to_text(NOW)
            for field, text in row["field_stamps"].items():
                assert field in kinds.kind(kind_name).by_name
                stamp = Stamp.parse(text)
                assert stamp.wall_ms <= NOW.timestamp() * 1000
        else:
            assert row["amends_id"] is None and row["amend_reason"] is None
            assert row["recorded_at"] <= timeutil.to_text(NOW)


def test_nhs_numbers_are_unique_valid_test_numbers(caseload):
    _, rows = caseload
    numbers = [row["nhs_number"] for kind_name, row in rows if kind_name == "client" and row["nhs_number"]]
    assert numbers and len(numbers) == len(set(numbers))
    assert all(n.startswith("999") and nhs.is_valid(n) for n in numbers)


def test_phone_numbers_come_from_the_ranges_ofcom_keeps_for_drama(caseload):
    _, rows = caseload
    drama = re.compile(r"^(07700 900\d{3}|0113 496 0\d{3})$")
    grouped = by_kind(rows)
    phones = [r["phone"] for r in grouped["client"] + grouped["agency"] if r["phone"]]
    phones += [c["phone"] for r in grouped["client"] for c in r["key_contacts"]]
    assert phones and all(drama.match(p) for p in phones)


def test_the_demo_user_keyworks_a_caseload_with_one_long_record(caseload):
    team, rows = caseload
    grouped = by_kind(rows)
    demo_clients = [c for c in grouped["client"] if c["key_worker_id"] == team.demo_user_id]
    assert len(demo_clients) == Scale.caseload().demo_caseload
    contacts_per_client = Counter(c["client_id"] for c in grouped["contact"])
    assert contacts_per_client[team.busiest_client_id] == Scale.caseload().busiest_client_contacts
    assert not [e for e in grouped["entered_in_error"] if e["client_id"] == team.busiest_client_id]
    assert team.demo_user.role == "navigator"


def test_the_demo_users_day_has_visits_and_unread_current_handover_notes(caseload):
    team, rows = caseload
    grouped = by_kind(rows)
    today = NOW.astimezone(timeutil.LONDON).date()
    mine = [v for v in grouped["visit"] if v["worker_id"] == team.demo_user_id]
    todays = [v for v in mine if timeutil.local(timeutil.parse(v["planned_start"])).date() == today]
    assert len(todays) == 4
    assert {v["status"] for v in todays} == {"completed", "in_progress", "planned"}
    assert any(
        v["status"] == "planned" and v["planned_start"] > timeutil.to_text(NOW + timedelta(days=1))
        for v in mine
    )
    now_text = timeutil.to_text(NOW)
    current = [n for n in grouped["handover_note"] if n["valid_from"] <= now_text < (n["valid_until"] or "")]
    assert current
    read_by_demo = {a["note_id"] for a in grouped["acknowledgement"] if a["author_id"] == team.demo_user_id}
    assert not read_by_demo & {n["id"] for n in current}


def test_the_record_has_the_texture_of_real_work(caseload):
    _, rows = caseload
    grouped = by_kind(rows)
    contacts = grouped["contact"]
    types = Counter(c["contact_type"] for c in contacts)
    assert types["did_not_attend"] > 0 and types["home_visit"] > types["video"]
    late = [c for c in contacts if timeutil.is_late_entry(c["occurred_at"], c["recorded_at"])]
    assert 0 < len(late) < len(contacts) * 0.1
    flags = grouped["risk_flag"]
    today = NOW.date().isoformat()
    assert any(f["status"] == "active" and f["review_date"] < today for f in flags)  # overdue reviews
    assert any(f["status"] == "resolved" and f["resolved_reason"] for f in flags)
    clients = grouped["client"]
    assert Counter(c["status"] for c in clients)["active"] > len(clients) / 2
    assert any(c["mappa_category"] for c in clients) or any(c["exclusion_zones"] for c in clients)
    assert all(len(set(c["narrative"] for c in contacts)) > len(contacts) / 2 for _ in [0])


def test_notes_use_each_clients_pronouns_and_fill_every_slot(caseload):
    _, rows = caseload
    for kind_name, row in rows:
        for name in ("narrative", "description", "management_plan", "text", "crisis_plan", "observed"):
            value = row.get(name)
            if isinstance(value, str):
                assert "{" not in value and "}" not in value and "@" not in value, (kind_name, value)


def test_scales_are_named_for_the_command_line():
    assert Scale.named("team").contacts == 250_000
    assert Scale.named("caseload").clients == 25
    with pytest.raises(ValueError, match="no demo scale"):
        Scale.named("huge")


def test_now_must_say_its_time_zone():
    with pytest.raises(ValueError, match="time zone"):
        generate(Scale.small(), now=datetime(2026, 1, 1, 9, 0))


@pytest.mark.slow
def test_team_scale_meets_its_totals():
    scale = Scale.team()
    _, rows = generate(scale, seed=1, now=NOW)
    counts = Counter(kind_name for kind_name, _ in rows)
    assert counts["client"] == 5_000
    assert counts["contact"] == 250_000
    assert counts["risk_flag"] == 20_000
    assert counts["handover_note"] == 50_000


def test_records_get_version_7_ids_from_when_they_were_made(small):
    import uuid

    _team, rows = small
    for kind_name, row in rows:
        parsed = uuid.UUID(row["id"])
        assert parsed.version == 7, kind_name
        made = timeutil.parse(row["created_at"] if kinds.kind(kind_name).mutable else row["recorded_at"])
        stamped = datetime.fromtimestamp(int(row["id"].replace("-", "")[:12], 16) / 1000, UTC)
        if kind_name == "client":  # made before the rest of the record: the morning of the referral
            assert stamped <= made and stamped.date() == made.date()
        else:
            assert stamped == made, kind_name


def test_the_work_with_other_agencies_is_all_there(caseload):
    team, rows = caseload
    grouped = by_kind(rows)
    found = {row["agency_type"] for row in grouped["agency"]}
    assert found == set(kinds.AGENCY_TYPES)
    served = {p for row in grouped["agency"] for p in row["pathways"]}
    assert served == set(kinds.PATHWAYS)
    referrals = grouped["referral"]
    about_clients = [r for r in referrals if r["engagement_id"] is None]
    assert len(about_clients) == Scale.caseload().referrals
    assert {r["status"] for r in referrals} == set(kinds.REFERRAL_STATUSES)
    agencies = {row["id"] for row in grouped["agency"]}
    assert all(r["agency_id"] in agencies for r in referrals)
    engagements = grouped["engagement"]
    assert len(engagements) == Scale.caseload().engagements
    assert {"police_custody", "court"} <= {e["setting"] for e in engagements}
    peers = {u.id for u in team.by_role("peer-support")}
    assert peers and {e["created_by"] for e in engagements} <= peers | {team.demo_user_id}
    engaged = {e["id"]: e for e in engagements}
    signposts = [r for r in referrals if r["engagement_id"]]
    assert signposts and all(r["client_id"] == engaged[r["engagement_id"]]["client_id"] for r in signposts)
    items = grouped["supervision_item"]
    assert len(items) == Scale.caseload().supervision_items
    assert {i["status"] for i in items} == {"open", "discussed"}
    assert {i["target_kind"] for i in items} == {"contact", "engagement"}


def test_the_demo_user_sees_the_work_with_other_agencies_of_their_own(caseload):
    """The desktop demo signs in as a navigator: their Engagements screen, referrals report and
    supervision list have something of their own in custody and court, with outcomes."""
    team, rows = caseload
    grouped = by_kind(rows)
    me = team.demo_user_id
    mine = {c["id"] for c in grouped["client"] if c["key_worker_id"] == me}
    own = [e for e in grouped["engagement"] if e["created_by"] == me]
    assert {"police_custody", "court"} <= {e["setting"] for e in own}
    assert any(not e["client_id"] for e in own)  # met, and (so far) no one's client
    assert any(e["client_id"] in mine for e in grouped["engagement"])  # met, then taken on by me
    steps = {r["status"] for r in grouped["referral"] if r["client_id"] in mine}
    assert {"signposted", "accepted", "declined", "attended", "outcome_recorded"} <= steps
    concerns = [s for s in grouped["safeguarding_concern"] if s["client_id"] in mine]
    assert concerns and any(s["referred_to_local_authority"] for s in concerns)
    raised = {i["status"] for i in grouped["supervision_item"] if i["created_by"] == me}
    assert raised == {"open", "discussed"}
