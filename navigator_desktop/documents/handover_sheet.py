"""A handover sheet for a shift change: the handover notes current now, for the team or about
one client, urgent first. Pure: records in, HTML out."""

from __future__ import annotations

from typing import Any

from navigator_desktop.documents._html import e, label, moment

Record = dict[str, Any]


def handover_sheet_html(
    notes: list[Record],
    names: dict[str, str],
    clients: dict[str, str],
    *,
    title: str,
    made_by: str,
    made_at: str,
) -> str:
    """`clients` maps client ids to the names shown; `names` maps user ids to display names."""
    ordered = sorted(
        notes, key=lambda n: (n.get("priority") != "urgent", str(n.get("valid_from"))), reverse=False
    )
    rows = []
    for n in ordered:
        urgent = n.get("priority") == "urgent"
        about = clients.get(n.get("client_id") or "", "The team") if n.get("client_id") else "The team"
        audience = names.get(n.get("for_user_id") or "", "") or label(n.get("audience"))
        until = moment(n.get("valid_until")) if n.get("valid_until") else "7 days after it was written"
        rows.append(
            f"<tr class='{'high' if urgent else ''}'><td>{'⚑ URGENT' if urgent else 'Routine'}</td>"
            f"<td>{e(about)}</td><td>{e(n.get('text'))}</td>"
            f"<td>{e(names.get(n.get('author_id') or '', '—'))}, {e(moment(n.get('valid_from')))}<br>"
            f"for {e(audience)}<br>until {e(until)}</td></tr>"
        )
    table = (
        "<table cellspacing='0' cellpadding='4'><tr><th>Priority</th><th>About</th><th>Note</th>"
        f"<th>From, for, until</th></tr>{''.join(rows)}</table>"
        if rows
        else "<p><i>No handover notes are current.</i></p>"
    )
    urgent_count = sum(1 for n in notes if n.get("priority") == "urgent")
    return (
        f"<html><body><h1>{e(title)}</h1>"
        f"<p>Printed {e(moment(made_at))} by {e(made_by)}. {len(notes)} current note"
        f"{'s' if len(notes) != 1 else ''}, {urgent_count} urgent.</p>{table}"
        "<p class='muted'>Confidential. Notes written after this sheet was printed are not on it; "
        "check Navigator for the latest.</p></body></html>"
    )
