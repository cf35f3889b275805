"""The rdflib backend: an in-memory ``Dataset``. Slow, but what pyshacl and tiny graphs want."""

from __future__ import annotations

from collections.abc import Sequence

import pyoxigraph as ox
from pyparsing import ParseException
from rdflib import Dataset, Graph, URIRef
from rdflib.plugins.sparql.parser import parseQuery

from crmkg.errors import QuerySyntaxError, StoreError
from crmkg.formats import RdfFormat
from crmkg.store.base import (
    AskResult,
    Bindings,
    GraphResult,
    QueryOptions,
    QueryResult,
    SelectResult,
)
from crmkg.store.binding import substitute
from crmkg.store.terms import from_ox

_RDFLIB_FORMATS = {
    RdfFormat.TURTLE: "turtle",
    RdfFormat.N_TRIPLES: "nt",
    RdfFormat.N_QUADS: "nquads",
    RdfFormat.TRIG: "trig",
    RdfFormat.RDF_XML: "xml",
    RdfFormat.JSON_LD: "json-ld",
}


class MemoryStore:
    """An rdflib ``Dataset`` whose default graph is the union of all graphs."""

    def __init__(self) -> None:
        self._ds = Dataset(default_union=True)

    @property
    def backend(self) -> str:
        return "memory"

    @property
    def dataset(self) -> Dataset:
        """The underlying rdflib dataset (for pyshacl and other rdflib-native tools)."""
        return self._ds

    def __len__(self) -> int:
        return sum(1 for _ in self._ds.quads((None, None, None, None)))

    def add_quads(self, quads: Sequence[ox.Quad]) -> None:
        # Convert everything first so that a bad term leaves the dataset untouched.
        converted = []
        for q in quads:
            graph = None if isinstance(q.graph_name, ox.DefaultGraph) else from_ox(q.graph_name)
            converted.append((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object), graph))
        try:
            for s, p, o, g in converted:
                target = self._ds.default_graph if g is None else self._ds.graph(g)
                target.add((s, p, o))
        except Exception as exc:  # rdflib raises plain exceptions from plugins
            raise StoreError(f"cannot add to the rdflib dataset: {exc}") from exc

    def query(
        self,
        sparql: str,
        *,
        bindings: Bindings | None = None,
        options: QueryOptions | None = None,
    ) -> QueryResult:
        opts = options or QueryOptions()
        if bindings:
            sparql = substitute(sparql, dict(bindings))  # the same binding as every other backend
        try:
            parseQuery(sparql)
        except ParseException as exc:
            raise QuerySyntaxError(f"SPARQL syntax error: {exc}") from exc
        target: Graph = self._ds
        if opts.default_graphs:
            target = Graph()
            for name in opts.default_graphs:
                for triple in self._ds.graph(URIRef(name)):
                    target.add(triple)
        try:
            result = target.query(sparql)
        except Exception as exc:
            raise StoreError(f"query failed: {exc}") from exc
        if result.type == "ASK":
            return AskResult(bool(result.askAnswer))
        if result.type == "SELECT":
            variables = tuple(str(v) for v in result.vars or ())
            return SelectResult.capped(variables, (tuple(row) for row in result), opts.max_rows)  # type: ignore[arg-type]
        return GraphResult(result.graph if result.graph is not None else Graph())

    def update(self, sparql: str) -> None:
        try:
            # rdflib's Dataset.update evaluates against the union default graph, which it cannot
            # write to; update the real default graph instead.
            self._ds.default_graph.update(sparql)
        except ParseException as exc:
            raise QuerySyntaxError(f"SPARQL update syntax error: {exc}") from exc
        except Exception as exc:
            raise StoreError(f"update failed: {exc}") from exc

    def dump(self, fmt: RdfFormat = RdfFormat.N_QUADS) -> bytes:
        source: Graph = self._ds
        if not fmt.supports_datasets:
            source = Graph()
            for s, p, o, _ in self._ds.quads((None, None, None, None)):
                source.add((s, p, o))
        return source.serialize(format=_RDFLIB_FORMATS[fmt], encoding="utf-8")

    def close(self) -> None:
        return None
