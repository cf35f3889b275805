"""Frozen pre-issue-12 data give exactly the findings recorded for them (see README.md here)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from crmkg.validation import validate

from .findings import read, rows

HERE = Path(__file__).resolve().parent


@pytest.mark.parametrize("engine", ["fast", "pyshacl"])
def test_example_0_1_keeps_its_findings(engine: str) -> None:
    expected = read(HERE / "esimerkki-0.1-findings.csv")
    got = rows(validate([HERE / "esimerkki-0.1"], as_of=dt.date(2026, 10, 1), engine=engine))
    assert sum(expected.values()) == 56  # 57 before issue 15 §7 (S3, see README.md)
    missing, extra = expected - got, got - expected
    assert not missing, f"findings lost: {sorted(missing)}"
    assert not extra, f"new findings on old data: {sorted(extra)}"
