"""The live-sync answers (routes_live.py): the long-poll's, the watch token's and the watch's."""

from __future__ import annotations

from pydantic import BaseModel, Field


class ChangesWait(BaseModel):
    changed: bool = Field(description="true: the team's feed has entries after `since`; pull now")
    seq: int = Field(description="the team's last feed number when it changed; `since` at timeout")


class WatchToken(BaseModel):
    token: str = Field(description="a watch token: good only for GET /v1/watch; keep it in memory")
    expires_at: str


class WatchCounts(BaseModel):
    overdue_visits: int = Field(description="the team's visits overdue or escalated now")
    urgent_notes: int = Field(
        description="urgent handover notes for on call, the team or this user, valid now, unacknowledged"
    )
    at: str
