"""Fixtures for the web app's tests: the example organisation in an in-memory store, app clients."""

from __future__ import annotations

import csv
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from crmkg import resources
from crmkg.config import Settings
from crmkg.loading import load
from crmkg.store import Store, open_store

warnings.filterwarnings("ignore", message=".*httpx2.*")

from fastapi.testclient import TestClient  # noqa: E402  (after the warning filter)

from crmkg.api import create_app  # noqa: E402

HERE = Path(__file__).resolve().parent
EXPECTED = HERE / "expected"
BROKEN = resources.example_dir("esimerkki-broken") / "data"
AS_OF = "2026-10-01"


@pytest.fixture(autouse=True)
def _finnish_server(monkeypatch: pytest.MonkeyPatch) -> None:
    """The pages' expected texts are Finnish: the server runs in a Finnish locale, which (with no
    CRMKG_LANG) is its default language under the one language rule."""
    monkeypatch.setenv("LANG", "fi_FI.UTF-8")


def example_store() -> Store:
    store = open_store()
    load(store, [*resources.ontology_files(), resources.example_dir("esimerkki")])
    return store


@pytest.fixture(scope="session")
def store() -> Store:
    return example_store()


@pytest.fixture(scope="session")
def client(store: Store) -> Iterator[TestClient]:
    settings = Settings(max_request_bytes=2_000_000)
    with TestClient(create_app(settings, store)) as test_client:
        yield test_client


def expected_handovers() -> dict[str, set[tuple[str, str]]]:
    out: dict[str, set[tuple[str, str]]] = {}
    with (EXPECTED / "handovers.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            out.setdefault(row["relationship"], set()).add((row["role"], row["date"]))
    return out


def expected_broken_findings() -> set[tuple[str, str]]:
    """(shape id, focus node) of every finding documented for examples/esimerkki-broken/data."""
    path = resources.example_dir("esimerkki-broken") / "expected-findings.csv"
    with path.open(encoding="utf-8") as handle:
        return {(row["shape_id"], row["focus_node"]) for row in csv.DictReader(handle)}
