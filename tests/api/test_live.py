"""The protocol against a live ``crmkg serve`` (uvicorn on 127.0.0.1), with SPARQLWrapper and httpx.

SPARQLWrapper is used with its defaults (GET, XML, its extra format/output parameters) and with
its other request methods, as a client that knows nothing about crmkg would.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
from pathlib import Path
from typing import Any

import httpx
import pytest
from rdflib import Graph
from SPARQLWrapper import CSV, JSON, JSONLD, N3, POST, POSTDIRECTLY, TSV, TURTLE, XML, SPARQLWrapper

from .conftest import LiveServer

DATA = Path(__file__).resolve().parent / "data"
EXPECTED = json.loads((DATA / "expected" / "sparql.json").read_text("utf-8"))
SELECT_ROWS = {tuple(r) for r in EXPECTED["select"]["rows"]}
CONSTRUCT_TRIPLES = {tuple(t) for t in EXPECTED["construct"]["triples"]}


def _wrapper(server: LiveServer, query: str) -> SPARQLWrapper:
    sparql = SPARQLWrapper(server.url + "/sparql")
    sparql.setQuery(query)
    return sparql


def test_sparqlwrapper_defaults_get_and_xml(live_server: LiveServer) -> None:
    sparql = _wrapper(live_server, EXPECTED["select"]["query"])
    result = sparql.query()
    assert result.response.headers["content-type"].startswith("application/sparql-results+xml")
    document = result.convert()  # an xml.dom document
    rows = set()
    for node in document.getElementsByTagName("result"):
        values = {b.getAttribute("name"): b.firstChild.firstChild.data for b in node.getElementsByTagName("binding")}
        rows.add((values["rel"], values["start"]))
    assert rows == SELECT_ROWS


@pytest.mark.parametrize("method", ["GET", POST, POSTDIRECTLY])
def test_sparqlwrapper_json_with_every_request_method(live_server: LiveServer, method: str) -> None:
    sparql = _wrapper(live_server, EXPECTED["select"]["query"])
    sparql.setReturnFormat(JSON)
    if method == POST:
        sparql.setMethod(POST)
    elif method == POSTDIRECTLY:
        sparql.setMethod(POST)
        sparql.setRequestMethod(POSTDIRECTLY)
    data: Any = sparql.queryAndConvert()
    assert {(b["rel"]["value"], b["start"]["value"]) for b in data["results"]["bindings"]} == SELECT_ROWS


@pytest.mark.parametrize(("fmt", "separator"), [(CSV, ","), (TSV, "\t")])
def test_sparqlwrapper_csv_tsv(live_server: LiveServer, fmt: str, separator: str) -> None:
    sparql = _wrapper(live_server, EXPECTED["select"]["query"])
    sparql.setReturnFormat(fmt)
    text = sparql.queryAndConvert()
    lines = (text.decode() if isinstance(text, bytes) else text).strip().splitlines()
    assert len(lines) == 1 + len(SELECT_ROWS)
    assert all(len(line.split(separator)) == 2 for line in lines)


@pytest.mark.parametrize("fmt", [XML, TURTLE, N3, JSONLD])
def test_sparqlwrapper_construct(live_server: LiveServer, fmt: str) -> None:
    sparql = _wrapper(live_server, EXPECTED["construct"]["query"])
    sparql.setReturnFormat(fmt)
    converted = sparql.queryAndConvert()
    if isinstance(converted, Graph):
        graph = converted
    else:
        graph = Graph().parse(data=converted, format="json-ld" if fmt == JSONLD else "turtle")
    assert {tuple(str(t) for t in triple) for triple in graph} == CONSTRUCT_TRIPLES


@pytest.mark.parametrize("fmt", [XML, JSON])
def test_sparqlwrapper_ask(live_server: LiveServer, fmt: str) -> None:
    sparql = _wrapper(live_server, EXPECTED["ask_true"])
    sparql.setReturnFormat(fmt)
    converted = sparql.queryAndConvert()
    if fmt == JSON:
        assert converted["boolean"] is True  # type: ignore[index]
    else:
        assert converted.getElementsByTagName("boolean")[0].firstChild.data == "true"  # type: ignore[union-attr]


def test_sparqlwrapper_update_is_refused(live_server: LiveServer) -> None:
    sparql = _wrapper(live_server, "INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    sparql.setMethod(POST)
    with pytest.raises(urllib.error.HTTPError, match="403"):
        sparql.query()
    check = _wrapper(live_server, "ASK { <urn:a> <urn:b> <urn:c> }")
    check.setReturnFormat(JSON)
    assert check.queryAndConvert()["boolean"] is False  # type: ignore[index]


def test_httpx_truncation_header_live(live_server: LiveServer) -> None:
    response = httpx.get(
        live_server.url + "/sparql",
        params={"query": "SELECT * WHERE { ?s ?p ?o }"},
        headers={"accept": "application/sparql-results+json"},
    )
    assert response.headers["x-crmkg-truncated"] == "true"
    assert len(response.json()["results"]["bindings"]) == 50


def test_a_timed_out_query_does_not_block_lookups(live_server: LiveServer) -> None:
    heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    outcome: dict[str, Any] = {}

    def run_heavy() -> None:
        started = time.monotonic()
        outcome["status"] = httpx.get(live_server.url + "/sparql", params={"query": heavy}, timeout=30).status_code
        outcome["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=run_heavy)
    thread.start()
    time.sleep(0.3)
    with httpx.Client(base_url=live_server.url) as client:
        for _ in range(5):
            owner = client.get("/relationships/ex:rel-acme/owner", params={"as_of": "2026-10-01"}, timeout=5)
            assert owner.status_code == 200
            assert owner.json()["owners"][0]["assignee"]["iri"].endswith("/post-kad")
    thread.join(30)
    assert outcome["status"] == 503
    assert outcome["seconds"] < 6


def test_problem_json_over_the_wire(live_server: LiveServer) -> None:
    response = httpx.get(live_server.url + "/relationships/ex:nothing/owner")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
