"""Where the owner/leads lookups run: in a worker process for an on-disk store, in place for one in memory.

Over an on-disk store every query a client can trigger runs in the killable, sandboxed worker
processes; the hot owner/leads lookup runs there whole (its queries and its JSON body), one round
trip per request. A store handed to ``create_app`` in memory is the caller's own object, which the
caller may go on writing to: it is queried in place, so the answers follow those writes (a copy in
worker processes would answer from a stale copy). ``crmkg serve`` never serves one: with ``--data``
it loads into an on-disk store first.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from crmkg.api import create_app
from crmkg.api.app import open_configured_store
from crmkg.api.sparql.pooled import PooledStore
from crmkg.config import Settings
from crmkg.store import Store, open_store

from .conftest import ORG, loaded_store

SETTINGS = Settings(lang="fi", query_timeout_s=10.0, lookup_cache=0)
QUESTIONS = [
    f"/relationships/{rel}/{holders}?as_of={day}{lang}"
    for rel in ("ex:rel-acme", "ex:rel-beta", "ex:no-such-relationship")
    for holders in ("owner", "leads")
    for day in ("2025-06-01", "2026-10-01")
    for lang in ("", "&lang=en")
]


@pytest.fixture(scope="module")
def on_disk(store: Store) -> Iterator[tuple[TestClient, list[dict[str, Any]]]]:
    """An app over the session's on-disk store opened read-only, recording each job sent to a worker."""
    read_only = open_store(store.path, read_only=True)
    app = create_app(SETTINGS, read_only, owns_store=True)
    jobs: list[dict[str, Any]] = []
    with TestClient(app) as client:
        pool = app.state.crmkg.snapshots.current.query_pool(SETTINGS)
        execute, execute_async = pool.execute, pool.execute_async

        def recording(job: dict[str, Any], timeout_s: float | None = None) -> Any:
            jobs.append(job)
            return execute(job, timeout_s)

        async def recording_async(job: dict[str, Any]) -> Any:
            jobs.append(job)
            return await execute_async(job)

        pool.execute = recording  # type: ignore[method-assign]
        pool.execute_async = recording_async  # type: ignore[method-assign]
        yield client, jobs


@pytest.fixture(scope="module")
def in_memory() -> Iterator[TestClient]:
    with TestClient(create_app(SETTINGS, loaded_store(None))) as client:
        yield client


@pytest.mark.parametrize("url", QUESTIONS)
def test_a_lookup_runs_whole_in_one_worker_round_trip(
    on_disk: tuple[TestClient, list[dict[str, Any]]], in_memory: TestClient, url: str
) -> None:
    client, jobs = on_disk
    jobs.clear()
    pooled = client.get(url)
    assert [job.get("call") for job in jobs] == ["current"]  # one round trip, not one per query
    in_place = in_memory.get(url)
    assert pooled.status_code == in_place.status_code
    assert pooled.status_code in (200, 404)
    if pooled.status_code == 404:  # the worker's NotFound is the route's 404, detail and all
        assert pooled.json()["detail"] == in_place.json()["detail"]
    else:
        assert pooled.json() == in_place.json()
        assert pooled.headers["etag"] == in_place.headers["etag"]  # the same bytes in both places
        assert pooled.headers["x-crmkg-cache"] == "off"


def test_explain_still_lists_each_query(on_disk: tuple[TestClient, list[dict[str, Any]]]) -> None:
    client, jobs = on_disk
    jobs.clear()
    response = client.get("/relationships/ex:rel-acme/owner?as_of=2026-10-01&explain=true")
    assert response.status_code == 200, response.text
    names = [q["name"] for q in response.json()["explain"]["queries"]]
    assert names[0] == "relationship-current"
    assert "accountable" in names
    assert len(jobs) == len(names)
    assert all("call" not in job for job in jobs)


def test_an_in_memory_store_is_queried_in_place_and_follows_the_callers_writes() -> None:
    store = loaded_store(None)
    app = create_app(SETTINGS, store)
    with TestClient(app) as client:
        state = app.state.crmkg
        assert not state.queries_in_workers
        assert not isinstance(state.store, PooledStore)
        url = "/relationships/ex:rel-new/owner?as_of=2026-10-01"
        assert client.get(url).status_code == 404
        store.update(
            "PREFIX akj: <https://w3id.org/crmkg/akj#> PREFIX ex: <https://example.org/esimerkki/> "
            "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> INSERT DATA { "
            "ex:rel-new a akj:ExternalCustomerRelationship ; akj:startDate '2020-01-01'^^xsd:date . "
            "ex:as-new a akj:ResponsibilityAssignment ; akj:assignmentFor ex:rel-new ; "
            "akj:responsibilityRole akj:OwnerRole ; akj:assignee ex:olli ; akj:startDate '2021-01-01'^^xsd:date }"
        )
        answer = client.get(url)
        assert answer.status_code == 200, answer.text
        assert [o["assignee"]["iri"] for o in answer.json()["owners"]] == ["https://example.org/esimerkki/olli"]


def test_serve_data_is_loaded_on_disk_and_queried_in_workers() -> None:
    settings = Settings(lang="fi", data=(ORG,), query_timeout_s=10.0)
    store, cleanup = open_configured_store(settings)
    app = create_app(settings, store, owns_store=True)
    app.state.crmkg.cleanup.extend(cleanup)
    with TestClient(app) as client:
        assert store.path is not None
        assert store.read_only
        assert app.state.crmkg.queries_in_workers
        assert client.get("/relationships/ex:rel-acme/owner?as_of=2026-10-01").status_code == 200


@pytest.mark.parametrize("url", ["/relationships?as_of=2026-10-01"])
def test_whole_store_questions_run_in_the_lower_priority_sparql_workers(
    on_disk: tuple[TestClient, list[dict[str, Any]]], url: str
) -> None:
    """The ownership table goes to /sparql's workers, which run niced
    (CRMKG_SPARQL_WORKER_NICE), so they never hold a lookup worker nor out-run a lookup for the CPU."""
    client, lookup_jobs = on_disk
    lookup_jobs.clear()
    snapshot = client.app.state.crmkg.snapshots.current  # type: ignore[attr-defined]
    heavy = snapshot.pool(SETTINGS)
    sent: list[dict[str, Any]] = []
    execute = heavy.execute

    def recording(job: dict[str, Any], timeout_s: float | None = None) -> Any:
        sent.append(job)
        return execute(job, timeout_s)

    heavy.execute = recording  # type: ignore[method-assign]
    try:
        response = client.get(url)
    finally:
        heavy.execute = execute  # type: ignore[method-assign]
    assert response.status_code == 200, response.text
    assert sent
    assert not lookup_jobs
    own = os.getpriority(os.PRIO_PROCESS, 0)
    heavy_nice = {os.getpriority(os.PRIO_PROCESS, w.proc.pid) - own for w in heavy._all}
    lookup_nice = {os.getpriority(os.PRIO_PROCESS, w.proc.pid) - own for w in snapshot.query_pool(SETTINGS)._all}
    assert heavy_nice == {min(19 - own, SETTINGS.sparql_worker_nice)}
    assert lookup_nice == {0}
