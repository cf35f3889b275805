"""SHACL-SPARQL constraints (``sh:sparql``): the user's SELECT rewritten to run for all focus nodes at once.

How the query is rewritten is :mod:`crmkg.validation.fast.user_sparql`; here it becomes a violation
pattern, with the prefixes ``sh:prefixes`` declares and the message variables it projects.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rdflib import Literal, URIRef
from rdflib.namespace import OWL, RDF
from rdflib.term import Node

from crmkg.validation.fast.constraints.base import Handler, Stack, Violation
from crmkg.validation.fast.messages import template_variables
from crmkg.validation.fast.shapes import ShapeView, sh
from crmkg.validation.fast.sparqltext import Uncompilable
from crmkg.validation.fast.user_sparql.rewrite import rewrite_select, split_prologue
from crmkg.validation.fast.user_sparql.scan import Focus

if TYPE_CHECKING:
    from crmkg.validation.fast.compiler import Compiler


def sparql(c: Compiler, shape: ShapeView, focus: str, f: str, stack: Stack) -> list[Violation]:
    out = []
    path = shape.path()
    for node in shape.values(sh("sparql")):
        constraint = shape.other(node)
        if constraint.deactivated:
            continue
        select = constraint.value(sh("select"))
        if not isinstance(select, Literal):
            raise Uncompilable(f"{shape.label}: a SPARQL constraint without sh:select")
        _add_prefixes(c, shape, constraint)
        this_focus = c.rename(focus, f, "?this")
        member = c.membership(this_focus, "?this")
        own_prefixes, _ = split_prologue(str(select))
        for p, ns in own_prefixes.items():
            _add_prefix(c, shape, p, ns)
        rewritten = rewrite_select(
            str(select),
            Focus(this_focus, f"FILTER EXISTS {{ {member} }}" if member else None),
            None if path is None else path.sparql,
            lateral=c.lateral,
            portable=c.portable,
            holds=c.holds,
        )
        for p, ns in rewritten.prefixes.items():
            _add_prefix(c, shape, p, ns)
        v, pv = c.var("value"), c.var("path")
        this = f if f == "?this" else f"(?this AS {f})"
        messages = (*constraint.messages(), *shape.messages())
        # The row's other variables that the messages name are projected too (pyshacl fills
        # them per row); one not projected by the user's SELECT simply stays unbound.
        message_vars = tuple((name, c.var("m")[1:]) for name in template_variables(messages))
        extra = "".join(f" (?{name} AS ?{col})" for name, col in message_vars)
        pattern = (
            f"{{ SELECT DISTINCT {this} (?value AS {v}) (?path AS {pv}){extra} WHERE {{ {{ {rewritten.select} }} }} }}"
        )
        out.append(
            Violation(
                sh("SPARQLConstraintComponent"),
                pattern,
                value=v,
                path=pv,
                value_defaults_to_focus=not shape.is_property_shape,
                source_constraint=node,
                messages=messages,
                message_vars=message_vars,
            )
        )
    return out


def _add_prefix(c: Compiler, shape: ShapeView, prefix: str, ns: str) -> None:
    if c.prefixes.get(prefix, ns) != ns:
        raise Uncompilable(f"{shape.label}: prefix {prefix}: is declared with two namespaces")
    c.prefixes[prefix] = ns


def _add_prefixes(c: Compiler, shape: ShapeView, constraint: ShapeView) -> None:
    """The prefixes ``sh:prefixes`` declares, read as the reference engine reads them."""
    graph = c.graph
    onts = set(graph.subjects(RDF.type, OWL.Ontology))
    global_decl: set[Node] = set()
    for o in onts:
        global_decl.update(graph.objects(o, sh("declare")))
    for pv in constraint.values(sh("prefixes")):
        own: set[Node] = set()
        for node in _imports_closure(c, pv):
            own.update(graph.objects(node, sh("declare")))
        decls = own if (own and pv in onts) else global_decl | own
        for d in decls:
            prefix = graph.value(d, sh("prefix"))
            ns = graph.value(d, sh("namespace"))
            if prefix is None or ns is None:
                raise Uncompilable(f"{shape.label}: an sh:declare lacks sh:prefix or sh:namespace")
            _add_prefix(c, shape, str(prefix), str(ns))


def _imports_closure(c: Compiler, node: Node) -> list[Node]:
    """``node`` and what it reaches through ``owl:imports`` (where prefix declarations may sit)."""
    seen, todo = [node], [node]
    while todo:
        for nxt in c.graph.objects(todo.pop(), OWL.imports):
            if nxt not in seen:
                seen.append(nxt)
                todo.append(nxt)
    return seen


HANDLERS: dict[URIRef, Handler] = {sh("sparql"): sparql}
