"""Fixtures shared by every test folder."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

#: The as-of date the suite uses for the example organisation (never the clock).
AS_OF = dt.date(2026, 10, 1)


@pytest.fixture(autouse=True)
def _clean_crmkg_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings come from CRMKG_* variables; a developer's shell must not leak into tests."""
    import os

    for name in list(os.environ):
        if name.startswith("CRMKG_"):
            monkeypatch.delenv(name)


@pytest.fixture
def repo() -> Path:
    return REPO


@pytest.fixture
def as_of() -> dt.date:
    return AS_OF
