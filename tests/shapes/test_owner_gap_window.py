"""S30's tolerance is a run parameter (``--owner-gap-days``): the same data give a finding at a
tolerance below the gap and none at or above it, on both engines."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from rdflib import Graph

from crmkg.validation import validate_graph

from .conftest import SHAPES_DIR, base_data

FIXTURE = Path(__file__).resolve().parent / "invalid" / "S30-01.ttl"  # a 45-day gap


@pytest.mark.parametrize("engine", ["pyshacl", "fast"])
@pytest.mark.parametrize(("tolerance", "reported"), [(0, True), (44, True), (45, False), (90, False)])
def test_gap_is_reported_only_beyond_the_tolerance(engine: str, tolerance: int, reported: bool) -> None:
    data = Graph()
    data += base_data()
    data.parse(FIXTURE)
    report = validate_graph(
        data, shapes=SHAPES_DIR, as_of=dt.date(2026, 10, 1), engine=engine, owner_gap_days=tolerance
    )
    gaps = [r for r in report.results if r.shape_id == "S30"]
    assert bool(gaps) is reported, [r.message("en") for r in gaps]
    if reported:
        assert "45 days" in gaps[0].message("en")
        assert report.parameters["ownerGapDays"] == str(tolerance)
