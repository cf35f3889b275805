"""``POST /validate``: formats in and out, the bearer token, and hostile documents."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Literal
from rdflib.namespace import SH

import crmkg
from crmkg.store import Store

from .conftest import AS_OF, make_client

DATA = Path(__file__).resolve().parent / "data"
BROKEN = b"""
@prefix akj: <https://w3id.org/crmkg/akj#> .
@prefix ex: <https://example.org/esimerkki/> .
ex:rel-x a akj:ExternalCustomerRelationship .
"""


def test_valid_data_conforms(client: TestClient) -> None:
    response = client.post(
        "/validate",
        params={"as_of": AS_OF},
        content=(DATA / "org.ttl").read_bytes(),
        headers={"content-type": "text/turtle"},
    )
    assert response.status_code == 200, response.text
    assert response.headers["x-crmkg-conforms"] == "true"
    assert response.json()["conforms"] is True
    # The report names the tool that made it, as the CLI's does.
    assert response.json()["tool"] == {"name": "crmkg", "version": crmkg.__version__}


def test_broken_data_gets_findings_in_json_and_turtle(client: TestClient) -> None:
    as_json = client.post("/validate", content=BROKEN, headers={"content-type": "text/turtle"})
    assert as_json.status_code == 200
    assert as_json.headers["x-crmkg-conforms"] == "false"
    assert as_json.json()["conforms"] is False
    as_turtle = client.post(
        "/validate",
        params={"lang": "fi"},
        content=BROKEN,
        headers={"content-type": "text/turtle", "accept": "text/turtle"},
    )
    assert as_turtle.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=as_turtle.content, format="turtle")
    assert Literal(False) in set(graph.objects(None, SH.conforms))
    assert any(True for _ in graph.subjects(SH.focusNode, None))


def test_json_ld_input(client: TestClient) -> None:
    doc = b"""{"@context": {"akj": "https://w3id.org/crmkg/akj#"},
              "@id": "https://example.org/esimerkki/rel-j", "@type": "akj:ExternalCustomerRelationship"}"""
    response = client.post("/validate", content=doc, headers={"content-type": "application/ld+json"})
    assert response.status_code == 200, response.text
    assert response.json()["conforms"] is False


@pytest.mark.parametrize(
    ("content_type", "body", "status"),
    [
        ("text/turtle", b"@prefix ex: <http://e/> . ex:a ex:b", 400),
        ("text/turtle", b"   ", 400),
        ("application/pdf", b"%PDF", 415),
    ],
)
def test_bad_input(client: TestClient, content_type: str, body: bytes, status: int) -> None:
    response = client.post("/validate", content=body, headers={"content-type": content_type})
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"


def test_remote_json_ld_context_is_refused_and_not_fetched(client: TestClient, listener: Any) -> None:
    doc = f'{{"@context": "http://127.0.0.1:{listener.port}/context.jsonld", "@id": "urn:x", "name": "n"}}'
    response = client.post("/validate", content=doc.encode(), headers={"content-type": "application/ld+json"})
    assert response.status_code == 400
    assert "context" in response.json()["detail"]
    assert listener.connections == []


@pytest.mark.parametrize("kind", ["SYSTEM", "internal"])
def test_xml_entities_are_refused_and_not_fetched(client: TestClient, listener: Any, kind: str) -> None:
    decl = f'SYSTEM "http://127.0.0.1:{listener.port}/entity"' if kind == "SYSTEM" else '"boom"'
    doc = f"""<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [ <!ENTITY e {decl}> ]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://e/">
  <rdf:Description rdf:about="http://e/x"><ex:p>&e;</ex:p></rdf:Description>
</rdf:RDF>"""
    english = {"content-type": "application/rdf+xml", "Accept-Language": "en"}
    response = client.post("/validate", content=doc.encode(), headers=english)
    assert response.status_code == 400
    assert "entity" in response.json()["detail"].lower()
    finnish = client.post("/validate", content=doc.encode(), headers={**english, "Accept-Language": "fi"})
    assert "xml-entiteet" in finnish.json()["detail"].lower()  # crmkg's refusal, told in the request's language
    assert listener.connections == []


def test_service_query_never_reaches_the_listener(client: TestClient, listener: Any) -> None:
    queries = [
        f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/sparql> {{ ?s ?p ?o }} }}",
        f"PREFIX r: <http://127.0.0.1:{listener.port}/> SELECT * WHERE {{ SERVICE SILENT r:q {{ ?s ?p ?o }} }}",
        f"SELECT * FROM <http://127.0.0.1:{listener.port}/data.ttl> WHERE {{ ?s ?p ?o }}",
    ]
    for query in queries:
        assert client.get("/sparql", params={"query": query}).status_code == 403
        assert client.post("/sparql", data={"query": query}).status_code == 403
    default_graph = {"query": "ASK { ?s ?p ?o }", "default-graph-uri": f"http://127.0.0.1:{listener.port}/g"}
    assert client.get("/sparql", params=default_graph).status_code == 403
    assert listener.connections == []


def test_bearer_token_guards_validate(store: Store) -> None:
    with make_client(store, validate_token="s3cret") as client:
        headers = {"content-type": "text/turtle"}
        missing = client.post("/validate", content=BROKEN, headers=headers)
        assert missing.status_code == 401
        assert missing.headers["www-authenticate"].startswith("Bearer")
        assert missing.headers["content-type"] == "application/problem+json"
        wrong = client.post("/validate", content=BROKEN, headers={**headers, "authorization": "Bearer nope"})
        assert wrong.status_code == 401
        right = client.post("/validate", content=BROKEN, headers={**headers, "authorization": "Bearer s3cret"})
        assert right.status_code == 200
        # The token guards /validate only; lookups stay open.
        assert client.get("/terms/search", params={"q": "maksaja"}).status_code == 200
