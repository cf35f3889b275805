"""(a) The modules parse, and the profile rules of domain-model §5.3 that plain RDF can show."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SKOS

ONTOLOGY = Path(__file__).resolve().parents[2] / "ontology"
CORE = ONTOLOGY / "akj-core.ttl"
SCHEMES = ONTOLOGY / "akj-schemes.ttl"
ALIGN = ONTOLOGY / "akj-align.ttl"
MODULES = (CORE, SCHEMES, ALIGN)
AKJ = "https://w3id.org/crmkg/akj#"
DATE_PROPERTIES = ("startDate", "endDate", "validFrom", "validUntil", "activityDate", "approvalDate")


def _load(*paths: Path) -> Graph:
    graph = Graph()
    for path in paths:
        graph.parse(path)
    return graph


@pytest.fixture(scope="module")
def union() -> Graph:
    return _load(*MODULES)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_module_parses_and_has_one_ontology_header(path: Path) -> None:
    graph = _load(path)
    assert len(graph) > 20
    headers = list(graph.subjects(RDF.type, OWL.Ontology))
    assert len(headers) == 1, headers
    assert (headers[0], OWL.versionIRI, None) in graph


def test_no_imports_and_no_merging_characteristics(union: Graph) -> None:
    assert not list(union.triples((None, OWL.imports, None)))
    forbidden_types = (OWL.FunctionalProperty, OWL.InverseFunctionalProperty)
    for kind in forbidden_types:
        assert not list(union.subjects(RDF.type, kind)), kind
    for prop in (OWL.hasKey, OWL.maxCardinality, OWL.maxQualifiedCardinality, OWL.cardinality):
        assert not list(union.triples((None, prop, None))), prop


def test_date_properties_have_no_owl_range(union: Graph) -> None:
    for name in DATE_PROPERTIES:
        prop = URIRef(AKJ + name)
        assert (prop, RDF.type, OWL.DatatypeProperty) in union
        assert not list(union.objects(prop, RDFS.range)), name


def test_domains_and_ranges_are_named_classes(union: Graph) -> None:
    for pred in (RDFS.domain, RDFS.range):
        for subject, obj in union.subject_objects(pred):
            if str(subject).startswith(AKJ):
                assert isinstance(obj, URIRef), (subject, pred, obj)


def test_nesting_axioms(union: Graph) -> None:
    part_of = URIRef(AKJ + "isPartOfDomain")
    in_domain = URIRef(AKJ + "inManagementDomain")
    assert (part_of, RDF.type, OWL.TransitiveProperty) in union
    chains = list(union.objects(in_domain, OWL.propertyChainAxiom))
    assert [list(Collection(union, c)) for c in chains] == [[in_domain, part_of]]


def test_scheme_broader_is_generated_from_is_part_of_domain() -> None:
    graph = _load(SCHEMES)
    part_of = set(graph.subject_objects(URIRef(AKJ + "isPartOfDomain")))
    domains = set(graph.subjects(RDF.type, URIRef(AKJ + "ManagementDomain")))
    broader = {(s, o) for s, o in graph.subject_objects(SKOS.broader) if s in domains}
    assert part_of
    assert broader == part_of


def test_every_scheme_concept_is_typed_and_in_exactly_one_scheme() -> None:
    graph = _load(CORE, SCHEMES)
    concepts = set(graph.subjects(RDF.type, SKOS.Concept))
    assert len(concepts) >= 40
    for concept in concepts:
        schemes = list(graph.objects(concept, SKOS.inScheme))
        assert len(schemes) == 1, concept
        assert str(schemes[0]).endswith("Scheme")
        akj_types = [t for t in graph.objects(concept, RDF.type) if str(t).startswith(AKJ) and t != SKOS.Concept]
        assert len(akj_types) == 1, concept
        # the scheme is named after the concept's class (resolution 3)
        assert str(schemes[0]) == f"{akj_types[0]}Scheme", concept
        # scheme individuals are never classes (no punning, §5.3 rule 8)
        assert (concept, RDF.type, OWL.Class) not in graph


def test_every_scheme_individual_is_declared_distinct() -> None:
    graph = _load(SCHEMES)
    different: set[URIRef] = set()
    for node in graph.subjects(RDF.type, OWL.AllDifferent):
        lst = graph.value(node, OWL.distinctMembers)
        assert isinstance(lst, BNode)
        different.update(m for m in Collection(graph, lst) if isinstance(m, URIRef))
    assert different == set(graph.subjects(RDF.type, SKOS.Concept))


def test_align_holds_only_mappings_and_role_subclasses() -> None:
    graph = _load(ALIGN)
    allowed_subclass = {URIRef(AKJ + "ResponsibilityRole"), URIRef(AKJ + "CustomerRoleType")}
    assert set(graph.subjects(RDFS.subClassOf, None)) == allowed_subclass
    # a customer capacity is a PROV role, never a role in the provider's organisation (issue 12)
    org_role = URIRef("http://www.w3.org/ns/org#Role")
    assert (URIRef(AKJ + "CustomerRoleType"), RDFS.subClassOf, org_role) not in graph
    assert (URIRef(AKJ + "ResponsibilityRole"), RDFS.subClassOf, org_role) in graph
    assert not list(graph.triples((None, OWL.equivalentClass, None)))
    mapping = {SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch}
    for s, p, _ in graph:
        if str(s).startswith(AKJ) and p not in (RDFS.subClassOf, RDF.type):
            assert p in mapping, (s, p)


def test_external_hierarchy_is_plain_subsumption_only() -> None:
    graph = _load(ONTOLOGY / "imports" / "external-hierarchy.ttl")
    assert set(graph.predicates()) == {RDFS.subClassOf, RDFS.subPropertyOf}
    assert not any(str(s).startswith(AKJ) for s in graph.subjects())
    org = "http://www.w3.org/ns/org#"
    assert (URIRef(org + "OrganizationalUnit"), RDFS.subClassOf, URIRef(org + "Organization")) in graph
    assert (URIRef(org + "unitOf"), RDFS.subPropertyOf, URIRef(org + "subOrganizationOf")) in graph
    assert (URIRef(org + "headOf"), RDFS.subPropertyOf, URIRef(org + "memberOf")) in graph
    # withdrawn in ORG v0.8 and its errata: must not come back
    assert (URIRef(org + "Post"), RDFS.subClassOf, URIRef(org + "Organization")) not in graph
    assert (URIRef(org + "holds"), RDFS.subPropertyOf, URIRef(org + "memberOf")) not in graph
