"""Fixtures for the API tests: a store with the ontology and a small test organisation, app clients."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
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
GRAPHS = DATA / "graphs.trig"
AS_OF = "2026-10-01"


def loaded_store(location: Path | None = None) -> Store:
    store = open_store(location)
    load(store, [*resources.ontology_files(), ORG, GRAPHS])
    return store


@pytest.fixture(scope="session")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """An on-disk store (so the SPARQL workers can open it read-only)."""
    return loaded_store(tmp_path_factory.mktemp("store") / "ox")


@pytest.fixture(scope="session")
def settings() -> Settings:
    # CRMKG_LANG=fi: the expected answers in data/expected/ carry the Finnish labels
    return Settings(lang="fi", query_timeout_s=3.0, max_rows=50, max_request_bytes=200_000)


@pytest.fixture(scope="session")
def client(store: Store, settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings, store)) as test_client:
        yield test_client


def make_client(store: Store, **overrides: object) -> TestClient:
    """A client for an app with other settings (use as a context manager)."""
    base = {"query_timeout_s": 3.0, "max_rows": 50, "max_request_bytes": 200_000}
    base.update(overrides)
    return TestClient(create_app(Settings(**base), store))  # type: ignore[arg-type]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class LiveServer:
    """``crmkg serve`` running as a separate process on 127.0.0.1."""

    url: str
    process: subprocess.Popen[bytes]


@pytest.fixture(scope="session")
def live_server() -> Iterator[LiveServer]:
    """The real CLI and uvicorn, serving the test organisation and the named graphs."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CRMKG_")}
    env.update({"CRMKG_MAX_ROWS": "50", "CRMKG_QUERY_TIMEOUT_S": "2"})
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "crmkg",
            "serve",
            "--data",
            str(ORG),
            str(GRAPHS),
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        env=env,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    try:
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"crmkg serve exited with {process.returncode}")
            try:
                if httpx.get(url + "/openapi.json", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("crmkg serve did not start within 90 s")
            time.sleep(0.3)
        yield LiveServer(url, process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
