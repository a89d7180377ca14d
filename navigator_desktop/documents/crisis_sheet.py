"""The crisis sheet: what an on-call worker can act on at 3 a.m. about any client of the team,
on paper: who they are and where, who to call (key contacts and the crisis plan), their active
risks with the plan for each, most severe first, then the conditions, exclusion zones, no-contact
list and recall triggers, and how fresh this copy is. Pure: records in, HTML out.

Nothing that restricts or protects is ever cut: a paper copy used at night must not lose a
restriction. A normal record fits one A4 page; a long one runs on to a second page (and more if it
must), with page 1 kept for identity, who to call and the highest risks, and the restrictions
starting on a fresh page, which page 1 says. Only identity cells and contact cells are shortened.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from navigator_desktop.documents._html import day, e, label, moment

Record = dict[str, Any]
# Characters kept of the short cells (identity, contacts): these never carry a restriction.
LIMITS = {"identity": 120, "contact": 40}
RESTRICTIONS = (
    ("Conditions", "conditions"),
    ("Exclusion zones", "exclusion_zones"),
    ("No-contact list", "no_contact"),
    ("Recall triggers", "recall_triggers"),
)
# What fits on page 1 at this type size, in characters of full-width text (see _weight; measured:
# sheets overflow from about 4,500), with a margin. Beyond it the restrictions start page 2.
ONE_PAGE_CHARS = 4000
RISK_ROW_CHARS = 160
STYLE = (
    "body, p, td, th { font-size: 8pt; } h1 { font-size: 13pt; } "
    "h2 { font-size: 10pt; margin: 5pt 0 2pt 0; } td, th { padding: 2pt; }"
)
SEVERITY_WORDS = {"high": "▲ HIGH", "medium": "◆ MEDIUM", "low": "● LOW"}
CONTINUED = (
    "This sheet runs to more than one page. The conditions, exclusion zones and no-contact list "
    "are given in full on the next page: read every page."
)


def cut(value: Any, field: str) -> str:
    """A short cell's text on one line, shortened with an ellipsis past its limit."""
    text = " ".join(str(value or "").split())
    limit = LIMITS.get(field)
    if limit is None or len(text) <= limit:
        return text
    return text[: limit - 1] + "…"


def _full(value: Any) -> str:
    """A long text in full, escaped, its line breaks kept."""
    return e(str(value or "").strip())


def _person(p: Record) -> str:
    crisis = "may be called in a crisis" if p.get("may_contact_in_crisis") else "not to be called in a crisis"
    who = f"{e(cut(p.get('name', '?'), 'contact'))} ({e(cut(p.get('relationship', 'contact'), 'contact'))})"
    return f"<tr><td>{who}</td><td>{e(cut(p.get('phone') or '—', 'contact'))}</td><td>{crisis}</td></tr>"


def _key_contacts(people: list[Record]) -> str:
    rows = "".join(_person(p) for p in people)
    if not rows:
        return "<p class='muted'><i>No key contacts recorded.</i></p>"
    return f"<table width='100%' cellspacing='0' cellpadding='3'>{rows}</table>"


def _risk(f: Record) -> str:
    level = str(f.get("severity") or "")
    what = f"<b>{e(label(f.get('category')))}</b>: {_full(f.get('description'))}"
    plan = _full(f.get("management_plan")) or "—"
    return (
        f"<tr class='{e(level)}'><td width='14%'><b>{SEVERITY_WORDS.get(level, '')}</b></td>"
        f"<td width='40%'>{what}</td><td>{plan}</td></tr>"
    )


def _risks(risks: list[Record]) -> str:
    """Every active risk with its whole plan, in the order given (most severe first)."""
    if not risks:
        return "<p><i>No active risk flags.</i></p>"
    head = "<tr><th>Severity</th><th>Risk</th><th>Plan</th></tr>"
    rows = "".join(_risk(f) for f in risks)
    return f"<table width='100%' cellspacing='0' cellpadding='3'>{head}{rows}</table>"


def urgent(notes: Sequence[Record]) -> list[Record]:
    """The urgent notes, newest first: what on call must know before anything else."""
    found = [n for n in notes if n.get("priority") == "urgent"]
    return sorted(found, key=lambda n: str(n.get("valid_from") or ""), reverse=True)


def _notes(notes: list[Record], names: dict[str, str]) -> str:
    if not notes:
        return (
            "<p><i>No urgent handover notes about this client were current when this sheet was made.</i></p>"
        )
    rows = "".join(
        f"<tr><td width='24%'>{e(names.get(n.get('author_id') or '', '—'))}, {e(moment(n.get('valid_from')))}"
        f"</td><td>{_full(n.get('text'))}</td></tr>"
        for n in notes
    )
    return f"<table width='100%' cellspacing='0' cellpadding='3'>{rows}</table>"


