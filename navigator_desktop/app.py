"""Start-up: build the objects and connect them; nothing else."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QApplication, QDialog

from navigator_desktop import branding, demo, logs, paths, single_instance
from navigator_desktop.gc_guard import GuiThreadCollector
from navigator_desktop.session import Session
from navigator_desktop.tasks import TaskRunner
from navigator_desktop.ui.access_audit_flow import install_access_audit
from navigator_desktop.ui.break_glass import install_break_glass
from navigator_desktop.ui.caseload_flow import CaseloadFlow
from navigator_desktop.ui.changes import ChangeBus
from navigator_desktop.ui.client_actions import ClientActions
from navigator_desktop.ui.client_flow import ClientFlow
from navigator_desktop.ui.damage_notice import DamageNotice
from navigator_desktop.ui.dialogs.about import show_about
from navigator_desktop.ui.dialogs.visit_banner import VisitBanner
from navigator_desktop.ui.forms_flow import FormsFlow
from navigator_desktop.ui.lock import DEFAULT_IDLE_MINUTES, ClipboardGuard, IdleLock
from navigator_desktop.ui.main_window import MainWindow
from navigator_desktop.ui.models.caseload import CaseloadModel
from navigator_desktop.ui.on_call_flow import OnCallFlow
from navigator_desktop.ui.reports_flow import install_reports
from navigator_desktop.ui.signed_in import SignedIn
from navigator_desktop.ui.sync_wiring import install_sync
from navigator_desktop.ui.today_flow import TodayFlow
from navigator_desktop.ui.vault_flow import VaultFlow
from navigator_desktop.ui.views.caseload import CaseloadView
from navigator_desktop.ui.views.client import ClientView
from navigator_desktop.ui.views.create_vault import CreateVaultView
from navigator_desktop.ui.views.on_call import OnCallView
from navigator_desktop.ui.views.reports import ReportsView
from navigator_desktop.ui.views.today import TodayView
from navigator_desktop.ui.views.unlock import UnlockView
from navigator_desktop.ui.visits_flow import VisitsFlow
from navigator_desktop.ui.window_place import WindowPlace
from navigator_desktop.vault import KdfParams, passphrase

log = logging.getLogger("navigator.app")


MAX_IDLE_MINUTES = 30.0


def idle_minutes_setting() -> float:
    """Minutes of inactivity before the lock (plain settings: a preference, not a secret)."""
    value = QSettings().value("lock/idle_minutes", DEFAULT_IDLE_MINUTES)
    try:
        minutes = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return DEFAULT_IDLE_MINUTES
    if minutes != minutes:  # NaN
        return DEFAULT_IDLE_MINUTES
    # A preference may shorten the lock, or lengthen it a little, never switch it off.
    return min(MAX_IDLE_MINUTES, max(0.5, minutes))


class Navigator:
    """The running app's objects, kept together so tests can build exactly what users get."""

    def __init__(
        self,
        data_dir: Path,
        demo_mode: bool = False,
        kdf: KdfParams = KdfParams.DEFAULT,
        idle_lock_ms: int | None = None,
    ):
        self.runner: TaskRunner[Session] = TaskRunner(Session(data_dir, kdf))
        self.bus = ChangeBus()
        self.signed_in = SignedIn(self.runner)
        self.caseload_model = CaseloadModel()
        self.create_view = CreateVaultView(passphrase.weaknesses, passphrase.strength)
        self.unlock_view = UnlockView(demo.DEMO_PASSPHRASE if demo_mode else None)
        self.today_view = TodayView()
        self.caseload_view = CaseloadView(self.caseload_model)
        self.client_view = ClientView()
        self.on_call_view = OnCallView()
        self.visit_banner = VisitBanner()
        self.window = MainWindow(
            {
                "create": self.create_view,
                "unlock": self.unlock_view,
                "today": self.today_view,
                "caseload": self.caseload_view,
                "client": self.client_view,
                "on_call": self.on_call_view,
                "reports": ReportsView(),
            },
            demo=demo_mode,
            banner=self.visit_banner,
        )
        self.place = WindowPlace(self.window)
        self.vault_flow = VaultFlow(self.runner, self.create_view, self.unlock_view, demo_mode, self.window)
        self.caseload = CaseloadFlow(self.runner, self.caseload_model, self.caseload_view, self.bus)
        self.today = TodayFlow(self.runner, self.signed_in, self.today_view, self.bus)
        self.client = ClientFlow(self.runner, self.signed_in, self.client_view, self.bus)
        self.forms = FormsFlow(self.runner, self.signed_in, self.bus, self.window)
        self.damage = DamageNotice(self.runner, self.window)
        self.client_actions = ClientActions(self.client, self.forms)
        self.visits = VisitsFlow(
            self.runner, self.signed_in, self.forms, self.bus, self.visit_banner, self.window, self._push_now
        )
        self.on_call = OnCallFlow(
            self.runner, self.signed_in, self.on_call_view, self.forms, self.bus, self.window
        )
        self.idle = IdleLock(idle_lock_ms or int(idle_minutes_setting() * 60_000))
        self.clipboard = ClipboardGuard()
        self._wire()
        self.sync = install_sync(self)
        self.reports = install_reports(self)
        self.break_glass = install_break_glass(self)
        self.on_call_view.break_glass_requested.connect(self.break_glass.request)
        self.access_audit = install_access_audit(self)
        # What others wrote arrives by sync: the on-call lists and my visit follow it.
        self.sync.worker.finished.connect(lambda _report: self._refresh_lone_working())
        # The organisation may impose a shorter idle lock (it arrives with enrolment and sync).
        self.sync.worker.finished.connect(lambda _report: self.vault_flow.read_idle_limit())
        vault_flow = self.vault_flow
        vault_flow.unlocked.connect(vault_flow.read_idle_limit)
        vault_flow.idle_limit.connect(self.idle.impose_minutes)
        vault_flow.message.connect(self.window.status.setText)
        self.window.change_passphrase_action.triggered.connect(vault_flow.change_passphrase)

    def _wire(self) -> None:
        window, vault = self.window, self.vault_flow
        vault.screen_wanted.connect(window.show_screen)
        vault.unlocked.connect(self.caseload.refresh)
        vault.unlocked.connect(self.signed_in.load)
        vault.unlocked.connect(self.idle.arm)
        self.signed_in.loaded.connect(self._signed_in)
        vault.locked.connect(self._locked)
        window.lock_action.triggered.connect(lambda: self.lock())
        self.idle.idle.connect(lambda: self.lock(idle=True))
        window.find_action.triggered.connect(self._find)
        window.about_action.triggered.connect(lambda: show_about(window))
        window.new_contact_action.triggered.connect(self.client_actions.new_contact)
        window.new_client_action.triggered.connect(self.forms.new_client)
        window.note_action.triggered.connect(self._write_note)
        self.today_view.client_activated.connect(self.open_client)
        self.caseload_view.client_activated.connect(self.open_client)
        self.client_view.requested.connect(self.client_actions.handle)
        self.client_view.requested.connect(self._plan_visit)
        self.today_view.visit_requested.connect(self.visits.handle)
        self.on_call_view.client_activated.connect(self.open_client)
        for flow in (self.visits, self.on_call):
            flow.message.connect(window.status.setText)
        self.client.shown.connect(lambda _: window.set_client_open(self._client_name()))
        self.client.failed.connect(window.status.setText)
        self.forms.message.connect(window.status.setText)
        self.runner.failed.connect(lambda name, _: window.status.setText(f"Could not finish: {name}."))

    def _signed_in(self, who: object) -> None:
        if self.window.current_screen() in ("unlock", "create"):
            self.window.show_screen("today" if who is not None else "caseload")
        self.today.refresh()
        self._refresh_lone_working()
        self.forms.restore()
        self.damage.check_after_unlock()

    def _refresh_lone_working(self) -> None:
        self.visits.refresh()
        self.on_call.refresh()

    def _push_now(self) -> None:
        """A check-in or check-out is what on call relies on: send it now if there is a connection."""
        self.sync.worker.sync_now()

    def _plan_visit(self, action: str, _record: object) -> None:
        if action == "plan_visit" and self.client_view.record is not None:
            c = self.client_view.record.client
            self.visits.plan(c["id"], f"{c.get('preferred_name') or c['given_name']} {c['family_name']}")

    def open_client(self, client_id: str) -> None:
        self.window.show_screen("client")
        self.client.open(client_id)

    def _client_name(self) -> str | None:
        record = self.client_view.record
        return f"{record.client['given_name']} {record.client['family_name']}" if record else None

    def _find(self) -> None:
        self.window.show_screen("caseload")
        self.caseload_view.search.setFocus()
        self.caseload_view.search.selectAll()

    def _write_note(self) -> None:
        record = self.client_view.record if self.window.current_screen() == "client" else None
        if record is None:
            self.forms.write_note(None, None)
        else:
            self.client_actions.handle("write_note", None)

    def lock(self, idle: bool = False) -> None:
        """Keep open forms as drafts, then lock; the drafts are queued first, so they land first."""
        if self.window.current_screen() in ("unlock", "create"):
            return
        self.idle.disarm()
        kept = self.forms.stash()
        seconds = round(self.idle.timeout_ms / 1000)
        span = (
            f"{seconds // 60} minute{'s' if seconds // 60 != 1 else ''}" if seconds >= 60 else f"{seconds} s"
        )
        why = f"Locked after {span} without use." if idle else "Locked."
        self._lock_note = why + (
            f" {kept} unsaved form{'s were' if kept != 1 else ' was'} kept, encrypted, and will open again "
            "when you unlock."
            if kept
            else ""
        )
        self.vault_flow.lock()

    def _locked(self) -> None:
        """Drop every model and everything shown, and the clipboard if it holds our text."""
        self.idle.disarm()
        self.caseload.clear()
        self.today.clear()
        self.client.clear()
        self.visits.clear()
        self.on_call.clear()
        self.signed_in.clear()
        self.window.set_client_open(None)
        self.clipboard.clear_if_ours()
        # A dialog left open (a conflict review opened by sync, say) would show records over the
        # unlock screen of an unattended laptop. Open forms were kept as drafts before this.
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QDialog) and widget.isVisible():
                widget.reject()
        self.unlock_view.message.setText(getattr(self, "_lock_note", ""))

    def start(self) -> None:
        self.place.show()
        self.vault_flow.start()

    def shutdown(self) -> None:
        self.sync.worker.stop()
        self.visits.timer.stop()  # its next tick would paint a banner whose window is gone
        self.idle.disarm()
        self.forms.stash()
        self.runner.call(lambda session: session.lock())
        self.runner.stop()


def refuse_core_dumps() -> None:
    """A crash must not leave the decrypted records of an unlocked vault in a core file."""
    try:
        import resource  # POSIX only

        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ImportError, ValueError, OSError):
        log.warning("could not turn off core dumps")


def run(data_dir: Path, demo: bool = False, self_test: bool = False) -> int:
    refuse_core_dumps()
    logs.configure(paths.log_dir(data_dir))
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("Navigator")
    app.setOrganizationName("Navigator")
    # Wayland matches the window to its menu entry by this name (resources/uk.nhs.navigator.desktop).
    QApplication.setDesktopFileName(branding.APP_ID)
    QApplication.setWindowIcon(branding.app_icon())
    try:
        lock = single_instance.acquire(data_dir)
    except single_instance.AlreadyOpenError as error:
        print(f"navigator-desktop: {error}", file=sys.stderr, flush=True)
        single_instance.refuse_second_copy(error, data_dir, ask=not self_test)
        return 3
    collector = GuiThreadCollector(app)
    navigator = Navigator(data_dir, demo_mode=demo)
    forward = single_instance.ComeForward(data_dir, app)
    forward.asked.connect(lambda: single_instance.bring_forward(navigator.window))
    navigator.start()
    if self_test:
        navigator.vault_flow.screen_wanted.connect(lambda name: _report_and_quit(app, name))
    code = app.exec()
    navigator.shutdown()
    collector.stop()
    lock.unlock()
    log.info("quit")
    return code


def _report_and_quit(app: QCoreApplication, screen: str) -> None:
    print(f"navigator-desktop: {screen} window shown", flush=True)
    app.quit()
