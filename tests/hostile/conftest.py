"""Fixtures for the hostile-input suite: a live ``crmkg serve`` on 127.0.0.1 (ephemeral port)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .servers import Server, crmkg_env, start_server, stop_server

API_DATA = Path(__file__).resolve().parent.parent / "api" / "data"
#: Settings of the SPARQL server the hostile SPARQL tests attack (small, so limits are reached fast).
SPARQL_SERVER_ENV = {
    "CRMKG_MAX_ROWS": "50",
    "CRMKG_QUERY_TIMEOUT_S": "4",
    "CRMKG_SPARQL_WORKER_MEMORY_MB": "400",
    "CRMKG_SPARQL_WORKERS": "2",
}


@pytest.fixture(scope="session")
def sparql_server() -> Iterator[Server]:
    """The test organisation and its named graphs, served with small SPARQL limits."""
    server = start_server(
        ["--data", str(API_DATA / "org.ttl"), str(API_DATA / "graphs.trig")],
        crmkg_env(**SPARQL_SERVER_ENV),
        ready_path="/sparql?query=ASK%20%7B%7D",
    )
    try:
        yield server
    finally:
        stop_server(server)
