"""The partnership report on the Reports screen, beside the others: the store's numbers, small
counts suppressed on screen and in the CSV alike, refreshed when an engagement is recorded, and
saved as CSV where the person chooses (audited), through the same path as every report table."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from PySide6.QtTest import QAbstractItemModelTester

from navigator_core import timeutil
from navigator_core.kinds import ENGAGEMENT_SETTINGS
from navigator_desktop.documents import partnership_csv, report_csv
from navigator_desktop.labels import label
from navigator_desktop.store import engagements
from navigator_desktop.store.reports import partnership
from navigator_desktop.ui.flows.signed_in import actor_of
from navigator_desktop.ui.views.reports import ReportsView
from tests.desktop.store.helpers import engagement_values
from tests.desktop.ui.helpers import save_report_table

FATAL = QAbstractItemModelTester.FailureReportingMode.Fatal
COUNTED = {
    "referrals": range(2, 8),
    "engagements": range(1, 3),
    "partnership_summary": range(1, 2),
}  # the columns of counts in each table


def _open(qtbot, app) -> ReportsView:
    app.window.nav["reports"].trigger()
    view = app.reports.view
    qtbot.waitUntil(lambda: view.partnership is not None, timeout=20_000)
    tab = next(i for i in range(view.tabs.count()) if view.tabs.tabText(i) == "Re&ferrals and engagements")
    view.tabs.setCurrentIndex(tab)
    return view


def _built(app, view: ReportsView) -> partnership.PartnershipReport:
    period = view.selected_period()
    return app.runner.call(lambda s: partnership.build(s.db, s.actor.user_id, period))


def _cells(model) -> list[list[str]]:
    return [[model.cell(r, c) for c in range(model.columnCount())] for r in range(model.rowCount())]


def _record_met_last_month(app, setting: str, times: int) -> None:
    team_id = app.signed_in.who.team_id
    when = timeutil.to_text(timeutil.utcnow().replace(day=1, hour=12) - timedelta(days=10))
    for _ in range(times):
        values = engagement_values(team_id, setting=setting, met_at=when)
        app.bus.publish(app.runner.call(lambda s, v=values: engagements.record(s.db, actor_of(s), v)))


def test_the_partnership_tab_shows_the_store_numbers_with_small_counts_suppressed(qtbot, app):
    view = _open(qtbot, app)
    testers = [QAbstractItemModelTester(m, FATAL) for m in view.partnership_models.values()]
    report = _built(app, view)
    assert view.partnership == report
    assert report.referrals, "the demo caseload has referrals to report"
    for key, model in view.partnership_models.items():
        assert _cells(model) == partnership_csv.rows(report, key), key
    # A setting nobody was met in gets two engagements: its count is too small to show.
    empty = next(s for s in ENGAGEMENT_SETTINGS if report.engagements[s][0] == 0)
    _record_met_last_month(app, empty, 2)
    qtbot.waitUntil(
        lambda: view.partnership is not None and view.partnership.engagements[empty][0] == 2, timeout=20_000
    )
    settings = {row[0]: row[1:] for row in _cells(view.partnership_models["engagements"])}
    assert settings[label(empty)][0] == partnership_csv.FEWER
    # No count from 1 to 4 is shown anywhere on the tab.
    for key, model in view.partnership_models.items():
        for row in _cells(model):
            shown = [row[c] for c in COUNTED[key]]
            assert not set(shown) & {"1", "2", "3", "4"}, (key, row)
    assert partnership_csv.FEWER in view.findChild(type(view.scope), "partnershipNote").text()
    # Locking empties the tab.
    app.window.lock_action.trigger()
    qtbot.waitUntil(lambda: view.partnership is None)
    assert all(m.rowCount() == 0 for m in view.partnership_models.values()) and len(testers) == 3


def test_a_partnership_table_saves_as_csv_and_is_audited(qtbot, app, tmp_path, monkeypatch):
    view = _open(qtbot, app)
    target = tmp_path / "engagements.csv"
    asked = save_report_table(qtbot, app, monkeypatch, "engagements", target)
    report = view.partnership
    assert asked == [report_csv.filename(report, "engagements")]
    assert asked[0].startswith("engagements-caseload-")
    text = target.read_text("utf-8-sig")
    rows = list(csv.reader(io.StringIO(report_csv.table_text(text))))
    assert rows[0] == list(partnership_csv.TABLES["engagements"].headers)
    assert rows[1:] == partnership_csv.rows(report, "engagements")  # as on screen, suppressed alike
    assert partnership_csv.NOTE in text
    events = app.runner.call(
        lambda s: s.db.query("SELECT target_kind, reason FROM audit_events WHERE action = 'export'")
    )
    assert events == [
        {
            "target_kind": "report",
            "reason": f"{partnership_csv.describe(report, 'engagements')} to engagements.csv",
        }
    ]
    assert view.state.text() == "Saved engagements.csv."
