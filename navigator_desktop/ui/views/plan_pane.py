"""The client's support plan tab: goals by pathway, the selected goal's steps to tick off, its
reviews, and the outcomes achieved. It only shows and asks (the ``requested`` signal); the
flows do the writing."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from navigator_desktop.store.plans import CLOSED_GOAL_STATUSES, Plan
from navigator_desktop.ui import text
from navigator_desktop.ui.models.records import Column, Record, RecordTableModel, selected_record
from navigator_desktop.ui.views.actions import ClientAction
from navigator_desktop.ui.widgets.buttons import named_button
from navigator_desktop.ui.widgets.columns import bare_column
from navigator_desktop.ui.widgets.tables import table

Names = dict[str, str]


def _closed(g: Record) -> bool:
    return g["status"] in CLOSED_GOAL_STATUSES


def _steps_done(g: Record) -> str:
    steps = [s for s in g.get("steps") or [] if isinstance(s, dict)]
    return f"{sum(1 for s in steps if s.get('done'))} of {len(steps)}" if steps else "—"


GOAL_COLUMNS = [
    Column("Pathway", lambda g: text.label(g["pathway"])),
    Column("Goal, in their words", lambda g: text.first_line(g["goal"], 90)),
    Column("Steps done", _steps_done),
    Column("Status", lambda g: text.label(g["status"])),
    Column("Target", lambda g: text.day(g.get("target_date"))),
    Column(
        "Review",
        lambda g: text.day(g.get("review_date")) if _closed(g) else text.review(g.get("review_date")),
    ),
]


def outcome_columns(names: Names, goals: dict[str, str]) -> list[Column]:
    return [
        Column("Achieved", lambda o: text.day(o.get("achieved_on"))),
        Column("Outcome", lambda o: text.label(o["outcome"]) + (" ✎" if o.get("amends_id") else "")),
        Column("Pathway", lambda o: text.label(o["pathway"])),
        Column("Goal", lambda o: text.first_line(goals.get(o.get("goal_id") or "", ""), 50)),
        Column("Recorded", lambda o: f"{text.day(o['recorded_at'])} by {names.get(o['author_id'], '—')}"),
        Column("Notes", lambda o: text.first_line(o.get("notes"), 60)),
    ]


def goal_html(g: Record, reviews: list[Record], names: Names) -> str:
    made = "Yes" if g.get("co_produced") else "No"
    rows = [
        ("Pathway", text.label(g["pathway"])),
        ("Status", text.label(g["status"])),
        ("Target date", text.day(g.get("target_date"))),
        ("Next review", text.review(g.get("review_date"))),
        ("Written with the client", made),
    ]
    table_html = "".join(
        f"<tr><td><b>{escape(k)}</b>&nbsp;&nbsp;</td><td>{escape(v)}</td></tr>" for k, v in rows
    )
    done = "".join(
        f"<li>{text.day(r['when'])}, {escape(names.get(r['by'], '—'))}: {escape(r['note'])}</li>"
        for r in reviews
    )
    history = f"<h4>Reviews</h4><ul>{done}</ul>" if done else "<p><i>Not reviewed yet.</i></p>"
    return f"<p style='font-size:12pt'>“{escape(g['goal'])}”</p><table>{table_html}</table>{history}"


class PlanPane(QWidget):
    # (action, payload): add_goal, edit_goal, review_goal, record_outcome, amend_outcome,
    # outcome_in_error (payload: the record), tick_step ({goal, index, done}), add_step ({goal, step}),
    # export_plan (None)
    requested = Signal(str, object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.names: Names = {}
        self.plan: Plan | None = None
        self.goals = RecordTableModel(GOAL_COLUMNS, self)
        self.outcomes = RecordTableModel([], self)
        self.goal_table = table(self.goals, "Support plan goals")
        self.goal_detail = QTextBrowser()
        self.goal_detail.setAccessibleName("The selected goal and its reviews")
        self.steps = QListWidget()
        self.steps.setObjectName("goalSteps")
        self.steps.setAccessibleName("Steps of the selected goal: tick those done")
        self.new_step = QLineEdit()
        self.new_step.setObjectName("newStep")
        self.new_step.setPlaceholderText("A new step for this goal, then Enter")
        self.add_step = named_button("Add &step", "addStep")
        self.outcome_table = table(self.outcomes, "Outcomes achieved")

        self.add_goal = named_button("&Add a goal…", "addGoal")
        self.edit_goal = named_button("Edit goa&l…", "editGoal")
        self.review = named_button("&Mark reviewed…", "reviewGoal")
        self.record_outcome = named_button("Record an &outcome…", "recordOutcome")
        self.amend_outcome = named_button("Correct outcome…", "amendOutcome")
        self.outcome_in_error = named_button("Outcome entered in error…", "outcomeInError")
        self.export = named_button("Support plan as PD&F…", "exportPlan")

        top = QHBoxLayout()
        for b in (self.add_goal, self.edit_goal, self.review, self.record_outcome):
            top.addWidget(b)
        top.addStretch(1)
        top.addWidget(self.export)

        steps_box, steps_column = bare_column()
        caption = QLabel("<b>Steps</b> (tick when done)")
        caption.setBuddy(self.steps)
        steps_column.addWidget(caption)
        steps_column.addWidget(self.steps, 1)
        adding = QHBoxLayout()
        adding.addWidget(self.new_step, 1)
        adding.addWidget(self.add_step)
        steps_column.addLayout(adding)
        detail = QSplitter(Qt.Orientation.Horizontal)
        detail.addWidget(self.goal_detail)
        detail.addWidget(steps_box)
        detail.setSizes([400, 400])

        outcomes_box, outcomes_column = bare_column()
        heading = QHBoxLayout()
        label = QLabel("<b>Outcomes achieved</b>")
        label.setBuddy(self.outcome_table)
        heading.addWidget(label)
        heading.addStretch(1)
        heading.addWidget(self.amend_outcome)
        heading.addWidget(self.outcome_in_error)
        outcomes_column.addLayout(heading)
        outcomes_column.addWidget(self.outcome_table)

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.goal_table)
        split.addWidget(detail)
        split.addWidget(outcomes_box)
        split.setSizes([220, 200, 160])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)

        self.add_goal.clicked.connect(lambda: self.requested.emit(ClientAction.ADD_GOAL, None))
        self.export.clicked.connect(lambda: self.requested.emit(ClientAction.EXPORT_PLAN, None))
        self.record_outcome.clicked.connect(lambda: self.requested.emit(ClientAction.RECORD_OUTCOME, None))
        for button, action, view in (
            (self.edit_goal, ClientAction.EDIT_GOAL, self.goal_table),
            (self.review, ClientAction.REVIEW_GOAL, self.goal_table),
            (self.amend_outcome, ClientAction.AMEND_OUTCOME, self.outcome_table),
            (self.outcome_in_error, ClientAction.OUTCOME_IN_ERROR, self.outcome_table),
        ):
            button.clicked.connect(lambda _=False, a=action, v=view: self._request(a, v))
        self.add_step.clicked.connect(self._add_step)
        self.new_step.returnPressed.connect(self._add_step)
        self.steps.itemChanged.connect(self._step_changed)
        self.goal_table.selectionModel().selectionChanged.connect(self._goal_selected)
        self.outcome_table.selectionModel().selectionChanged.connect(self._update_buttons)
        self._update_buttons()

    selected = staticmethod(selected_record)

    def selected_goal(self) -> Record | None:
        return self.selected(self.goal_table)

    def _request(self, action: str, view: QTableView) -> None:
        record = self.selected(view)
        if record is not None:
            self.requested.emit(action, record)

    def set_names(self, names: Names) -> None:
        self.names = names

    def show_goals(self, goals: list[Record]) -> None:
        """The goals alone (from the client record); the rest arrives with ``show_plan``."""
        keep = (self.selected_goal() or {}).get("id")
        self.goals.set_rows(goals)
        ids = [g["id"] for g in goals]
        if goals:
            self.goal_table.selectRow(ids.index(keep) if keep in ids else 0)
        self._goal_selected()

    def show_plan(self, plan: Plan) -> None:
        self.plan = plan
        keep_outcome = (self.selected(self.outcome_table) or {}).get("id")
        self.show_goals(plan.goals)
        goal_names = {g["id"]: g["goal"] for g in plan.goals}
        self.outcomes.columns = outcome_columns(self.names, goal_names)
        self.outcomes.set_rows(plan.outcomes)
        ids = [o["id"] for o in plan.outcomes]
        if keep_outcome in ids:
            self.outcome_table.selectRow(ids.index(keep_outcome))
        self._goal_selected()

    def clear(self) -> None:
        self.plan = None
        self.goals.clear()
        self.outcomes.clear()
        self.goal_detail.clear()
        self.steps.clear()

    def _goal_selected(self, *_: QItemSelection) -> None:
        goal = self.selected_goal()
        reviews = self.plan.reviews.get(goal["id"], []) if goal and self.plan else []
        self.goal_detail.setHtml(goal_html(goal, reviews, self.names) if goal else "")
        self.steps.blockSignals(True)
        self.steps.clear()
        for i, step in enumerate((goal or {}).get("steps") or []):
            if not isinstance(step, dict):
                continue
            words = str(step.get("step", ""))
            if step.get("due"):
                words += f"  (by {text.day(step['due'])})"
            if step.get("done") and step.get("done_on"):
                words += f"  ✓ done {text.day(step['done_on'])}"
            item = QListWidgetItem(words)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if step.get("done") else Qt.CheckState.Unchecked)
            item.setData(Qt.ItemDataRole.UserRole, i)
            self.steps.addItem(item)
        self.steps.blockSignals(False)
        self._update_buttons()

    def _step_changed(self, item: QListWidgetItem) -> None:
        goal = self.selected_goal()
        if goal is None:
            return
        done = item.checkState() == Qt.CheckState.Checked
        self.requested.emit(
            ClientAction.TICK_STEP, {"goal": goal, "index": item.data(Qt.ItemDataRole.UserRole), "done": done}
        )

    def _add_step(self) -> None:
        goal = self.selected_goal()
        words = self.new_step.text().strip()
        if goal is None or not words:
            return
        self.new_step.clear()
        self.requested.emit(ClientAction.ADD_STEP, {"goal": goal, "step": words})

    def _update_buttons(self, *_: object) -> None:
        goal = self.selected_goal()
        for b in (self.edit_goal, self.review, self.add_step, self.new_step):
            b.setEnabled(goal is not None)
        outcome = self.selected(self.outcome_table)
        self.amend_outcome.setEnabled(outcome is not None)
        self.outcome_in_error.setEnabled(outcome is not None)
