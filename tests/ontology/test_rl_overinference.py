"""Regression tests for the over-inferences issue 12 found under OWL 2 RL.

Each case runs the RL closure of the whole ontology (core + schemes + align) on a small input and
asserts that the wrong triple is *not* entailed. The same input with the old axiom put back must
entail it: that proves each case exercises the axiom it guards (the test can fail).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from crmkg.reasoning import rl_closure

ONTOLOGY = Path(__file__).resolve().parents[2] / "ontology"
AKJ = "https://w3id.org/crmkg/akj#"
ORG = "http://www.w3.org/ns/org#"
FOAF = "http://xmlns.com/foaf/0.1/"
EX = "https://example.org/t/"
PREFIXES = f"""
@prefix akj: <{AKJ}> . @prefix org: <{ORG}> . @prefix foaf: <{FOAF}> . @prefix ex: <{EX}> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""


@dataclass(frozen=True)
class Case:
    name: str
    data: str
    wrong: tuple[URIRef, URIRef, URIRef]
    old_axioms: tuple[tuple[URIRef, URIRef, URIRef], ...]


def _a(name: str) -> URIRef:
    return URIRef(AKJ + name)


CASES = [
    Case(
        "reviewed business area is not a start-up",
        "ex:review a akj:SituationReview ; akj:reviewedUnit ex:area . ex:area a akj:BusinessArea .",
        (URIRef(EX + "area"), RDF.type, _a("InternalStartup")),
        ((_a("reviewedUnit"), RDFS.range, _a("InternalStartup")),),
    ),
    Case(
        "a supported business area is not a start-up",
        "ex:area a akj:BusinessArea ; akj:supportedBy ex:gm .",
        (URIRef(EX + "area"), RDF.type, _a("InternalStartup")),
        ((_a("supportedBy"), RDFS.domain, _a("InternalStartup")),),
    ),
    Case(
        "a supporting plain unit is not group management",
        "ex:startup a akj:InternalStartup ; akj:supportedBy ex:finance . ex:finance a org:OrganizationalUnit .",
        (URIRef(EX + "finance"), RDF.type, _a("GroupManagement")),
        ((_a("supportedBy"), RDFS.range, _a("GroupManagement")),),
    ),
    Case(
        "a customer model with a validity date is not a plan",
        'ex:model a akj:CustomerModel ; akj:validFrom "2026-01-01"^^xsd:date .',
        (URIRef(EX + "model"), RDF.type, _a("CustomerRelationshipPlan")),
        ((_a("validFrom"), RDFS.domain, _a("CustomerRelationshipPlan")),),
    ),
    Case(
        "a customer model valid until a date is not a plan",
        'ex:model a akj:CustomerModel ; akj:validUntil "2026-12-31"^^xsd:date .',
        (URIRef(EX + "model"), RDF.type, _a("CustomerRelationshipPlan")),
        ((_a("validUntil"), RDFS.domain, _a("CustomerRelationshipPlan")),),
    ),
    Case(
        "a post recorded as negotiating partner is not an agent",
        "ex:rel a akj:CustomerRelationship ; akj:hasNegotiatingPartner ex:buyer-post . ex:buyer-post a org:Post .",
        (URIRef(EX + "buyer-post"), RDF.type, URIRef(FOAF + "Agent")),
        ((_a("involvesCustomerParty"), RDFS.range, URIRef(FOAF + "Agent")),),
    ),
    Case(
        "a customer post does not become an agent through the customer class",
        "ex:rel a akj:CustomerRelationship ; akj:hasUser ex:user-post . ex:user-post a org:Post .",
        (URIRef(EX + "user-post"), RDF.type, URIRef(FOAF + "Agent")),
        ((_a("Customer"), RDFS.subClassOf, URIRef(FOAF + "Agent")),),
    ),
    Case(
        "a party's relationship does not make a post an agent",
        "ex:buyer-post a org:Post ; akj:isCustomerPartyIn ex:rel .",
        (URIRef(EX + "buyer-post"), RDF.type, URIRef(FOAF + "Agent")),
        ((_a("isCustomerPartyIn"), RDFS.domain, URIRef(FOAF + "Agent")),),
    ),
    Case(
        "a payer capacity is not a role in the provider's organisation",
        "ex:key-payer a akj:CustomerRoleType .",
        (URIRef(EX + "key-payer"), RDF.type, URIRef(ORG + "Role")),
        ((_a("CustomerRoleType"), RDFS.subClassOf, URIRef(ORG + "Role")),),
    ),
]


@pytest.fixture(scope="module")
def ontology() -> Graph:
    graph = Graph()
    for name in ("akj-core.ttl", "akj-schemes.ttl", "akj-align.ttl"):
        graph.parse(ONTOLOGY / name)
    return graph


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_wrong_triple_is_not_entailed(ontology: Graph, case: Case) -> None:
    data = Graph().parse(data=PREFIXES + case.data, format="turtle")
    closure = rl_closure(ontology + data)
    assert case.wrong not in closure, f"RL still entails {case.wrong}"
    # the ABox stays consistent: owlrl marks a clash with owl:Nothing typing or an error triple
    assert not list(closure.subjects(RDF.type, OWL.Nothing))


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_the_old_axiom_would_entail_it(ontology: Graph, case: Case) -> None:
    for axiom in case.old_axioms:
        assert axiom not in ontology, f"the old axiom {axiom} is still in the ontology"
    data = Graph().parse(data=PREFIXES + case.data, format="turtle")
    old = ontology + data
    for axiom in case.old_axioms:
        old.add(axiom)
    assert case.wrong in rl_closure(old)


def test_customer_classification_still_works_for_agents_and_posts(ontology: Graph) -> None:
    """The fix keeps §5.4: a party recorded through a capacity is an akj:Customer (a post too,
    as a customer-side position), and the party keeps its own class."""
    data = Graph().parse(
        data=PREFIXES
        + "ex:rel a akj:CustomerRelationship ; akj:hasPayer ex:company ; akj:hasNegotiatingPartner ex:post ."
        + " ex:company a org:FormalOrganization . ex:post a org:Post .",
        format="turtle",
    )
    closure = rl_closure(ontology + data)
    assert (URIRef(EX + "company"), RDF.type, _a("Customer")) in closure
    assert (URIRef(EX + "post"), RDF.type, _a("Customer")) in closure
    assert (URIRef(EX + "post"), RDF.type, URIRef(ORG + "Post")) in closure
