import pytest
from hypothesis import given
from hypothesis import strategies as st

from navigator_core.hlc import MAX_DRIFT_MS, ClockError, HybridClock, Stamp


def test_stamps_increase_even_when_the_wall_clock_stands_still():
    clock = HybridClock("dev-a", wall_ms=lambda: 1_700_000_000_000)
    stamps = [clock.now() for _ in range(5)]
    assert stamps == sorted(stamps) and len(set(stamps)) == 5


def test_stamps_increase_when_the_wall_clock_goes_backwards():
    times = iter([2_000, 1_000, 500])
    clock = HybridClock("dev-a", wall_ms=lambda: next(times))
    first, second, third = clock.now(), clock.now(), clock.now()
    assert first < second < third


def test_observing_a_later_remote_stamp_moves_the_clock_past_it():
    local = HybridClock("dev-a", wall_ms=lambda: 1_000_000)
    remote = HybridClock("dev-b", wall_ms=lambda: 1_005_000).now()
    local.observe(remote)
    assert local.now() > remote


def test_a_stamp_from_far_in_the_future_is_refused():
    local = HybridClock("dev-a", wall_ms=lambda: 1_000_000)
    future = str(Stamp(1_000_000 + MAX_DRIFT_MS + 1, 0, "dev-b"))
    with pytest.raises(ClockError):
        local.observe(future)


def test_equal_time_and_counter_tie_break_on_device_id():
    a = str(Stamp(5, 0, "aaa"))
    b = str(Stamp(5, 0, "bbb"))
    assert max(a, b) == b


@pytest.mark.parametrize(
    "text",
    [
        "",
        "abc",
        "1.2.x",
        "0000000000001.1.dev",
        "0000000000001.00001.",
        # int() accepts these, but as text they would sort above every real stamp and win every merge
        "9_99999999999.00000.dev",
        "+999999999999.00000.dev",
        "-000000000001.00000.dev",
        " 999999999999.00000.dev",
        "0000000000001.0_001.dev",
        "١٧٠٠٠٠٠٠٠٠٠٠٠.00000.dev",  # noqa: RUF001 - non-ASCII digits, on purpose
    ],
)
def test_malformed_stamps_are_refused(text):
    with pytest.raises(ClockError):
        Stamp.parse(text)


def test_device_ids_with_dots_are_refused():
    with pytest.raises(ClockError):
        HybridClock("a.b")


@given(st.lists(st.integers(min_value=0, max_value=10**12), min_size=1, max_size=50))
def test_text_order_is_stamp_order(walls):
    stamps = [Stamp(w, c % 7, f"d{c % 3}") for c, w in enumerate(walls)]
    by_text = sorted(stamps, key=str)
    assert by_text == sorted(stamps)
    assert all(Stamp.parse(str(s)) == s for s in stamps)


@given(st.lists(st.integers(min_value=0, max_value=10**6), min_size=2, max_size=40))
def test_a_clock_never_repeats_or_goes_back_whatever_the_wall_does(walls):
    feed = iter(walls)
    clock = HybridClock("dev", wall_ms=lambda: next(feed))
    stamps = [clock.now() for _ in walls]
    assert stamps == sorted(stamps) and len(set(stamps)) == len(stamps)
