"""The Store contract: every backend must pass these (imported by per-backend test modules).

Each function takes a *fresh, empty* store. Keep them backend-neutral: SPARQL 1.1 only.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import XSD

from crmkg.errors import QuerySyntaxError
from crmkg.formats import RdfFormat
from crmkg.store import AskResult, GraphResult, QueryOptions, SelectResult, Store

E = "https://example.org/contract/"


def _quads() -> list[ox.Quad]:
    n = ox.NamedNode
    date = n("http://www.w3.org/2001/XMLSchema#date")
    return [
        ox.Quad(n(E + "rel1"), n(E + "owner"), n(E + "anna")),
        ox.Quad(n(E + "rel1"), n(E + "since"), ox.Literal("2025-01-01", datatype=date)),
        ox.Quad(n(E + "rel2"), n(E + "owner"), n(E + "bertta")),
        ox.Quad(n(E + "rel2"), n(E + "since"), ox.Literal("2026-03-01", datatype=date)),
        ox.Quad(n(E + "rel2"), n(E + "label"), ox.Literal("Asiakkuus", language="fi")),
        ox.Quad(n(E + "rel3"), n(E + "owner"), n(E + "anna"), n(E + "graph-b")),
    ]


def _filled(store: Store) -> Store:
    store.add_quads(_quads())
    return store


def empty_store_has_no_quads(store: Store) -> None:
    assert len(store) == 0
    result = store.query("SELECT * WHERE { ?s ?p ?o }")
    assert isinstance(result, SelectResult)
    assert result.rows == []


def added_quads_are_counted(store: Store) -> None:
    _filled(store)
    assert len(store) == 6


def select_sees_the_union_of_graphs_by_default(store: Store) -> None:
    _filled(store)
    result = store.query(f"SELECT ?r WHERE {{ ?r <{E}owner> <{E}anna> }}")
    assert isinstance(result, SelectResult)
    assert {str(row[0]) for row in result} == {E + "rel1", E + "rel3"}


def default_graph_option_restricts_the_dataset(store: Store) -> None:
    _filled(store)
    result = store.query(
        f"SELECT ?r WHERE {{ ?r <{E}owner> ?o }}",
        options=QueryOptions(default_graphs=(E + "graph-b",)),
    )
    assert isinstance(result, SelectResult)
    assert {str(row[0]) for row in result} == {E + "rel3"}


def bindings_are_bound_by_the_engine(store: Store) -> None:
    _filled(store)
    query = f"SELECT ?r WHERE {{ ?r <{E}owner> ?who ; <{E}since> ?since FILTER(?since <= ?day) }}"
    day = Literal("2025-06-30", datatype=XSD.date)
    result = store.query(query, bindings={"who": URIRef(E + "anna"), "day": day})
    assert isinstance(result, SelectResult)
    assert [str(row[0]) for row in result] == [E + "rel1"]


def a_hostile_binding_is_only_a_literal(store: Store) -> None:
    """A value crafted to escape into query text stays one literal; nothing is dropped."""
    _filled(store)
    hostile = Literal("x> } DROP ALL #")
    result = store.query(f"SELECT ?r WHERE {{ ?r <{E}label> ?l }}", bindings={"l": hostile})
    assert isinstance(result, SelectResult)
    assert result.rows == []
    assert len(store) == 6


def unbound_variables_are_none(store: Store) -> None:
    _filled(store)
    result = store.query(
        f"SELECT ?r ?l WHERE {{ ?r <{E}owner> ?o OPTIONAL {{ ?r <{E}label> ?l }} }} ORDER BY ?r"
    )
    assert isinstance(result, SelectResult)
    assert result.variables == ("r", "l")
    labels = {str(rel): label for rel, label in result}
    assert labels[E + "rel1"] is None
    assert labels[E + "rel2"] == Literal("Asiakkuus", lang="fi")


def typed_literals_round_trip(store: Store) -> None:
    _filled(store)
    result = store.query(f"SELECT ?d WHERE {{ <{E}rel2> <{E}since> ?d }}")
    assert isinstance(result, SelectResult)
    (value,) = result.rows[0]
    assert value == Literal("2026-03-01", datatype=XSD.date)


def ask_answers_true_and_false(store: Store) -> None:
    _filled(store)
    yes = store.query(f"ASK {{ <{E}rel1> <{E}owner> <{E}anna> }}")
    no = store.query(f"ASK {{ <{E}rel1> <{E}owner> <{E}bertta> }}")
    assert yes == AskResult(True)
    assert no == AskResult(False)


def construct_returns_a_graph(store: Store) -> None:
    _filled(store)
    result = store.query(f"CONSTRUCT {{ ?o <{E}owns> ?r }} WHERE {{ ?r <{E}owner> ?o }}")
    assert isinstance(result, GraphResult)
    expected = Graph()
    for rel, who in (("rel1", "anna"), ("rel2", "bertta"), ("rel3", "anna")):
        expected.add((URIRef(E + who), URIRef(E + "owns"), URIRef(E + rel)))
    assert isomorphic(result.graph, expected)


def row_cap_flags_truncation(store: Store) -> None:
    _filled(store)
    capped = store.query("SELECT * WHERE { ?s ?p ?o }", options=QueryOptions(max_rows=2))
    assert isinstance(capped, SelectResult)
    assert len(capped) == 2
    assert capped.truncated
    full = store.query("SELECT * WHERE { ?s ?p ?o }", options=QueryOptions(max_rows=100))
    assert isinstance(full, SelectResult)
    assert not full.truncated


def syntax_errors_are_typed(store: Store) -> None:
    with pytest.raises(QuerySyntaxError):
        store.query("SELECT ?x WHERE { ?x ")


def update_changes_the_store(store: Store) -> None:
    _filled(store)
    store.update(f"INSERT DATA {{ <{E}rel4> <{E}owner> <{E}cecilia> }}")
    assert len(store) == 7
    store.update(f"DELETE WHERE {{ <{E}rel4> ?p ?o }}")
    assert len(store) == 6


def dump_round_trips(store: Store) -> None:
    _filled(store)
    data = store.dump(RdfFormat.N_QUADS)
    copy = ox.Store()
    copy.load(data, format=ox.RdfFormat.N_QUADS)
    assert len(copy) == 6


CONTRACT = [
    empty_store_has_no_quads,
    added_quads_are_counted,
    select_sees_the_union_of_graphs_by_default,
    default_graph_option_restricts_the_dataset,
    bindings_are_bound_by_the_engine,
    a_hostile_binding_is_only_a_literal,
    unbound_variables_are_none,
    typed_literals_round_trip,
    ask_answers_true_and_false,
    construct_returns_a_graph,
    row_cap_flags_truncation,
    syntax_errors_are_typed,
    update_changes_the_store,
    dump_round_trips,
]
