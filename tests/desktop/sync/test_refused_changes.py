"""A change the central store refused is never silently lost: a pull does not overwrite it, a
scope change does not delete it, and the status counts it."""

from __future__ import annotations

from navigator_desktop.store import clients, outbox
from navigator_desktop.store.db import Database
from navigator_desktop.sync.apply import apply_page
from tests.desktop.store.helpers import client_values, pulled_record
from tests.desktop.sync.conftest import Local


def refuse_everything(db: Database) -> None:
    for op in outbox.pending(db):
        outbox.mark_acknowledged(db, op.op_id, "2026-11-23T10:00:00.000Z", outbox.REJECTED, "not allowed")


def server_copy(client_id: str, name: str, stamp: str, access: str = "full") -> dict:
    return {**pulled_record("client", client_id, client_values(given_name=name), stamp), "access": access}


OLD_STAMP = "1600000000000.00000.server-device"


def test_a_refused_edit_is_not_overwritten_by_the_next_pull(local: Local) -> None:
    client_id = clients.create(local.db, local.actor, client_values(given_name="Written-here")).record_id
    refuse_everything(local.db)
    # the record's operation and its audit event's
    assert outbox.pending_count(local.db) == 0 and outbox.refused_count(local.db) == 2
    apply_page(local, [server_copy(client_id, "Older-server-value", OLD_STAMP)], cursor=1)
    assert clients.get(local.db, client_id)["given_name"] == "Written-here"


def test_a_record_with_refused_changes_is_kept_when_it_leaves_scope(local: Local) -> None:
    client_id = clients.create(local.db, local.actor, client_values()).record_id
    refuse_everything(local.db)
    apply_page(local, [server_copy(client_id, "x", OLD_STAMP, access="none")], cursor=1)
    assert clients.get(local.db, client_id) is not None


def test_a_record_without_local_changes_does_leave_when_it_leaves_scope(local: Local) -> None:
    client_id = clients.create(local.db, local.actor, client_values()).record_id
    for op in outbox.pending(local.db):
        outbox.mark_acknowledged(local.db, op.op_id, "2026-11-23T10:00:00.000Z")
    apply_page(local, [server_copy(client_id, "x", OLD_STAMP, access="none")], cursor=1)
    assert clients.get(local.db, client_id) is None
