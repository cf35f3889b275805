"""Ontology documentation: the served pages, content negotiation, the static site of ``crmkg docs``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, SKOS

from crmkg import resources
from crmkg.cli import main as cli_main
from crmkg.namespaces import AKJ


def _ontology() -> Graph:
    graph = Graph()
    for path in resources.ontology_files():
        graph.parse(path, format="turtle")
    return graph


def _documented(graph: Graph) -> set[str]:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, SKOS.ConceptScheme)
    return {
        str(s)[len(str(AKJ)) :]
        for kind in kinds
        for s in graph.subjects(RDF.type, kind)
        if isinstance(s, URIRef) and str(s).startswith(str(AKJ)) and str(s) != str(AKJ)
    }


@pytest.mark.parametrize(
    ("accept", "media", "fmt"),
    [
        ("text/turtle", "text/turtle", "turtle"),
        ("application/rdf+xml", "application/rdf+xml", "xml"),
        ("application/ld+json", "application/ld+json", "json-ld"),
        ("application/n-triples", "application/n-triples", "nt"),
        ("text/turtle;q=0.5, application/ld+json", "application/ld+json", "json-ld"),
    ],
)
def test_clients_get_the_ontology_in_the_format_they_ask_for(
    client: TestClient, accept: str, media: str, fmt: str
) -> None:
    response = client.get("/ontology/akj", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media)
    served = Graph().parse(data=response.content, format=fmt)
    assert len(served) == len(_ontology())
    assert (AKJ.CustomerRelationship, RDF.type, OWL.Class) in served


def test_browsers_get_the_documentation_and_files_are_plain_links(client: TestClient) -> None:
    response = client.get(
        "/ontology/akj", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}, follow_redirects=False
    )
    assert response.status_code == 303
    assert response.headers["location"].startswith("/ontology/")
    assert client.get("/ontology/akj", headers={"Accept": "image/png"}).status_code == 406
    for suffix in ("ttl", "rdf", "jsonld", "nt"):
        assert client.get(f"/ontology/akj.{suffix}").status_code == 200
    assert client.get("/ontology/akj.exe").status_code == 404


def test_every_term_has_an_anchor_in_both_languages(client: TestClient) -> None:
    expected = _documented(_ontology())
    for lang in ("fi", "en"):
        page = client.get("/ontology/", params={"lang": lang}).text
        anchors = set(re.findall(r'<article class="term-entry" id="([^"]+)"', page))
        assert expected <= anchors
        assert f'<html lang="{lang}">' in page


def test_the_diagram_has_every_class_and_every_sub_class_edge(client: TestClient) -> None:
    graph = _ontology()
    classes = {s for s in graph.subjects(RDF.type, OWL.Class) if str(s).startswith(str(AKJ))}
    from rdflib.namespace import RDFS

    edges = {(c, p) for c in classes for p in graph.objects(c, RDFS.subClassOf) if p in classes}
    svg = client.get("/ontology/diagram.svg").text
    assert svg.count('class="class-box"') == len(classes)
    assert svg.count('class="subclass"') == len(edges)


def test_crmkg_docs_writes_a_static_site(tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert cli_main(["docs", "--out", str(out)]) == 0
    names = {p.name for p in out.iterdir()}
    assert {
        "index.html",
        "index.en.html",
        "diagram.svg",
        "akj.ttl",
        "akj.rdf",
        "akj.jsonld",
        "akj.nt",
        "crmkg.css",
        "favicon.svg",
    } <= names
    page = (out / "index.en.html").read_text(encoding="utf-8")
    assert _documented(_ontology()) <= set(re.findall(r'<article class="term-entry" id="([^"]+)"', page))
    # every local link of the static site resolves to a written file
    for href in set(re.findall(r'(?:href|src)="(?![a-z]+:)([^"#?]+)', page)):
        assert (out / href).is_file(), href
    assert len(Graph().parse(out / "akj.ttl", format="turtle")) == len(_ontology())
