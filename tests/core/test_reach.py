"""The agencies directory's phone and e-mail check, as the laptop and the server apply it."""

from __future__ import annotations

import pytest

from navigator_core.fields import FieldError
from navigator_core.kinds import AGENCY
from navigator_core.reach import EMAIL_PROBLEM, PHONE_PROBLEM, email_problem, phone_problem

TEAM = "0190a0b0-0000-7000-8000-000000000001"


@pytest.mark.parametrize("number", ["0113 496 0123", "+44 (0)113 496 0123", "101", "0800-123-456", ""])
def test_phone_numbers_one_can_dial_pass(number: str) -> None:
    assert phone_problem(number) is None


@pytest.mark.parametrize("number", ["ring reception", "0113 496 0123 ext 4", "12", "0113496012345678", "+"])
def test_other_phone_text_is_refused_with_a_sentence(number: str) -> None:
    assert phone_problem(number) == PHONE_PROBLEM


@pytest.mark.parametrize("address", ["referrals@leeds-housing.example.org", "a.b@c.uk", None])
def test_e_mail_addresses_pass(address: str | None) -> None:
    assert email_problem(address) is None


@pytest.mark.parametrize("address", ["referrals", "a@b", "a b@c.org", "a@@c.org", "@c.org", "a@c."])
def test_other_e_mail_text_is_refused(address: str) -> None:
    assert email_problem(address) == EMAIL_PROBLEM


def test_an_agency_record_is_checked_for_both() -> None:
    values = {"team_id": TEAM, "name": "Hub", "agency_type": "housing", "phone": "call us", "email": "x"}
    assert AGENCY.errors(values) == [FieldError("phone", PHONE_PROBLEM), FieldError("email", EMAIL_PROBLEM)]
    good = {**values, "phone": "0113 496 0123", "email": "hub@example.org"}
    assert AGENCY.errors(good) == []
