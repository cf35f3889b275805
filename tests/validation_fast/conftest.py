"""Helpers for the fast engine's tests: result keys that two engines can be compared on."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from rdflib import BNode, Graph
from rdflib.term import Node

from crmkg.validation.parameters import ValidationParameters
from crmkg.validation.report import ValidationResult

PARAMETERS = ValidationParameters.for_date(dt.date(2026, 10, 1))

ResultKey = tuple[str, str, str, str, str, str]


def _term(node: Node | None, canon: dict[str, str] | None) -> str:
    if node is None:
        return ""
    if isinstance(node, BNode) and canon is not None:
        return canon.get(str(node), "_:?")
    return node.n3() if hasattr(node, "n3") else str(node)


def result_keys(results: Iterable[ValidationResult], canon: dict[str, str] | None = None) -> set[ResultKey]:
    """(focus, path, value, source shape, component, severity) of each result, as text.

    Blank nodes keep their labels unless ``canon`` maps labels to stable names (then unknown ones
    read ``_:?``) — both engines see the same blank-node labels when they get the same graphs.
    """
    return {
        (
            _term(r.focus_node, canon),
            "" if r.path is None else r.path.n3(),
            _term(r.value, canon),
            _term(r.source_shape, canon),
            str(r.constraint_component),
            r.severity.value,
        )
        for r in results
    }


def split_case(graph: Graph) -> tuple[Graph, Graph]:
    """A case file holds data and shapes together (as the W3C tests do): use it as both."""
    return graph, graph
