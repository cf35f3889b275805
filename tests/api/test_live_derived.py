"""SPARQL sees what the API sees (issue 14 §6): ``crmkg serve --data`` adds the rules' results for
today (owner/lead shortcuts, internal/external, current holdings) in ``urn:crmkg:graph:inferred``,
which the default graph includes — so an architect's first query, ``?r akj:hasOwner ?o``, answers
as ``/relationships/{r}/owner`` does."""

from __future__ import annotations

import httpx
from rdflib import DCTERMS, Graph, Literal, Namespace, URIRef

from .conftest import LiveServer

PREFIXES = "PREFIX akj: <https://w3id.org/crmkg/akj#>\nPREFIX ex: <https://example.org/esimerkki/>\n"


def _select(server: LiveServer, query: str) -> set[str]:
    response = httpx.get(
        server.url + "/sparql",
        params={"query": PREFIXES + query},
        headers={"Accept": "application/sparql-results+json"},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    return {b["x"]["value"] for b in response.json()["results"]["bindings"]}


def _lookup(server: LiveServer, path: str, key: str) -> set[str]:
    response = httpx.get(server.url + path, timeout=30)
    assert response.status_code == 200, response.text
    return {item["assignee"]["iri"] for item in response.json()[key]}


def test_the_shortcuts_answer_as_the_lookups_do(live_server: LiveServer) -> None:
    for rel in ("ex:rel-acme", "ex:rel-beta"):
        owners = _lookup(live_server, f"/relationships/{rel}/owner", "owners")
        leads = _lookup(live_server, f"/relationships/{rel}/leads", "leads")
        assert owners | leads, rel  # the test data has current holders
        assert _select(live_server, f"SELECT ?x WHERE {{ {rel} akj:hasOwner ?x }}") == owners
        assert _select(live_server, f"SELECT ?x WHERE {{ {rel} akj:hasLead ?x }}") == leads


def test_they_live_in_the_inferred_graph(live_server: LiveServer) -> None:
    graphs = _select(live_server, "SELECT DISTINCT ?x WHERE { GRAPH ?x { ?r akj:hasOwner ?o } }")
    assert graphs == {"urn:crmkg:graph:inferred"}


def test_the_service_description_says_what_the_graph_holds(live_server: LiveServer) -> None:
    response = httpx.get(live_server.url + "/sparql", headers={"Accept": "text/turtle"}, timeout=30)
    assert response.status_code == 200, response.text
    graph = Graph().parse(data=response.text, format="turtle")
    sd = Namespace("http://www.w3.org/ns/sparql-service-description#")
    node = graph.value(predicate=sd.name, object=URIRef("urn:crmkg:graph:inferred"))
    assert node is not None
    texts = {(str(t), t.language) for t in graph.objects(node, DCTERMS.description) if isinstance(t, Literal)}
    assert {lang for _, lang in texts} == {"fi", "en"}
    assert any("akj:hasOwner" in text for text, _ in texts)
