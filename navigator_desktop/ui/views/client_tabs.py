"""What the client screen's tabs show: columns of each list and the overview as simple HTML."""

from __future__ import annotations

from html import escape
from typing import Any

from navigator_core import nhs
from navigator_desktop.store.risk import Revision
from navigator_desktop.ui import text, theme
from navigator_desktop.ui.models.records import Column

Record = dict[str, Any]
Names = dict[str, str]


def contact_columns(names: Names) -> list[Column]:
    def marks(c: Record) -> str:
        found = []
        if c.get("late_entry"):
            found.append(f"Late entry (written {text.moment(c['recorded_at'])})")
        if c.get("amended"):
            found.append("✎ Corrected")
        if c.get("safeguarding_raised"):
            found.append("⚠ Safeguarding raised")
        if c.get("for_supervision"):
            found.append(
                "⚑ For supervision" if c["for_supervision"] == "open" else "✓ Discussed in supervision"
            )
        return "; ".join(found)

    return [
        Column("When", lambda c: text.moment(c["occurred_at"])),
        Column("Type", lambda c: text.label(c["contact_type"])),
        Column("Minutes", lambda c: str(c.get("duration_minutes") or "—")),
        Column("By", lambda c: names.get(c["author_id"], "—")),
        Column("Notes", marks),
        Column("What happened", lambda c: text.first_line(c["narrative"], 100)),
    ]


def risk_level(r: Record) -> str | None:
    return str(r["severity"]) if r["status"] == "active" else None


def risk_columns(names: Names) -> list[Column]:
    return [
        Column("Status", lambda r: "Active" if r["status"] == "active" else "✓ Resolved"),
        Column("Severity", lambda r: theme.RISK_WORDS[r["severity"]], risk_level),
        Column("Category", lambda r: text.label(r["category"])),
        Column("Review", lambda r: text.review(r.get("review_date")) if r["status"] == "active" else "—"),
        Column(
            "Raised",
            lambda r: f"{text.day(r.get('raised_on'))} by {names.get(r.get('raised_by') or '', '—')}",
        ),
        Column("Description", lambda r: text.first_line(r["description"], 80)),
    ]


def note_columns(names: Names) -> list[Column]:
    return [
        Column("Read", lambda n: "✓ Read" if n.get("read") else "● Unread"),
        Column("Priority", lambda n: "⚑ Urgent" if n["priority"] == "urgent" else "Routine",
               lambda n: "high" if n["priority"] == "urgent" else None),
        Column("From", lambda n: f"{names.get(n['author_id'], '—')}, {text.moment(n['valid_from'])}"),
        Column("For", lambda n: names.get(n.get("for_user_id") or "", "") or text.label(n["audience"])),
        Column("Note", lambda n: text.first_line(n["text"], 100)),
    ]  # fmt: skip


def audit_columns(names: Names) -> list[Column]:
    return [
        Column("When", lambda a: text.moment(a["recorded_at"])),
        Column("Who", lambda a: names.get(a["author_id"], "—")),
        Column("What", lambda a: f"{text.label(a['action'])} {text.label(a.get('target_kind')).lower()}"),
        Column("Why", lambda a: a.get("reason") or ""),
    ]


def version_columns(names: Names) -> list[Column]:
    def state(c: Record) -> str:
        if c["state"] == "entered_in_error":
            return f"✗ Entered in error: {c.get('error_reason') or ''}"
        return "Replaced by a correction"

    return [
        Column("Happened", lambda c: text.moment(c["occurred_at"])),
        Column("Written", lambda c: f"{text.moment(c['recorded_at'])} by {names.get(c['author_id'], '—')}"),
        Column("State", state),
        Column("What happened", lambda c: text.first_line(c["narrative"], 80)),
    ]


def _rows(pairs: list[tuple[str, Any]]) -> str:
    cells = "".join(
        f"<tr><td style='padding-right:16px'><b>{escape(k)}</b></td><td>{escape(str(v))}</td></tr>"
        for k, v in pairs
        if v not in (None, "", [])
    )
    return f"<table>{cells}</table>" if cells else "<p><i>Nothing recorded.</i></p>"


