"""Every query a client can trigger has a real timeout and crash isolation — not only ``/sparql``.

The owner/lead lookups, the typed catalogue endpoints (``/queries/*``) and the web query forms
run our own SPARQL with the client's values bound. A value can make such a query run long (or
meet an engine bug); it then runs in a killable worker process, answers 503 within the timeout,
and the server goes on answering everyone else.

``query_faults`` simulates the slow or crashing query where the real one would strike: in
whatever process runs the query, when a bound value carries a marker.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Iterator

import httpx
import pytest

from .servers import ORG, QUERY_CRASH_MARKER, QUERY_STALL_MARKER, Server, crmkg_env, query_faults, serving

STALL = "ex:" + QUERY_STALL_MARKER
CRASH = "ex:" + QUERY_CRASH_MARKER
TIMEOUT_S = 2.0
#: Each way a client reaches catalogue SPARQL, with a relationship it binds.
ROUTES = [
    "/queries/cq-011-current-owner?asOf=2026-10-01&relationship={}",
    "/relationships/{}/owner?as_of=2026-10-01",  # the fast path
    "/relationships/{}/owner?as_of=2026-10-01&explain=true",  # the route
    "/relationships/{}/history",
    "/relationships/{}",
    "/ui/queries/cq-011-current-owner?run=1&asOf=2026-10-01&relationship={}",
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    env = crmkg_env(CRMKG_QUERY_TIMEOUT_S=str(TIMEOUT_S), CRMKG_TEST_STALL_S="60")
    env.update(query_faults(tmp_path_factory.mktemp("faults")))
    with serving(["--data", str(ORG)], env) as running:
        yield running


def _owner_lookup(day: int) -> str:
    """An owner lookup the answer cache has not seen (a new date each time)."""
    return f"/relationships/ex:rel-acme/owner?as_of={dt.date(2026, 1, 1) + dt.timedelta(days=day)}"


@pytest.mark.parametrize("route", ROUTES)
def test_a_query_that_runs_long_is_stopped_and_others_are_answered(server: Server, route: str) -> None:
    answered: list[float] = []
    failed: list[int] = []
    stop = threading.Event()

    def lookups() -> None:
        with httpx.Client(timeout=30) as client:
            while not stop.is_set():
                started = time.monotonic()
                status = client.get(server.url + _owner_lookup(len(answered))).status_code
                answered.append(time.monotonic() - started)
                if status != 200:
                    failed.append(status)

    beside = threading.Thread(target=lookups)
    beside.start()
    try:
        started = time.monotonic()
        response = httpx.get(server.url + route.format(STALL), timeout=60)
        took = time.monotonic() - started
    finally:
        stop.set()
        beside.join(timeout=60)
    assert response.status_code == 503, response.text
    assert "query-timeout" in response.text or "ran longer" in response.text
    assert took < TIMEOUT_S + 3, took
    assert failed == []
    assert len(answered) >= 3, answered
    assert max(answered) < 1.0, answered  # the lookups beside it never waited for it
    assert server.alive()
    assert httpx.get(server.url + route.format("ex:rel-acme"), timeout=30).status_code == 200


@pytest.mark.parametrize("route", ROUTES[:2])
def test_a_query_that_crashes_costs_one_request(server: Server, route: str) -> None:
    response = httpx.get(server.url + route.format(CRASH), timeout=60)
    assert response.status_code == 502, response.text
    assert "SIGSEGV" in response.text
    assert server.alive()
    assert httpx.get(server.url + _owner_lookup(400), timeout=30).status_code == 200
