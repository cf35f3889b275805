"""Other constraints: ``sh:closed``, ``sh:hasValue``, ``sh:in``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

from crmkg.validation.fast.constraints.base import Handler, Stack, Violation, per_value
from crmkg.validation.fast.shapes import ShapeView, sh
from crmkg.validation.fast.sparqltext import iri, term

if TYPE_CHECKING:
    from crmkg.validation.fast.compiler import Compiler


def closed(c: Compiler, shape: ShapeView, focus: str, f: str, stack: Stack) -> list[Violation]:
    flag = shape.value(sh("closed"))
    if not (isinstance(flag, Literal) and flag.value is True):
        return []
    allowed: list[Node] = []
    for ps_node in shape.values(sh("property")):
        ps = shape.other(ps_node)
        pred = ps.value(sh("path"))
        if isinstance(pred, URIRef):
            allowed.append(pred)
    for lst in shape.values(sh("ignoredProperties")):
        allowed.extend(shape.list_items(lst))
    vp, v = c.values(shape, f)
    p, o = c.var("p"), c.var("o")
    cond = " && ".join(f"!sameTerm({p}, {term(a)})" for a in allowed if isinstance(a, URIRef)) or "true"
    always = f"!(sameTerm({p}, {iri(str(RDF.type))}) && sameTerm({o}, {iri(str(RDFS.Resource))}))"
    pattern = f"{focus} {vp} {v} {p} {o} . FILTER({cond} && {always})"
    return [Violation(sh("ClosedConstraintComponent"), pattern, value=o, path=p)]


def has_value(c: Compiler, shape: ShapeView, focus: str, f: str, stack: Stack) -> list[Violation]:
    out = []
    for val in shape.values(sh("hasValue")):
        path = shape.path()
        if path is None:
            pattern = f"{focus} FILTER(!sameTerm({f}, {term(val)}))"
        else:
            pattern = f"{focus} FILTER NOT EXISTS {{ {f} {path.sparql} {term(val)} }}"
        out.append(Violation(sh("HasValueConstraintComponent"), pattern))
    return out


def in_(c: Compiler, shape: ShapeView, focus: str, f: str, stack: Stack) -> list[Violation]:
    out = []
    for lst in shape.values(sh("in")):
        members = [term(m) for m in shape.list_items(lst)]
        cond = " || ".join(f"sameTerm($v, {m})" for m in members) or "false"
        out.append(per_value(c, shape, focus, f, "In", f"({cond})"))
    return out


HANDLERS: dict[URIRef, Handler] = {
    sh("closed"): closed,
    sh("hasValue"): has_value,
    sh("in"): in_,
}
