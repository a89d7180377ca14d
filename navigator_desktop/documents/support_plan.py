"""A client's support plan on paper: their goals in their own words by pathway, the steps and
dates, the reviews, and the outcomes achieved. Pure: records in, HTML out."""

from __future__ import annotations

from typing import Any

from navigator_desktop.documents._html import day, e, grid, label, moment, pairs

Record = dict[str, Any]


def _steps(goal: Record) -> str:
    steps = [s for s in goal.get("steps") or [] if isinstance(s, dict)]
    if not steps:
        return "<p class='muted'><i>No steps written yet.</i></p>"
    items = []
    for s in steps:
        mark = "☑" if s.get("done") else "☐"
        extra = f" (by {day(s['due'])})" if s.get("due") else ""
        if s.get("done") and s.get("done_on"):
            extra += f", done {day(s['done_on'])}"
        items.append(f"<li>{mark} {e(s.get('step'))}{e(extra)}</li>")
    return f"<ul>{''.join(items)}</ul>"


def support_plan_html(
    client: Record,
    goals: list[Record],
    outcomes: list[Record],
    reviews: dict[str, list[Record]],
    names: dict[str, str],
    *,
    made_by: str,
    made_at: str,
) -> str:
    """The support plan as one HTML document for printing or a PDF."""
    shown = f"{client.get('given_name', '')} {client.get('family_name', '')}".strip()
    preferred = client.get("preferred_name")
    if preferred and preferred != client.get("given_name"):
        shown += f" (“{preferred}”)"
    head = pairs([
        ("Born", day(client.get("date_of_birth"))),
        ("Key worker", names.get(client.get("key_worker_id") or "", "")),
        ("Plan review due", day(client.get("plan_review_date")) if client.get("plan_review_date") else None),
        ("Printed", f"{moment(made_at)} by {made_by}"),
    ])  # fmt: skip
    parts = [f"<h1>Support plan: {e(shown)}</h1>", head]
    open_goals = [g for g in goals if g.get("status") not in ("achieved", "stopped")]
    closed = [g for g in goals if g.get("status") in ("achieved", "stopped")]
    for title, group in (("Goals", open_goals), ("Goals achieved or closed", closed)):
        parts.append(f"<h2>{title}</h2>")
        if not group:
            parts.append("<p class='muted'><i>None.</i></p>")
        for g in group:
            made = (
                "written with the client" if g.get("co_produced") else "not marked as written with the client"
            )
            parts.append(
                f"<h3>{e(label(g.get('pathway')))}: “{e(g.get('goal'))}”</h3>"
                + pairs(
                    [
                        ("Status", label(g.get("status"))),
                        ("Target date", day(g.get("target_date"))),
                        ("Next review", day(g.get("review_date"))),
                        ("How it was written", made),
                    ]
                )
                + _steps(g)
            )
            done = reviews.get(g["id"]) or []
            if done:
                rows = [
                    f"<li>{e(day(r['when']))}, {e(names.get(r['by'], '—'))}"
                    + (f": {e(r['note'])}" if r.get("note") else "")
                    + "</li>"
                    for r in done
                ]
                parts.append(f"<p><b>Reviews</b></p><ul>{''.join(rows)}</ul>")
    goal_text = {g["id"]: g.get("goal") for g in goals}
    parts.append("<h2>Outcomes achieved</h2>")
    parts.append(
        grid(
            ["Achieved", "Outcome", "Pathway", "Towards the goal", "Notes"],
            [
                [
                    day(o.get("achieved_on")),
                    label(o.get("outcome")),
                    label(o.get("pathway")),
                    goal_text.get(o.get("goal_id") or "", "") or "",
                    o.get("notes") or "",
                ]
                for o in outcomes
            ],
            "No outcomes recorded yet.",
        )
    )
    parts.append(
        "<p class='muted'>Confidential: special category health and criminal offence data. "
        "Printed from Navigator; the record on the central store is the complete one.</p>"
    )
    return f"<html><body>{''.join(parts)}</body></html>"
