"""What a report cannot count: clients who left this laptop under the retention rule.

Reports are computed from what the laptop holds, and a discharged client's records leave it once
the retention period is over (``store.retention``). The report says so, with the period and, when
this laptop's purges counted them, how many clients went (a count only: no identities are kept).
"""

from __future__ import annotations

from dataclasses import dataclass

from navigator_desktop.store import retention
from navigator_desktop.store.db import Database


@dataclass(frozen=True)
class RetentionNote:
    days: int
    removed: int | None  # clients removed from this laptop by retention so far; None if unknown

    @property
    def text(self) -> str:
        if self.removed is None:
            removed = ""
        elif self.removed == 1:
            removed = " 1 client has left this laptop so far."
        else:
            removed = f" {self.removed} clients have left this laptop so far."
        return (
            f"Clients discharged more than {self.days} days ago have left this laptop under the retention "
            f"rule and are not counted here.{removed} The central store keeps their records."
        )


def retention_note(db: Database) -> RetentionNote:
    return RetentionNote(retention.retention_days(db), retention.removed_count(db))