def _weight(client: Record, risks: list[Record]) -> int:
    """How much of a page the long texts take, in characters of full-width text: a risk row is
    as tall as its longer column (40% and 46% of the width), a restriction sits in 82% of it."""
    size = len(str(client.get("crisis_plan") or ""))
    size += sum(int(len(str(client.get(field) or "")) / 0.82) + RISK_ROW_CHARS for _, field in RESTRICTIONS)
    for f in risks:
        description = len(str(f.get("description") or "")) + 20
        plan = len(str(f.get("management_plan") or ""))
        size += max(RISK_ROW_CHARS, int(description / 0.40), int(plan / 0.46))
    return size + RISK_ROW_CHARS * len(client.get("key_contacts") or [])


def crisis_sheet_html(
    client: Record,
    risks: list[Record],
    names: dict[str, str],
    *,
    made_by: str,
    made_at: str,
    refreshed_at: str | None,
    notes: Sequence[Record] = (),
) -> str:
    """`risks`: the client's active flags, most severe first. `refreshed_at`: when this laptop's
    copy last came from the central store (None: never synced). `notes`: the current handover
    notes about the client; the urgent ones are printed in full."""
    c = client
    pressing = urgent(notes)
    full = f"{c.get('given_name', '')} {c.get('family_name', '')}".strip()
    preferred = c.get("preferred_name")
    if preferred and preferred != c.get("given_name"):
        full += f" (known as {preferred})"
    identity = [
        ("Date of birth", day(c.get("date_of_birth"))),
        ("NHS number", c.get("nhs_number") or "—"),
        ("Address", " ".join(x for x in (c.get("address"), c.get("postcode")) if x) or "—"),
        ("Phone", c.get("phone") or "—"),
        ("Key worker", names.get(c.get("key_worker_id") or "", "—")),
        ("Care coordinator", c.get("care_coordinator") or "—"),
        (
            "Legal framework",
            label(c.get("legal_framework"))
            + (
                f"; MAPPA category {c['mappa_category']} level {c.get('mappa_level') or '—'}"
                if c.get("mappa_category")
                else ""
            ),
        ),
    ]
    cells = [f"<th width='16%'>{e(k)}</th><td width='34%'>{e(cut(v, 'identity'))}</td>" for k, v in identity]
    cells += [""] * (len(cells) % 2)
    id_rows = "".join(f"<tr>{cells[i]}{cells[i + 1]}</tr>" for i in range(0, len(cells), 2))
    fresh = (
        f"This copy was last refreshed from the central store {moment(refreshed_at)}."
        if refreshed_at
        else "This copy has never been synced with the central store."
    )

    def text_of(field: str) -> str:
        return _full(c.get(field)) or "<i>None recorded.</i>"

    restrictions = "".join(
        f"<tr><th width='18%'>{e(title)}</th><td>{text_of(field)}</td></tr>" for title, field in RESTRICTIONS
    )
    long = (
        _weight(c, risks) + sum(len(str(n.get("text") or "")) + RISK_ROW_CHARS for n in pressing)
        > ONE_PAGE_CHARS
    )
    continued = f"<p class='banner'><b>{e(CONTINUED)}</b></p>" if long else ""
    page_two = " style='page-break-before: always'" if long else ""
    return (
        f"<html><head><style>{STYLE}</style></head><body><h1>Crisis sheet: {e(full)}</h1>"
        f"<p class='banner'><b>CONFIDENTIAL</b>: special category health and offence data. Made "
        f"{e(moment(made_at))} by {e(made_by)}. {e(fresh)} "
        "Check Navigator for anything recorded since. Shred after use.</p>"
        f"<table width='100%' cellspacing='0' cellpadding='3'>{id_rows}</table>"
        f"<h2>Who to call</h2>{_key_contacts(c.get('key_contacts') or [])}"
        f"<h2>Crisis plan</h2><p class='banner'>{text_of('crisis_plan')}</p>"
        f"<h2>Urgent handover notes</h2>{_notes(pressing, names)}"
        f"<h2>Active risks</h2>{_risks(risks)}{continued}"
        f"<h2{page_two}>Conditions, exclusion zones, no contact</h2>"
        f"<table width='100%' cellspacing='0' cellpadding='3'>{restrictions}</table>"
        "</body></html>"
    )
