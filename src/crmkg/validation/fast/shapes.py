"""Reading shapes from the shapes graph: which nodes are shapes, their targets, paths and settings."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

from crmkg.validation.fast.sparqltext import SH, PropertyPath, Uncompilable, read_path
from crmkg.validation.report import Severity

ShapeNode = URIRef | BNode


def sh(name: str) -> URIRef:
    return URIRef(SH + name)


TARGET_PROPERTIES = (sh("targetNode"), sh("targetClass"), sh("targetSubjectsOf"), sh("targetObjectsOf"))

#: Parameters that refer to other shapes (their objects are shapes, or lists of shapes).
SHAPE_REFERENCES = (sh("node"), sh("property"), sh("qualifiedValueShape"), sh("not"))
SHAPE_LIST_REFERENCES = (sh("and"), sh("or"), sh("xone"))


@dataclass(frozen=True)
class ShapeView:
    """One shape of the shapes graph, read on demand."""

    graph: Graph
    node: ShapeNode

    def values(self, prop: URIRef) -> list[Node]:
        return sorted(self.graph.objects(self.node, prop), key=lambda n: (type(n).__name__, str(n)))

    def value(self, prop: URIRef) -> Node | None:
        vals = self.values(prop)
        if len(vals) > 1:
            raise Uncompilable(f"{self.label}: more than one {prop.n3()}")
        return vals[0] if vals else None

    def has(self, prop: URIRef) -> bool:
        return (self.node, prop, None) in self.graph

    @property
    def label(self) -> str:
        return self.node.n3() if isinstance(self.node, URIRef) else f"shape {self.node.n3()}"

    @property
    def is_property_shape(self) -> bool:
        return self.has(sh("path"))

    def path(self) -> PropertyPath | None:
        node = self.value(sh("path"))
        return None if node is None else read_path(self.graph, node)

    @property
    def deactivated(self) -> bool:
        return any(isinstance(v, Literal) and v.value is True for v in self.values(sh("deactivated")))

    @property
    def severity(self) -> Severity:
        sev = self.value(sh("severity"))
        return Severity.VIOLATION if sev is None else Severity.from_iri(sev)

    def messages(self) -> tuple[Literal, ...]:
        return tuple(m for m in self.values(sh("message")) if isinstance(m, Literal))

    def implicit_class_target(self) -> bool:
        """SHACL §2.1.3.3 as the reference engine reads it: the shape is also an rdfs:Class."""
        types = set(self.graph.objects(self.node, RDF.type))
        classes = {RDFS.Class, *self.graph.subjects(RDFS.subClassOf, RDFS.Class)}
        return bool(types & classes)

    def has_targets(self) -> bool:
        return any(self.has(p) for p in TARGET_PROPERTIES) or self.implicit_class_target()

    def list_items(self, node: Node) -> list[Node]:
        if node == RDF.nil:
            return []
        if not isinstance(node, BNode | URIRef) or self.graph.value(node, RDF.first) is None:
            raise Uncompilable(f"{self.label}: {node.n3()} is not an RDF list")
        return list(Collection(self.graph, node))

    def other(self, node: Node) -> ShapeView:
        if not isinstance(node, URIRef | BNode):
            raise Uncompilable(f"{self.label}: {node.n3()} does not name a shape")
        return ShapeView(self.graph, node)


def all_shapes(graph: Graph) -> Iterator[ShapeView]:
    """Every node of the graph that is a shape, in a deterministic order."""
    found: set[ShapeNode] = set()
    for cls in (sh("NodeShape"), sh("PropertyShape")):
        found.update(n for n in graph.subjects(RDF.type, cls) if isinstance(n, URIRef | BNode))
    for prop in (*TARGET_PROPERTIES, sh("path")):
        found.update(n for n in graph.subjects(prop, None) if isinstance(n, URIRef | BNode))
    for prop in SHAPE_REFERENCES:
        found.update(n for n in graph.objects(None, prop) if isinstance(n, URIRef | BNode))
    for prop in SHAPE_LIST_REFERENCES:
        for lst in graph.objects(None, prop):
            if isinstance(lst, URIRef | BNode) and graph.value(lst, RDF.first) is not None:
                found.update(n for n in Collection(graph, lst) if isinstance(n, URIRef | BNode))
    # Shapes that are also classes count only when they carry shape parameters (as the reference does).
    for node in sorted(found, key=lambda n: (isinstance(n, BNode), str(n))):
        yield ShapeView(graph, node)
