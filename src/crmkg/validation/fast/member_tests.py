"""Tests on one bound node for shapes with a single constraint (as logical members often are).

``sh:or ( [ sh:not ex:HasOwnerRole ] [ sh:path ex:assignee ; sh:class ex:Person ] )`` needs, for
each member, the nodes that conform to it or violate it. The general way is a closed sub-query over
every candidate (:meth:`~crmkg.validation.fast.compiler.Compiler.violators`); for a member whose one
constraint is a class, a value, a minimum of one, or the negation of such a shape, the same answer
is a test on the bound node — a lookup or two per node instead of another pass over the candidates.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

from crmkg.validation.fast.shapes import TARGET_PROPERTIES, ShapeView, sh
from crmkg.validation.fast.sparqltext import term

if TYPE_CHECKING:
    from crmkg.validation.fast.compiler import Compiler

#: Predicates of a shape that do not constrain (they describe, report, select targets or the path).
_INERT = {
    RDF.type, RDFS.label, RDFS.comment, sh("name"), sh("description"), sh("message"), sh("severity"),
    sh("deactivated"), sh("path"), *TARGET_PROPERTIES,
}  # fmt: skip


def _single(c: Compiler, shape: ShapeView) -> tuple[Node, Node] | None:
    """The one constraint parameter of ``shape`` and its one value, when it has exactly one."""
    if shape.deactivated:
        return None
    preds = {p for p in shape.graph.predicates(shape.node, None) if isinstance(p, URIRef)}
    # Other vocabularies' annotations do not constrain, unless a SPARQL-based component could
    # take them as parameters.
    annotations = set() if c.custom_components else {p for p in preds if not str(p).startswith(str(sh("")))}
    active = preds - _INERT - annotations
    if len(active) != 1:
        return None
    (param,) = active
    values = shape.values(param)
    return (param, values[0]) if len(values) == 1 else None


def conforms(c: Compiler, shape: ShapeView, x: str, depth: int = 0) -> str | None:
    """A pattern that holds when the bound ``x`` conforms to ``shape``, or None (use the general way)."""
    single = _single(c, shape)
    if single is None or depth > 3:
        return None
    param, value = single
    path = shape.path()
    if path is None and param == sh("class"):
        return c.instance_test(x, [value])
    if path is not None and param == sh("hasValue"):
        return f"{x} {path.sparql} {term(value)} ."
    if path is None and param == sh("not"):
        return violates(c, shape.other(value), x, depth + 1)
    return None


def violates(c: Compiler, shape: ShapeView, x: str, depth: int = 0) -> str | None:
    """A pattern that holds when the bound ``x`` does not conform to ``shape``, or None."""
    single = _single(c, shape)
    if single is None or depth > 3:
        return None
    param, value = single
    path = shape.path()
    if path is None:
        if param == sh("class"):
            return f"FILTER NOT EXISTS {{ {c.instance_test(x, [value])} }}"
        if param == sh("not"):
            return conforms(c, shape.other(value), x, depth + 1)
        return None
    o = c.var("o")
    if param == sh("hasValue"):
        return f"FILTER NOT EXISTS {{ {x} {path.sparql} {term(value)} }}"
    if param == sh("minCount") and value == Literal(1):
        return f"FILTER NOT EXISTS {{ {x} {path.sparql} {o} }}"
    if param == sh("class"):
        return f"{x} {path.sparql} {o} . FILTER NOT EXISTS {{ {c.instance_test(o, [value])} }}"
    if param == sh("not"):
        inner = conforms(c, shape.other(value), o, depth + 1)
        return f"{x} {path.sparql} {o} . {inner}" if inner is not None else None
    if param == sh("or"):
        members = [shape.other(m) for m in shape.list_items(value)]
        classes = [only_class(c, m) for m in members]
        if members and all(k is not None for k in classes):
            test = c.instance_test(o, [k for k in classes if k is not None])
            return f"{x} {path.sparql} {o} . FILTER NOT EXISTS {{ {test} }}"
    return None


def only_class(c: Compiler, member: ShapeView) -> URIRef | None:
    """The class of a node shape whose one constraint is a single ``sh:class``, else None."""
    single = _single(c, member)
    if single is None or member.is_property_shape or single[0] != sh("class"):
        return None
    return single[1] if isinstance(single[1], URIRef) else None
