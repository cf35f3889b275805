"""Issue 14 §9: a term card (CLI ``crmkg terms show`` and the API's ``/terms/{term}``) carries the
domain, range, inverse, characteristics and the alignments of ``akj-align.ttl``.

What each card must say is read here from the packaged ontology files with rdflib, independently
of the term index.
"""

from __future__ import annotations

import json

import pytest
from rdflib import Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from crmkg import resources
from crmkg.cli import main
from crmkg.namespaces import AKJ
from crmkg.store import open_store

from .conftest import make_client

MATCHES = ("exactMatch", "closeMatch", "broadMatch", "narrowMatch", "relatedMatch")
CHARACTERISTICS = {
    OWL.FunctionalProperty: "functional",
    OWL.InverseFunctionalProperty: "inverseFunctional",
    OWL.TransitiveProperty: "transitive",
    OWL.SymmetricProperty: "symmetric",
    OWL.AsymmetricProperty: "asymmetric",
    OWL.ReflexiveProperty: "reflexive",
    OWL.IrreflexiveProperty: "irreflexive",
}
#: A property with domain, range and inverse; a transitive one; a class and a property aligned elsewhere.
TERMS = (
    "involvesCustomerParty",
    "tenureHolder",
    "isPartOfDomain",
    "CustomerRelationship",
    "hasPayer",
    "ResponsibilityRole",
)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    graph = Graph()
    for path in resources.ontology_files():
        graph.parse(path, format="turtle")
    assert any("akj-align" in str(p) for p in resources.ontology_files())
    return graph


def named(graph: Graph, values: object) -> set[str]:
    found: set[str] = set()
    for value in values:  # type: ignore[attr-defined]
        if isinstance(value, URIRef):
            found.add(str(value))
        elif (members := graph.value(value, OWL.unionOf)) is not None:
            found.update(str(m) for m in Collection(graph, members))
    return found


def expected(graph: Graph, local: str) -> dict[str, object]:
    term = AKJ[local]
    alignments = {(m, str(t)) for m in MATCHES for t in graph.objects(term, SKOS[m])}
    for relation, prop in (("subClassOf", RDFS.subClassOf), ("subPropertyOf", RDFS.subPropertyOf)):
        alignments |= {(relation, str(t)) for t in graph.objects(term, prop) if not str(t).startswith(str(AKJ))}
    return {
        "domain": named(graph, graph.objects(term, RDFS.domain)),
        "range": named(graph, graph.objects(term, RDFS.range)),
        "inverse": {str(i) for i in (*graph.objects(term, OWL.inverseOf), *graph.subjects(OWL.inverseOf, term))},
        "characteristics": {name for t, name in CHARACTERISTICS.items() if (term, RDF.type, t) in graph},
        "alignments": alignments,
    }


@pytest.mark.parametrize("local", TERMS)
def test_the_cli_card(local: str, ontology: Graph, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["terms", "show", f"akj:{local}", "--format", "json"]) == 0
    card = json.loads(capsys.readouterr().out)
    want = expected(ontology, local)
    assert set(card["domain"]) == want["domain"]
    assert set(card["range"]) == want["range"]
    assert set(card["inverse"]) == want["inverse"]
    assert set(card["characteristics"]) == want["characteristics"]
    assert {(a["relation"], a["target"]) for a in card["alignments"]} == want["alignments"]


def test_the_cards_say_something_for_these_terms(ontology: Graph) -> None:
    """The chosen terms do exercise every field (else the comparisons above prove little)."""
    fields = [expected(ontology, local) for local in TERMS]
    for name in ("domain", "range", "inverse", "characteristics", "alignments"):
        assert any(f[name] for f in fields), name


def test_the_text_card_names_them_in_the_language_rule(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CRMKG_LANG", "fi")
    assert main(["terms", "show", "akj:involvesCustomerParty"]) == 0
    text = capsys.readouterr().out
    assert "käänteinen: akj:isCustomerPartyIn" in text
    assert "kohdealue (domain): akj:CustomerRelationship (asiakkuus)" in text
    assert "closeMatch" in text
    assert main(["terms", "show", "akj:isPartOfDomain", "--lang", "en"]) == 0
    assert "characteristics: transitive" in capsys.readouterr().out


def test_the_api_card(ontology: Graph) -> None:
    with make_client(open_store()) as client:
        for local in TERMS:
            card = client.get(f"/terms/akj:{local}", params={"lang": "en"}).json()
            want = expected(ontology, local)
            assert {r["iri"] for r in card["domain"]} == want["domain"]
            assert {r["iri"] for r in card["range"]} == want["range"]
            assert {r["iri"] for r in card["inverse"]} == want["inverse"]
            assert set(card["characteristics"]) == want["characteristics"]
            assert {(a["relation"], a["target"]) for a in card["alignments"]} == want["alignments"]
