"""Break-glass in the app: ask for the reason, fetch the record online off the GUI thread, and
show it in a window with a red banner for as long as it is open.

The flow reads the server address and token from the vault through the TaskRunner (the database
worker), then does the HTTP on a thread of its own (``NetworkJob``): neither ever runs on the GUI
thread. The record lives only in the window's memory: closing it, or the app locking
(``close_all``), drops it; nothing is written to the vault. The store audits the read.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from html import escape
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from navigator_core.fields import FieldSpec
from navigator_core.fields import FieldType as T
from navigator_core.kinds import KINDS
from navigator_desktop.session import Session
from navigator_desktop.sync import break_glass
from navigator_desktop.sync.break_glass import BreakGlassError, BreakGlassRecord, ServerConfig
from navigator_desktop.tasks import TaskRunner
from navigator_desktop.ui import text

BANNER_STYLE = "background: #b00020; color: white; font-weight: bold; padding: 8px 12px;"
# The order the sections read in: the crisis picture first.
SECTIONS = (
    "risk_flag",
    "visit",
    "visit_escalation",
    "handover_note",
    "contact",
    "support_goal",
    "outcome",
    "safeguarding_concern",
)
_HIDDEN = {"client_id", "team_id", "id", "device_id", "amends_id", "amend_reason"}
Fetcher = Callable[[ServerConfig, str, str], BreakGlassRecord]


class NetworkJob(QObject):
    """Runs one network call on its own thread; the result comes back by queued signal on the
    GUI thread (the job object lives there), to `on_done` or `on_error`."""

    _finished = Signal(object, object)  # result, error

    def __init__(
        self, work: Callable[[], Any], on_done: Callable[[Any], None], on_error: Callable[[Exception], None]
    ) -> None:
        super().__init__()
        self._on_done, self._on_error = on_done, on_error
        self._finished.connect(self._deliver)
        self.done = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(work,), name="navigator-net", daemon=True)

    def start(self) -> NetworkJob:
        self._thread.start()
        return self

    def _run(self, work: Callable[[], Any]) -> None:
        try:
            result, error = work(), None
        except Exception as exc:
            result, error = None, exc
        self._finished.emit(result, error)

    def _deliver(self, result: Any, error: Exception | None) -> None:
        self.done.set()
        if error is not None:
            self._on_error(error)
        else:
            self._on_done(result)


class ReasonDialog(QDialog):
    """Asks why; says it is audited; will not accept fewer than ten characters."""

    def __init__(self, client_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Break-glass: record outside your caseload")
        self.explain = QLabel(
            f"<b>{escape(client_name)}</b> is not on your caseload. You can see their on-call summary. "
            "To open their full record, say why you need it now. Your reason, your name, this laptop "
            "and the time are recorded on the central store, and your manager can see them."
        )
        self.explain.setWordWrap(True)
        self.reason = QPlainTextEdit()
        self.reason.setAccessibleName("Reason")
        self.reason.setPlaceholderText(
            "e.g. Police welfare check requested tonight; need the crisis contacts"
        )
        self.reason.setFixedHeight(90)
        self.hint = QLabel()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.open_button = self.buttons.addButton("Open record", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.explain)
        layout.addWidget(self.reason)
        layout.addWidget(self.hint)
        layout.addWidget(self.buttons)
        self.reason.textChanged.connect(self._check)
        self.resize(520, 260)
        self._check()

    @property
    def text(self) -> str:
        return self.reason.toPlainText().strip()

    def _check(self) -> None:
        problem = break_glass.check_reason(self.text)
        self.open_button.setEnabled(problem is None)
        self.hint.setText(problem or "This look will be audited.")


class BreakGlassWindow(QWidget):
    """The record, held in memory, under a red banner that names the reason."""

    closed = Signal(object)  # this window, as it closes

    def __init__(
        self, record: BreakGlassRecord, client_name: str, names: dict[str, str] | None = None
    ) -> None:
        super().__init__(None, Qt.WindowType.Window)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.record: BreakGlassRecord | None = record
        self.setWindowTitle(f"{client_name} — break-glass access")
        self.banner = QLabel(f"Break-glass access: {record.reason} — audited")
        self.banner.setObjectName("breakGlassBanner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(BANNER_STYLE)
        self.banner.setAccessibleName("Break-glass banner")
        self.heading = QLabel(
            f"<h2 style='margin:0'>{escape(client_name)}</h2>Full record, outside your caseload"
        )
        self.heading.setContentsMargins(12, 8, 12, 4)
        self.body = QTextBrowser()
        self.body.setOpenLinks(False)
        self.body.setHtml(render(record, names or {}))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.banner)
        layout.addWidget(self.heading)
        layout.addWidget(self.body, 1)
        self.resize(820, 640)

    def closeEvent(self, event: Any) -> None:
        self.record = None  # drop the record with the window
        self.body.clear()
        self.closed.emit(self)
        super().closeEvent(event)


def _value(kind: str, spec: FieldSpec, value: Any, names: dict[str, str]) -> str:
    """A stored value in words: choices labelled, times in London, people by name."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if spec.type is T.TAGS and isinstance(value, list):
        return text.labels(value)
    if isinstance(value, list):
        return ", ".join(names.get(str(v), str(v)) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in value.items())
    if spec.type is T.DATETIME:
        return text.moment(str(value))
    if spec.type is T.DATE:
        return text.day(str(value))
    if spec.type is T.UUID:
        return names.get(str(value), "")
    if spec.type is T.ENUM:
        # "active" reads "Active in community" for a client; elsewhere it is plain "Active".
        return (
            text.label(str(value)) if kind == "client" or spec.name != "status" else str(value).capitalize()
        )
    return str(value)


