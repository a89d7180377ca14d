"""What a visit's plan, check-in and check-out say about who can see them: honest about a laptop
that is offline (on call cannot see it yet) or not enrolled (no one is watching at all). Text only.

`reach` is "online", "offline" or "unenrolled" (SyncFlow.reach).
"""

from __future__ import annotations

NOBODY = (
    "This laptop is not connected to a central store, so no one is watching this visit: on call "
    "will not see it, or notice if it runs late. Tell your buddy or the duty line where you are "
    "going and when you expect to finish."
)


RING = " The visit is past its expected end: ring the duty line now to say you are safe."


def _by_reach(reach: str, unenrolled: str, offline: str, online: str) -> str:
    return {"unenrolled": unenrolled, "offline": offline}.get(reach, online)


def planned(reach: str) -> str:
    return _by_reach(
        reach,
        f"Visit planned. {NOBODY}",
        "Visit planned on this laptop. It is offline: on call sees the plan once it reconnects.",
        "Visit planned.",
    )


def before_check_in(reach: str) -> str:
    """Under the safety briefing: who will see the check-in."""
    return _by_reach(
        reach,
        f"Your check-in stays on this laptop. {NOBODY}",
        "This laptop is offline: on call sees your check-in only once it reconnects.",
        "Your check-in is recorded and sent to the central store at once.",
    )


def checked_in(reach: str) -> str:
    return _by_reach(
        reach,
        f"Checked in, on this laptop only. {NOBODY}",
        "Checked in on this laptop, which is offline: on call cannot see this visit until it "
        "reconnects (it is sent as soon as it does). Ring your buddy or the duty line to say where "
        "you are and when you expect to finish.",
        "Checked in. Your check-in is being sent to the central store now: on call sees it there.",
    )


def checked_out(reach: str, past_end: bool) -> str:
    ring = RING if past_end else ""
    return _by_reach(
        reach,
        f"Checked out, on this laptop only: no one else can see it.{ring} Now record the contact.",
        "Checked out on this laptop, which is offline: you can see it, but on call cannot yet and "
        "still sees the visit as open until it reconnects." + ring + " Now record the contact.",
        "Checked out. It is being sent to the central store now. Now record the contact.",
    )
