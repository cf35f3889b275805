"""Owner periods from AccountHistory: a handover ends the old period the day before."""

from __future__ import annotations

import datetime as dt

from crmkg.ingest.handovers import OwnerChange, owner_periods

D = dt.date.fromisoformat
EXPORT = D("2026-09-30")


def change(rid: str, when: str, old: str | None, new: str) -> OwnerChange:
    return OwnerChange(rid, 2, when, D(when[:10]), old, new)


def spans(periods: list) -> list[tuple[str, dt.date, dt.date | None]]:
    return [(p.owner, p.start, p.end) for p in periods]


def test_no_history_one_open_period_from_creation() -> None:
    periods, notes = owner_periods("u1", D("2020-01-01"), [], EXPORT)
    assert spans(periods) == [("u1", D("2020-01-01"), None)]
    assert notes == []


def test_no_creation_date_starts_on_export_date() -> None:
    periods, _ = owner_periods("u1", None, [], EXPORT)
    assert spans(periods) == [("u1", EXPORT, None)]


def test_two_handovers_end_the_day_before() -> None:
    changes = [
        change("h2", "2026-03-02T07:55:00Z", "u2", "u3"),
        change("h1", "2024-02-01T07:30:00Z", "u1", "u2"),
    ]  # out of order on purpose
    periods, notes = owner_periods("u3", D("2023-05-02"), changes, EXPORT)
    assert spans(periods) == [
        ("u1", D("2023-05-02"), D("2024-01-31")),
        ("u2", D("2024-02-01"), D("2026-03-01")),
        ("u3", D("2026-03-02"), None),
    ]
    assert notes == []
    assert periods[1].started_by is changes[1]
    assert periods[1].ended_by is changes[0]


def test_two_changes_on_one_day_give_the_middle_owner_no_period() -> None:
    changes = [change("h1", "2025-01-10T08:00:00Z", "u1", "u2"), change("h2", "2025-01-10T15:00:00Z", "u2", "u3")]
    periods, _ = owner_periods("u3", D("2020-01-01"), changes, EXPORT)
    assert spans(periods) == [("u1", D("2020-01-01"), D("2025-01-09")), ("u3", D("2025-01-10"), None)]


def test_history_disagreeing_with_current_owner_is_noted() -> None:
    changes = [change("h1", "2025-01-10T08:00:00Z", "u1", "u2")]
    periods, notes = owner_periods("u9", D("2020-01-01"), changes, EXPORT)
    assert spans(periods)[-2:] == [("u2", D("2025-01-10"), D("2026-09-29")), ("u9", EXPORT, None)]
    assert len(notes) == 1
    assert (notes[0].code, notes[0].params["current"]) == ("history-ends-elsewhere", "u9")


def test_broken_chain_is_noted() -> None:
    changes = [change("h1", "2025-01-10T08:00:00Z", "u1", "u2"), change("h2", "2025-05-10T08:00:00Z", "u7", "u3")]
    _, notes = owner_periods("u3", D("2020-01-01"), changes, EXPORT)
    assert len(notes) == 1
    assert (notes[0].code, notes[0].params["old"]) == ("history-gap", "u7")


def test_without_creation_date_first_period_is_left_out_with_a_note() -> None:
    periods, notes = owner_periods("u2", None, [change("h1", "2025-01-10T08:00:00Z", "u1", "u2")], EXPORT)
    assert spans(periods) == [("u2", D("2025-01-10"), None)]
    assert len(notes) == 1