def _fields(kind: str, values: dict[str, Any], names: dict[str, str]) -> str:
    rows = []
    for spec in KINDS[kind].fields:
        if spec.name in _HIDDEN or values.get(spec.name) in (None, "", []):
            continue
        shown = _value(kind, spec, values[spec.name], names)
        if shown:
            label = f"<td style='color:#555;padding-right:12px'>{escape(spec.title)}</td>"
            rows.append(f"<tr>{label}<td>{escape(shown)}</td></tr>")
    return "<table>" + "".join(rows) + "</table>"


def render(record: BreakGlassRecord, names: dict[str, str]) -> str:
    """The record as HTML, every value escaped: the crisis picture, then the history."""
    client = record.client
    parts = [
        f"<p style='color:#555'>Fetched {escape(text.moment(record.fetched_at))} from the central store; "
        "shown here only and not saved on this laptop.</p>",
        "<h3>Client</h3>",
        _fields("client", client, names),
    ]
    kinds = [k for k in SECTIONS if k in record.kinds] + [k for k in record.kinds if k not in SECTIONS]
    for kind in kinds:
        if kind not in KINDS:
            continue
        items = record.of_kind(kind)
        items.sort(
            key=lambda r: str(r.get("occurred_at") or r.get("recorded_at") or r.get("created_at") or "")
        )
        items.reverse()
        parts.append(f"<h3>{escape(KINDS[kind].label)} ({len(items)})</h3>")
        for item in items:
            who = names.get(str(item.get("author_id") or item.get("created_by") or ""), "")
            when = text.moment(item.get("recorded_at") or item.get("created_at"))
            parts.append(f"<p style='margin-bottom:0;color:#555'>{escape(when)} {escape(who)}</p>")
            parts.append(_fields(kind, item, names))
    return "".join(parts)


