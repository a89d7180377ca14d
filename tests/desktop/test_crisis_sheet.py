"""The crisis sheet: a pure HTML builder, rendered to an A4 PDF that says what on call needs (name,
who to call, risks with their plans, crisis plan, restrictions): one page for a normal record, and
for a long one a second page rather than a single restriction cut."""

from __future__ import annotations

import unicodedata

from pypdf import PdfReader

from navigator_desktop.documents.crisis_sheet import CONTINUED, crisis_sheet_html
from navigator_desktop.ui.printing import write_pdf

LONG = "word " * 400


def client(**overrides):
    values = {
        "id": "c1",
        "given_name": "Jeffrey",
        "family_name": "Khan",
        "date_of_birth": "1991-11-04",
        "nhs_number": "9995033283",
        "address": "143 Griffiths View, Beeston, Leeds",
        "postcode": "LS11 1JW",
        "key_worker_id": "u1",
        "legal_framework": "conditional_discharge",
        "mappa_category": "2",
        "mappa_level": "1",
        "crisis_plan": "Call the crisis team on 0113 496 0999; his brother may be called.",
        "conditions": "Reside as approved.",
        "exclusion_zones": "Must not go within 500 metres of Birch Row.",
        "no_contact": "T. Reeves (victim).",
        "key_contacts": [
            {
                "name": "Christopher Khan",
                "relationship": "brother",
                "phone": "07700 900374",
                "may_contact_in_crisis": True,
            }
        ],
    }
    values.update(overrides)
    return values


def flag(category: str, severity: str, **extra: str) -> dict[str, str]:
    return {
        "category": category,
        "severity": severity,
        "description": f"About {category}",
        "management_plan": f"Plan for {category}",
        **extra,
    }


def pages(tmp_path, html: str) -> list[str]:
    path = write_pdf(html, tmp_path / "sheet.pdf", "Crisis sheet")
    return [
        " ".join(unicodedata.normalize("NFKC", p.extract_text()).split()) for p in PdfReader(str(path)).pages
    ]


def render(tmp_path, html: str) -> str:
    [page] = pages(tmp_path, html)  # one page
    return page


def text(tag: str, words: int) -> str:
    """A long text whose every sentence can be found again: "tag-1 ... tag-n." """
    return " ".join(f"{tag}-{i} must be kept." for i in range(1, words + 1))


def test_the_sheet_says_who_what_risks_and_the_crisis_plan_on_one_page(qapp, tmp_path):
    risks = [flag("violence_to_others", "high"), flag("environment", "medium")]
    html = crisis_sheet_html(
        client(),
        risks,
        {"u1": "Margaret Ball"},
        made_by="Diane Tyler",
        made_at="2026-11-23T06:33:00.000Z",
        refreshed_at=None,
    )
    words = render(tmp_path, html)
    for expected in (
        "Crisis sheet: Jeffrey Khan",
        "9995033283",
        "Margaret Ball",
        "Violence or aggression to others",
        "Plan for violence_to_others",
        "Environment",
        "HIGH",
        "MEDIUM",
        "Call the crisis team on 0113 496 0999",
        "Birch Row",
        "T. Reeves",
        "Christopher Khan",
        "never been synced",
        "Diane Tyler",
        "CONFIDENTIAL",
    ):
        assert expected in words, expected


def test_a_normal_record_is_one_page_and_says_nothing_continues(qapp, tmp_path):
    risks = [flag("violence_to_others", "high"), flag("environment", "medium"), flag("self_harm", "low")]
    html = crisis_sheet_html(
        client(recall_triggers="Stops taking medication."),
        risks,
        {},
        made_by="On call",
        made_at="2026-11-23T06:33:00.000Z",
        refreshed_at=None,
    )
    words = render(tmp_path, html)
    assert CONTINUED not in words and "continues in Navigator" not in words
    assert "Stops taking medication." in words and "Plan for self_harm" in words


def test_a_long_record_runs_to_a_second_page_and_nothing_is_cut(qapp, tmp_path):
    long_fields = {
        "crisis_plan": text("crisis", 15),
        "conditions": text("condition", 40),
        "exclusion_zones": text("zone", 35),
        "no_contact": text("nocontact", 20),
        "recall_triggers": text("recall", 15),
    }
    risks = [
        flag(
            f"category_{i}",
            "high" if i < 3 else "medium",
            description=text(f"risk{i}", 3),
            management_plan=text(f"plan{i}", 8),
        )
        for i in range(6)
    ]
    html = crisis_sheet_html(
        client(**long_fields),
        risks,
        {"u1": "Margaret Ball"},
        made_by="On call",
        made_at="2026-11-23T06:33:00.000Z",
        refreshed_at="2026-11-23T05:00:00.000Z",
    )
    first, second = pages(tmp_path, html)
    everything = f"{first} {second}"
    assert "continues in Navigator" not in everything and "more active risk flag" not in everything
    for tag, field in (
        ("crisis", "crisis_plan"),
        ("condition", "conditions"),
        ("zone", "exclusion_zones"),
        ("nocontact", "no_contact"),
        ("recall", "recall_triggers"),
    ):
        count = long_fields[field].count("must be kept")
        assert all(f"{tag}-{i} must be kept." in everything for i in range(1, count + 1)), field
    for i in range(6):  # every risk and the whole of its plan
        assert f"risk{i}-3 must be kept." in everything and f"plan{i}-8 must be kept." in everything
    # Page 1: identity, who to call, the crisis plan and the highest risks; it says more follows.
    for expected in (
        "Crisis sheet: Jeffrey Khan",
        "9995033283",
        "Christopher Khan",
        "07700 900374",
        "crisis-1",
    ):
        assert expected in first, expected
    assert "plan0-8 must be kept." in first  # the most severe risk, with its whole plan
    assert " ".join(CONTINUED.split()) in first
    # The restrictions start page 2, whole.
    assert "Conditions, exclusion zones, no contact" in second and "condition-1 must be kept." in second
    assert "zone-35 must be kept." in second and "nocontact-20 must be kept." in second


def test_even_the_longest_record_cuts_no_restriction_or_plan(qapp, tmp_path):
    fields = ("crisis_plan", "conditions", "exclusion_zones", "no_contact", "recall_triggers")
    everything = client(**{f: text(f, 60) for f in fields}, address=LONG)
    risks = [flag(f"category_{i}", "high", management_plan=text(f"plan{i}", 60)) for i in range(8)]
    html = crisis_sheet_html(
        everything, risks, {}, made_by="On call", made_at="2026-11-23T06:33:00.000Z", refreshed_at=None
    )
    words = " ".join(pages(tmp_path, html))
    assert "continues in Navigator" not in words
    for f in fields:
        assert f"{f}-60 must be kept." in words, f
    assert all(f"plan{i}-60 must be kept." in words for i in range(8))


def test_the_builder_escapes_what_people_typed(qapp):
    html = crisis_sheet_html(
        client(given_name="<b>Eve</b>"),
        [],
        {},
        made_by="x",
        made_at="2026-11-23T06:33:00.000Z",
        refreshed_at=None,
    )
    assert "<b>Eve</b>" not in html and "&lt;b&gt;Eve&lt;/b&gt;" in html
    assert "No active risk flags" in html
