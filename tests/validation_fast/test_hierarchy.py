"""The class hierarchy the fast engine reads from the data, and the class tests built from it."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import RDFS

from crmkg.store import open_store
from crmkg.validation.fast.compiler import RDF_TYPE_SUBCLASS, Compiler
from crmkg.validation.fast.hierarchy import ClassHierarchy

EX = "https://example.org/h#"


def ex(name: str) -> URIRef:
    return URIRef(EX + name)


def test_members_are_the_class_and_everything_below_it_through_cycles() -> None:
    h = ClassHierarchy([(ex("B"), ex("A")), (ex("C"), ex("B")), (ex("A"), ex("C")), (ex("D"), ex("E"))])
    assert h.members(ex("A")) == (ex("A"), ex("B"), ex("C"))
    assert h.members(ex("E")) == (ex("D"), ex("E"))
    assert h.members(ex("Z")) == (ex("Z"),)


def test_a_blank_node_below_the_class_means_no_list() -> None:
    h = ClassHierarchy([(BNode("x"), ex("A")), (ex("B"), ex("A"))])
    assert h.members(ex("A")) is None
    assert h.members(ex("B")) == (ex("B"),)


def test_read_from_the_store() -> None:
    store = open_store()
    sub = ox.NamedNode(str(RDFS.subClassOf))
    store.add_quads(
        [
            ox.Quad(ox.NamedNode(EX + "B"), sub, ox.NamedNode(EX + "A")),
            ox.Quad(ox.NamedNode(EX + "C"), sub, ox.NamedNode(EX + "B")),
        ]
    )
    assert ClassHierarchy.of_store(store).members(ex("A")) == (ex("A"), ex("B"), ex("C"))


def test_class_test_is_a_lookup_when_the_hierarchy_is_known_and_a_path_otherwise() -> None:
    shapes = Graph()
    known = Compiler(shapes, hierarchy=ClassHierarchy([(ex("B"), ex("A"))])).instance_test("?v", [ex("A")])
    assert RDF_TYPE_SUBCLASS not in known
    assert f"<{EX}A>" in known
    assert f"<{EX}B>" in known
    unknown = Compiler(shapes).instance_test("?v", [ex("A")])
    assert RDF_TYPE_SUBCLASS in unknown
    blank = Compiler(shapes, hierarchy=ClassHierarchy([(BNode(), ex("A"))])).instance_test("?v", [ex("A")])
    assert RDF_TYPE_SUBCLASS in blank


def test_both_forms_find_the_same_instances() -> None:
    store = open_store()
    typ = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    sub = ox.NamedNode(str(RDFS.subClassOf))
    n = ox.NamedNode
    store.add_quads(
        [
            ox.Quad(n(EX + "B"), sub, n(EX + "A")),
            ox.Quad(n(EX + "C"), sub, n(EX + "B")),
            ox.Quad(n(EX + "x"), typ, n(EX + "C")),
            ox.Quad(n(EX + "y"), typ, n(EX + "A")),
            ox.Quad(n(EX + "z"), typ, n(EX + "D")),
        ]
    )
    hierarchy = ClassHierarchy.of_store(store)

    def instances(compiler: Compiler) -> set[str]:
        test = compiler.instance_test("?v", [ex("A")])
        query = f"SELECT ?v WHERE {{ VALUES ?v {{ <{EX}x> <{EX}y> <{EX}z> }} FILTER EXISTS {{ {test} }} }}"
        return {row["v"].value for row in store.select(query).dicts()}

    assert instances(Compiler(Graph(), hierarchy=hierarchy)) == instances(Compiler(Graph())) == {EX + "x", EX + "y"}