class BreakGlassFlow(QObject):
    """``request(client_id, client_name)``: reason, then the fetch, then the window (or a message
    saying plainly why not). The lead connects the on-call screen's signal to ``request`` and the
    app's lock to ``close_all``."""

    opened = Signal(object)  # the BreakGlassWindow
    failed = Signal(str)

    def __init__(
        self,
        parent: QWidget | None,
        runner: TaskRunner[Session],
        names: Callable[[], dict[str, str]] | None = None,
        fetcher: Fetcher | None = None,
    ) -> None:
        super().__init__(parent)
        self.parent_widget = parent
        self.runner = runner
        self.names = names or dict
        self.fetcher: Fetcher = fetcher or (
            lambda config, cid, reason: break_glass.fetch(config, cid, reason)
        )
        self.dialog: ReasonDialog | None = None
        self._asked: tuple[str, str] | None = None  # (client id, name) the open dialog is about
        self.message: QMessageBox | None = None
        self.windows: list[BreakGlassWindow] = []
        self.job: NetworkJob | None = None
        # Bumped by close_all (lock, sign-out): a fetch started before it is stale, and its
        # record (or its failure) is dropped rather than shown over the unlock screen.
        self.generation = 0

    def request(self, client_id: str, client_name: str) -> None:
        dialog = ReasonDialog(client_name, self.parent_widget)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._asked = (client_id, client_name)
        # Bound methods, not lambdas holding `self` or the dialog: PySide6 can crash on teardown.
        dialog.accepted.connect(self._accepted)
        self.dialog = dialog
        dialog.open()

    def _accepted(self) -> None:
        if self.dialog is None or self._asked is None:
            return
        client_id, client_name = self._asked
        self._fetch(client_id, client_name, self.dialog.text)

    def _fetch(self, client_id: str, client_name: str, reason: str) -> None:
        generation = self.generation

        def failed(error: BaseException) -> None:
            self._fail(error, generation)

        def start(config: ServerConfig) -> None:
            if generation != self.generation:
                return  # locked while the config was read: do not go to the network
            self.job = NetworkJob(
                lambda: self.fetcher(config, client_id, reason),
                lambda record: self._show(record, client_name, generation),
                failed,
            ).start()

        self.runner.submit(break_glass.read_config, start, failed, name="break-glass config")

    def _show(self, record: BreakGlassRecord, client_name: str, generation: int | None = None) -> None:
        if generation is not None and generation != self.generation:
            return  # the app locked while this was in flight: drop the record, open nothing
        window = BreakGlassWindow(record, client_name, self.names())
        window.closed.connect(self._closed)
        self.windows.append(window)
        window.show()
        self.opened.emit(window)

    def _fail(self, error: BaseException, generation: int | None = None) -> None:
        if generation is not None and generation != self.generation:
            return  # stale: the person locked the app; no message over the unlock screen
        message = str(error) if isinstance(error, BreakGlassError) else "The record could not be fetched."
        box = QMessageBox(QMessageBox.Icon.Warning, "Break-glass", message, parent=self.parent_widget)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.message = box
        box.open()
        self.failed.emit(message)

    def _closed(self, window: BreakGlassWindow) -> None:
        if window in self.windows:
            self.windows.remove(window)

    def close_all(self) -> None:
        """On lock or sign-out: every break-glass window closes and its record is dropped, and
        any fetch still in flight is made stale so its result never opens a window."""
        self.generation += 1
        # A reason dialog or a message left open would sit over the unlock screen naming the client.
        if self.dialog is not None and shiboken6.isValid(self.dialog):
            self.dialog.reject()
        if self.message is not None and shiboken6.isValid(self.message):
            self.message.close()
        self.dialog, self.message, self._asked = None, None, None
        for window in list(self.windows):
            window.close()
        self.windows.clear()


def install_break_glass(navigator: Any) -> BreakGlassFlow:
    """The flow for a running app: names from the directory, every window closed on lock. The
    lead connects the on-call screen's request signal to ``flow.request``."""
    flow = BreakGlassFlow(navigator.window, navigator.runner, names=lambda: navigator.signed_in.names)
    navigator.vault_flow.locked.connect(flow.close_all)
    return flow
