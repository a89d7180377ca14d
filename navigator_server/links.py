"""What the records of the work with other agencies point at must be there, in the same team: a
referral's agency and engagement, a concern for supervision's contact or engagement."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from navigator_server.store import Stored

# kind -> {field: the kind of record it must name}; a concern's target is named by target_kind.
LINKS: dict[str, dict[str, str]] = {
    "referral": {"agency_id": "agency", "engagement_id": "engagement"},
}


def refusal(
    load: Callable[[str], Stored | None],
    kind: str,
    changes: Mapping[str, Any],
    values: Mapping[str, Any],
    team_id: str,
) -> str | None:
    """Why the links an operation writes (among its `changes`) cannot stand with the record's
    `values` once it is applied, or None: each must name a record of its kind in the team, and a
    record about a client must name one about the same client (none for an engagement that is
    no one's client yet)."""
    wanted = dict(LINKS.get(kind, {}))
    if kind == "supervision_item" and "target_id" in changes:
        wanted["target_id"] = str(values.get("target_kind") or "")
    for name, target_kind in wanted.items():
        target_id = changes.get(name)
        if not isinstance(target_id, str):
            continue
        target = load(target_id)
        if target is None or target.team_id != team_id or target.kind != target_kind:
            return f"{name} must name a {target_kind.replace('_', ' ')} of the team"
        if target.kind != "agency" and target.client_id != values.get("client_id"):
            return f"client_id must be the client of the record {name} names"
    return None
