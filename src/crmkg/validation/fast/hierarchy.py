"""The data's ``rdfs:subClassOf`` edges, so a class test can be one index lookup.

SHACL's class test is ``?v rdf:type/rdfs:subClassOf* C``. With ``?v`` bound, the store walks every
type of ``?v`` up its whole superclass chain per row; with the (small) set of classes below ``C``
known in advance the same test is ``?v rdf:type ?t`` with ``?t`` in that set — the same answer, read
from the same store just before the checks run, at a fraction of the cost.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from rdflib import URIRef
from rdflib.namespace import RDFS
from rdflib.term import Node

from crmkg.store import Store
from crmkg.store.terms import from_ox

_EDGES = f"SELECT ?sub ?super WHERE {{ ?sub <{RDFS.subClassOf}> ?super }}"


class ClassHierarchy:
    """Which classes make a node an instance of a given class (``rdfs:subClassOf*``, reflexive)."""

    def __init__(self, edges: Iterable[tuple[Node, Node]]) -> None:
        self._below: dict[Node, set[Node]] = defaultdict(set)
        for sub, sup in edges:
            self._below[sup].add(sub)
        self._cache: dict[Node, tuple[URIRef, ...] | None] = {}

    @classmethod
    def of_store(cls, store: Store) -> ClassHierarchy:
        """The hierarchy as ``store`` holds it now (one query for every subclass edge)."""
        rows = store.select(_EDGES).rows
        return cls((from_ox(sub), from_ox(sup)) for sub, sup in rows if sub is not None and sup is not None)

    def members(self, cls_node: Node) -> tuple[URIRef, ...] | None:
        """``cls_node`` and every class below it, sorted; None when a blank node or literal is among
        them (such a class cannot be named in a query, so the caller keeps the path form)."""
        if cls_node in self._cache:
            return self._cache[cls_node]
        seen: set[Node] = {cls_node}
        todo = [cls_node]
        while todo:
            for sub in self._below.get(todo.pop(), ()):
                if sub not in seen:
                    seen.add(sub)
                    todo.append(sub)
        named = [c for c in seen if isinstance(c, URIRef)]
        found = tuple(sorted(named)) if len(named) == len(seen) else None
        self._cache[cls_node] = found
        return found
