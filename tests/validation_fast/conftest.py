"""Helpers for the fast engine's tests: result keys that two engines can be compared on."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from rdflib import BNode, Literal
from rdflib.term import Node

from crmkg.validation.fast.messages import generic
from crmkg.validation.parameters import ValidationParameters
from crmkg.validation.report import ValidationResult

PARAMETERS = ValidationParameters.for_date(dt.date(2026, 10, 1))

ResultKey = tuple[str, str, str, str, str, str]


def _term(node: Node | None, keep_bnodes: bool) -> str:
    return term_key(node, keep_bnodes)


def term_key(node: Node | None, keep_bnodes: bool = True) -> str:
    """A term as text; numbers by value and language tags in lower case, since the store keeps
    literals in canonical form (``"4.0"^^xsd:decimal`` is stored as ``"4"^^xsd:decimal``, ``@EN`` as ``@en``)."""
    if node is None:
        return ""
    if isinstance(node, BNode) and not keep_bnodes:
        return "_:"
    if isinstance(node, Literal) and node.language:  # language tags are case-insensitive; Oxigraph lowercases
        return Literal(str(node), lang=node.language.lower()).n3()
    if isinstance(node, Literal) and node.datatype is not None:
        value = node.value
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            return f"{Decimal(str(value)).normalize()}^^{node.datatype}"
    return node.n3() if hasattr(node, "n3") else str(node)


def result_keys(results: Iterable[ValidationResult], *, keep_bnodes: bool = True) -> set[ResultKey]:
    """(focus, path, value, source shape, component, severity) of each result, as text.

    Blank nodes keep their labels (both engines see the same labels when given the same graphs)
    unless ``keep_bnodes`` is false, when every blank node reads ``_:``.
    """
    return {
        (
            _term(r.focus_node, keep_bnodes),
            "" if r.path is None else r.path.n3(),
            _term(r.value, keep_bnodes),
            _term(r.source_shape, keep_bnodes),
            str(r.constraint_component),
            r.severity.value,
        )
        for r in results
    }


MessageKey = tuple[ResultKey, tuple[tuple[str, str], ...]]


def message_keys(
    results: Iterable[ValidationResult], *, keep_bnodes: bool = True, sparql_only: bool = False
) -> set[MessageKey]:
    """Each result's key with its messages by language (``sparql_only``: SHACL-SPARQL results only,
    where the reference fills templates from the row; elsewhere its generic texts differ by design)."""
    out: set[MessageKey] = set()
    for r in results:
        if sparql_only and not str(r.constraint_component).endswith("#SPARQLConstraintComponent"):
            continue
        (key,) = result_keys([r], keep_bnodes=keep_bnodes)
        # Without an sh:message each engine words its own generic text: compare those as "none".
        messages = {} if r.messages == generic(r.constraint_component) else r.messages
        out.add((key, tuple(sorted(messages.items()))))
    return out
