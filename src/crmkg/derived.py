"""The derived graph of a served store: what the rules give for one day, kept beside the data.

``crmkg serve`` puts the rules' results for today (the current ``akj:hasOwner``/``akj:hasLead``
shortcuts, internal/external, current holdings…) in :data:`~crmkg.namespaces.INFERRED_GRAPH`, so
SPARQL over the default graph (the union of all graphs) answers as the lookups do. The graph says
which day it is for (``<urn:crmkg:graph:inferred> dcterms:date "…"^^xsd:date``, in the graph itself);
a store whose graph says so is one that keeps it, and ``crmkg load`` into it derives it again.

Only the rules that take the day (:func:`crmkg.rules.dated`: the shortcuts) give other results on
another day. So when the data is what the graph was derived from, the next day's graph is the
graph less the triples only the day's rules put there (:attr:`Derivation.dated_only`, which
:mod:`crmkg.derived_record` keeps beside an on-disk store), plus those rules' results for the new
day: the same graph as deriving everything again, without running the other rules.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from crmkg.catalogue import Catalogue
from crmkg.namespaces import INFERRED_GRAPH
from crmkg.store import SelectResult, Store

_GRAPH = ox.NamedNode(INFERRED_GRAPH)
_DATE = ox.NamedNode("http://purl.org/dc/terms/date")
_XSD_DATE = ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")
_DAY_QUERY = f"SELECT ?day WHERE {{ GRAPH <{INFERRED_GRAPH}> {{ <{INFERRED_GRAPH}> <{_DATE.value}> ?day }} }}"
_GRAPH_QUERY = f"SELECT ?s ?p ?o WHERE {{ GRAPH <{INFERRED_GRAPH}> {{ ?s ?p ?o }} }}"


@dataclass(frozen=True)
class Derivation:
    """What :func:`derive` put in the derived graph: how many triples (the day's marker not
    counted), and which of them are there only for the day — results of the dated rules that no
    other rule gives and the data does not state (what the next day's derivation takes out)."""

    written: int
    dated_only: tuple[ox.Triple, ...]


def derived_day(store: Store) -> dt.date | None:
    """The day the store's derived graph is for; ``None`` when the store keeps no derived graph."""
    result = store.query(_DAY_QUERY)
    if not isinstance(result, SelectResult):
        return None
    for (day,) in result.rows:
        if isinstance(day, ox.Literal):
            try:
                return dt.date.fromisoformat(day.value)
            except ValueError:
                continue
    return None


def refresh(store: Store, as_of: dt.date) -> int:
    """Replace the derived graph by the rules' results for ``as_of``; the number of triples derived.

    Only what the data does not already state goes in (a triple in two graphs would answer twice
    over the union). In one writer of an on-disk store all of it becomes one generation.
    """
    return derive(store, as_of).written


def derive(store: Store, as_of: dt.date, *, dated_before: Collection[ox.Triple] | None = None) -> Derivation:
    """:func:`refresh`, and what of it is there only for the day. With ``dated_before`` (the
    ``dated_only`` of the derivation the graph holds, from this very data) the undated rules are
    not run: their results are the graph's triples less those (see the module's note)."""
    from crmkg.rules import dated, infer, rule_specs, unstated

    catalogue = Catalogue()
    specs = rule_specs(catalogue)
    by_day = [spec.id for spec in specs if dated(spec)]
    kept: list[ox.Triple] | None = None
    if dated_before is not None:
        marker_free = (t for t in _graph_triples(store) if t.subject != _GRAPH or t.predicate != _DATE)
        kept = [t for t in marker_free if t not in dated_before]
    store.update(f"DROP SILENT GRAPH <{INFERRED_GRAPH}>")  # every rule reads the data alone
    if kept is None:
        undated = [spec.id for spec in specs if not dated(spec)]
        kept = unstated(store, infer(store, catalogue, rules=undated).triples) if undated else []
    from_rules = infer(store, catalogue, params={"asOf": as_of}, rules=by_day).triples if by_day else ()
    held = set(kept)
    dated_only = [t for t in unstated(store, from_rules) if t not in held]
    marker = ox.Quad(_GRAPH, _DATE, ox.Literal(as_of.isoformat(), datatype=_XSD_DATE), _GRAPH)
    store.add_quads([*_in_graph(kept), *_in_graph(dated_only), marker])
    return Derivation(len(kept) + len(dated_only), tuple(dated_only))


def _graph_triples(store: Store) -> list[ox.Triple]:
    result = store.query(_GRAPH_QUERY)
    if not isinstance(result, SelectResult):
        return []
    return [ox.Triple(s, p, o) for s, p, o in result.rows]  # type: ignore[arg-type]


def _in_graph(triples: Sequence[ox.Triple]) -> list[ox.Quad]:
    return [ox.Quad(t.subject, t.predicate, t.object, _GRAPH) for t in triples]
