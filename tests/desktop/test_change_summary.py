"""A large sync's description is summarised per kind and action: views still refresh what they
show, and the GUI thread is not handed (and made to free) hundreds of thousands of objects."""

from __future__ import annotations

from navigator_desktop.store.changes import ANY_CLIENT, MANY_CHANGES, Action, Change, compact
from navigator_desktop.sync.apply import PageResult
from navigator_desktop.sync.engine import SyncReport, _add
from navigator_desktop.ui.changes import concerns


def _changes(n: int, kind: str = "contact") -> list[Change]:
    return [Change(kind, f"r{i}", f"c{i % 50}", Action.LOADED) for i in range(n)]


def test_a_small_description_is_kept_as_it_is():
    small = _changes(MANY_CHANGES)
    assert compact(small) is small


def test_a_large_description_becomes_one_change_per_kind_and_action_about_any_client():
    large = _changes(MANY_CHANGES) + _changes(5, "risk_flag") + [Change("client", "x", "x", Action.DELETE)]
    summary = compact(large)
    assert {(c.kind, c.action) for c in summary} == {
        ("contact", Action.LOADED),
        ("risk_flag", Action.LOADED),
        ("client", Action.DELETE),
    }
    assert all(c.client_id == ANY_CLIENT for c in summary)
    # What a view asks of it: any client may be concerned, only the kinds that came.
    assert concerns(summary, kinds={"risk_flag"}, client_id="c7")
    assert not concerns(summary, kinds={"visit"})
    assert summary[0].about("anyone")
    assert not Change("contact", "r", "c1", Action.LOADED).about("c2")


def test_an_initial_syncs_report_stays_small_page_after_page():
    report = SyncReport()
    for _ in range(40):  # 40 transactions of 10,000 records: an initial sync of a team
        _add(report, PageResult(pulled=10_000, changes=_changes(10_000)))
    assert report.pulled == 400_000
    assert len(report.changes) == 1 and report.changes[0].client_id == ANY_CLIENT