rows_html = _rows  # for the other tabs' details (safeguarding.py)


def partner_rows(partners: list[Record]) -> list[tuple[str, Any]]:
    """The agencies a client works with (from their referrals): name, then pathways, where the
    latest referral stands and how to reach the agency."""
    rows = []
    for a in partners:
        parts = (text.labels(a.get("referral_pathways")), text.label(a.get("latest_status")),
                 a.get("phone"), a.get("email"))  # fmt: skip
        rows.append((a["name"], "; ".join(p for p in parts if p)))
    return rows


def overview_html(c: Record, names: Names, partners: list[Record] | None = None) -> str:
    yes_no = {True: "Yes", False: "No", None: None}
    identity = [
        ("Preferred name", c.get("preferred_name")),
        ("Pronouns", c.get("pronouns")),
        ("Born", f"{text.day(c.get('date_of_birth'))} (age {text.age(c.get('date_of_birth'))})"),
        ("NHS number", nhs.formatted(c["nhs_number"]) if c.get("nhs_number") else None),
        ("Address", ", ".join(p for p in (c.get("address"), c.get("postcode")) if p)),
        ("Phone", c.get("phone")),
        ("Status", text.label(c.get("status"))),
        ("Key worker", names.get(c.get("key_worker_id") or "")),
        ("Co-workers", ", ".join(names.get(w, "?") for w in c.get("co_worker_ids") or [])),
        ("Language", c.get("language")),
        ("Interpreter", yes_no[c.get("interpreter_needed")]),
        ("Access needs", c.get("accessibility_needs")),
        ("Consent to share", yes_no[c.get("consent_to_share")]),
    ]
    mappa = (
        f"Category {c['mappa_category']}, level {c.get('mappa_level') or '?'}"
        if c.get("mappa_category")
        else None
    )
    forensic = [
        ("Legal framework", text.label(c["legal_framework"]) if c.get("legal_framework") else None),
        ("Conditions", c.get("conditions")),
        ("MAPPA", mappa),
        ("Licence conditions", c.get("licence_conditions")),
        ("Exclusion zones", c.get("exclusion_zones")),
        ("No contact with", c.get("no_contact")),
        ("Recall triggers", c.get("recall_triggers")),
        ("Crisis plan", c.get("crisis_plan")),
        ("CPA review", text.review(c.get("cpa_review_date")) if c.get("cpa_review_date") else None),
        ("Support plan review", text.review(c.get("plan_review_date"))
         if c.get("plan_review_date") else None),
        ("Discharged from hospital", text.day(c.get("hospital_discharge_date"))
         if c.get("hospital_discharge_date") else None),
    ]  # fmt: skip
    people = c.get("key_contacts") or []
    family = [
        (
            f"{p.get('name', '?')} ({p.get('relationship', 'contact')})",
            "; ".join(
                x
                for x in (
                    p.get("phone"),
                    "carer" if p.get("carer") else "",
                    "may be called in a crisis"
                    if p.get("may_contact_in_crisis")
                    else "not to be called in a crisis",
                )
                if x
            ),
        )
        for p in people
        if isinstance(p, dict)
    ]
    agencies = [
        ("NHS care coordinator", c.get("care_coordinator")),
        ("Referred by", c.get("referral_source")),
        ("Referred on", text.day(c["referral_date"]) if c.get("referral_date") else None),
        *partner_rows(partners or []),
    ]
    return (
        "<h3>Identity and contact</h3>" + _rows(identity)
        + "<h3>Forensic and legal</h3>" + _rows(forensic)
        + "<h3>Carers, family and friends</h3>" + _rows(family)
        + "<h3>Agencies</h3>" + _rows(agencies)
    )  # fmt: skip


