"""The terms the Store protocol speaks — pyoxigraph's typed terms — and the way to and from rdflib.

Every backend returns and accepts :data:`Term`; rdflib terms appear only where an rdflib tool
works (the pyshacl engine, the term index, owlrl, the validation report), converted here.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Identifier

from crmkg import namespaces
from crmkg.errors import UsageError

#: An RDF term as the Store protocol passes it: an IRI, a blank node or a literal.
Term = ox.NamedNode | ox.BlankNode | ox.Literal
#: The same, as rdflib tools see it.
RdflibTerm = URIRef | BNode | Literal

XSD = str(namespaces.XSD)
XSD_STRING = XSD + "string"
_RDF_LANGSTRING = str(namespaces.RDF.langString)


@lru_cache(maxsize=65_536)
def from_ox(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | ox.DefaultGraph) -> RdflibTerm:
    """An rdflib term for a pyoxigraph term (RDF-star triples are not supported here).

    A literal keeps the lexical form the store holds (rdflib would otherwise rewrite, say,
    ``"2023-03-05T00:00:00"^^xsd:date`` as ``"2023-03-05"``): reports show the data as written.
    Cached: rdflib literals are costly to build (lexical parsing), and result rows repeat terms.
    Both term kinds are immutable, so sharing them is safe.
    """
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language, normalize=False)
        dt = term.datatype.value
        if dt == XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(dt), normalize=False)
    raise UsageError(key="error.unsupported_term", term=repr(term))


def to_ox(term: Identifier) -> Term:
    """A pyoxigraph term for an rdflib term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None and str(term.datatype) != _RDF_LANGSTRING:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise UsageError(key="error.unsupported_term", term=repr(term))


def to_rdflib_graph(triples: Iterable[ox.Triple | ox.Quad]) -> Graph:
    """An rdflib graph of ``triples`` (the graph names of quads are dropped)."""
    graph = Graph()
    for t in triples:
        graph.add((from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)))
    return graph


def literal(value: str, datatype: str | None = None, *, lang: str | None = None) -> ox.Literal:
    """A literal: plain, typed by ``datatype`` (an IRI) or tagged with ``lang``."""
    if lang is not None:
        return ox.Literal(value, language=lang)
    if datatype is None or datatype == XSD_STRING:
        return ox.Literal(value)
    return ox.Literal(value, datatype=_datatype(datatype))


@lru_cache(maxsize=64)
def _datatype(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def datatype_of(term: ox.Literal) -> str | None:
    """A literal's datatype IRI; ``None`` for plain and language-tagged literals (as SPARQL JSON writes it)."""
    if term.language:
        return None
    value = term.datatype.value
    return None if value == XSD_STRING else value


__all__ = [
    "XSD",
    "XSD_STRING",
    "RdflibTerm",
    "Term",
    "datatype_of",
    "from_ox",
    "literal",
    "named_node",
    "to_ox",
    "to_rdflib_graph",
]


def named_node(iri: str) -> ox.NamedNode:
    """The IRI as a term; :class:`~crmkg.errors.UsageError` if it is not a valid IRI."""
    try:
        return ox.NamedNode(iri)
    except ValueError as exc:
        raise UsageError(key="error.invalid_iri_because", iri=iri, reason=str(exc)) from None
