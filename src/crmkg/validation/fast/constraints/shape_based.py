"""Shape-based constraints: ``sh:node``, ``sh:qualifiedValueShape`` (with its counts)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rdflib import Literal, URIRef
from rdflib.term import Node

from crmkg.validation.fast.constraints.base import Handler, Stack, Violation, int_param, of_values
from crmkg.validation.fast.shapes import ShapeView, sh
from crmkg.validation.fast.sparqltext import Uncompilable

if TYPE_CHECKING:
    from crmkg.validation.fast.compiler import Compiler


def node(c: Compiler, shape: ShapeView, focus: str, f: str, stack: Stack) -> list[Violation]:
    out = []
    for n in shape.values(sh("node")):
        cands, v = c.value_focus(shape, focus, f)
        bad = c.violators(shape.other(n), cands, v, stack)
        vp, v2 = c.values(shape, f)
        out.append(Violation(sh("NodeConstraintComponent"), of_values(c, focus, vp, bad, v, v2), value=v2))
    return out


def qualified(c: Compiler, shape: ShapeView, focus: str, f: str, stack: Stack) -> list[Violation]:
    if not shape.is_property_shape:
        raise Uncompilable(f"{shape.label}: sh:qualifiedValueShape on a node shape")
    qmin = int_param(shape, "qualifiedMinCount") if shape.has(sh("qualifiedMinCount")) else None
    qmax = int_param(shape, "qualifiedMaxCount") if shape.has(sh("qualifiedMaxCount")) else None
    if qmin is None and qmax is None:
        raise Uncompilable(f"{shape.label}: sh:qualifiedValueShape without a qualified count")
    disjoint = any(isinstance(d, Literal) and d.value is True for d in shape.values(sh("qualifiedValueShapesDisjoint")))
    out = []
    for q_node in shape.values(sh("qualifiedValueShape")):
        cands, v = c.value_focus(shape, focus, f)
        good = c.conformers(shape.other(q_node), cands, v, stack)
        if disjoint:
            for sib in _siblings(c, shape, q_node):
                good = c.closed(f"{good} MINUS {c.conformers(sib, cands, v, stack)}", v)
        vp, v2 = c.values(shape, f)
        n = c.var("n")
        counted = (
            f"{{ SELECT {f} (COUNT(DISTINCT {v2}) AS {n}) WHERE {{ {focus} "
            f"OPTIONAL {{ {vp} {c.rename(good, v, v2)} }} }} GROUP BY {f} }}"
        )
        if qmax is not None:
            out.append(Violation(sh("QualifiedMaxCountConstraintComponent"), f"{counted} FILTER({n} > {qmax})"))
        if qmin is not None:
            out.append(Violation(sh("QualifiedMinCountConstraintComponent"), f"{counted} FILTER({n} < {qmin})"))
    return out


def _siblings(c: Compiler, shape: ShapeView, q_node: Node) -> list[ShapeView]:
    """The other qualified value shapes of the property shapes beside ``shape`` (for disjointness)."""
    found: set[Node] = set()
    for parent in c.graph.subjects(sh("property"), shape.node):
        for ps in c.graph.objects(parent, sh("property")):
            for sib in c.graph.objects(ps, sh("qualifiedValueShape")):
                if sib != q_node:
                    found.add(sib)
    return [shape.other(s) for s in sorted(found, key=str)]


HANDLERS: dict[URIRef, Handler] = {
    sh("node"): node,
    sh("qualifiedValueShape"): qualified,
}
