"""What every constraint handler shares: the violation pattern it returns and small helpers.

A handler reads one constraint parameter of a shape and returns the violation patterns for it,
given the focus pattern ``focus`` binding ``f`` (see :mod:`crmkg.validation.fast.compiler`). The
handlers of one family (as SHACL and pySHACL group them) live in one module, each of which
registers its handlers in a module-level ``HANDLERS`` table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rdflib import Literal, URIRef
from rdflib.term import Node

from crmkg.validation.fast.shapes import ShapeNode, ShapeView, sh
from crmkg.validation.fast.sparqltext import Uncompilable

if TYPE_CHECKING:
    from crmkg.validation.fast.compiler import Compiler

#: The shapes being compiled above the current one (a repeat is a recursive shape).
Stack = tuple[ShapeNode, ...]


#: The variables of a :class:`Shared` pattern: focus node, value node, and the focus node's type.
SHARED_FOCUS, SHARED_VALUE, SHARED_TYPE = "?f", "?v", "?_type"


@dataclass(frozen=True)
class Shared:
    """The same violations found for every subject of a plain property at once, each row carrying a
    type of its focus node; the check keeps the rows whose type is one of ``types``.

    Several shapes that target different classes often constrain one property (``akj:startDate``:
    a maxCount, a datatype and a lessThanOrEquals on each of seven classes). Checks whose shared
    pattern is the same run it once (see :meth:`~crmkg.validation.fast.compiler.Compiler.share`)
    instead of once per class, each check then taking its own classes' rows.
    """

    #: Binds :data:`SHARED_FOCUS` (and :data:`SHARED_VALUE` when ``value``) with no focus pattern.
    pattern: str
    #: The focus node's classes: the shape's target classes and every class below them.
    types: tuple[URIRef, ...]
    value: bool = False
    #: For ``sh:minCount 1`` on this predicate IRI of the ``types``' instances: checks with the
    #: same focus classes run one query for all their predicates, each taking its predicate's rows
    #: (``pattern`` is then unused; see :func:`~crmkg.validation.fast.sharing.share`).
    missing: str | None = None


@dataclass(frozen=True)
class Violation:
    """The pattern that finds the violations of one constraint, and what its rows report."""

    component: URIRef
    pattern: str
    value: str | None = None
    path: str | None = None
    value_defaults_to_focus: bool = False
    source_constraint: Node | None = None
    messages: tuple[Literal, ...] = ()
    message_vars: tuple[tuple[str, str], ...] = ()
    #: The same violations as a pattern shared with other checks, when the focus is a class target.
    shared: Shared | None = None


#: ``handler(compiler, shape, focus, f, stack)`` → the violation patterns of one parameter.
Handler = Callable[["Compiler", ShapeView, str, str, Stack], list[Violation]]


def per_value(c: Compiler, shape: ShapeView, focus: str, f: str, component: str, cond: str) -> Violation:
    """Value nodes for which the SPARQL expression ``cond`` (over ``$v``) is not true."""
    vp, v = c.values(shape, f)
    test = cond.replace("$v", v)
    prop, types = c.plain_property(shape), c.target_types(focus, f)
    shared = None
    if prop is not None and types is not None:
        every = cond.replace("$v", SHARED_VALUE)
        shared = Shared(f"{SHARED_FOCUS} {prop} {SHARED_VALUE} . FILTER(!COALESCE({every}, false))", types, value=True)
    return Violation(
        sh(component + "ConstraintComponent"),
        f"{focus} {vp} FILTER(!COALESCE({test}, false))",
        value=v,
        value_defaults_to_focus=True,
        shared=shared,
    )


def int_param(shape: ShapeView, name: str) -> int:
    """The integer value of ``sh:<name>``."""
    val = shape.value(sh(name))
    if not isinstance(val, Literal) or not isinstance(val.value, int) or isinstance(val.value, bool):
        raise Uncompilable(f"{shape.label}: sh:{name} is not an integer")
    return val.value


def capitalised(name: str) -> str:
    """``minInclusive`` → ``MinInclusive`` (how a parameter names its component)."""
    return name[0].upper() + name[1:]


def of_values(c: Compiler, focus: str, vp: str, nodes: str, var: str, new: str) -> str:
    """The focus nodes (and values) whose value nodes are among ``nodes``, a closed pattern
    over the value nodes of ``focus`` binding ``var``. For a node shape (no path) ``nodes`` is
    already a subset of the focus nodes, so the focus is not joined again."""
    if not vp:
        return c.rename(nodes, var, new)
    return f"{focus} {vp} {c.rename(nodes, var, new)}"
