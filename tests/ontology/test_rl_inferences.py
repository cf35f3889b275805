"""(d) The OWL 2 RL closure reproduces the inferences of domain-model §5.4.

Each case is a small data file under data/rl/ with its expected inferences beside it
(``<case>.expected.ttl``); the inferred triples about ex: resources are compared as sets.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal
from rdflib.namespace import OWL, RDF

from crmkg.errors import ReasoningError
from crmkg.reasoning import rl_closure

HERE = Path(__file__).resolve().parent
ONTOLOGY = HERE.parents[1] / "ontology"
RL_DATA = HERE / "data" / "rl"
EX = "https://example.org/esimerkki/"
CASES = ["customer-capacities", "owner-assignment", "management-domain", "two-assignees"]


@pytest.fixture(scope="module")
def tbox() -> Graph:
    graph = Graph()
    for name in ("akj-core.ttl", "akj-schemes.ttl"):
        graph.parse(ONTOLOGY / name)
    return graph


def _inferred_about_examples(before: Graph, after: Graph) -> set[tuple[object, object, object]]:
    """New triples whose subject is an ex: resource; trivial owl:Thing typing and typing by
    anonymous restriction classes are left out."""
    new = set(after) - set(before)
    return {
        (s, p, o)
        for s, p, o in new
        if str(s).startswith(EX) and not isinstance(o, (BNode, Literal)) and not (p == RDF.type and o == OWL.Thing)
    }


@pytest.mark.parametrize("case", CASES)
def test_rl_closure_gives_expected_inferences(tbox: Graph, case: str) -> None:
    data = Graph().parse(RL_DATA / f"{case}.ttl")
    expected = set(Graph().parse(RL_DATA / f"{case}.expected.ttl"))
    before = tbox + data
    closure = rl_closure(before)
    got = _inferred_about_examples(before, closure)
    missing = expected - got
    unexpected = got - expected
    assert not missing, f"missing: {sorted(missing)}"
    assert not unexpected, f"unexpected: {sorted(unexpected)}"


def test_two_assignees_are_not_merged(tbox: Graph) -> None:
    closure = rl_closure(tbox + Graph().parse(RL_DATA / "two-assignees.ttl"))
    merged = [(s, o) for s, o in closure.subject_objects(OWL.sameAs) if s != o]
    assert merged == []


def test_closure_does_not_mutate_its_input(tbox: Graph) -> None:
    data = tbox + Graph().parse(RL_DATA / "customer-capacities.ttl")
    size = len(data)
    closure = rl_closure(data)
    assert len(data) == size
    assert len(closure) > size


def test_functional_property_would_merge_individuals(tbox: Graph) -> None:
    """Why §5.3 rule 3 exists: the same data with a functional assignee merges two people."""
    from rdflib import URIRef

    data = tbox + Graph().parse(RL_DATA / "two-assignees.ttl")
    data.add((URIRef("https://w3id.org/crmkg/akj#assignee"), RDF.type, OWL.FunctionalProperty))
    closure = rl_closure(data)
    bertta, cecilia = URIRef(EX + "bertta"), URIRef(EX + "cecilia")
    assert (bertta, OWL.sameAs, cecilia) in closure


def test_unknown_engine_is_a_typed_error() -> None:
    with pytest.raises(ReasoningError, match="unknown RL engine"):
        rl_closure(Graph(), engine="hermit")
