"""Property pair constraints: ``sh:equals``, ``sh:disjoint``, ``sh:lessThan``, ``sh:lessThanOrEquals``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rdflib import URIRef

from crmkg.validation.fast.constraints.base import (
    SHARED_FOCUS,
    SHARED_VALUE,
    Handler,
    Shared,
    Stack,
    Violation,
    capitalised,
)
from crmkg.validation.fast.shapes import ShapeView, sh
from crmkg.validation.fast.sparqltext import Uncompilable, term

if TYPE_CHECKING:
    from crmkg.validation.fast.compiler import Compiler


def _pair_iri(shape: ShapeView, name: str) -> list[URIRef]:
    out = []
    for p in shape.values(sh(name)):
        if not isinstance(p, URIRef):
            raise Uncompilable(f"{shape.label}: sh:{name} is not an IRI")
        out.append(p)
    return out


def equals(c: Compiler, shape: ShapeView, focus: str, f: str, stack: Stack) -> list[Violation]:
    out = []
    for p in _pair_iri(shape, "equals"):
        vp, v = c.values(shape, f)
        o = c.var("o")
        if v == f:
            missing = f"{focus} FILTER NOT EXISTS {{ {f} {term(p)} {f} }} BIND({f} AS {o})"
            extra = f"{focus} {f} {term(p)} {o} . FILTER(!sameTerm({o}, {f}))"
        else:
            path = shape.path()
            assert path is not None
            missing = f"{focus} {vp} FILTER NOT EXISTS {{ {f} {term(p)} {v} }} BIND({v} AS {o})"
            extra = f"{focus} {f} {term(p)} {o} . FILTER NOT EXISTS {{ {f} {path.sparql} {o} }}"
        out.append(Violation(sh("EqualsConstraintComponent"), f"{{ {missing} }} UNION {{ {extra} }}", value=o))
    return out


def disjoint(c: Compiler, shape: ShapeView, focus: str, f: str, stack: Stack) -> list[Violation]:
    out = []
    for p in _pair_iri(shape, "disjoint"):
        vp, v = c.values(shape, f)
        out.append(Violation(sh("DisjointConstraintComponent"), f"{focus} {vp} {f} {term(p)} {v} .", value=v))
    return out


def _comparable(v: str) -> str:
    # The reference compares IRIs and language-tagged strings by their string.
    return f'IF(isIRI({v}) || (isLiteral({v}) && LANG({v}) != ""), STR({v}), {v})'


def _less_than(prop: str, op: str) -> Handler:
    """The handler of ``sh:<prop>``: values not ``op`` every value of the compared property."""

    def handler(c: Compiler, shape: ShapeView, focus: str, f: str, stack: Stack) -> list[Violation]:
        out = []
        for p in _pair_iri(shape, prop):
            vp, v = c.values(shape, f)
            o = c.var("o")
            # The reference compares IRIs as strings and refuses to compare string with non-string.
            cond = f"COALESCE({_comparable(v)} {op} {_comparable(o)}, false)"
            pattern = f"{focus} {vp} {f} {term(p)} {o} . FILTER(!{cond})"
            path, types = c.plain_property(shape), c.target_types(focus, f)
            shared = None
            if path is not None and types is not None:
                # ?o is private to the pattern: the checks that share it all compare with p.
                every = f"COALESCE({_comparable(SHARED_VALUE)} {op} {_comparable('?o')}, false)"
                pairs = f"{SHARED_FOCUS} {path} {SHARED_VALUE} . {SHARED_FOCUS} {term(p)} ?o . FILTER(!{every})"
                shared = Shared(pairs, types, value=True)
            out.append(Violation(sh(capitalised(prop) + "ConstraintComponent"), pattern, value=v, shared=shared))
        return out

    return handler


HANDLERS: dict[URIRef, Handler] = {
    sh("equals"): equals,
    sh("disjoint"): disjoint,
    sh("lessThan"): _less_than("lessThan", "<"),
    sh("lessThanOrEquals"): _less_than("lessThanOrEquals", "<="),
}
