"""Search as you type over names and notes; hostile input is searched for, never obeyed."""

from __future__ import annotations

import pytest

from navigator_desktop.store import contacts, handover, records, risk, search
from navigator_desktop.store.context import Actor
from navigator_desktop.store.db import Database
from navigator_desktop.store.search.index import index_of
from tests.desktop.store.helpers import TEAM_ID, Clock, add_contact, make_client, risk_values


@pytest.fixture
def people(db: Database, actor: Actor, clock: Clock) -> dict[str, str]:
    ids = {
        "aoife": make_client(db, actor),
        "zoe": make_client(db, actor, given_name="Zoë", family_name="Okonkwo", preferred_name="Zee"),
    }
    ids["contact"] = add_contact(
        db,
        actor,
        ids["aoife"],
        clock.text(hours=-1),
        narrative="Went to the allotment; planted leeks together.",
    )
    ids["note"] = handover.write(
        db, actor, {"team_id": TEAM_ID, "client_id": ids["zoe"], "text": "Expect a call about the tenancy."}
    ).record_id
    ids["flag"] = risk.raise_flag(
        db, actor, risk_values(ids["zoe"], description="Keeps a machete under the bed.")
    ).record_id
    return ids


def found(db: Database, text: str) -> list[tuple[str, str]]:
    return [(h.kind, h.record_id) for h in search.search(db, text)]


def test_finds_client_names_given_family_and_preferred(db: Database, people: dict[str, str]) -> None:
    assert found(db, "Brennan") == [("client", people["aoife"])]
    assert found(db, "aoife brennan") == [("client", people["aoife"])]
    assert found(db, "zee") == [("client", people["zoe"])]


def test_names_match_without_accents(db: Database, people: dict[str, str]) -> None:
    assert found(db, "zoe") == [("client", people["zoe"])]
    assert found(db, "ZOË") == [("client", people["zoe"])]


def test_finds_contact_handover_and_risk_text(db: Database, people: dict[str, str]) -> None:
    assert found(db, "leeks") == [("contact", people["contact"])]
    assert found(db, "tenancy") == [("handover_note", people["note"])]
    assert found(db, "machete") == [("risk_flag", people["flag"])]
    [hit] = search.search(db, "machete")
    assert hit.client_id == people["zoe"]
    assert f"{search.HIGHLIGHT_START}machete{search.HIGHLIGHT_END}" in hit.snippet


def test_last_word_is_a_prefix_while_typing(db: Database, people: dict[str, str]) -> None:
    assert found(db, "Bren") == [("client", people["aoife"])]
    assert found(db, "b") == [("client", people["aoife"])]
    assert found(db, "allot") == [("contact", people["contact"])]
    assert found(db, "planted le") == [("contact", people["contact"])]
    # A finished word (followed by a space) is matched whole.
    assert found(db, "allot ") == []


def test_names_come_before_notes(db: Database, actor: Actor, clock: Clock, people: dict[str, str]) -> None:
    add_contact(db, actor, people["zoe"], clock.text(hours=-1), narrative="Met Aoife's brother in town.")
    assert [kind for kind, _ in found(db, "aoife")] == ["client", "contact"]


def test_respects_the_limit(db: Database, actor: Actor, clock: Clock, people: dict[str, str]) -> None:
    for i in range(5):
        add_contact(db, actor, people["aoife"], clock.text(hours=-2 - i), narrative=f"Allotment day {i}.")
    assert len(search.search(db, "allotment", limit=3)) == 3
    assert search.search(db, "allotment", limit=0) == []


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        '"',
        '""',
        "'",
        "NEAR(",
        "NEAR(aoife brennan, 2)",
        "*",
        "aoife*",
        "-",
        "-aoife",
        "aoife OR",
        "OR",
        "AND NOT",
        "^aoife",
        "aoife:",
        "names:aoife",
        "{names}: aoife",
        "(aoife",
        ")",
        "a" * 5000,
        "\x00",
        "🙂",
        "aoife " * 40,
        "+",
        "aoife -brennan",
    ],
)
def test_hostile_or_odd_input_never_errors(db: Database, people: dict[str, str], text: str) -> None:
    hits = search.search(db, text)
    assert isinstance(hits, list)


def test_syntax_words_are_searched_as_words(
    db: Database, actor: Actor, clock: Clock, people: dict[str, str]
) -> None:
    add_contact(
        db, actor, people["aoife"], clock.text(hours=-3), narrative="Said NEAR the station OR the park."
    )
    assert [k for k, _ in found(db, "near OR")] == ["contact"]
    assert found(db, "aoife OR zoe") == []  # every word must match; OR is just a word


def test_hidden_entries_are_not_found(db: Database, actor: Actor, people: dict[str, str]) -> None:
    contacts.mark_entered_in_error(db, actor, people["contact"], "Wrong client")
    assert found(db, "leeks") == []
    note = handover.amend(db, actor, people["note"], {"text": "Expect a call about the lease."}, "Wrong word")
    assert found(db, "tenancy") == []
    assert found(db, "lease") == [("handover_note", note.record_id)]


def test_index_follows_updates_and_deletes(db: Database, actor: Actor, people: dict[str, str]) -> None:
    records.update(db, actor, "client", people["aoife"], {"family_name": "Byrne"})
    assert found(db, "brennan") == []
    assert found(db, "byrne") == [("client", people["aoife"])]
    risk.update(db, actor, people["flag"], {"description": "Keeps a cricket bat by the door."})
    assert found(db, "machete") == []
    assert found(db, "cricket") == [("risk_flag", people["flag"])]
    records.delete(db, actor, "client", people["aoife"])
    assert found(db, "byrne") == []
    db.execute("DELETE FROM contacts WHERE id = ?", (people["contact"],))
    assert found(db, "leeks") == []
    indexed = index_of(db).conn.execute(
        "SELECT count(*) FROM search_docs WHERE record_id = ?", (people["contact"],)
    )
    assert indexed.fetchone()[0] == 0


def test_build_query_quotes_every_word() -> None:
    assert search.build_query('NEAR(" x') == '"NEAR" "x" *'
    assert search.build_query('NEAR(" x*') == '"NEAR" "x"'
    assert search.build_query("o'brien ") == '"o" "brien"'
    assert search.build_query("  ") is None
    assert search.build_query("ab", min_prefix=3) == '"ab"'
