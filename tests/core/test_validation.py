from datetime import timedelta

import pytest

from navigator_core import kinds, timeutil
from navigator_core.fields import ValidationError, new_id

TEAM = new_id()


def client(**overrides):
    values = {
        "given_name": "Ada",
        "family_name": "Okafor",
        "date_of_birth": "1984-03-02",
        "team_id": TEAM,
        "status": "active",
    }
    values.update(overrides)
    return values


def messages(spec, values, **kw):
    return {e.field: e.message for e in spec.errors(values, **kw)}


def test_a_complete_client_passes():
    assert kinds.CLIENT.errors(client(nhs_number="943 476 5919")) == []


def test_missing_required_fields_are_named_with_their_labels():
    found = messages(kinds.CLIENT, {"status": "active"})
    assert found["given_name"] == "Given name is required."
    assert found["date_of_birth"] == "Date of birth is required."


def test_nhs_number_check_digit_is_checked():
    found = messages(kinds.CLIENT, client(nhs_number="9434765918"))
    assert "check digit" in found["nhs_number"]


def test_enumerations_list_the_choices():
    found = messages(kinds.CLIENT, client(status="gone"))
    assert "referred" in found["status"] and "discharged" in found["status"]


def test_dates_must_be_real_dates():
    assert "date like" in messages(kinds.CLIENT, client(date_of_birth="31/02/1984"))["date_of_birth"]


def test_date_of_birth_in_the_future_is_refused():
    tomorrow = (timeutil.utcnow() + timedelta(days=2)).date().isoformat()
    assert "past" in messages(kinds.CLIENT, client(date_of_birth=tomorrow))["date_of_birth"]


def test_unknown_fields_are_refused():
    assert "no field" in messages(kinds.CLIENT, client(shoe_size=9))["shoe_size"]


def test_partial_update_checks_only_given_fields():
    assert kinds.CLIENT.errors({"phone": "0113 496 0000"}, partial=True) == []
    assert kinds.CLIENT.errors({"status": "nope"}, partial=True)


def test_active_risk_needs_a_review_date_and_resolved_needs_a_reason():
    base = {
        "client_id": new_id(),
        "category": "environment",
        "severity": "medium",
        "description": "Two large dogs at the property",
        "raised_on": "2026-11-01",
    }
    assert "review date" in messages(kinds.RISK_FLAG, base | {"status": "active"})["review_date"]
    assert "why" in messages(kinds.RISK_FLAG, base | {"status": "resolved"})["resolved_reason"].lower()
    assert kinds.RISK_FLAG.errors(base | {"status": "active", "review_date": "2027-01-01"}) == []


def test_contact_in_the_future_is_refused():
    later = timeutil.to_text(timeutil.utcnow() + timedelta(hours=2))
    values = {"client_id": new_id(), "occurred_at": later, "contact_type": "phone", "narrative": "Called."}
    assert "future" in messages(kinds.CONTACT, values)["occurred_at"]


def test_pathway_tags_must_be_known():
    values = {
        "client_id": new_id(),
        "occurred_at": timeutil.now_text(),
        "contact_type": "phone",
        "narrative": "Called.",
        "pathways": ["housing", "astrology"],
    }
    assert "astrology" in messages(kinds.CONTACT, values)["pathways"]


def test_handover_note_for_a_named_worker_needs_the_worker():
    values = {
        "team_id": TEAM,
        "text": "Please ring the hostel",
        "valid_from": timeutil.now_text(),
        "priority": "urgent",
        "audience": "worker",
    }
    assert "worker" in messages(kinds.HANDOVER_NOTE, values)["for_user_id"]


def test_handover_validity_cannot_end_before_it_starts():
    values = {
        "team_id": TEAM,
        "text": "x",
        "valid_from": "2026-11-23T10:00:00.000Z",
        "valid_until": "2026-11-22T10:00:00.000Z",
        "priority": "routine",
        "audience": "team",
    }
    assert "valid_until" in messages(kinds.HANDOVER_NOTE, values)


def test_validate_raises_with_every_problem():
    with pytest.raises(ValidationError) as caught:
        kinds.CLIENT.validate({"status": "x"})
    assert {e.field for e in caught.value.errors} >= {"given_name", "family_name", "status"}


def test_booleans_and_integers_are_not_confused():
    values = {
        "client_id": new_id(),
        "occurred_at": timeutil.now_text(),
        "contact_type": "phone",
        "narrative": "x",
    }
    assert "whole number" in messages(kinds.CONTACT, values | {"duration_minutes": True})["duration_minutes"]
    assert "yes or no" in messages(kinds.CONTACT, values | {"safeguarding_raised": 1})["safeguarding_raised"]


def test_late_entry_is_marked_when_written_next_day():
    assert timeutil.is_late_entry("2026-11-22T09:00:00.000Z", "2026-11-23T09:00:01.000Z")
    assert not timeutil.is_late_entry("2026-11-22T09:00:00.000Z", "2026-11-23T08:59:59.000Z")


def test_every_kind_has_unique_field_names_and_no_clash_with_meta_columns():
    for spec in kinds.ALL_KINDS:
        names = spec.field_names
        meta = kinds.MUTABLE_META if spec.mutable else kinds.ENTRY_META
        assert len(set(names)) == len(names), spec.name
        assert not set(names) & set(meta), spec.name


def _nested(depth):
    value = ["deep"]
    for _ in range(depth):
        value = [value]
    return value


@pytest.mark.parametrize(
    "value",
    [
        [{"name": "Pat", "score": float("nan")}],
        [{"name": "Pat", "score": float("inf")}],
        [{"name": "Pat", "phone": 2**64}],
        {"nested": _nested(40)},
        [{1: "a key that is not text"}],
    ],
    ids=["nan", "infinity", "huge integer", "nested too deep", "non-text key"],
)
def test_structured_values_that_json_cannot_carry_everywhere_are_refused(value):
    # The central store sends stored documents as they are (navigator_server/pull.py): what it
    # keeps must read back the same in every part of the system.
    assert "kept" in messages(kinds.CLIENT, {"key_contacts": value}, partial=True)["key_contacts"]


def test_structured_values_within_limits_are_accepted():
    value = [{"name": "Pat", "relationship": "sister", "phone": "0113 496 0000", "order": 1, "weight": 0.5}]
    assert "key_contacts" not in messages(kinds.CLIENT, {"key_contacts": value}, partial=True)


def test_new_ids_are_version_7_uuids_in_time_order():
    import uuid

    first, second = new_id(), new_id()
    assert uuid.UUID(first).version == 7 and uuid.UUID(first).variant == uuid.RFC_4122
    assert first[:13] <= second[:13]  # the millisecond part first, so ids sort by when they were made
    assert first != second
