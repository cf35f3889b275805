"""S19 reports a disagreeing pair of customer models once, at the lowest common organisation.

The fixture has divisions between company and units and a unit under two divisions; both engines
must report exactly the (focus, value) rows of ``data/s19-hierarchy.csv``.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from crmkg.validation import validate

DATA = Path(__file__).resolve().parent / "data"


def _expected() -> set[tuple[str, str]]:
    with (DATA / "s19-hierarchy.csv").open(encoding="utf-8", newline="") as handle:
        return {(row["focus"], row["value"]) for row in csv.DictReader(handle)}


@pytest.mark.parametrize("engine", ["pyshacl", "fast"])
def test_pairs_are_reported_at_the_lowest_common_organisation(engine: str) -> None:
    report = validate([DATA / "s19-hierarchy.ttl"], engine=engine, as_of=dt.date(2026, 10, 1))
    got = {(str(r.focus_node), str(r.value)) for r in report.results if r.shape_id == "S19"}
    assert got == _expected()
