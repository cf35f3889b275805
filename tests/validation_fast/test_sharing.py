"""Checks that share one query (a constraint on one property in shapes of different classes) find
what the reference finds, each check only its own classes' violations."""

from __future__ import annotations

from rdflib import Dataset, Graph, URIRef

from crmkg.formats import RdfFormat
from crmkg.store import open_store
from crmkg.validation.fast.engine import FastEngine, by_query, plan_for
from crmkg.validation.pyshacl_engine import PyshaclEngine

from .conftest import PARAMETERS, result_keys

SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <https://example.org/s#> .

ex:AShape a sh:NodeShape ; sh:targetClass ex:A ;
    sh:property [ sh:path ex:start ; sh:maxCount 1 ; sh:datatype xsd:date ; sh:lessThanOrEquals ex:end ] .
ex:BShape a sh:NodeShape ; sh:targetClass ex:B ;
    sh:property [ sh:path ex:start ; sh:maxCount 1 ; sh:datatype xsd:date ; sh:lessThanOrEquals ex:end ] .
ex:OnlyA a sh:NodeShape ; sh:targetClass ex:A ;
    sh:property [ sh:path ex:label ; sh:maxCount 1 ] .
"""

DATA = """
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex: <https://example.org/s#> .

ex:SubA rdfs:subClassOf ex:A .
ex:a1 a ex:A ; ex:start "2024-01-01"^^xsd:date , "2024-02-01"^^xsd:date ; ex:label "x", "y" .
ex:a2 a ex:SubA ; ex:start "2024-13-01"^^xsd:date .
ex:a3 a ex:SubA ; ex:start "2024-01-01"^^xsd:date ; ex:end "2023-01-01"^^xsd:date .
ex:b1 a ex:B ; ex:start "2025-01-01" ; ex:end "2024-01-01"^^xsd:date .
ex:ab a ex:A , ex:B ; ex:start "2024-05-01"^^xsd:date ; ex:end "2024-04-01"^^xsd:date .
ex:c1 a ex:C ; ex:start "bad" , "worse" ; ex:end "2000-01-01"^^xsd:date .
ex:ok a ex:B ; ex:start "2024-01-01"^^xsd:date ; ex:end "2024-01-01"^^xsd:date .
"""


def _store_and_graphs() -> tuple[object, Graph, Graph]:
    store = open_store()
    store.load(DATA.encode(), RdfFormat.TURTLE)
    data = Dataset()
    data.parse(data=DATA, format="turtle")
    return store, Graph().parse(data=SHAPES, format="turtle"), data


def test_checks_on_one_property_of_several_classes_share_one_query_each() -> None:
    store, shapes, _ = _store_and_graphs()
    plan = plan_for(shapes, store)  # type: ignore[arg-type]
    unique, _ = by_query(plan.checks)
    shared = [c for c in plan.checks if c.keep_types]
    # maxCount, datatype and lessThanOrEquals on ex:start, each once for both classes
    assert len(shared) == 6
    assert len(unique) == len(plan.checks) - 3
    # ex:label's maxCount is on one class only: it keeps its own form, which reads only ex:A's nodes
    assert all("label" not in c.query for c in shared)


def test_shared_checks_find_what_the_reference_finds() -> None:
    store, shapes, data = _store_and_graphs()
    fast = FastEngine(processes=False).validate(store, shapes, parameters=PARAMETERS)  # type: ignore[arg-type]
    reference = PyshaclEngine().validate(data, shapes, parameters=PARAMETERS)
    assert result_keys(fast.results) == result_keys(reference.results)
    focus_nodes = {str(r.focus_node).rsplit("#", 1)[-1] for r in fast.results}
    assert "c1" not in focus_nodes  # its class is targeted by no shape
    assert {"a1", "a2", "a3", "b1", "ab"} <= focus_nodes


MIN_SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <https://example.org/s#> .

ex:AMin a sh:NodeShape ; sh:targetClass ex:A ;
    sh:property [ sh:path ex:start ; sh:minCount 1 ] , [ sh:path ex:end ; sh:minCount 1 ] .
ex:ALabel a sh:NodeShape ; sh:targetClass ex:A ;
    sh:property [ sh:path ex:label ; sh:minCount 1 ; sh:severity sh:Warning ] .
ex:BMin a sh:NodeShape ; sh:targetClass ex:B ;
    sh:property [ sh:path ex:start ; sh:minCount 1 ] .
ex:AInverse a sh:NodeShape ; sh:targetClass ex:A ;
    sh:property [ sh:path [ sh:inversePath ex:start ] ; sh:minCount 1 ] .
"""


def test_min_counts_over_one_class_run_one_query_and_find_what_the_reference_finds() -> None:
    store, _, data = _store_and_graphs()
    shapes = Graph().parse(data=MIN_SHAPES, format="turtle")
    plan = plan_for(shapes, store)  # type: ignore[arg-type]
    merged = [c for c in plan.checks if c.keep_types]
    # ex:A's three plain predicates (two shapes) in one query; ex:B's single one and the inverse
    # path keep their own forms
    assert len(merged) == 3
    assert len({c.query for c in merged}) == 1
    assert len(by_query(plan.checks)[0]) == len(plan.checks) - 2
    fast = FastEngine(processes=False).validate(store, shapes, parameters=PARAMETERS)  # type: ignore[arg-type]
    reference = PyshaclEngine().validate(data, shapes, parameters=PARAMETERS)
    assert result_keys(fast.results) == result_keys(reference.results)
    plain = {(str(r.focus_node).rsplit("#", 1)[-1], r.path) for r in fast.results if isinstance(r.path, URIRef)}
    assert {(node, str(path).rsplit("#", 1)[-1]) for node, path in plain} == {
        ("a1", "end"),
        ("a2", "end"),
        ("a2", "label"),
        ("a3", "label"),
        ("ab", "label"),
    }
