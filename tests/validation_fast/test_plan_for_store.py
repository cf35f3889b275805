"""What a plan compiled for a store leaves out: roots with no focus node in the data run nothing,
and what falls back to the reference engine stays the same whatever the data."""

from __future__ import annotations

from rdflib import Graph

from crmkg.formats import RdfFormat
from crmkg.store import open_store
from crmkg.validation.fast.engine import plan_for

SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <https://example.org/p#> .

ex:Present a sh:NodeShape ; sh:targetClass ex:A ;
    sh:property [ sh:path ex:name ; sh:minCount 1 ; sh:maxCount 1 ] .
ex:Absent a sh:NodeShape ; sh:targetClass ex:B ;
    sh:property [ sh:path ex:name ; sh:minCount 1 ; sh:maxCount 1 ] .
ex:AbsentFallback a sh:NodeShape ; sh:targetClass ex:B ;
    sh:sparql [ sh:select "SELECT $this WHERE { $this ?p ?o . FILTER (BOUND($shapesGraph)) }" ] .
"""

DATA = b"""
<https://example.org/p#a1> a <https://example.org/p#A> .
<https://example.org/p#a2> a <https://example.org/p#A> ; <https://example.org/p#name> "x", "y" .
"""


def _shapes() -> Graph:
    return Graph().parse(data=SHAPES, format="turtle")


def test_a_root_without_focus_nodes_runs_no_check_and_the_fallbacks_do_not_change() -> None:
    shapes = _shapes()
    store = open_store()
    store.load(DATA, RdfFormat.TURTLE)
    without_data = plan_for(shapes)
    with_data = plan_for(shapes, store)
    roots = {str(c.root).rsplit("#", 1)[-1] for c in with_data.checks}
    assert roots == {"Present"}
    assert {str(c.root).rsplit("#", 1)[-1] for c in without_data.checks} == {"Present", "Absent"}
    assert [fb.shape for fb in with_data.fallbacks] == [fb.shape for fb in without_data.fallbacks]
    assert [str(fb.shape).rsplit("#", 1)[-1] for fb in with_data.fallbacks] == ["AbsentFallback"]


def test_the_checks_left_still_find_the_violations() -> None:
    shapes = _shapes()
    store = open_store()
    store.load(DATA, RdfFormat.TURTLE)
    found = set()
    for check in plan_for(shapes, store).checks:
        for row in store.select(check.query).rows:
            found.add((str(check.component).rsplit("#", 1)[-1], row[0].value.rsplit("#", 1)[-1]))
    assert found == {("MinCountConstraintComponent", "a1"), ("MaxCountConstraintComponent", "a2")}
