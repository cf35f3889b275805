"""Rebuild the owner periods of one account from its owner-change history.

The project's date rule: assignment dates are inclusive, and a handover ends the old assignment
the day before the new one starts (resolution 19). An owner who held the account for less than a
day (two changes on one date) gets no period of their own. This needs ordering and date
arithmetic, which RML cannot express, so it is Python.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class OwnerChange:
    record_id: str  # the AccountHistory row's id
    line: int
    when: str  # the CreatedDate text, sortable (ISO 8601)
    date: dt.date
    old: str | None
    new: str
    by: str | None = None  # the user who made the change, if the export says


@dataclass(frozen=True)
class OwnerPeriod:
    owner: str
    start: dt.date
    end: dt.date | None
    started_by: OwnerChange | None  # None: the account's creation (or the export date)
    ended_by: OwnerChange | None


@dataclass(frozen=True)
class HistoryNote:
    """An inconsistency in the history: ``code`` is its finding code, ``params`` fill the message."""

    line: int | None
    code: str
    params: dict[str, str]


def owner_periods(
    current_owner: str | None,
    created: dt.date | None,
    changes: Sequence[OwnerChange],
    export_date: dt.date,
) -> tuple[list[OwnerPeriod], list[HistoryNote]]:
    """Owner periods, oldest first, and notes on inconsistencies in the history.

    ``created`` is when the first owner started (the account's CreatedDate); without it the
    period before the first recorded change is left out, with a note.
    """
    notes: list[HistoryNote] = []
    ordered = sorted(changes, key=lambda c: (c.when, c.record_id))
    periods: list[OwnerPeriod] = []
    owner: str | None
    start: dt.date | None
    started_by: OwnerChange | None = None
    if ordered:
        owner, start = ordered[0].old, created
        if owner is not None and start is None:
            notes.append(
                HistoryNote(ordered[0].line, "history-no-start", {"owner": owner, "date": str(ordered[0].date)})
            )
    else:
        owner, start = current_owner, created or export_date
    for change in ordered:
        if owner is not None and change.old is not None and change.old != owner:
            notes.append(
                HistoryNote(
                    change.line, "history-gap", {"date": str(change.date), "old": change.old, "previous": owner}
                )
            )
        _close(periods, owner, start, change.date - _DAY, started_by, change)
        owner, start, started_by = change.new, change.date, change
    if ordered and current_owner is not None and owner != current_owner:
        notes.append(
            HistoryNote(
                None,
                "history-ends-elsewhere",
                {"last": str(owner), "current": current_owner, "date": str(export_date)},
            )
        )
        _close(periods, owner, start, export_date - _DAY, started_by, None)
        owner, start, started_by = current_owner, export_date, None
    if owner is not None and start is not None:
        periods.append(OwnerPeriod(owner, start, None, started_by, None))
    return periods, notes


def _close(
    periods: list[OwnerPeriod],
    owner: str | None,
    start: dt.date | None,
    end: dt.date,
    started_by: OwnerChange | None,
    ended_by: OwnerChange | None,
) -> None:
    if owner is not None and start is not None and start <= end:
        periods.append(OwnerPeriod(owner, start, end, started_by, ended_by))
