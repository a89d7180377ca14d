"""Lone-working alerts over HTTP: the acknowledgement page (no login: the signed link is the
credential; nothing about the client on it), the worker's SOS, and staff contact details (admins)."""

from __future__ import annotations

import html
from typing import Annotated
from urllib.parse import parse_qs

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from navigator_core import timeutil
from navigator_server import accounts, security, store
from navigator_server.api.deps import AdminDep, PrincipalDep, ServicesDep, client_address
from navigator_server.api.errors import ERROR_RESPONSES, ApiError, forbidden
from navigator_server.api.schemas import UUID_PATTERN, Strict
from navigator_server.escalation import chain, contacts, tokens
from navigator_server.escalation.acknowledge import Outcome, acknowledge
from navigator_server.schema import auth_failures

router = APIRouter(responses=ERROR_RESPONSES)
# The acknowledgement pages (/ack, /ack/{token}) are left out of the OpenAPI document on purpose:
# they are HTML for a person on a phone, not part of the API a program calls, and their path
# holds a credential (the signed link) that a generated client or a gateway must not treat as a
# resource. Their answers are tested in tests/server/test_escalation*.py.
IdPath = Annotated[str, Path(pattern=UUID_PATTERN)]
TokenPath = Annotated[str, Path(max_length=200)]

REFUSED = {
    tokens.Check.FORGED: "This link or code is not valid. Check you copied all of it.",
    tokens.Check.UNKNOWN: "This link or code is not known here.",
    tokens.Check.USED: "This link or code has been used already; each works once.",
    tokens.Check.EXPIRED: "This link or code has expired.",
}
AFTER_REFUSAL = "If a worker may still need help, phone them and your on-call line now."


def _page(title: str, body: str, status: int = 200) -> HTMLResponse:
    text = (
        "<!doctype html><html lang=en><head><meta charset=utf-8>"
        "<meta name=viewport content='width=device-width,initial-scale=1'><meta name=robots content=noindex>"
        f"<title>{html.escape(title)}</title></head><body style='font-family:sans-serif;max-width:32em;"
        f"margin:2em auto;padding:0 1em'><h1>{html.escape(title)}</h1>{body}</body></html>"
    )
    headers = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}
    return HTMLResponse(text, status_code=status, headers=headers)


def _outcome_page(outcome: Outcome) -> HTMLResponse:
    if outcome.check is not tokens.Check.GOOD:
        status = 410 if outcome.check in (tokens.Check.USED, tokens.Check.EXPIRED) else 404
        return _page("Not acknowledged", f"<p>{REFUSED[outcome.check]}</p><p>{AFTER_REFUSAL}</p>", status)
    ref = html.escape(outcome.visit_ref)
    if outcome.already:
        return _page(
            "Nothing more to do",
            f"<p>Visit {ref}: the alerts had stopped already ({html.escape(outcome.already)}).</p>",
        )
    return _page(
        "Acknowledged",
        f"<p>Thank you. Visit {ref}: you are recorded as dealing with it, and the alerts to everyone else "
        "have stopped.</p><p>Open Navigator's On call screen for the visit's details.</p>",
    )


@router.get("/ack/{token}", response_class=HTMLResponse, include_in_schema=False)
def ack_page(token: TokenPath) -> HTMLResponse:
    """A page with one button. Opening the link changes nothing (mail scanners and link previews
    open links too); pressing the button acknowledges."""
    return _page(
        "Acknowledge this alert",
        "<p>Press the button to record that you have seen the alert and are dealing with it. "
        "The alerts to everyone else will stop.</p>"
        f"<form method=post action='/ack/{html.escape(token, quote=True)}'>"
        "<button type=submit style='font-size:1.3em'>I am dealing with it</button></form>",
    )


