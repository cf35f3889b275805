"""A graph cut into bounded N-Triples documents: each document parsed on its own (as a server parses
each request), the union is the graph, and the triples sharing blank nodes stay in one document."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib.compare import to_isomorphic

from crmkg import resources
from crmkg.loading import parse_paths
from crmkg.store.batches import documents, target_graphs
from crmkg.store.terms import to_rdflib_graph


def _graph(chunks: list[bytes]) -> object:
    """The graph the documents make when a server reads each one alone (blank nodes per document)."""
    store = ox.Store()
    for chunk in chunks:
        store.load(chunk, format=ox.RdfFormat.N_TRIPLES)
    return to_isomorphic(to_rdflib_graph([ox.Triple(q.subject, q.predicate, q.object) for q in store]))


@pytest.fixture(scope="module")
def quads() -> list[ox.Quad]:
    return parse_paths([*resources.ontology_files(), resources.example_dir("esimerkki")])[1]


@pytest.mark.parametrize("batch_size", [1, 7, 250])
def test_documents_are_bounded_and_make_the_graph(quads: list[ox.Quad], batch_size: int) -> None:
    chunks = list(documents(quads, "urn:x:g", "urn:x:g", batch_size))
    whole = list(documents(quads, "urn:x:g", "urn:x:g", len(quads)))
    assert len(whole) == 1, "a graph no larger than a batch is one document"
    assert _graph(chunks) == _graph(whole)
    sizes = [len(chunk.splitlines()) for chunk in chunks]
    assert sum(sizes) == len(whole[0].splitlines())
    assert max(sizes) >= batch_size, "documents are filled up to the batch size"
    for chunk, size in zip(chunks, sizes, strict=True):
        # a document over the size is one blank-node structure (an OWL restriction, a list): every
        # triple of it has a blank node
        parsed = ox.parse(chunk, format=ox.RdfFormat.N_TRIPLES)
        blank = [t for t in parsed if isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode)]
        assert size <= batch_size or len(blank) == size


def test_a_blank_node_chain_stays_in_one_document() -> None:
    a, b, c = ox.BlankNode("a"), ox.BlankNode("b"), ox.BlankNode("c")
    p = ox.NamedNode("urn:x:p")
    chain = [ox.Quad(a, p, b), ox.Quad(ox.NamedNode("urn:x:s"), p, ox.Literal("x")), ox.Quad(b, p, c), ox.Quad(c, p, a)]
    chunks = list(documents(chain, None, None, 1))
    assert len(chunks) == 2
    assert sorted(len(chunk.splitlines()) for chunk in chunks) == [1, 3]


def test_target_graphs_count_per_graph() -> None:
    p = ox.NamedNode("urn:x:p")
    quads = [
        ox.Quad(p, p, p),
        ox.Quad(p, p, ox.Literal("1"), ox.NamedNode("urn:x:g")),
        ox.Quad(p, p, ox.Literal("2"), ox.NamedNode("urn:x:g")),
    ]
    assert target_graphs(quads, None) == {None: 1, "urn:x:g": 2}
    assert target_graphs(quads, "urn:x:g") == {"urn:x:g": 3}
    assert [len(d.splitlines()) for d in documents(quads, "urn:x:g", None, 5)] == [2]
