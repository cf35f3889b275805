"""A graph's triples as N-Triples documents of bounded size, for loading a remote store in batches.

A blank node's label means one node only within one document: a server reading two documents makes
two nodes of ``_:b1``. So the triples that share blank nodes (a blank node's connected component:
an RDF list, an OWL restriction, a nested address) always travel in one document, even when that
document then exceeds the batch size; every other triple fills the documents up to it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pyoxigraph as ox

from crmkg.store.base import QueryOptions, Store

__all__ = ["DEFAULT_BATCH_SIZE", "documents", "held_in", "target_graphs"]

#: Triples per document: some 10-20 MB of N-Triples, small for a server to take into memory.
DEFAULT_BATCH_SIZE = 100_000


def _target(quad: ox.Quad, default_graph: str | None) -> str | None:
    name = quad.graph_name
    return default_graph if isinstance(name, ox.DefaultGraph) else name.value


def target_graphs(quads: Iterable[ox.Quad], default_graph: str | None) -> dict[str | None, int]:
    """Target graph (``None``: the default graph) -> its number of triples, in the order first met;
    default-graph quads go to ``default_graph`` when one is given."""
    counts: dict[str | None, int] = {}
    for quad in quads:
        graph = _target(quad, default_graph)
        counts[graph] = counts.get(graph, 0) + 1
    return counts


def held_in(store: Store, graphs: Iterable[str | None]) -> int:
    """The triples ``store`` holds in ``graphs`` (``None``: the default graph), one COUNT each: what
    a load into a remote store counts before and after to tell the quads it gained."""
    total = 0
    for graph in graphs:  # a named graph as the query's default graph: GRAPH <g> finds nothing there
        options = QueryOptions(default_graphs=(graph,)) if graph is not None else None
        rows = store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", options=options).rows
        count = rows[0][0] if rows else None
        total += int(count.value) if count is not None else 0
    return total


def _blank_ends(triple: ox.Triple) -> list[ox.BlankNode]:
    return [t for t in (triple.subject, triple.object) if isinstance(t, ox.BlankNode)]


def _components(triples: list[ox.Triple]) -> list[list[ox.Triple]]:
    """``triples`` (each with a blank node) grouped by the blank nodes they share (union-find)."""
    parent: dict[ox.BlankNode, ox.BlankNode] = {}

    def root(node: ox.BlankNode) -> ox.BlankNode:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for triple in triples:
        ends = _blank_ends(triple)
        if len(ends) == 2:
            parent[root(ends[0])] = root(ends[1])
    groups: dict[ox.BlankNode, list[ox.Triple]] = {}
    for triple in triples:
        groups.setdefault(root(_blank_ends(triple)[0]), []).append(triple)
    return list(groups.values())


def documents(
    quads: Iterable[ox.Quad], graph: str | None, default_graph: str | None, batch_size: int = DEFAULT_BATCH_SIZE
) -> Iterator[bytes]:
    """The triples ``quads`` hold for target ``graph``, as N-Triples documents of at most ``batch_size``
    triples (a blank-node component larger than that is one document of its own). A graph of at most
    ``batch_size`` triples is one document. Each document is made when asked for, so only one batch
    of triples (and the triples with blank nodes, sent last) is held at a time."""
    if batch_size < 1:
        raise ValueError("a batch holds at least one triple")
    chunk: list[ox.Triple] = []
    with_blanks: list[ox.Triple] = []
    for quad in quads:
        if _target(quad, default_graph) != graph:
            continue
        triple = ox.Triple(quad.subject, quad.predicate, quad.object)
        if _blank_ends(triple):
            with_blanks.append(triple)
        elif len(chunk) == batch_size:
            yield _serialised(chunk)
            chunk = [triple]
        else:
            chunk.append(triple)
    # what is left of the plain triples and the components share the last documents
    current = chunk
    for unit in _components(with_blanks):
        if current and len(current) + len(unit) > batch_size:
            yield _serialised(current)
            current = []
        current.extend(unit)
    if current:
        yield _serialised(current)


def _serialised(triples: list[ox.Triple]) -> bytes:
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
