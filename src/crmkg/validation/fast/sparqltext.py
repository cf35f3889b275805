"""RDF terms and SHACL property paths written as SPARQL text.

Only what a query can name is written: IRIs and literals. A blank node of the shapes graph cannot
be named in a query (a blank-node label in SPARQL is a fresh variable), so asking for one raises
:class:`Uncompilable` and the shape falls back to the reference engine.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal as Lit

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF
from rdflib.paths import AlternativePath, InvPath, MulPath, Path, SequencePath
from rdflib.term import Node

SH = "http://www.w3.org/ns/shacl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
_RDF_LANGSTRING = str(RDF.langString)


class Uncompilable(Exception):
    """A shape uses something the compiler cannot turn into SPARQL (the reason is the message)."""


def iri(value: str) -> str:
    """``<value>`` with the characters SPARQL forbids in IRIREF escaped."""
    out = []
    for ch in value:
        if ch in '<>"{}|^`\\' or ord(ch) <= 0x20:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return "<" + "".join(out) + ">"


def string(value: str) -> str:
    """A double-quoted SPARQL string literal."""
    escaped = (
        value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    )
    return f'"{escaped}"'


def term(node: Node) -> str:
    """SPARQL text naming ``node``; blank nodes are :class:`Uncompilable`."""
    if isinstance(node, URIRef):
        return iri(str(node))
    if isinstance(node, Literal):
        lex = string(str(node))
        if node.language:
            return f"{lex}@{node.language}"
        if node.datatype is not None and str(node.datatype) not in (XSD + "string", _RDF_LANGSTRING):
            return f"{lex}^^{iri(str(node.datatype))}"
        return lex
    if isinstance(node, BNode):
        raise Uncompilable(f"the blank node {node.n3()} of the shapes graph cannot be named in SPARQL")
    raise Uncompilable(f"unsupported term {node!r}")


@dataclass(frozen=True)
class PropertyPath:
    """A SHACL path as SPARQL text and as the rdflib value reported in ``sh:resultPath``."""

    sparql: str
    value: URIRef | Path


_SH_INVERSE = URIRef(SH + "inversePath")
_SH_ALTERNATIVE = URIRef(SH + "alternativePath")
_SH_ZERO_OR_MORE = URIRef(SH + "zeroOrMorePath")
_SH_ONE_OR_MORE = URIRef(SH + "oneOrMorePath")
_SH_ZERO_OR_ONE = URIRef(SH + "zeroOrOnePath")
_MODIFIERS: dict[URIRef, Lit["*", "+", "?"]] = {_SH_ZERO_OR_MORE: "*", _SH_ONE_OR_MORE: "+", _SH_ZERO_OR_ONE: "?"}


def read_path(graph: Graph, node: Node, depth: int = 0) -> PropertyPath:
    """The path whose SHACL description starts at ``node`` (an IRI or a blank node)."""
    if depth > 20:
        raise Uncompilable("property path nested too deeply")
    if isinstance(node, URIRef):
        return PropertyPath(iri(str(node)), node)
    if not isinstance(node, BNode):
        raise Uncompilable(f"{node!r} is not a property path")
    if graph.value(node, RDF.first) is not None:
        items = [read_path(graph, n, depth + 1) for n in Collection(graph, node)]
        if len(items) < 2:
            raise Uncompilable("a sequence path needs at least two members")
        return PropertyPath("(" + "/".join(p.sparql for p in items) + ")", SequencePath(*(p.value for p in items)))
    inner = graph.value(node, _SH_INVERSE)
    if inner is not None:
        p = read_path(graph, inner, depth + 1)
        return PropertyPath(f"(^{p.sparql})", InvPath(p.value))
    alts = graph.value(node, _SH_ALTERNATIVE)
    if alts is not None:
        items = [read_path(graph, n, depth + 1) for n in Collection(graph, alts)]
        if len(items) < 2:
            raise Uncompilable("an alternative path needs at least two members")
        return PropertyPath("(" + "|".join(p.sparql for p in items) + ")", AlternativePath(*(p.value for p in items)))
    for prop, mod in _MODIFIERS.items():
        inner = graph.value(node, prop)
        if inner is not None:
            p = read_path(graph, inner, depth + 1)
            return PropertyPath(f"({p.sparql}{mod})", MulPath(p.value, mod))
    raise Uncompilable(f"blank node {node.n3()} is not a well-formed SHACL path")
