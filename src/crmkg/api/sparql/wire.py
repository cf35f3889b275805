"""Bound values on the way to a SPARQL worker: RDF terms as JSON, ``[kind, value, datatype, language]``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pyoxigraph as ox

from crmkg.store import Term
from crmkg.store.terms import datatype_of

Encoded = list[str | None]


def encode_terms(bindings: Mapping[str, Term]) -> dict[str, Encoded]:
    return {name: encode_term(term) for name, term in bindings.items()}


def decode_terms(encoded: Mapping[str, Sequence[str | None]]) -> dict[str, Term]:
    return {name: decode_term(value) for name, value in encoded.items()}


def encode_term(term: Term) -> Encoded:
    if isinstance(term, ox.NamedNode):
        return ["uri", term.value, None, None]
    if isinstance(term, ox.BlankNode):
        return ["bnode", term.value, None, None]
    if isinstance(term, ox.Literal):
        return ["literal", term.value, None if term.language else datatype_of(term), term.language]
    raise TypeError(f"not an RDF term: {term!r}")


def decode_term(encoded: Sequence[str | None]) -> Term:
    kind, value, datatype, language = encoded
    if value is None:
        raise ValueError("a bound value without a value")
    if kind == "uri":
        return ox.NamedNode(value)
    if kind == "bnode":
        return ox.BlankNode(value)
    if language:
        return ox.Literal(value, language=language)
    return ox.Literal(value, datatype=ox.NamedNode(datatype) if datatype else None)
