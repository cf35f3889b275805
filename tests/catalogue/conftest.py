"""Shared data for the catalogue tests: the example organisation + ontology on every local backend.

Stores are built once per session: Oxigraph, rdflib (memory) and Oxigraph holding the OWL 2 RL
closure (owlrl) of the same data, so every CQ can be compared with and without materialisation.
"""

from __future__ import annotations

import collections
import datetime as dt
import json
from collections.abc import Mapping
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, URIRef

from crmkg import resources
from crmkg.catalogue import Catalogue
from crmkg.loading import parse_paths
from crmkg.reasoning import rl_closure
from crmkg.store import Store, open_store
from crmkg.store.base import QueryResult, SelectResult
from crmkg.store.terms import from_ox, to_ox

HERE = Path(__file__).resolve().parent
EXPECTED = HERE / "expected"
AS_OF = dt.date(2026, 10, 1)

#: Parameters every CQ is run with for its expected file (README conventions: as of 2026-10-01,
#: follow-up window from 2026-07-03, review window from 2026-04-04; CQ21's R and T from its row).
STANDARD_PARAMS: dict[str, str] = {
    "asOf": AS_OF.isoformat(),
    "followUpSince": "2026-07-03",
    "reviewSince": "2026-04-04",
    "from": "2025-01-01",
    "to": "2026-09-30",
    "revisedSince": "2024-10-01",
}
PER_QUERY_PARAMS: dict[str, dict[str, str]] = {
    "cq-021-handover-history": {"relationship": "ex:rel-pohjolan-logistiikka-it"},
}

Row = frozenset[tuple[str, str]]


def params_for(catalogue: Catalogue, query_id: str) -> dict[str, str]:
    spec = catalogue.get(query_id)
    names = {p.name for p in spec.params}
    params = {k: v for k, v in STANDARD_PARAMS.items() if k in names}
    params.update(PER_QUERY_PARAMS.get(spec.id, {}))
    return params


def multiset(result: QueryResult) -> collections.Counter[Row]:
    """A SELECT result as a multiset of bindings (variable → N-Triples term; unbound left out)."""
    assert isinstance(result, SelectResult), f"expected rows, got {type(result).__name__}"
    return collections.Counter(frozenset((k, _norm(from_ox(v))) for k, v in row.items()) for row in result.dicts())


def _norm(term: URIRef | BNode | Literal) -> str:
    if isinstance(term, Literal) and term.datatype is not None:
        # compare typed literals by value where the lexical form may differ ("01" vs "1")
        value = term.toPython()
        if isinstance(value, bool):
            return Literal(value).n3()
        if isinstance(value, int):
            return Literal(int(value)).n3()
    return term.n3()


def read_srj(path: Path) -> collections.Counter[Row]:
    """An expected-results file (SPARQL 1.1 JSON results) as a multiset of bindings."""
    data = json.loads(path.read_text("utf-8"))
    rows: collections.Counter[Row] = collections.Counter()
    for binding in data["results"]["bindings"]:
        rows[frozenset((var, _norm(_term(cell))) for var, cell in binding.items())] += 1
    return rows


def _term(cell: Mapping[str, str]) -> URIRef | BNode | Literal:
    if cell["type"] == "uri":
        return URIRef(cell["value"])
    if cell["type"] == "bnode":
        return BNode(cell["value"])
    if "xml:lang" in cell:
        return Literal(cell["value"], lang=cell["xml:lang"])
    if "datatype" in cell:
        return Literal(cell["value"], datatype=URIRef(cell["datatype"]))
    return Literal(cell["value"])


def example_quads() -> list[ox.Quad]:
    _, quads = parse_paths([*resources.ontology_files(), resources.example_dir("esimerkki")])
    return quads


def rl_quads(quads: list[ox.Quad]) -> list[ox.Quad]:
    graph = Graph()
    for q in quads:
        graph.add((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)))
    closed = rl_closure(graph)
    # owlrl writes generalised triples (literal subjects); RDF stores cannot hold them
    return [
        ox.Quad(to_ox(s), to_ox(p), to_ox(o))  # type: ignore[arg-type]
        for s, p, o in closed
        if not isinstance(s, Literal) and isinstance(p, URIRef)
    ]


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return Catalogue()


@pytest.fixture(scope="session")
def quads() -> list[ox.Quad]:
    return example_quads()


@pytest.fixture(scope="session")
def stores(quads: list[ox.Quad]) -> dict[str, Store]:
    """``oxigraph``, ``memory`` and ``oxigraph-rl`` (the RL closure), all with the same data."""
    built: dict[str, Store] = {}
    for name in ("oxigraph", "memory"):
        store = open_store(backend=name)
        store.add_quads(quads)
        built[name] = store
    closed = open_store()
    closed.add_quads(rl_quads(quads))
    built["oxigraph-rl"] = closed
    return built
