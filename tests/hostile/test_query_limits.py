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
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from crmkg.api.sparql.gate import ThreadGate
from crmkg.errors import QueryOverLimit

from .servers import ORG, QUERY_CRASH_MARKER, QUERY_STALL_MARKER, Server, crmkg_env, query_faults, serving

STALL = "ex:" + QUERY_STALL_MARKER
CRASH = "ex:" + QUERY_CRASH_MARKER
TIMEOUT_S = 2.0
OTHER_CLIENT = "127.0.0.2"
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
        # another client (another address): one client's turns (CRMKG_LOOKUP_PER_CLIENT) are not its
        with httpx.Client(timeout=30, transport=httpx.HTTPTransport(local_address=OTHER_CLIENT)) as client:
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
    assert "stopped while running the query" in response.text
    in_finnish = httpx.get(server.url + route.format(CRASH), headers={"Accept-Language": "fi"}, timeout=60)
    assert in_finnish.status_code == 502, in_finnish.text
    assert "SIGSEGV" in in_finnish.text
    assert "pysähtyi kyselyn aikana" in in_finnish.text  # told in the request's language
    assert server.alive()
    assert httpx.get(server.url + _owner_lookup(400), timeout=30).status_code == 200


def test_one_client_holds_at_most_its_turns_of_the_lookup_workers(tmp_path: Path) -> None:
    """Two stalled lookups from one client hold one of the two lookup workers (CRMKG_LOOKUP_PER_CLIENT=1):
    the other client is answered meanwhile. Without the limit both workers stall and it waits them out."""
    env = crmkg_env(
        CRMKG_QUERY_TIMEOUT_S="20", CRMKG_TEST_STALL_S="60", CRMKG_SPARQL_WORKERS="2", CRMKG_LOOKUP_PER_CLIENT="1"
    )
    env.update(query_faults(tmp_path / "faults"))
    stalls = tmp_path / "stalls"
    stalls.mkdir()
    env["CRMKG_TEST_STALL_DIR"] = str(stalls)
    statuses: list[int] = []
    with serving(["--data", str(ORG)], env) as server:

        def stalled() -> None:
            statuses.append(httpx.get(server.url + ROUTES[1].format(STALL), timeout=60).status_code)

        hog = [threading.Thread(target=stalled) for _ in range(2)]
        hog[0].start()
        _wait_for(lambda: any(stalls.iterdir()))  # the first holds a worker
        hog[1].start()
        time.sleep(1.0)  # time for the second to arrive (were it late, the other client could not fail)
        try:
            with httpx.Client(timeout=60, transport=httpx.HTTPTransport(local_address=OTHER_CLIENT)) as other:
                response = other.get(server.url + _owner_lookup(500))
            assert statuses == [], "the stalled lookups answered before the other client's"
            assert response.status_code == 200, response.text
            assert response.headers["x-crmkg-cache"] == "miss"  # it ran a query
        finally:
            for thread in hog:
                thread.join(timeout=90)
        assert sorted(statuses) == [503, 503]  # the one stopped at its timeout, the other on its turn or stopped


def _wait_for(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 60
    while not condition():
        assert time.monotonic() < deadline, "the stalled lookup never started"
        time.sleep(0.05)


def test_the_turns_of_one_client() -> None:
    gate = ThreadGate(per_client=1, waiting=1)
    with gate.turn("a", 1.0):
        # no slot frees: a waits its timeout
        with pytest.raises(QueryOverLimit, match="CRMKG_LOOKUP_PER_CLIENT"), gate.turn("a", 0.05):
            pass
        with gate.turn("b", 0.0):  # another client goes at once
            assert gate.users("b") == 1
        waiting = threading.Thread(target=lambda: _turn_quietly(gate, "a", 30.0))
        waiting.start()
        while gate.users("a") < 2:
            time.sleep(0.01)
        # one running and one waiting: refused at once
        with pytest.raises(QueryOverLimit, match="1 more wait"), gate.turn("a", 30.0):
            pass
    waiting.join(timeout=30)
    assert gate.users("a") == 0
    with gate.turn(None, 0.0):  # not a request: no turn needed
        assert gate.users("a") == 0


def _turn_quietly(gate: ThreadGate, client: str, timeout_s: float) -> None:
    with gate.turn(client, timeout_s):
        pass
