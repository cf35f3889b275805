"""``/sparql`` through the test client: formats, protocol errors, the policy, the cap and the timeout."""

from __future__ import annotations

import csv
import io
import json
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, URIRef

from crmkg.api.routers.sparql import MIN_TIMEOUT_S
from crmkg.store import Store

from .conftest import make_client

DATA = Path(__file__).resolve().parent / "data"
EXPECTED = json.loads((DATA / "expected" / "sparql.json").read_text("utf-8"))
SRX = "{http://www.w3.org/2005/sparql-results#}"


def _rows_from(media: str, body: bytes) -> set[tuple[str, ...]]:
    if media == "application/sparql-results+json":
        data = json.loads(body)
        return {tuple(b[v]["value"] for v in data["head"]["vars"]) for b in data["results"]["bindings"]}
    if media == "application/sparql-results+xml":
        root = ET.fromstring(body)
        names = [v.get("name") for v in root.iter(SRX + "variable")]
        rows = set()
        for result in root.iter(SRX + "result"):
            values = {b.get("name"): next(iter(b)).text for b in result.iter(SRX + "binding")}
            rows.add(tuple(values[n] or "" for n in names))
        return rows
    if media == "text/csv":
        lines = list(csv.reader(io.StringIO(body.decode("utf-8"))))
        return {tuple(row) for row in lines[1:]}
    if media == "text/tab-separated-values":
        lines = body.decode("utf-8").strip().split("\n")
        assert lines[0].split("\t") == ["?rel", "?start"]
        out = set()
        for line in lines[1:]:
            rel, start = line.split("\t")
            out.add((rel.strip("<>"), start.split('"')[1]))
        return out
    raise AssertionError(media)