def _guarded(request: Request, svc: ServicesDep, token: str | None, code: str | None) -> HTMLResponse:
    """Acknowledge, with guessing slowed: an address that sent more than
    NAVIGATOR_AUTH_MAX_FAILURES_PER_ADDRESS bad links or codes in the window is refused for a while
    (a code is 40 bits; this makes guessing one hopeless)."""
    key = security.rate_key("ack", client_address(request))
    try:
        with svc.db.read() as conn:
            accounts._check_rate(conn, svc.settings, [(key, svc.settings.auth_max_failures_per_address)])
    except accounts.RateLimitError:
        return _page(
            "Not acknowledged",
            f"<p>Too many attempts from here: wait a while.</p><p>{AFTER_REFUSAL}</p>",
            429,
        )
    tokens.ensure_key(svc.db)
    with svc.db.write() as conn:
        outcome = acknowledge(conn, token=token, code=code)
    if outcome.check in (tokens.Check.FORGED, tokens.Check.UNKNOWN):
        with svc.db.write() as conn:
            conn.execute(auth_failures.insert().values(key=key, at=timeutil.now_text()))
    return _outcome_page(outcome)


@router.post("/ack/{token}", response_class=HTMLResponse, include_in_schema=False)
def ack_link(token: TokenPath, request: Request, svc: ServicesDep) -> HTMLResponse:
    return _guarded(request, svc, token, None)


@router.get("/ack", response_class=HTMLResponse, include_in_schema=False)
def code_page() -> HTMLResponse:
    return _page(
        "Acknowledge an alert",
        "<form method=post action='/ack'><label>Code from the text message "
        "<input name=code autocomplete=off maxlength=20 required></label> "
        "<button type=submit>I am dealing with it</button></form>",
    )


@router.post("/ack", response_class=HTMLResponse, include_in_schema=False)
async def ack_code(request: Request, svc: ServicesDep) -> HTMLResponse:
    form = parse_qs((await request.body()).decode("utf-8", "replace"))
    code = (form.get("code") or [""])[0]
    return await run_in_threadpool(_guarded, request, svc, None, code)


class SosOut(BaseModel):
    escalation_id: str
    started_at: str


@router.post(
    "/v1/visits/{visit_id}/sos",
    response_model=SosOut,
    status_code=202,
)
def sos(visit_id: IdPath, who: PrincipalDep, svc: ServicesDep) -> SosOut:
    """The worker's "I need help now": on call and the manager are alerted at once, marked
    urgent, then the last resort. Only the visit's worker may raise it; raising it again while
    its alerts run answers with the same chain."""
    with svc.db.write() as conn:
        visit = store.load(conn, visit_id)
        if visit is None or visit.kind != "visit" or visit.deleted or visit.team_id != who.team_id:
            raise ApiError(404, "not_found", "No such visit.")
        if visit.data.get("worker_id") != who.user_id:
            raise forbidden("Only the visit's worker may raise an SOS for it.")
        chain_id = chain.start(conn, visit, svc.settings, chain.SOS)
        row = chain.chain_row(conn, chain_id)
    if svc.runner is not None:
        svc.runner.wake()
    return SosOut(escalation_id=chain_id, started_at=row.started_at)


class ContactIn(Strict):
    email: str | None = Field(default=None, max_length=254)
    mobile: str | None = Field(default=None, max_length=32)
    channels: str | None = Field(default=None, max_length=100, description="e.g. 'sms,email'")


class ContactOut(BaseModel):
    user_id: str
    email: str | None
    mobile: str | None
    channels: list[str]


@router.put(
    "/v1/admin/users/{user_id}/contact",
    response_model=ContactOut,
)
def set_contact(user_id: IdPath, body: ContactIn, who: AdminDep, svc: ServicesDep) -> ContactOut:
    """Where alerts reach this person, and the channels to try in order."""
    try:
        with svc.db.write() as conn:
            found = contacts.set_contact(
                conn,
                user_id,
                email=body.email,
                mobile=body.mobile,
                channels=body.channels,
                actor_id=who.user_id,
            )
    except accounts.AccountError as exc:
        raise ApiError(422, "invalid", str(exc)) from None
    return ContactOut(user_id=user_id, email=found.email, mobile=found.mobile, channels=list(found.channels))
