"""The on-call summary as the on-call screen shows it, and how fresh the laptop's copy is: text
only (no Qt widgets), so it can be read and tested on its own."""

from __future__ import annotations

from html import escape
from typing import Any

from navigator_desktop.store.freshness import Source
from navigator_desktop.store.views import OnCallSummary
from navigator_desktop.ui import text, theme


def freshness(last_sync_at: str | None) -> str:
    if not last_sync_at:
        return (
            "⚠ This laptop has never synced with the central store: you see only what is held on it. "
            "Visits and notes from other laptops are not here."
        )
    return (
        f"↻ Last synced with the central store {text.moment(last_sync_at)}. Visits, check-outs and notes "
        "made on other laptops since then are not shown here yet."
    )


def summary_html(s: OnCallSummary, names: dict[str, str], source: Source) -> str:
    c = s.client

    def block(title: str, value: Any) -> str:
        shown = escape(str(value)).replace("\n", "<br>") if value else "<i>None recorded</i>"
        return f"<h4>{title}</h4><p>{shown}</p>"

    people = "".join(
        f"<li>{escape(p.get('name', '?'))} ({escape(p.get('relationship', 'contact'))}), "
        f"{escape(p.get('phone') or 'no phone')}"
        f"{'' if p.get('may_contact_in_crisis') else ', not to be called in a crisis'}</li>"
        for p in c.get("key_contacts") or []
    )
    risks = "".join(
        f"<li><b style='color: {theme.colour(f['severity']).name()}'>{theme.RISK_WORDS[f['severity']]}</b> "
        f"{escape(text.label(f['category']))}: {escape(text.first_line(f.get('description'), 200))}"
        f"<br><i>Plan:</i> {escape(text.first_line(f.get('management_plan'), 200) or '—')}</li>"
        for f in s.risks
    )
    visits = "".join(
        f"<li>{escape(text.label(v['status']))}{' — ⚠ OVERDUE' if v.get('overdue') else ''}: "
        f"{escape(v.get('place') or '')}, expected out {text.moment(v.get('due_out_at'))}</li>"
        for v in s.visits
    )
    notes = "".join(
        f"<li>{'⚑ ' if n['priority'] == 'urgent' else ''}{escape(n['text'])}</li>" for n in s.notes
    )
    address = ", ".join(x for x in (c.get("address"), c.get("postcode")) if x) or "—"
    return (
        f"<h3>{escape(c['given_name'])} {escape(c['family_name'])}</h3>"
        f"<p>Born {text.day(c.get('date_of_birth'))} · NHS {escape(c.get('nhs_number') or '—')} · "
        f"{escape(text.label(c.get('status')))}<br>{escape(address)} · "
        f"{escape(c.get('phone') or 'no phone')}<br>"
        f"Key worker: {escape(names.get(c.get('key_worker_id') or '', '—'))}"
        f"{' (your caseload)' if s.mine else ''}</p>"
        f"<h4>Active risks</h4><ul>{risks or '<li>None</li>'}</ul>"
        + block("Crisis plan", c.get("crisis_plan"))
        + block("Conditions", c.get("conditions"))
        + block("Exclusion zones", c.get("exclusion_zones"))
        + block("No-contact list", c.get("no_contact"))
        + f"<h4>Key contacts</h4><ul>{people or '<li>None recorded</li>'}</ul>"
        + (f"<h4>Current handover notes</h4><ul>{notes}</ul>" if notes else "")
        + (f"<h4>Open visits</h4><ul>{visits}</ul>" if visits else "")
        + f"<p><i>↻ {escape(source.words(c.get('refreshed_at')))}</i></p>"
    )
