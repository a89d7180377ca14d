import random

from hypothesis import given
from hypothesis import strategies as st

from navigator_core import nhs


def test_known_valid_number_passes_with_spaces():
    assert nhs.is_valid("943 476 5919")


def test_wrong_check_digit_is_explained():
    message = nhs.problem("9434765918")
    assert message is not None and "check digit" in message


def test_wrong_length_is_explained():
    message = nhs.problem("12345")
    assert message is not None and "10 digits" in message


def test_letters_are_refused():
    assert not nhs.is_valid("94347659AB")


def test_remainder_ten_has_no_valid_check_digit():
    # 0000000060: weights give a total whose Modulus 11 check digit would be 10, never issued.
    nine = next(
        "".join(str(d) for d in digits)
        for digits in ([0, 0, 0, 0, 0, 0, 0, n, m] for n in range(10) for m in range(10))
        if nhs.check_digit("".join(str(d) for d in digits)) is None
    )
    assert all(not nhs.is_valid(nine + str(last)) for last in range(10))


@given(st.integers(min_value=0, max_value=2**32))
def test_generated_test_numbers_are_valid_and_in_the_test_range(seed):
    number = nhs.make_test_number(random.Random(seed))
    assert number.startswith("999")
    assert nhs.is_valid(number)


def test_formatted_groups_three_three_four():
    assert nhs.formatted("9434765919") == "943 476 5919"
