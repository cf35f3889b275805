"""Cardinality constraints: ``sh:minCount``, ``sh:maxCount``."""

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
    int_param,
)
from crmkg.validation.fast.shapes import ShapeView, sh
from crmkg.validation.fast.sparqltext import Uncompilable

if TYPE_CHECKING:
    from crmkg.validation.fast.compiler import Compiler


def _count(c: Compiler, shape: ShapeView, focus: str, f: str, name: str, having: str) -> list[Violation]:
    if not shape.is_property_shape:
        raise Uncompilable(f"{shape.label}: sh:{name} on a node shape")
    n = int_param(shape, name)
    comp = sh(("MinCount" if name == "minCount" else "MaxCount") + "ConstraintComponent")
    vp, v = c.values(shape, f)
    if having == "<" and n == 1:
        # The common case without grouping: one index lookup per focus node.
        path, types = shape.path(), c.target_types(focus, f)
        plain = path is not None and isinstance(path.value, URIRef) and types is not None
        missing = Shared("", types, missing=str(path.value)) if plain and path and types else None
        return [Violation(comp, f"{focus} FILTER NOT EXISTS {{ {vp} }}", shared=missing)]
    if having == ">" and n == 0:
        return [Violation(comp, c.closed(f"{focus} {vp}", f))]
    member = c.membership(focus, f) if having == ">" else None
    if member is not None:
        # Too many values: count over the property alone, then keep the few nodes over the
        # limit that are focus nodes — instead of a lookup and a group for every focus node.
        over = f"{{ SELECT {f} WHERE {{ {vp} }} GROUP BY {f} HAVING (COUNT(DISTINCT {v}) > {n}) }}"
        prop, types = c.plain_property(shape), c.target_types(focus, f)
        shared = None
        if prop is not None and types is not None:
            group = f"{SHARED_FOCUS} {prop} {SHARED_VALUE}"
            shared = Shared(
                f"{{ SELECT {SHARED_FOCUS} WHERE {{ {group} }} GROUP BY {SHARED_FOCUS} "
                f"HAVING (COUNT(DISTINCT {SHARED_VALUE}) > {n}) }}",
                types,
            )
        return [Violation(comp, f"{over} FILTER EXISTS {{ {member} }}", shared=shared)]
    count = c.var("n")
    optional = f"OPTIONAL {{ {vp} }}" if having == "<" else vp
    pattern = (
        f"{{ SELECT {f} (COUNT(DISTINCT {v}) AS {count}) WHERE {{ {focus} {optional} }} GROUP BY {f} }} "
        f"FILTER({count} {having} {n})"
    )
    return [Violation(comp, pattern)]


def min_count(c: Compiler, shape: ShapeView, focus: str, f: str, stack: Stack) -> list[Violation]:
    if int_param(shape, "minCount") <= 0:
        return []
    return _count(c, shape, focus, f, "minCount", "<")


def max_count(c: Compiler, shape: ShapeView, focus: str, f: str, stack: Stack) -> list[Violation]:
    return _count(c, shape, focus, f, "maxCount", ">")


HANDLERS: dict[URIRef, Handler] = {
    sh("minCount"): min_count,
    sh("maxCount"): max_count,
}
