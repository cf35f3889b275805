"""Hostile /sparql requests against a live ``crmkg serve`` on 127.0.0.1.

Every SERVICE/LOAD/FROM case points at a listener on 127.0.0.1 and asserts that nothing arrived, on
top of the status. The issue's failures (SSRF through an escaped ``\\#``, a 3,000-deep group, the
quadratic ``ä`` query, the three-way product, invalid UTF-8 escapes, several Accept lines) are here
beside the cases that already held, so they keep holding.
"""

from __future__ import annotations

import importlib.util
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

_spec = importlib.util.spec_from_file_location("sparql_cases", Path(__file__).with_name("sparql_cases.py"))
assert _spec is not None
assert _spec.loader is not None
_cases = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_cases)
SERVICE_HIDDEN: dict[str, str] = _cases.SERVICE_HIDDEN
UPDATES: dict[str, str] = _cases.UPDATES
Listener = Any

OWNER = "/relationships/ex:rel-acme/owner"


def _aimed(text: str, listener: Listener) -> str:
    return text.replace("127.0.0.1:9/", f"127.0.0.1:{listener.port}/")


def _problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    return body


def test_the_issue_repro_is_refused_and_nothing_connects(sparql_server: Any, listener: Listener) -> None:
    query = (
        "PREFIX ex: <http://e/>\n"
        f"SELECT * WHERE {{ BIND(ex:a\\# AS ?x) SERVICE <http://127.0.0.1:{listener.port}/x> {{ ?s ?p ?o }} }}"
    )
    for send in (
        lambda: httpx.get(sparql_server.url + "/sparql", params={"query": query}, timeout=10),
        lambda: httpx.post(sparql_server.url + "/sparql", data={"query": query}, timeout=10),
        lambda: httpx.post(
            sparql_server.url + "/sparql",
            content=query.encode(),
            headers={"content-type": "application/sparql-query"},
            timeout=10,
        ),
    ):
        assert "SERVICE" in _problem(send(), 403)["detail"]
    time.sleep(0.3)
    assert listener.connections == []


@pytest.mark.parametrize("name", sorted(SERVICE_HIDDEN))
def test_hidden_service_never_connects(sparql_server: Any, listener: Listener, name: str) -> None:
    query = _aimed(SERVICE_HIDDEN[name], listener)
    response = httpx.get(sparql_server.url + "/sparql", params={"query": query}, timeout=10)
    assert response.status_code == 403, response.text
    assert listener.connections == []


@pytest.mark.parametrize("name", sorted(UPDATES))
def test_updates_are_refused_on_every_channel(sparql_server: Any, listener: Listener, name: str) -> None:
    text = _aimed(UPDATES[name], listener)
    url = sparql_server.url + "/sparql"
    assert httpx.get(url, params={"query": text}, timeout=10).status_code == 403
    assert httpx.get(url, params={"update": text}, timeout=10).status_code == 403
    assert httpx.post(url, data={"update": text}, timeout=10).status_code == 403
    direct = httpx.post(url, content=text.encode(), headers={"content-type": "application/sparql-update"}, timeout=10)
    assert direct.status_code == 403
    assert listener.connections == []


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * FROM <http://127.0.0.1:{port}/data.ttl> WHERE {{ ?s ?p ?o }}",
        "SELECT * FROM NAMED <http://127.0.0.1:{port}/g> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        "PREFIX r: <http://127.0.0.1:{port}/> SELECT * FROM r:a\\#b WHERE {{ ?s ?p ?o }}",
        "BASE <http://127.0.0.1:{port}/> SELECT * FROM <relative> WHERE {{ ?s ?p ?o }}",
        "SELECT * FROM NAMED <file:///etc/passwd> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
    ],
)
def test_foreign_from_is_refused(sparql_server: Any, listener: Listener, query: str) -> None:
    text = query.format(port=listener.port)
    response = httpx.get(sparql_server.url + "/sparql", params={"query": text}, timeout=10)
    assert "not in this store" in _problem(response, 403)["detail"]
    params = {"query": "ASK { ?s ?p ?o }", "default-graph-uri": f"http://127.0.0.1:{listener.port}/remote.ttl"}
    assert httpx.get(sparql_server.url + "/sparql", params=params, timeout=10).status_code == 403
    assert listener.connections == []


