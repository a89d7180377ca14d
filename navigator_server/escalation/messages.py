"""What an alert says: the worker's name, a short visit reference, the time they were due out,
what to do, and the acknowledgement link and code. Never the client's name, address, risks or the
place of the visit: those are in the app, behind its login, and an e-mail or text is not."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from navigator_core import timeutil
from navigator_server import store
from navigator_server.overdue import expected_end


@dataclass(frozen=True)
class Message:
    subject: str
    body: str
    ack_url: str
    ack_code: str
    urgent: bool
    visit_ref: str

    @property
    def sms(self) -> str:
        """The text message: short, with the link and the code."""
        return f"{self.subject}. {self.first_line} Acknowledge: {self.ack_url} (code {self.ack_code})"

    @property
    def first_line(self) -> str:
        return self.body.split("\n", 1)[0]


# The steps a person records, as an alert names them (navigator_core.kinds.PERSON_ESCALATION_STEPS).
STEP_WORDS = {
    "called_worker": "the worker was called",
    "called_buddy": "the buddy was called",
    "called_key_contact": "the key contact was called",
    "called_manager": "the manager was called",
    "escalated_to_police": "the police were called",
    "worker_safe": "the worker was recorded safe",
    "other": "another step",
}


def visit_ref(visit_id: str) -> str:
    """A short reference for a visit, nothing more: the id's last six hex digits (random bits;
    its first digits are the time it was made, shared by visits made together)."""
    return "V-" + visit_id.replace("-", "")[-6:].upper()


def clock(text: str | None) -> str:
    if not text:
        return "an unknown time"
    moment = timeutil.local(timeutil.parse(text))
    return f"{moment:%H:%M} on {moment.day} {moment:%b}"


def compose(
    *,
    visit: store.Stored,
    worker_name: str,
    target: str,
    reason: str,
    ack_url: str,
    ack_code: str,
    urgent: bool,
    late_since: str | None = None,
    repeat: int = 0,
    recorded: Sequence[tuple[str, str]] = (),
) -> Message:
    """The alert. `repeat`: the how-manyth time it is sent again because nobody answered;
    `recorded`: the steps people recorded since the alerts began (step, when), which it notes."""
    ref = visit_ref(visit.id)
    due = clock(expected_end(visit.data))
    if reason == "sos":
        subject = f"URGENT: {worker_name} has asked for help ({ref})"
        what = f"{worker_name} pressed SOS in Navigator during visit {ref}. Call them now."
    elif target == "worker":
        subject = f"You have not checked out of visit {ref}"
        what = (
            f"You were due out at {due}. If you are safe, check out or extend the visit in Navigator, "
            "or acknowledge below."
        )
    else:
        subject = f"{'URGENT: ' if urgent else ''}{worker_name} has not checked out ({ref})"
        what = f"{worker_name} was due out of visit {ref} at {due} and has not checked out. Call them now."
    lines = [
        what,
        "",
        "If you cannot reach them, follow the lone-working procedure: open the On call screen in "
        "Navigator for the visit's details. If you believe they are in danger, call 999.",
        "",
        f'Acknowledge ("seen, I am dealing with it") to stop the alerts to everyone else: {ack_url}',
        f"or enter the code {ack_code} at the acknowledgement page.",
    ]
    if recorded:
        done = ", ".join(f"{STEP_WORDS.get(step, 'other')} ({clock(at)})" for step, at in recorded[-5:])
        lines[1:1] = ["", f"Recorded in Navigator since the alerts began: {done}. Nobody has acknowledged."]
    if repeat:
        subject = f"STILL NO ANSWER: {subject}"
        lines.insert(0, f"Nobody has acknowledged this alert yet (sent again, time {repeat + 1}).")
        lines.insert(1, "")
    if late_since:
        lines.insert(
            0, f"This alert is late: it was due at {clock(late_since)} (the alert service was down)."
        )
        lines.insert(1, "")
    return Message(subject, "\n".join(lines), ack_url, ack_code, urgent, ref)
