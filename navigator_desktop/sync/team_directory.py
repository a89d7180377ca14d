"""The team directory on the laptop: who the people in the records are, and the on-call rota.

Records name people by id; the screens show names ("written by Ann Navigator"), and the laptop
decides whether to offer on-call actions from the rota (navigator_core.policy.may_work_on_call).
Both come from the central store's /v1/directory at every sync, so a new colleague's name and
tonight's rota reach the laptop with the records. Best effort: a store that cannot answer leaves
what the laptop already holds; a revoked device is still told to wipe.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from navigator_desktop.store import directory
from navigator_desktop.sync import errors
from navigator_desktop.sync.apply import Local
from navigator_desktop.sync.transport import Transport

log = logging.getLogger("navigator.sync")


def refresh(transport: Transport, access: Any) -> bool:
    """Fetch the directory and keep it; False when the store could not give it this time."""
    answer = errors.optional(transport.directory, "the team directory")
    if answer is None:
        return False
    if not _valid(answer):
        log.warning("the team directory from the central store was malformed; kept the one held")
        return False
    access.run(lambda local: save(local, answer))
    return True


def save(local: Local, answer: Mapping[str, Any]) -> None:
    team_id = str(answer["team_id"])
    db = local.db
    with db.transaction():
        directory.save_team(db, team_id, str(answer["team_name"]))
        directory.save_users(db, [{**user, "team_id": team_id} for user in answer["users"]])
        directory.save_rota(db, answer["rota"])


def _valid(answer: Any) -> bool:
    """The shape the laptop relies on; anything else is refused whole, never half saved."""
    if not isinstance(answer, Mapping):
        return False
    if not isinstance(answer.get("team_id"), str) or not isinstance(answer.get("team_name"), str):
        return False
    users, rota = answer.get("users"), answer.get("rota")
    if not isinstance(users, list) or not isinstance(rota, list):
        return False
    user_ok = all(
        isinstance(u, Mapping)
        and all(isinstance(u.get(k), str) for k in ("id", "display_name", "role"))
        and isinstance(u.get("active", True), bool)
        for u in users
    )
    shift_ok = all(
        isinstance(s, Mapping) and all(isinstance(s.get(k), str) for k in ("user_id", "starts_at", "ends_at"))
        for s in rota
    )
    return user_ok and shift_ok
