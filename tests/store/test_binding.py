"""Parameter binding by substitution: where terms go, how the query stays valid, what is refused."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from crmkg.errors import BindingError, UsageError
from crmkg.store import SelectResult, open_store
from crmkg.store.binding import substitute
from crmkg.store.terms import XSD, literal, named_node

X = ox.NamedNode("http://e/x")
DAY = literal("2026-01-01", XSD + "date")


@pytest.mark.parametrize(
    ("query", "expected_fragment"),
    [
        ("SELECT ?s WHERE { ?s ?p ?o }", "{ ?s ?p <http://e/x> }"),
        ("SELECT ?o WHERE { ?s ?p ?o }", "SELECT (<http://e/x> AS ?o) WHERE"),
        ("SELECT DISTINCT ?s ?o { ?s ?p ?o }", "SELECT DISTINCT ?s (<http://e/x> AS ?o) {"),
        ("ASK { ?s ?p $o }", "ASK { ?s ?p <http://e/x> }"),
        ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "CONSTRUCT { ?s ?p <http://e/x> }"),
        ("SELECT ?s (COUNT(?o) AS ?n) { ?s ?p ?o } GROUP BY ?s ?o", "GROUP BY ?s (<http://e/x>)"),
        ("SELECT ?s { ?s ?p ?o } ORDER BY ?o LIMIT 3", "ORDER BY (<http://e/x>) LIMIT"),
        ("SELECT ?s { ?s ?p ?o FILTER(?o != '?o') }", "FILTER(<http://e/x> != '?o')"),
        ("PREFIX a: <http://a/x?o>\n# ?o in a comment\nSELECT * { ?s ?p ?o }", "<http://a/x?o>"),
        ("SELECT ?s { { SELECT ?s ?o { ?s ?p ?o } } }", "SELECT ?s (<http://e/x> AS ?o) {"),
    ],
)
def test_substitution_keeps_the_query_valid(query: str, expected_fragment: str) -> None:
    bound = substitute(query, {"o": X})
    assert expected_fragment in bound
    ox.Store().query(bound)  # still valid SPARQL


def test_filters_in_nested_optionals_see_the_bound_value() -> None:
    """The reason for substitution: a VALUES join would not reach the nested FILTER."""
    for backend in ("oxigraph", "memory"):
        store = open_store(backend=backend)
        store.update(
            f'INSERT DATA {{ <http://e/a> <http://e/d> "2026-01-01"^^<{XSD}date> ; <http://e/l> "A"@fi, "A"@en }}'
        )
        query = (
            "SELECT ?s ?label WHERE { ?s <http://e/d> ?d "
            "OPTIONAL { ?s <http://e/l> ?label FILTER(LANG(?label) = ?lang && ?d <= ?day) } }"
        )
        result = store.query(query, bindings={"lang": literal("fi"), "day": DAY})
        assert isinstance(result, SelectResult)
        assert [(s, label) for s, label in result] == [(ox.NamedNode("http://e/a"), ox.Literal("A", language="fi"))]
        early = store.query(query, bindings={"lang": literal("fi"), "day": literal("2025-01-01", XSD + "date")})
        assert isinstance(early, SelectResult)
        assert [label for _, label in early] == [None], backend


@pytest.mark.parametrize("iri", ["http://e/x> } DROP ALL #", "http://e/a b", 'http://e/"'])
def test_iris_that_could_break_out_are_refused(iri: str) -> None:
    """The term model refuses them before they could be bound."""
    with pytest.raises(UsageError, match="not a valid IRI"):
        substitute("SELECT * { ?s ?p ?o }", {"o": named_node(iri)})


def test_literals_are_escaped() -> None:
    bound = substitute("SELECT * { ?s ?p ?o }", {"o": literal('x" } DROP ALL #')})
    assert '"x\\" } DROP ALL #"' in bound
    ox.Store().query(bound)


@pytest.mark.parametrize(
    "query",
    ["SELECT * { BIND(1 AS ?o) }", "SELECT * { VALUES ?o { 1 } }", "SELECT * { VALUES (?s ?o) { (1 2) } }"],
)
def test_variables_the_query_assigns_cannot_be_bound(query: str) -> None:
    with pytest.raises(BindingError, match="assigned by the query"):
        substitute(query, {"o": X})


def test_bad_names_and_blank_nodes_are_refused() -> None:
    with pytest.raises(BindingError):
        substitute("SELECT * { ?s ?p ?o }", {"o) {": X})
    with pytest.raises(BindingError):
        substitute("SELECT * { ?s ?p ?o }", {"o": ox.BlankNode()})
    with pytest.raises(BindingError):
        substitute("SELECT * { ?s ?p ?o }", {"o": "http://e/x"})  # type: ignore[dict-item]