def test_a_group_3000_deep_is_refused_and_the_workers_live(sparql_server: Any) -> None:
    deep = "SELECT * WHERE " + "{" * 3000 + " ?s ?p ?o " + "}" * 3000
    detail = _problem(httpx.post(sparql_server.url + "/sparql", data={"query": deep}, timeout=10), 400)["detail"]
    assert "CRMKG_SPARQL_MAX_DEPTH" in detail
    for _ in range(4):  # every worker still answers
        ok = httpx.get(sparql_server.url + "/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=10)
        assert ok.json()["boolean"] is True


def test_a_long_operator_chain_is_refused(sparql_server: Any) -> None:
    chain = "SELECT * WHERE { FILTER(" + "||".join(["true"] * 10_000) + ") }"
    response = httpx.post(sparql_server.url + "/sparql", data={"query": chain}, timeout=10)
    assert "CRMKG_SPARQL_MAX_DEPTH" in _problem(response, 400)["detail"]


def test_the_quadratic_query_neither_freezes_nor_delays_lookups(sparql_server: Any) -> None:
    """64 KB of 'ä' froze the server for 9.9 s; now it is a quick 400 and lookups go on meanwhile."""
    slow: list[float] = []

    def lookups() -> None:
        with httpx.Client(base_url=sparql_server.url, timeout=10) as client:
            for _ in range(20):
                started = time.monotonic()
                assert client.get(OWNER, params={"as_of": "2026-10-01"}).status_code == 200
                slow.append(time.monotonic() - started)

    worker = threading.Thread(target=lookups)
    started = time.monotonic()
    worker.start()
    for _ in range(3):
        response = httpx.post(sparql_server.url + "/sparql", data={"query": "ä" * 65_536}, timeout=10)
        assert "accepts a SPARQL 1.1 query" in _problem(response, 400)["detail"]
    worker.join()
    assert time.monotonic() - started < 5
    assert max(slow) < 1.0


def test_a_three_way_product_hits_the_memory_cap_with_503(sparql_server: Any) -> None:
    product = "SELECT * { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?a ?i"
    response = httpx.get(sparql_server.url + "/sparql", params={"query": product}, timeout=30)
    body = _problem(response, 503)
    assert "CRMKG_SPARQL_WORKER_MEMORY_MB" in body["detail"] or "CRMKG_QUERY_TIMEOUT_S" in body["detail"]
    ok = httpx.get(sparql_server.url + "/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=10)
    assert ok.json()["boolean"] is True


def test_invalid_utf8_percent_escapes_are_400_in_get_and_post(sparql_server: Any) -> None:
    url = sparql_server.url + "/sparql"
    get = httpx.get(url + "?query=ASK%20%7B%7D%20%23%FF%FE", timeout=10)
    assert "not UTF-8" in _problem(get, 400)["detail"]
    post = httpx.post(
        url,
        content=b"query=ASK%20%7B%7D%20%23%FF%FE",
        headers={"content-type": "application/x-www-form-urlencoded"},
        timeout=10,
    )
    assert "not UTF-8" in _problem(post, 400)["detail"]
    fine = httpx.get(url + "?query=ASK%20%7B%7D%20%23%C3%A4", timeout=10)
    assert fine.status_code == 200


def test_several_accept_lines_are_combined(sparql_server: Any) -> None:
    request = httpx.Request(
        "GET",
        sparql_server.url + "/sparql",
        params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1"},
        headers=[("accept", "text/turtle"), ("accept", "text/csv")],
    )
    with httpx.Client(timeout=10) as client:
        response = client.send(request)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")


def test_one_client_with_slow_queries_leaves_workers_for_others(sparql_server: Any) -> None:
    """Two slow queries from one client used to hold both workers until the timeout."""
    slow = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    url = sparql_server.url + "/sparql"
    results: list[int] = []

    def hog() -> None:
        results.append(httpx.get(url, params={"query": slow, "timeout": "2"}, timeout=15).status_code)

    hogs = [threading.Thread(target=hog) for _ in range(2)]
    for thread in hogs:
        thread.start()
    time.sleep(0.5)
    # Another client (another source address on the loopback) gets its answer meanwhile.
    transport = httpx.HTTPTransport(local_address="127.0.0.2")
    with httpx.Client(transport=transport, timeout=10) as other:
        started = time.monotonic()
        answer = other.get(url, params={"query": "ASK { ?s ?p ?o }"})
        waited = time.monotonic() - started
    for thread in hogs:
        thread.join()
    assert answer.status_code == 200
    assert waited < 1.5
    assert results == [503, 503]
