"""The Store contract: every backend must pass these (imported by per-backend test modules).

Each function takes a *fresh, empty* store. Keep them backend-neutral: SPARQL 1.1 only.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from crmkg.errors import QueryError, QuerySyntaxError, RdfSyntaxError
from crmkg.formats import RdfFormat
from crmkg.store import AskResult, GraphResult, QueryOptions, SelectResult, Store
from crmkg.store.terms import XSD, literal

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
    assert {row[0] for row in result} == {ox.NamedNode(E + "rel1"), ox.NamedNode(E + "rel3")}


def default_graph_option_restricts_the_dataset(store: Store) -> None:
    _filled(store)
    result = store.query(
        f"SELECT ?r WHERE {{ ?r <{E}owner> ?o }}",
        options=QueryOptions(default_graphs=(E + "graph-b",)),
    )
    assert isinstance(result, SelectResult)
    assert {row[0] for row in result} == {ox.NamedNode(E + "rel3")}


def bindings_are_bound_by_the_engine(store: Store) -> None:
    _filled(store)
    query = f"SELECT ?r WHERE {{ ?r <{E}owner> ?who ; <{E}since> ?since FILTER(?since <= ?day) }}"
    day = literal("2025-06-30", XSD + "date")
    result = store.query(query, bindings={"who": ox.NamedNode(E + "anna"), "day": day})
    assert isinstance(result, SelectResult)
    assert [row[0] for row in result] == [ox.NamedNode(E + "rel1")]


def a_hostile_binding_is_only_a_literal(store: Store) -> None:
    """A value crafted to escape into query text stays one literal; nothing is dropped."""
    _filled(store)
    hostile = literal("x> } DROP ALL #")
    result = store.query(f"SELECT ?r WHERE {{ ?r <{E}label> ?l }}", bindings={"l": hostile})
    assert isinstance(result, SelectResult)
    assert result.rows == []
    assert len(store) == 6


def unbound_variables_are_none(store: Store) -> None:
    _filled(store)
    result = store.query(f"SELECT ?r ?l WHERE {{ ?r <{E}owner> ?o OPTIONAL {{ ?r <{E}label> ?l }} }} ORDER BY ?r")
    assert isinstance(result, SelectResult)
    assert result.variables == ("r", "l")
    labels = dict(result.rows)
    assert labels[ox.NamedNode(E + "rel1")] is None
    assert labels[ox.NamedNode(E + "rel2")] == ox.Literal("Asiakkuus", language="fi")


def a_solution_with_nothing_bound_is_a_row(store: Store) -> None:
    _filled(store)
    result = store.select(f"SELECT ?label WHERE {{ OPTIONAL {{ <{E}rel1> <{E}label> ?label }} }}")
    assert result.rows == [(None,)]


def typed_literals_round_trip(store: Store) -> None:
    _filled(store)
    result = store.query(f"SELECT ?d WHERE {{ <{E}rel2> <{E}since> ?d }}")
    assert isinstance(result, SelectResult)
    (value,) = result.rows[0]
    assert value == literal("2026-03-01", XSD + "date")


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
    n = ox.NamedNode
    pairs = (("rel1", "anna"), ("rel2", "bertta"), ("rel3", "anna"))
    expected = [ox.Triple(n(E + who), n(E + "owns"), n(E + rel)) for rel, who in pairs]
    assert sorted(result, key=str) == sorted(expected, key=str)  # each triple once


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


def graph_results_are_capped_too(store: Store) -> None:
    _filled(store)
    capped = store.query("CONSTRUCT WHERE { ?s ?p ?o }", options=QueryOptions(max_rows=2))
    assert isinstance(capped, GraphResult)
    assert len(capped) == 2
    assert capped.truncated


def named_graphs_alone_leave_the_default_graph_empty(store: Store) -> None:
    """SPARQL 1.1 Protocol: named-graph-uri without default-graph-uri makes an empty default graph."""
    _filled(store)
    options = QueryOptions(named_graphs=(E + "graph-b",))
    in_default = store.select("SELECT ?r WHERE { ?r ?p ?o }", options=options)
    in_named = store.select("SELECT ?r WHERE { GRAPH ?g { ?r ?p ?o } }", options=options)
    assert in_default.rows == []
    assert [row[0] for row in in_named] == [ox.NamedNode(E + "rel3")]


def select_refuses_other_forms(store: Store) -> None:
    with pytest.raises(QueryError, match="SELECT"):
        store.select("ASK { ?s ?p ?o }")


def load_is_atomic_and_names_the_line(store: Store) -> None:
    _filled(store)
    good = f"<{E}rel9> <{E}owner> <{E}anna> .\n".encode()
    store.load(good, RdfFormat.N_TRIPLES, source="good.nt")
    assert store.query(f"ASK {{ <{E}rel9> <{E}owner> <{E}anna> }}") == AskResult(True)
    bad = f"<{E}rel10> <{E}owner> <{E}anna> .\n<{E}rel10> <{E}owner> .\n".encode()
    with pytest.raises(RdfSyntaxError) as caught:
        store.load(bad, RdfFormat.N_TRIPLES, source="bad.nt")
    assert caught.value.location.file == "bad.nt"
    assert caught.value.location.line == 2
    assert store.query(f"ASK {{ <{E}rel10> ?p ?o }}") == AskResult(False)  # nothing of the bad document


def quads_match_patterns(store: Store) -> None:
    _filled(store)
    anna = ox.NamedNode(E + "anna")
    found = {(q.subject, q.graph_name) for q in store.quads_for_pattern(None, ox.NamedNode(E + "owner"), anna)}
    assert {subject for subject, _ in found} == {ox.NamedNode(E + "rel1"), ox.NamedNode(E + "rel3")}
    assert (ox.NamedNode(E + "rel3"), ox.NamedNode(E + "graph-b")) in found
    assert len(list(store.quads_for_pattern(ox.NamedNode(E + "rel2"), None, None))) == 3


def a_fresh_store_is_writable(store: Store) -> None:
    assert store.read_only is False
    assert store.capabilities.snapshot is False


CONTRACT = [
    empty_store_has_no_quads,
    added_quads_are_counted,
    select_sees_the_union_of_graphs_by_default,
    default_graph_option_restricts_the_dataset,
    bindings_are_bound_by_the_engine,
    a_hostile_binding_is_only_a_literal,
    unbound_variables_are_none,
    a_solution_with_nothing_bound_is_a_row,
    typed_literals_round_trip,
    ask_answers_true_and_false,
    construct_returns_a_graph,
    row_cap_flags_truncation,
    syntax_errors_are_typed,
    update_changes_the_store,
    dump_round_trips,
    graph_results_are_capped_too,
    named_graphs_alone_leave_the_default_graph_empty,
    select_refuses_other_forms,
    load_is_atomic_and_names_the_line,
    quads_match_patterns,
    a_fresh_store_is_writable,
]
