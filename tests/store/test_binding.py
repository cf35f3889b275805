"""Parameter binding by a VALUES block: where it goes, and what it refuses."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from crmkg.errors import BindingError, QuerySyntaxError
from crmkg.store import SelectResult, open_store
from crmkg.store.binding import bind_values

X = URIRef("http://e/x")


@pytest.mark.parametrize(
    ("query", "marker"),
    [
        ("SELECT ?s WHERE { ?s ?p ?o }", "WHERE { VALUES"),
        ("ASK { ?s ?p ?o }", "ASK { VALUES"),
        ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "WHERE { VALUES"),
        ("PREFIX a: <http://a/x>\n# a { comment\nSELECT * { ?s ?p '{' }", "SELECT * { VALUES"),
        ('SELECT (CONCAT("}", "{") AS ?c) WHERE { ?s ?p ?o }', "WHERE { VALUES"),
    ],
)
def test_values_block_opens_the_main_group(query: str, marker: str) -> None:
    bound = bind_values(query, {"o": X})
    assert marker in bound
    assert bound.count("VALUES") == 1
    ox.Store().query(bound)  # still valid SPARQL


def test_filters_see_the_bound_value() -> None:
    store = open_store()
    store.update(f'INSERT DATA {{ <http://e/a> <http://e/d> "2026-01-01"^^<{XSD.date}> }}')
    query = "SELECT ?s WHERE { ?s <http://e/d> ?d FILTER(?d <= ?day) }"
    early = store.query(query, bindings={"day": Literal("2025-12-31", datatype=XSD.date)})
    late = store.query(query, bindings={"day": Literal("2026-01-01", datatype=XSD.date)})
    assert isinstance(early, SelectResult)
    assert isinstance(late, SelectResult)
    assert early.rows == []
    assert [str(r[0]) for r in late] == ["http://e/a"]


@pytest.mark.parametrize("iri", ["http://e/x> } DROP ALL #", "http://e/a b", 'http://e/"'])
def test_iris_that_could_break_out_are_refused(iri: str) -> None:
    with pytest.raises(BindingError):
        bind_values("SELECT * { ?s ?p ?o }", {"o": URIRef(iri)})


def test_literals_are_escaped() -> None:
    bound = bind_values("SELECT * { ?s ?p ?o }", {"o": Literal('x" } DROP ALL #')})
    assert 'DROP ALL #"' in bound  # still inside the string literal
    ox.Store().query(bound)


def test_bad_names_blank_nodes_and_missing_groups_are_refused() -> None:
    with pytest.raises(BindingError):
        bind_values("SELECT * { ?s ?p ?o }", {"o) {": X})
    with pytest.raises(BindingError):
        bind_values("SELECT * { ?s ?p ?o }", {"o": BNode()})
    with pytest.raises(QuerySyntaxError):
        bind_values("SELECT * WHERE", {"o": X})
