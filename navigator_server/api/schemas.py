"""Request and response bodies. Limits are tight on purpose: every field a hostile peer can send
is bounded before it reaches the database."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from navigator_core.ops import PushStatus
from navigator_server.db import storable_text

UUID_PATTERN = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
NO_NUL_PATTERN = r"^[^\u0000]*$"
RoleName = Literal["navigator", "on-call", "manager", "admin", "peer-support"]


def _no_nul_in_schema(schema: dict[str, Any]) -> None:
    """The document says what `_storable` refuses: no text field holds a NUL character."""
    for prop in schema.get("properties", {}).values():
        for branch in [prop, *prop.get("anyOf", [])]:
            if branch.get("type") == "string" and "pattern" not in branch:
                branch["pattern"] = NO_NUL_PATTERN


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra=_no_nul_in_schema)

    @field_validator("*")
    @classmethod
    def _storable(cls, value: Any) -> Any:
        if isinstance(value, str) and not storable_text(value):
            raise ValueError("text may not contain NUL characters or unpaired surrogates")
        return value


class EnrolRequest(Strict):
    username: str = Field(min_length=1, max_length=100)
    code: str = Field(min_length=1, max_length=40)
    password: str = Field(min_length=1, max_length=1024)
    device_name: str = Field(default="laptop", max_length=200)
    device_id: str | None = Field(default=None, pattern=UUID_PATTERN, description="proposed by the device")


class PushRequest(Strict):
    ops: list[Any] = Field(description="operations in the sync wire format (navigator_core.ops)")


class OpResultOut(BaseModel):
    index: int
    op_id: str | None = None
    status: PushStatus
    reason: str | None = None
    seq: int | None = None
    field: str | None = Field(default=None, description="the field a rejection is about, if any")


class PushResponse(BaseModel):
    results: list[OpResultOut]


class ChangeItem(BaseModel):
    seq: int
    kind: str
    id: str
    access: Literal["full", "summary", "none"]
    deleted: bool | None = None
    data: dict[str, Any] | None = None
    field_stamps: dict[str, str] | None = None
    meta: dict[str, Any] | None = None


class ChangesResponse(BaseModel):
    changes: list[ChangeItem]
    cursor: int
    more: bool


class Me(BaseModel):
    """Who the device's user is, and the laptop protection the organisation imposes."""

    user_id: str
    team_id: str
    role: str
    device_id: str
    retention_days: int | None = None  # days a discharged client stays on laptops
    wipe_after_failures: int | None = None  # wrong passphrases that wipe a laptop (None: never)
    idle_lock_minutes: int | None = None  # the longest idle time before a laptop locks


class EnrolResponse(Me):
    """What /me answers, and the device's token (given once, at enrolment)."""

    token: str


class DirectoryUser(BaseModel):
    id: str
    username: str
    display_name: str
    role: str
    active: bool


class RotaShift(BaseModel):
    id: str
    user_id: str
    starts_at: str
    ends_at: str


class Directory(BaseModel):
    team_id: str
    team_name: str
    users: list[DirectoryUser]
    rota: list[RotaShift]


class RotaIn(Strict):
    user_id: str = Field(pattern=UUID_PATTERN)
    starts_at: str = Field(max_length=32)
    ends_at: str = Field(max_length=32)


class BreakGlassRequest(Strict):
    client_id: str = Field(pattern=UUID_PATTERN)
    # No minimum here: an empty or short reason is refused by the policy, with its own message.
    reason: str = Field(max_length=2000)


class BreakGlassResponse(BaseModel):
    client_id: str
    records: list[dict[str, Any]]


class TeamIn(Strict):
    name: str = Field(min_length=1, max_length=200)


class TeamOut(BaseModel):
    id: str
    name: str


class UserIn(Strict):
    username: str = Field(min_length=1, max_length=100)
    display_name: str = Field(default="", max_length=200)
    team_id: str = Field(pattern=UUID_PATTERN)
    role: RoleName
    password: str = Field(min_length=1, max_length=1024)


class UserOut(BaseModel):
    id: str
    username: str
    display_name: str
    team_id: str
    role: str
    active: bool


class EnrolmentCode(BaseModel):
    code: str
    expires_at: str


class DeviceOut(BaseModel):
    id: str
    name: str
    user_id: str
    username: str
    created_at: str
    last_seen_at: str | None
    revoked_at: str | None


class AuditOut(BaseModel):
    id: int
    at: str
    actor_id: str | None
    device_id: str | None
    action: str
    target_kind: str | None
    target_id: str | None
    reason: str | None


class Health(BaseModel):
    status: str


class Problem(BaseModel):
    loc: list[str] = Field(description="where in the request: body, query, path, then field names")
    msg: str


class ErrorOut(BaseModel):
    """Every error the API answers with (4xx and 5xx): a stable code for programs, a sentence for
    people, and for some errors more."""

    error: str = Field(description="a stable code: invalid, forbidden, not_found, rate_limited, ...")
    detail: str
    problems: list[Problem] | None = Field(default=None, description="invalid: each field at fault")
    wipe: bool | None = Field(default=None, description="device_revoked: the laptop must wipe its data")
    reason: str | None = Field(
        default=None,
        description="enrolment_refused: credentials, code_invalid, code_used, code_expired or "
        "account_disabled",
    )


class AccessEntry(BaseModel):
    at: str
    action: str  # view | export | break_glass | break_glass_refused
    source: str  # "device": an audit event a laptop pushed; "server": the store's own record
    user_id: str | None
    user_name: str | None
    device_id: str | None
    device_name: str | None
    client_id: str | None
    client_name: str | None
    reason: str | None


class AccessAudit(BaseModel):
    entries: list[AccessEntry]
    more: bool
