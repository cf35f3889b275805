"""Fixtures for the API tests: a store with the ontology and a small test organisation, app clients."""

from __future__ import annotations

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

DATA = Path(__file__).resolve().parent / "data"
ORG = DATA / "org.ttl"
AS_OF = "2026-10-01"


def loaded_store(location: Path | None = None) -> Store:
    store = open_store(location)
    load(store, [*resources.ontology_files(), ORG])
    return store


@pytest.fixture(scope="session")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """An on-disk store (so the SPARQL workers can open it read-only)."""
    return loaded_store(tmp_path_factory.mktemp("store") / "ox")


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings(query_timeout_s=3.0, max_rows=50, max_request_bytes=200_000)


@pytest.fixture(scope="session")
def client(store: Store, settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings, store)) as test_client:
        yield test_client


def make_client(store: Store, **overrides: object) -> TestClient:
    """A client for an app with other settings (use as a context manager)."""
    base = {"query_timeout_s": 3.0, "max_rows": 50, "max_request_bytes": 200_000}
    base.update(overrides)
    return TestClient(create_app(Settings(**base), store))  # type: ignore[arg-type]
