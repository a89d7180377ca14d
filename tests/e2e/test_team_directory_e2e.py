"""The team directory reaches an enrolled laptop with every sync: names for the ids in the
records, and the on-call rota the laptop uses to offer (or not) the on-call actions."""

from __future__ import annotations

from datetime import timedelta

from navigator_core import timeutil
from navigator_core.fields import new_id
from navigator_desktop.store import directory
from navigator_desktop.sync import team_directory
from navigator_server.schema import rota


def test_a_sync_brings_the_team_names_and_the_rota(pair, org):
    _a, b, _client = pair
    now = timeutil.utcnow()
    with org.db.write() as conn:
        conn.execute(
            rota.insert().values(
                id=new_id(),
                team_id=org.team_id,
                user_id=org.users["bob"],
                starts_at=timeutil.to_text(now - timedelta(hours=1)),
                ends_at=timeutil.to_text(now + timedelta(hours=8)),
            )
        )
    b.sync()
    names = directory.display_names(b.db)
    assert org.users["ann"] in names and org.users["bob"] in names
    assert directory.on_shift(b.db, org.users["bob"]) is True
    assert directory.on_shift(b.db, org.users["ann"]) is False
    assert directory.on_call_refusal(b.db, org.users["bob"]) is None  # on shift: on-call rights
    assert directory.on_call_refusal(b.db, org.users["ann"])  # a navigator off the rota: a reason why


class _Answering:
    def __init__(self, answer):
        self.answer = answer

    def directory(self):
        return self.answer


def test_a_malformed_directory_is_refused_whole_and_the_held_one_kept(pair):
    a, _b, _client = pair
    before = directory.display_names(a.db)
    assert before
    for bad in (
        [],
        {"team_id": "t", "team_name": "x", "users": "everyone", "rota": []},
        {
            "team_id": "t",
            "team_name": "x",
            "users": [{"id": 1, "display_name": "x", "role": "navigator"}],
            "rota": [],
        },
        {"team_id": "t", "team_name": "x", "users": [], "rota": [{"user_id": "u", "starts_at": None}]},
    ):
        assert team_directory.refresh(_Answering(bad), a.engine.access) is False  # type: ignore[arg-type]
    assert directory.display_names(a.db) == before