@pytest.mark.parametrize(
    "media",
    ["application/sparql-results+json", "application/sparql-results+xml", "text/csv", "text/tab-separated-values"],
)
@pytest.mark.parametrize("method", ["get", "form", "direct"])
def test_select_in_every_results_format(client: TestClient, media: str, method: str) -> None:
    query = EXPECTED["select"]["query"]
    headers = {"accept": media}
    if method == "get":
        response = client.get("/sparql", params={"query": query}, headers=headers)
    elif method == "form":
        response = client.post("/sparql", data={"query": query}, headers=headers)
    else:
        headers["content-type"] = "application/sparql-query"
        response = client.post("/sparql", content=query.encode(), headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == media
    assert _rows_from(media, response.content) == {tuple(r) for r in EXPECTED["select"]["rows"]}


@pytest.mark.parametrize(
    ("accept", "fmt", "media"),
    [
        ("text/turtle", "turtle", "text/turtle"),
        ("application/n-triples", "nt", "application/n-triples"),
        ("application/ld+json", "json-ld", "application/ld+json"),
        ("application/rdf+xml", "xml", "application/rdf+xml"),
        (None, "turtle", "text/turtle"),
    ],
)
def test_construct_in_every_graph_format(client: TestClient, accept: str | None, fmt: str, media: str) -> None:
    headers = {"accept": accept} if accept else {}
    response = client.get("/sparql", params={"query": EXPECTED["construct"]["query"]}, headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == media
    graph = Graph().parse(data=response.content, format=fmt)
    assert {tuple(str(t) for t in triple) for triple in graph} == {tuple(t) for t in EXPECTED["construct"]["triples"]}


@pytest.mark.parametrize(("query", "expected"), [(EXPECTED["ask_true"], True), (EXPECTED["ask_false"], False)])
def test_ask(client: TestClient, query: str, expected: bool) -> None:
    as_json = client.get("/sparql", params={"query": query}, headers={"accept": "application/sparql-results+json"})
    assert as_json.json()["boolean"] is expected
    as_xml = client.get("/sparql", params={"query": query}, headers={"accept": "application/sparql-results+xml"})
    assert ET.fromstring(as_xml.content).find(SRX + "boolean").text == str(expected).lower()  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("format_value", "media"),
    [
        ("json", "application/sparql-results+json"),
        ("xml", "application/sparql-results+xml"),
        ("csv", "text/csv"),
        ("tsv", "text/tab-separated-values"),
        ("nonsense", "application/sparql-results+json"),
    ],
)
def test_format_parameter_wins_and_unknown_values_are_ignored(
    client: TestClient, format_value: str, media: str
) -> None:
    params = {"query": EXPECTED["select"]["query"], "format": format_value, "output": format_value}
    response = client.get("/sparql", params=params)
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media


def test_accept_with_q_values(client: TestClient) -> None:
    accept = "application/sparql-results+json;q=0.5, application/sparql-results+xml;q=0.9, */*;q=0.1"
    response = client.get("/sparql", params={"query": EXPECTED["select"]["query"]}, headers={"accept": accept})
    assert response.headers["content-type"].startswith("application/sparql-results+xml")


def test_nothing_acceptable_is_406(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": EXPECTED["select"]["query"]}, headers={"accept": "image/png"})
    assert response.status_code == 406
    assert response.headers["content-type"] == "application/problem+json"


def test_row_cap_is_flagged(client: TestClient, settings: Any) -> None:
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    as_json = client.get("/sparql", params={"query": query}, headers={"accept": "application/sparql-results+json"})
    assert as_json.headers["x-crmkg-truncated"] == "true"
    body = as_json.json()
    assert body["truncated"] is True
    assert len(body["results"]["bindings"]) == settings.max_rows
    as_xml = client.get("/sparql", params={"query": query}, headers={"accept": "application/sparql-results+xml"})
    links = [e.get("href") for e in ET.fromstring(as_xml.content).iter(SRX + "link")]
    assert links == ["urn:crmkg:truncated"]
    small = client.get("/sparql", params={"query": EXPECTED["select"]["query"]})
    assert "x-crmkg-truncated" not in small.headers
    assert "truncated" not in small.json()


def test_construct_cap_is_flagged(client: TestClient, settings: Any) -> None:
    response = client.get(
        "/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"}, headers={"accept": "application/n-triples"}
    )
    assert response.headers["x-crmkg-truncated"] == "true"
    assert len(Graph().parse(data=response.content, format="nt")) == settings.max_rows


def test_timeout_really_stops_the_query_and_the_endpoint_recovers(store: Store) -> None:
    heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    with make_client(store, query_timeout_s=1.0) as client:
        pool = client.app.state.crmkg.pool  # type: ignore[attr-defined]
        pids_before = {w.proc.pid for w in pool._all}
        started = time.monotonic()
        response = client.get("/sparql", params={"query": heavy})
        elapsed = time.monotonic() - started
        assert response.status_code == 503
        assert response.headers["content-type"] == "application/problem+json"
        assert elapsed < 2.5
        # The worker that ran it was killed, not left running.
        killed = pids_before - {w.proc.pid for w in pool._all}
        assert len(killed) == 1
        for pid in killed:
            assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text().lower()
        for _ in range(3):
            ok = client.get("/sparql", params={"query": EXPECTED["ask_true"]})
            assert ok.status_code == 200
            assert ok.json()["boolean"] is True


def test_per_request_timeout_is_capped_by_the_server(store: Store) -> None:
    heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    with make_client(store, query_timeout_s=5.0) as client:
        assert client.get("/sparql", params={"query": "ASK {}"}).status_code == 200  # workers started
        started = time.monotonic()
        response = client.get("/sparql", params={"query": heavy, "timeout": "0.5"})
        assert response.status_code == 503
        assert time.monotonic() - started < 2.5


@pytest.mark.parametrize("value", ["1.36e-77", "0", "-1", "nan", "0.0999", "-inf"])
def test_a_timeout_below_the_least_is_refused_naming_the_range(client: TestClient, value: str) -> None:
    """schemathesis drew ``timeout=1.36e-77``, which ran out before the query reached a worker: 503.
    A timeout below the least the service takes is the client's error, refused like the other
    out-of-range values, in the request's language, with the range (as the schema declares it)."""
    least = client.get("/openapi.json").json()["paths"]["/sparql"]["get"]["parameters"]
    declared = next(p["schema"]["minimum"] for p in least if p["name"] == "timeout")
    assert declared == MIN_TIMEOUT_S
    english = client.get("/sparql", params={"query": "ASK {}", "timeout": value, "lang": "en"})
    assert english.status_code == 400, english.text
    assert english.headers["content-type"] == "application/problem+json"
    detail = english.json()["detail"]
    assert detail.startswith(f"timeout must be at least {MIN_TIMEOUT_S:g} seconds, not {value!r}")
    assert "limit of 3 s (CRMKG_QUERY_TIMEOUT_S)" in detail
    finnish = client.post("/sparql", data={"query": "ASK {}", "timeout": value}, headers={"Accept-Language": "fi"})
    assert finnish.status_code == 400, finnish.text
    assert finnish.json()["detail"].startswith(f"timeout-arvon on oltava vähintään {MIN_TIMEOUT_S:g} sekuntia")


@pytest.mark.parametrize("value", [str(MIN_TIMEOUT_S), "2", "1e300", "inf"])
def test_a_timeout_from_the_least_up_is_taken(client: TestClient, value: str) -> None:
    assert client.get("/sparql", params={"query": "ASK {}"}).status_code == 200  # workers started
    response = client.get("/sparql", params={"query": "ASK {}", "timeout": value})
    assert response.status_code == 200, response.text
    assert response.json()["boolean"] is True


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "select * where { service silent <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { ?x ?y ?z . SeRvIcE ?endpoint { ?s ?p ?o } }",
        "PREFIX r: <http://127.0.0.1:9/> SELECT * WHERE { SERVICE r:sparql { ?s ?p ?o } }",
        "SELECT * FROM <http://127.0.0.1:9/data.ttl> WHERE { ?s ?p ?o }",
        "SELECT * FROM NAMED <file:///etc/passwd> WHERE { GRAPH ?g { ?s ?p ?o } }",
        "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        "LOAD <http://127.0.0.1:9/data.ttl>",
        "PREFIX ex: <urn:x> DELETE WHERE { ?s ?p ?o }",
        "CLEAR ALL",
    ],
)
def test_policy_refuses_before_running(client: TestClient, query: str) -> None:
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 403, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"].endswith("/query-refused")


