"""Start-up: build the objects and connect them; nothing else.

Each flow gets the objects it needs (the runner, the change bus, its screens, the window) and
nothing more; nothing imports this module (tests/desktop/test_ui_imports.py).
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication

from navigator_desktop import branding, demo, logs, paths, single_instance
from navigator_desktop.gc_guard import GuiThreadCollector
from navigator_desktop.session import Session
from navigator_desktop.sync_worker import SyncWorker
from navigator_desktop.tasks import TaskRunner
from navigator_desktop.ui import text
from navigator_desktop.ui.changes import ChangeBus
from navigator_desktop.ui.damage_notice import DamageNotice
from navigator_desktop.ui.dialogs.about import show_about
from navigator_desktop.ui.dialogs.visit_banner import VisitBanner
from navigator_desktop.ui.flows import errors
from navigator_desktop.ui.flows.access_audit import AccessAuditFlow
from navigator_desktop.ui.flows.agencies import AgenciesFlow
from navigator_desktop.ui.flows.break_glass import BreakGlassFlow
from navigator_desktop.ui.flows.caseload import CaseloadFlow
from navigator_desktop.ui.flows.client import ClientFlow
from navigator_desktop.ui.flows.client_actions import ClientActions
from navigator_desktop.ui.flows.concerns import ConcernsFlow
from navigator_desktop.ui.flows.engagements import EngagementsFlow
from navigator_desktop.ui.flows.enrolment import EnrolmentFlow
from navigator_desktop.ui.flows.forms import FormsFlow
from navigator_desktop.ui.flows.lock import ClipboardGuard, IdleLock, LockFlow, idle_minutes_setting
from navigator_desktop.ui.flows.on_call import OnCallFlow
from navigator_desktop.ui.flows.plan import PlanFlow
from navigator_desktop.ui.flows.referrals import ReferralsFlow
from navigator_desktop.ui.flows.reports import ReportsFlow
from navigator_desktop.ui.flows.settings import SettingsFlow
from navigator_desktop.ui.flows.signed_in import SignedIn
from navigator_desktop.ui.flows.sos import SosFlow
from navigator_desktop.ui.flows.supervision import SupervisionFlow
from navigator_desktop.ui.flows.sync import SyncFlow
from navigator_desktop.ui.flows.today import TodayFlow
from navigator_desktop.ui.flows.vault import VaultFlow
from navigator_desktop.ui.flows.visits import VisitsFlow
from navigator_desktop.ui.flows.watch import LockedWatch
from navigator_desktop.ui.main_window import MainWindow
from navigator_desktop.ui.models.caseload import CaseloadModel
from navigator_desktop.ui.notifier import Notifier
from navigator_desktop.ui.views.access_audit import AccessAuditView
from navigator_desktop.ui.views.actions import ClientAction
from navigator_desktop.ui.views.agencies import AgenciesView
from navigator_desktop.ui.views.caseload import CaseloadView
from navigator_desktop.ui.views.client import ClientView
from navigator_desktop.ui.views.create_vault import CreateVaultView
from navigator_desktop.ui.views.engagements import EngagementsView
from navigator_desktop.ui.views.on_call import OnCallView
from navigator_desktop.ui.views.reports import ReportsView
from navigator_desktop.ui.views.supervision import SupervisionView
from navigator_desktop.ui.views.today import TodayView
from navigator_desktop.ui.views.unlock import UnlockView
from navigator_desktop.ui.window_place import WindowPlace
from navigator_desktop.vault import KdfParams, passphrase

log = logging.getLogger("navigator.app")


class Navigator:
    """The running app's objects, kept together so tests can build exactly what users get."""

    def __init__(
        self, data_dir: Path, demo_mode: bool = False, kdf: KdfParams = KdfParams.DEFAULT,
        idle_lock_ms: int | None = None, tray: bool | None = None,
    ):  # fmt: skip
        self.runner: TaskRunner[Session] = TaskRunner(Session(data_dir, kdf))
        runner, bus = self.runner, ChangeBus()
        self.bus, self.signed_in = bus, SignedIn(runner)
        # The screens.
        self.caseload_model = CaseloadModel()
        self.create_view = CreateVaultView(passphrase)
        self.unlock_view = UnlockView(demo.DEMO_PASSPHRASE if demo_mode else None)
        self.today_view, self.client_view, self.on_call_view = TodayView(), ClientView(), OnCallView()
        self.caseload_view = CaseloadView(self.caseload_model)
        self.visit_banner = VisitBanner()
        self.window = window = MainWindow(demo=demo_mode, banner=self.visit_banner)
        reports_view, supervision_view = ReportsView(), SupervisionView()
        for name, screen in (("create", self.create_view), ("unlock", self.unlock_view),
                             ("today", self.today_view), ("caseload", self.caseload_view),
                             ("client", self.client_view), ("on_call", self.on_call_view),
                             ("reports", reports_view), ("supervision", supervision_view)):  # fmt: skip
            window.add_screen(name, screen)
        self.engagements_view = EngagementsView()
        window.add_screen("engagements", self.engagements_view)
        self.agencies_view = AgenciesView()
        window.add_screen("agencies", self.agencies_view)
        self.place = WindowPlace(window)
        # The flows, each with what it works on.
        self.vault_flow = vault = VaultFlow(runner, self.create_view, self.unlock_view, demo_mode, window)
        self.caseload = CaseloadFlow(runner, self.caseload_model, self.caseload_view, bus)
        self.today = TodayFlow(runner, self.signed_in, self.today_view, bus)
        self.client = ClientFlow(runner, self.signed_in, self.client_view, bus)
        self.forms = FormsFlow(runner, self.signed_in, bus, window)
        self.agencies = AgenciesFlow(runner, self.signed_in, self.agencies_view, self.forms, bus, window)
        self.damage = DamageNotice(runner, window)
        self.engagements = EngagementsFlow(
            runner, self.signed_in, self.engagements_view, self.forms, bus, window
        )
        sync_worker = SyncWorker(runner)
        # A check-in or check-out is what on call relies on: it is sent at once if online.
        self.visits = VisitsFlow(runner, self.signed_in, self.forms, bus, self.visit_banner, window,
                                 sync_worker.sync_now, reach=lambda: self.sync.reach())  # fmt: skip
        self.on_call = OnCallFlow(runner, self.signed_in, self.on_call_view, self.forms, bus, window)
        self.plan = PlanFlow(runner, self.forms)
        self.concerns = ConcernsFlow(self.forms)
        self.client_actions = ClientActions(self.client, self.forms, self.plan, self.visits, self.concerns)
        self.supervision = SupervisionFlow(runner, self.signed_in, supervision_view, self.forms, bus)
        self.referrals = ReferralsFlow(runner, self.client, self.forms, bus)
        self.referrals.register(self.client_actions)
        self.sync = SyncFlow(runner, bus, vault, window, sync_worker)
        self.reports = ReportsFlow(runner, self.signed_in, reports_view, bus)
        self.break_glass = BreakGlassFlow(window, runner, names=lambda: self.signed_in.names)
        self.access_audit = AccessAuditFlow(runner, AccessAuditView())
        self.idle = IdleLock(idle_lock_ms or int(idle_minutes_setting() * 60_000))
        self.clipboard = ClipboardGuard()
        self.notifier = Notifier(window, tray)
        self.settings = SettingsFlow(window, self.idle, self.notifier, vault)
        # A locked on-call laptop keeps a narrow watch: counts only, its token in memory only.
        self.watch = LockedWatch(runner, vault, self.signed_in, self.notifier, self.unlock_view)
        self.sos = SosFlow(runner, window, lambda: self.visit_banner.visit)
        self.enrolment = EnrolmentFlow(runner, window)
        self.lock_flow = LockFlow(vault, self.forms, self.signed_in, window, self.unlock_view, self.idle,
                                  self.clipboard)  # fmt: skip
        self._wire()
        self._wire_engagements()
        self._wire_enrolment()

    def _wire_enrolment(self) -> None:
        """Connect to your organisation: offered after the vault is made, in the Navigator menu
        until enrolled; once enrolled, who is signed in is read again and the first sync starts."""
        enrolment, vault = self.enrolment, self.vault_flow
        self.window.add_menu_action(enrolment.action)
        vault.created.connect(enrolment.offer)
        vault.unlocked.connect(enrolment.check)
        vault.locked.connect(enrolment.close)
        enrolment.enrolled.connect(self.window.status.setText)
        enrolment.enrolled.connect(lambda _said: self.signed_in.load())
        enrolment.enrolled.connect(lambda _said: self.sync.refresh())
        enrolment.enrolled.connect(lambda _said: self.sync.worker.sync_now())

    def _wire(self) -> None:
        window, vault, signed_in = self.window, self.vault_flow, self.signed_in
        window.statusBar().addPermanentWidget(self.sync.widget)
        window.add_menu_action(self.access_audit.action)
        window.add_menu_action(self.sos.action)
        window.add_menu_action(self.supervision.action)
        self.supervision.action.triggered.connect(lambda: window.show_screen("supervision"))
        signed_in.loaded.connect(lambda _who: self.supervision.signed_in_changed())
        window.add_menu_action(self.agencies.action)
        vault.unlocked.connect(lambda: self.agencies.set_unlocked(True))
        vault.locked.connect(lambda: self.agencies.set_unlocked(False))
        window.add_menu_action(self.settings.action)
        self.sos.action.setEnabled(False)
        vault.unlocked.connect(lambda: self.sos.action.setEnabled(True))
        vault.locked.connect(lambda: self.sos.action.setEnabled(False))
        self.visit_banner.sos_requested.connect(self.sos.ask)
        vault.screen_wanted.connect(window.show_screen)
        vault.unlocked.connect(self.caseload.refresh)
        vault.unlocked.connect(signed_in.load)
        vault.unlocked.connect(vault.read_idle_limit)
        signed_in.loaded.connect(self._signed_in)
        # At each unlock, discharged clients past the retention period leave this laptop.
        signed_in.loaded.connect(lambda _who: self.plan.purge_retained())
        signed_in.loaded.connect(lambda _who: self.reports.signed_in_changed())
        # On lock every flow empties what it shows (the lock flow drops the rest).
        # The status bar may hold a sentence naming a client (a visit warning): not over the lock.
        vault.locked.connect(window.status.clear)
        for clear in (self.caseload.clear, self.today.clear, self.client.clear, self.visits.hold,
                      self.on_call.clear, self.reports.clear, self.break_glass.close_all,
                      self.access_audit.close, self.supervision.clear):  # fmt: skip
            vault.locked.connect(clear)
        window.lock_action.triggered.connect(lambda: self.lock_flow.lock())
        window.change_passphrase_action.triggered.connect(vault.change_passphrase)
        window.find_action.triggered.connect(self._find)
        window.about_action.triggered.connect(lambda: show_about(window))
        window.new_contact_action.triggered.connect(self.client_actions.new_contact)
        window.new_client_action.triggered.connect(self.forms.new_client)
        window.note_action.triggered.connect(self._write_note)
        for view in (self.today_view, self.caseload_view, self.on_call_view, self.reports.view,
                     self.supervision.view):  # fmt: skip
            view.client_activated.connect(self.open_client)
        self.client_view.requested.connect(self.client_actions.handle)
        self.supervision.view.contact_activated.connect(self.open_contact)
        self.today_view.visit_requested.connect(self.visits.handle)
        self.on_call_view.break_glass_requested.connect(self.break_glass.request)
        self.client.shown.connect(lambda _: window.set_client_open(self._client_name()))
        for source in (self.client.failed, self.forms.message, self.visits.message, self.on_call.message,
                       self.reports.message, vault.message):  # fmt: skip
            source.connect(window.status.setText)
        # The visit warnings survive the lock: a system notification and the lock screen say them.
        self.visits.alarm.connect(self.notifier.notify)
        self.visits.alarm.connect(self.unlock_view.show_alarm)
        self.visits.lock_note.connect(self.unlock_view.show_visit)
        self.visits.lock_note.connect(lambda note: self.notifier.set_state(note or self._state()))
        vault.unlocked.connect(lambda: self.notifier.set_state("Unlocked"))
        self.runner.failed.connect(lambda name, error: window.status.setText(errors.unfinished(name, error)))
        # What others wrote arrives by sync: the on-call lists and my visit follow it, and the
        # organisation may impose a shorter idle lock (it arrives with enrolment and sync).
        self.sync.worker.finished.connect(lambda _report: self._refresh_lone_working())
        self.sync.worker.finished.connect(lambda _report: vault.read_idle_limit())

    def _wire_engagements(self) -> None:
        window, vault, flow = self.window, self.vault_flow, self.engagements
        window.add_menu_action(flow.record_action)
        window.add_menu_action(flow.show_action)
        flow.screen_wanted.connect(window.show_screen)
        vault.unlocked.connect(lambda: flow.set_enabled(True))
        vault.locked.connect(lambda: flow.set_enabled(False))
        vault.locked.connect(flow.clear)
        self.signed_in.loaded.connect(lambda _who: flow.refresh())
        self.engagements_view.client_activated.connect(self.open_client)
        self.engagements_view.supervision_requested.connect(self.concerns.engagement_for_supervision)

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

    def open_client(self, client_id: str) -> None:
        self.window.show_screen("client")
        self.client.open(client_id)

    def open_contact(self, client_id: str, contact_id: str) -> None:
        self.client_view.reveal_contact(contact_id)
        self.open_client(client_id)

    def _state(self) -> str:
        return "Unlocked" if self.window.current_screen() not in ("unlock", "create") else "Locked"

    def _client_name(self) -> str | None:
        record = self.client_view.record
        return text.full_name(record.client) if record else None

    def _find(self) -> None:
        self.window.show_screen("caseload")
        self.caseload_view.search.setFocus()
        self.caseload_view.search.selectAll()

    def _write_note(self) -> None:
        if self.window.current_screen() == "client" and self.client_view.record is not None:
            self.client_actions.handle(ClientAction.WRITE_NOTE, None)
        else:
            self.forms.write_note(None, None)

    def lock(self, idle: bool = False) -> None:
        self.lock_flow.lock(idle)

    def start(self) -> None:
        self.place.show()
        self.vault_flow.start()

    def shutdown(self) -> None:
        self.sync.worker.stop()
        self.watch.stop()  # forgets the watch token
        self.visits.timer.stop()  # its next tick would paint a banner whose window is gone
        self.notifier.close()
        self.idle.close()
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
