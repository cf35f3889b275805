"""The /sparql policy on hostile texts: SERVICE, updates and foreign FROM hidden every way we could think of.

Each text is decided by :func:`crmkg.sparql.policy.inspect` (the parse by the SPARQL 1.1 grammar).
A hiding attempt must never come out admitted: it is refused as SERVICE/update (QueryRefused) or, if
it is not SPARQL 1.1 at all, refused as a syntax error. Legal escapes that fooled the old token scan
are admitted and read correctly.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from crmkg.errors import QueryRefused, QuerySyntaxError, QueryTooLarge
from crmkg.sparql.policy import Limits, inspect


def load_cases() -> ModuleType:
    """``sparql_cases.py`` beside this file (test modules are not importable by name here)."""
    spec = importlib.util.spec_from_file_location("sparql_cases", Path(__file__).with_name("sparql_cases.py"))
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


CASES = load_cases()
SERVICE_HIDDEN: dict[str, str] = CASES.SERVICE_HIDDEN
UPDATES: dict[str, str] = CASES.UPDATES
NOT_QUERIES: dict[str, str] = CASES.NOT_QUERIES
ADMITTED: dict[str, str] = CASES.ADMITTED


@pytest.mark.parametrize("text", SERVICE_HIDDEN.values(), ids=SERVICE_HIDDEN.keys())
def test_service_is_refused_however_it_is_written(text: str) -> None:
    with pytest.raises(QueryRefused, match="SERVICE"):
        inspect(text)


@pytest.mark.parametrize("text", UPDATES.values(), ids=UPDATES.keys())
def test_updates_are_refused(text: str) -> None:
    with pytest.raises(QueryRefused, match="Update"):
        inspect(text)


@pytest.mark.parametrize("text", NOT_QUERIES.values(), ids=NOT_QUERIES.keys())
def test_what_is_not_a_sparql_11_query_is_refused(text: str) -> None:
    with pytest.raises(QuerySyntaxError, match=r"accepts a SPARQL 1\.1 query"):
        inspect(text)


@pytest.mark.parametrize("text", ADMITTED.values(), ids=ADMITTED.keys())
def test_legal_queries_are_admitted(text: str) -> None:
    assert inspect(text).form in ("SELECT", "ASK")


def test_from_graphs_are_read_with_escapes_base_and_prefixes() -> None:
    info = inspect(
        "BASE <http://b/dir/>\nPREFIX e: <http://x/>\n"
        "SELECT * FROM <g> FROM NAMED e:a\\#b FROM NAMED <../up> FROM e:%41 WHERE { ?s ?p ?o }"
    )
    assert info.from_graphs == ["http://b/dir/g", "http://x/%41"]
    assert info.from_named == ["http://x/a#b", "http://b/up"]


@pytest.mark.parametrize(
    ("text", "setting"),
    [
        ("SELECT * WHERE " + "{" * 3000 + "?s ?p ?o" + "}" * 3000, "CRMKG_SPARQL_MAX_DEPTH"),
        ("SELECT * WHERE { FILTER(" + "(" * 600 + "1" + ")" * 600 + ") }", "CRMKG_SPARQL_MAX_DEPTH"),
        ("SELECT * WHERE { FILTER(" + "+".join(["1"] * 10_000) + ") }", "CRMKG_SPARQL_MAX_DEPTH"),
        ("SELECT * WHERE { " + " UNION ".join(["{}"] * 10_000) + " }", "CRMKG_SPARQL_MAX_DEPTH"),
        ("SELECT * WHERE { ?s " + "/".join(["<a:p>"] * 1000) + " ?o }", "CRMKG_SPARQL_MAX_DEPTH"),
        ("ASK {} #" + "ä" * 200_000, "CRMKG_SPARQL_MAX_QUERY_BYTES"),
    ],
    ids=["groups-3000", "parens-600", "plus-chain-10000", "union-chain-10000", "path-1000", "size"],
)
def test_limits_are_refused_before_the_engine_naming_the_setting(text: str, setting: str) -> None:
    with pytest.raises(QueryTooLarge, match=setting):
        inspect(text)


def test_limits_are_settings() -> None:
    deep = "SELECT * WHERE " + "{" * 20 + "}" * 20
    assert inspect(deep).form == "SELECT"
    with pytest.raises(QueryTooLarge, match="deeper than 10 levels"):
        inspect(deep, Limits(max_depth=10))
    with pytest.raises(QueryTooLarge, match="at most 10 are accepted"):
        inspect("ASK { ?s ?p ?o }", Limits(max_bytes=10))
