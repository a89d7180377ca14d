import pytest
from hypothesis import given
from hypothesis import strategies as st

from navigator_core import kinds, timeutil
from navigator_core.fields import new_id
from navigator_core.hlc import HybridClock
from navigator_core.ops import FieldChange, Operation, OpType, WireError

CLOCK = HybridClock("device-1")


def op(**overrides):
    stamp = CLOCK.now()
    base = Operation(
        op_id=new_id(),
        kind="risk_flag",
        record_id=new_id(),
        op=OpType.UPDATE,
        stamp=stamp,
        author_id=new_id(),
        device_id="device-1",
        recorded_at=timeutil.now_text(),
        changes={"severity": FieldChange("high", stamp, "")},
    )
    wire = base.to_wire()
    wire.update(overrides)
    return wire


def test_an_update_round_trips():
    wire = op()
    assert Operation.from_wire(wire).to_wire() == wire


def test_an_append_round_trips_with_an_amendment():
    wire = op(
        kind="contact",
        op="append",
        entry={
            "client_id": new_id(),
            "occurred_at": timeutil.now_text(),
            "contact_type": "phone",
            "narrative": "Rang about the PIP form.",
            "amends_id": new_id(),
            "amend_reason": "Wrong day recorded",
        },
    )
    del wire["changes"]
    assert Operation.from_wire(wire).to_wire() == wire


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"kind": "spaceship"}, "unknown record kind"),
        ({"op": "append"}, "not allowed"),
        ({"op": "explode"}, "unknown operation"),
        ({"record_id": "../../etc/passwd"}, "UUID"),
        ({"stamp": "yesterday"}, "stamp"),
        ({"recorded_at": "soon"}, "recorded_at"),
        ({"changes": {}}, "at least one"),
        ({"changes": {"severity": {"value": "apocalyptic", "stamp": CLOCK.now()}}}, "one of"),
        ({"changes": {"owner": {"value": "x", "stamp": CLOCK.now()}}}, "no field"),
        ({"changes": {"severity": {"value": "low", "stamp": CLOCK.now(), "base": 7}}}, "base"),
        ({"author_id": None}, "author_id"),
    ],
)
def test_malformed_operations_are_refused_with_a_reason(overrides, reason):
    with pytest.raises(WireError, match=reason):
        Operation.from_wire(op(**overrides))


def test_create_must_carry_every_required_field():
    with pytest.raises(WireError, match="needs"):
        Operation.from_wire(op(op="create"))


def test_amendment_needs_a_reason():
    wire = op(
        kind="contact",
        op="append",
        entry={
            "client_id": new_id(),
            "occurred_at": timeutil.now_text(),
            "contact_type": "phone",
            "narrative": "x",
            "amends_id": new_id(),
        },
    )
    with pytest.raises(WireError, match="say why"):
        Operation.from_wire(wire)


def test_audit_events_cannot_be_amended():
    wire = op(
        kind="audit_event", op="append", entry={"action": "view", "amends_id": new_id(), "amend_reason": "x"}
    )
    with pytest.raises(WireError, match="cannot be amended"):
        Operation.from_wire(wire)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=10,
)


@given(st.dictionaries(st.text(max_size=12), json_values, max_size=10))
def test_arbitrary_json_is_refused_cleanly_never_crashes(data):
    with pytest.raises(WireError):
        Operation.from_wire(data)


@given(json_values)
def test_arbitrary_changes_are_refused_with_a_reason_or_parsed_into_known_fields(changes):
    try:
        parsed = Operation.from_wire(op(changes=changes))
    except WireError as refused:
        assert str(refused), "a refusal always says why"
    else:
        assert parsed.changes and set(parsed.changes) <= set(kinds.RISK_FLAG.field_names)
