"""Report CSVs open correctly in Excel: a byte-order mark so non-ASCII names survive, and no cell
that Excel would run as a formula (OWASP's CSV injection advice: prefix it with a single quote)."""

from __future__ import annotations

import csv
import dataclasses
import io
import stat
from pathlib import Path

import pytest

from navigator_desktop.documents import excel_csv, report_csv
from navigator_desktop.store import reports
from navigator_desktop.store.context import Actor
from navigator_desktop.store.db import Database
from tests.desktop.store.test_reports import Known, team
from tests.desktop.store.test_reports import known as known
from tests.desktop.test_report_csv import actor as actor
from tests.desktop.test_report_csv import clock as clock
from tests.desktop.test_report_csv import db as db


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+44 7700 900123", "'+44 7700 900123"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Zoë Ó'Brien", "Zoë Ó'Brien"),
        ("—", "—"),
        ("7", "7"),
        ("-3", "-3"),  # a plain number is no formula: it stays a number in Excel
        ("12.5%", "12.5%"),
        ("", ""),
    ],
)
def test_a_cell_excel_would_run_is_neutralised(value: str, safe: str) -> None:
    assert excel_csv.cell(value) == safe


def test_a_client_named_like_a_formula_is_exported_as_text(db: Database, known: Known) -> None:
    report = team(db)
    evil = dict(report.per_client[0], client="=1+1|cmd")
    report = dataclasses.replace(report, per_client=[evil, *report.per_client[1:]])
    rows = list(csv.reader(io.StringIO(report_csv.to_csv(report, "contacts_by_client"))))
    assert rows[1][0] == "'=1+1|cmd"
    assert not any(c[:1] in "=+@\t\r" for row in rows for c in row if c)


def test_the_file_starts_with_a_byte_order_mark_and_keeps_non_ascii_names(
    db: Database, actor: Actor, known: Known, tmp_path: Path
) -> None:
    report = team(db)
    named = dict(report.per_client[0], client="Zoë Ó'Brien")
    report = dataclasses.replace(report, per_client=[named, *report.per_client[1:]])
    target = tmp_path / "clients.csv"
    reports.export(db, actor, target, report_csv.to_csv(report, "contacts_by_client"), "Report CSV")
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert "Zoë Ó'Brien".encode() in data
    first = next(csv.DictReader(io.StringIO(report_csv.table_text(target.read_text("utf-8-sig")))))
    assert first["Client"] == "Zoë Ó'Brien"


def test_the_file_is_readable_by_its_owner_only(
    db: Database, actor: Actor, known: Known, tmp_path: Path
) -> None:
    target = tmp_path / "months.csv"
    report = team(db)
    reports.export(db, actor, target, report_csv.to_csv(report, "contacts_by_month"), "Report CSV")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