@pytest.mark.parametrize(
    "query",
    [
        "SELECT ?service WHERE { ?service ?p 'SERVICE <http://127.0.0.1:9/>' } LIMIT 1",
        "# SERVICE <http://127.0.0.1:9/> is only a comment\nASK { ?s ?p ?o }",
        "PREFIX service: <urn:service:> SELECT * WHERE { ?s service:x ?o } LIMIT 1",
        "SELECT * WHERE { ?s <urn:SERVICE> ?o } LIMIT 1",
    ],
)
def test_the_word_service_elsewhere_is_fine(client: TestClient, query: str) -> None:
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 200, response.text


def test_updates_are_refused_in_every_form(client: TestClient) -> None:
    update = "INSERT DATA { <urn:a> <urn:b> <urn:c> }"
    assert client.get("/sparql", params={"update": update}).status_code == 403
    assert client.post("/sparql", data={"update": update}).status_code == 403
    direct = client.post("/sparql", content=update, headers={"content-type": "application/sparql-update"})
    assert direct.status_code == 403
    still = client.get("/sparql", params={"query": "ASK { <urn:a> <urn:b> <urn:c> }"}).json()
    assert still["boolean"] is False


def test_foreign_dataset_parameters_are_refused(client: TestClient) -> None:
    params = {"query": "ASK { ?s ?p ?o }", "default-graph-uri": "http://127.0.0.1:9/remote.ttl"}
    assert client.get("/sparql", params=params).status_code == 403


@pytest.mark.parametrize(
    ("kwargs", "status"),
    [
        ({"method": "GET", "params": [("query", "ASK {}"), ("query", "ASK {}")]}, 400),
        ({"method": "PUT", "content": b"ASK {}", "headers": {"content-type": "application/sparql-query"}}, 405),
        ({"method": "POST", "content": b"ASK {}", "headers": {"content-type": "text/plain"}}, 415),
        ({"method": "POST", "content": b"ASK {}"}, 415),
        (
            {
                "method": "POST",
                "content": "ASK {}".encode("utf-16"),
                "headers": {"content-type": "application/sparql-query; charset=UTF-16"},
            },
            415,
        ),
        ({"method": "POST", "content": b"ASK {", "headers": {"content-type": "application/sparql-query"}}, 400),
        ({"method": "GET", "params": {"query": "SELECT * WHERE { ?s ?p }"}}, 400),
        ({"method": "GET", "params": {"query": "ASK {}", "timeout": "soon"}}, 400),
        (
            {
                "method": "POST",
                "content": b"ASK {}",
                "params": {"query": "ASK {}"},
                "headers": {"content-type": "application/sparql-query"},
            },
            400,
        ),
    ],
    ids=[
        "two-queries",
        "put",
        "text-plain",
        "no-type",
        "utf16",
        "syntax-direct",
        "syntax-get",
        "bad-timeout",
        "query-twice",
    ],
)
def test_protocol_errors(client: TestClient, kwargs: dict[str, Any], status: int) -> None:
    response = client.request(url="/sparql", **kwargs)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"


def test_service_description(client: TestClient) -> None:
    response = client.get("/sparql", headers={"accept": "text/turtle"})
    assert response.status_code == 200
    graph = Graph().parse(data=response.content, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    endpoints = set(graph.objects(None, URIRef(sd + "endpoint")))
    assert endpoints == {URIRef("http://testserver/sparql")}
    assert URIRef(sd + "SPARQL11Query") in set(graph.objects(None, URIRef(sd + "supportedLanguage")))


def test_request_size_limit(client: TestClient, settings: Any) -> None:
    big = "ASK { ?s ?p ?o } #" + "x" * settings.max_request_bytes
    response = client.post("/sparql", content=big.encode(), headers={"content-type": "application/sparql-query"})
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"


def test_cors_is_off_unless_configured(client: TestClient, store: Store) -> None:
    plain = client.get("/sparql", params={"query": "ASK {}"}, headers={"origin": "https://evil.example"})
    assert "access-control-allow-origin" not in plain.headers
    with make_client(store, cors_origins=("https://app.example",)) as configured:
        ok = configured.get("/terms/search", params={"q": "maksaja"}, headers={"origin": "https://app.example"})
        assert ok.headers["access-control-allow-origin"] == "https://app.example"
        assert "access-control-allow-credentials" not in ok.headers
        other = configured.get("/terms/search", params={"q": "maksaja"}, headers={"origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers
