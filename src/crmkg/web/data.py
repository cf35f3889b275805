"""The web app's own read queries (``crmkg/web/sparql/*.rq``), run through the catalogue's binding.

The pages get most answers from :mod:`crmkg.lookup`, :mod:`crmkg.terms` and the catalogue; the few
questions only a page asks (a page of the relationship list, a relationship's plans, the
organisation tree) are ``.rq`` files here with grlc-typed parameters. Their values are bound by
:func:`crmkg.catalogue.bind` as RDF terms, never spliced into query text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import cache
from pathlib import Path

from crmkg.catalogue import QuerySpec, bind, parse_query_file
from crmkg.errors import StoreError
from crmkg.store import SelectResult, Store, Term

SPARQL_DIR = Path(__file__).resolve().parent / "sparql"

Row = dict[str, str]


@cache
def spec(name: str) -> QuerySpec:
    """The parsed ``sparql/<name>.rq``."""
    return parse_query_file(SPARQL_DIR / f"{name}.rq")


def spec_from_text(name: str, text: str) -> QuerySpec:
    """A query composed from fixed fragments (the relationship list's filters), parsed like a file."""
    return _cached_text_spec(name, text)


@cache
def _cached_text_spec(name: str, text: str) -> QuerySpec:
    return parse_query_file(SPARQL_DIR / f"{name}.rq", text=text)


def plain(term: Term) -> str:
    """The lexical value of an RDF term (an IRI, a blank node's label or a literal's text)."""
    return term.value


def select(store: Store, query: QuerySpec | str, params: Mapping[str, str | None] | None = None) -> list[Row]:
    """Rows of a SELECT as plain strings (unbound variables left out)."""
    chosen = spec(query) if isinstance(query, str) else query
    raw = {k: v for k, v in (params or {}).items() if v not in (None, "")}
    result = store.query(chosen.text, bindings=bind(chosen, raw))
    if not isinstance(result, SelectResult):
        raise StoreError(key="error.web_query_rows", query=chosen.id)
    return [{k: plain(v) for k, v in row.items()} for row in result.dicts()]


def date_or_none(text: str | None) -> dt.date | None:
    """An ``xsd:date`` value read leniently (a dateTime keeps its date part); None if unreadable."""
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None
