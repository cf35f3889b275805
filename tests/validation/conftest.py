"""Fixtures for the validation tests: paths, the suite's as-of date, reports computed once."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from crmkg.validation import ValidationReport, validate

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
DATA = HERE / "data"
MINI = DATA / "mini"
MINI_SHAPES = MINI / "shapes.ttl"
MINI_DATA = [MINI / "things.ttl", MINI / "more.nt"]
GOLDEN = HERE / "golden"
SCHEMAS = HERE / "schemas"
EXAMPLE = REPO / "examples" / "esimerkki"
BROKEN = REPO / "examples" / "esimerkki-broken"
BROKEN_DATA = BROKEN / "data"
SYNTAX_ERROR = BROKEN / "syntax" / "missing-semicolon.ttl"

#: The suite never reads the clock: every date-relative check runs as of this day.
AS_OF = dt.date(2026, 10, 1)


@pytest.fixture(scope="session")
def mini_report() -> ValidationReport:
    return validate(MINI_DATA, shapes=MINI_SHAPES, as_of=AS_OF)


@pytest.fixture(scope="session")
def example_report() -> ValidationReport:
    return validate([EXAMPLE], as_of=AS_OF)


@pytest.fixture(scope="session")
def broken_report() -> ValidationReport:
    return validate([BROKEN_DATA], as_of=AS_OF)


@pytest.fixture
def in_repo(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run with the repository as working directory (report paths are relative to it)."""
    monkeypatch.chdir(REPO)
    return REPO
