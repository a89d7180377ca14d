"""One table of the partnership report (referrals, engagements, safeguarding) as an item model:
the very rows its CSV export writes (documents/partnership_csv.py), small numbers suppressed."""

from __future__ import annotations

from typing import Any

from navigator_desktop.documents import partnership_csv
from navigator_desktop.store.reports.partnership import PartnershipReport
from navigator_desktop.ui.models.reports import RowsTableModel


class PartnershipTableModel(RowsTableModel):
    def __init__(self, key: str, parent: Any = None):
        table = partnership_csv.TABLES[key]
        super().__init__(table.title, table.headers, parent)
        self.key = key

    def set_report(self, report: PartnershipReport | None) -> None:
        self.set_rows(partnership_csv.rows(report, self.key) if report is not None else [])
