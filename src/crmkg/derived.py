"""The derived graph of a served store: what the rules give for one day, kept beside the data.

``crmkg serve`` puts the rules' results for today (the current ``akj:hasOwner``/``akj:hasLead``
shortcuts, internal/external, current holdings…) in :data:`~crmkg.namespaces.INFERRED_GRAPH`, so
SPARQL over the default graph (the union of all graphs) answers as the lookups do. The graph says
which day it is for (``<urn:crmkg:graph:inferred> dcterms:date "…"^^xsd:date``, in the graph itself);
a store whose graph says so is one that keeps it, and ``crmkg load`` into it derives it again.
"""

from __future__ import annotations

import datetime as dt

import pyoxigraph as ox

from crmkg.namespaces import INFERRED_GRAPH
from crmkg.store import SelectResult, Store

_GRAPH = ox.NamedNode(INFERRED_GRAPH)
_DATE = ox.NamedNode("http://purl.org/dc/terms/date")
_XSD_DATE = ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")
_DAY_QUERY = f"SELECT ?day WHERE {{ GRAPH <{INFERRED_GRAPH}> {{ <{INFERRED_GRAPH}> <{_DATE.value}> ?day }} }}"


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
    from crmkg.rules import infer

    store.update(f"DROP SILENT GRAPH <{INFERRED_GRAPH}>")
    new = [
        ox.Quad(t.subject, t.predicate, t.object, _GRAPH)
        for t in infer(store, params={"asOf": as_of}).triples
        if isinstance(t.subject, ox.NamedNode | ox.BlankNode)
        and not isinstance(t.object, ox.Triple)
        and next(iter(store.quads_for_pattern(t.subject, t.predicate, t.object)), None) is None
    ]
    marker = ox.Quad(_GRAPH, _DATE, ox.Literal(as_of.isoformat(), datatype=_XSD_DATE), _GRAPH)
    store.add_quads([*new, marker])
    return len(new)