def supervision_html(flags: list[Record], names: Names) -> str:
    """Each time the record was raised in supervision: by whom and why, and what was discussed."""
    lines = []
    for item in flags:
        to = names.get(item.get("supervisor_id") or "", "") or "the team's managers"
        raised = (
            f"Raised by {escape(names.get(item['created_by'], '—'))}, {text.moment(item['created_at'])}, "
            f"for {escape(to)}: “{escape(item['reason'])}”"
        )
        if item["status"] == "discussed":
            by = escape(names.get(item.get("discussed_by") or "", "—"))
            note = escape(item.get("discussion_note") or "")
            said = f"<br>✓ Discussed {text.day(item.get('discussed_on'))} with {by}: {note}"
        else:
            said = "<br>● Not discussed yet"
        lines.append(f"<li>{raised}{said}</li>")
    return f"<h4>For supervision</h4><ul>{''.join(lines)}</ul>" if lines else ""


def contact_html(c: Record, names: Names, flags: list[Record] | None = None) -> str:
    late = (
        f"<p><b>⚠ Late entry</b>: happened {text.moment(c['occurred_at'])}, "
        f"written {text.moment(c['recorded_at'])}.</p>"
        if c.get("late_entry")
        else ""
    )
    amended = f"<p>✎ <b>Corrected</b>: {escape(c.get('amend_reason') or '')}</p>" if c.get("amended") else ""
    pairs = [
        ("When", text.moment(c["occurred_at"])),
        ("Type", text.label(c["contact_type"])),
        ("Duration", f"{c['duration_minutes']} minutes" if c.get("duration_minutes") else None),
        ("Place", c.get("place")),
        ("Who was there", ", ".join(c.get("present") or [])),
        ("Pathways", text.labels(c.get("pathways")) if c.get("pathways") else None),
        ("Written by", f"{names.get(c['author_id'], '—')}, {text.moment(c['recorded_at'])}"),
        ("Follow-up", c.get("actions")),
        ("Feedback", c.get("feedback")),
        ("Safeguarding", "A concern was raised" if c.get("safeguarding_raised") else None),
    ]
    body = escape(c.get("narrative") or "").replace("\n", "<br>")
    return late + amended + _rows(pairs) + f"<p>{body}</p>" + supervision_html(flags or [], names)


def risk_html(flag: Record, revisions: list[Revision], names: Names) -> str:
    head = [
        ("Management plan", flag.get("management_plan")),
        ("Source", flag.get("source")),
        ("Why resolved", flag.get("resolved_reason")),
    ]

    def shown(key: str, value: Any) -> str:
        if value in (None, ""):
            return "—"
        if key in ("severity", "status", "category"):
            return text.label(str(value))
        if key.endswith(("_date", "_on")):
            return text.day(str(value))
        return str(value)

    lines = []
    for rev in revisions:
        changed = ", ".join(
            f"{k.replace('_', ' ')}: {shown(k, v.get('old'))} → {shown(k, v.get('new'))}"
            for k, v in rev.changes.items()
            if k not in ("description", "management_plan", "client_id", "raised_by")
        )
        note = f" — “{escape(rev.note)}”" if rev.note else ""
        what = {"create": "Raised", "update": "Changed", "delete": "Removed"}.get(rev.action, rev.action)
        lines.append(
            f"<li>{text.moment(rev.recorded_at)}, {escape(names.get(rev.author_id, '—'))}: "
            f"{what}{': ' + escape(changed) if changed else ''}{note}</li>"
        )
    history = f"<ul>{''.join(lines)}</ul>" if lines else "<p><i>No changes recorded on this laptop.</i></p>"
    return f"<p>{escape(flag['description'])}</p>" + _rows(head) + "<h4>History</h4>" + history


def note_html(n: Record, names: Names) -> str:
    pairs = [
        ("From", f"{names.get(n['author_id'], '—')}, {text.moment(n['valid_from'])}"),
        ("Until", text.moment(n["valid_until"]) if n.get("valid_until") else "7 days after it was written"),
        ("Priority", "⚑ Urgent" if n["priority"] == "urgent" else "Routine"),
        ("For", names.get(n.get("for_user_id") or "", "") or text.label(n["audience"])),
        ("You have", "read it" if n.get("read") else "not marked it as read yet"),
    ]
    return _rows(pairs) + "<p>" + escape(n["text"]).replace("\n", "<br>") + "</p>"
