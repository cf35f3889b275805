"""The rdflib backend: an in-memory ``Dataset``. Slow, but what pyshacl and tiny graphs want."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox
from pyparsing import ParseException
from rdflib import Dataset, Graph, URIRef
from rdflib.plugins.sparql.parser import parseQuery

from crmkg.errors import CrmkgError, Phrase, QuerySyntaxError, StoreError
from crmkg.formats import RdfFormat
from crmkg.store.base import (
    AskResult,
    Bindings,
    Capabilities,
    GraphResult,
    QueryOptions,
    QueryResult,
    SelectResult,
    Store,
)
from crmkg.store.binding import substitute
from crmkg.store.terms import Term, from_ox, to_ox

_RDFLIB_FORMATS = {
    RdfFormat.TURTLE: "turtle",
    RdfFormat.N_TRIPLES: "nt",
    RdfFormat.N_QUADS: "nquads",
    RdfFormat.TRIG: "trig",
    RdfFormat.RDF_XML: "xml",
    RdfFormat.JSON_LD: "json-ld",
}


@contextmanager
def _translated(what: str) -> Iterator[None]:
    """rdflib's errors as crmkg's: the one place this backend's exceptions are mapped.

    rdflib's SPARQL engine and plugins raise plain exceptions of many types.
    """
    try:
        yield
    except CrmkgError:
        raise
    except ParseException as exc:
        raise QuerySyntaxError(
            key="error.store_sparql_syntax", what=Phrase(f"store_op.{what}"), problem=str(exc)
        ) from exc
    except Exception as exc:
        raise StoreError(key="error.store_failed", what=Phrase(f"store_op.{what}"), problem=str(exc)) from exc


class MemoryStore(Store):
    """An rdflib ``Dataset`` whose default graph is the union of all graphs."""

    def __init__(self) -> None:
        self._ds = Dataset(default_union=True)

    @property
    def backend(self) -> str:
        return "memory"

    @property
    def read_only(self) -> bool:
        return False

    @property
    def capabilities(self) -> Capabilities:
        return Capabilities()

    @property
    def path(self) -> Path | None:
        return None

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
        with _translated("write"):
            for s, p, o, g in converted:
                target = self._ds.default_graph if g is None else self._ds.graph(g)
                target.add((s, p, o))

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
        with _translated("query"):
            parseQuery(sparql)
            result = self._dataset_for(opts).query(sparql)
            if result.type == "ASK":
                return AskResult(bool(result.askAnswer))
            if result.type == "SELECT":
                names = list(result.vars or ())
                # From the bindings, not by iterating the result: rdflib's iteration drops a
                # solution in which no variable is bound (a SELECT of OPTIONALs that all miss).
                rows = (tuple(None if (t := b.get(v)) is None else to_ox(t) for v in names) for b in result.bindings)
                return SelectResult.capped(tuple(str(v) for v in names), rows, opts.max_rows)
            graph = result.graph if result.graph is not None else Graph()
            triples = (ox.Triple(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in graph)  # type: ignore[arg-type]
            return GraphResult.capped(triples, opts.max_rows)

    def _dataset_for(self, options: QueryOptions) -> Dataset:
        """The dataset a query sees: all of it, or a copy of the graphs the options name."""
        if not (options.default_graphs or options.named_graphs):
            return self._ds
        view = Dataset()
        for name in options.default_graphs:
            for triple in self._ds.graph(URIRef(name)):
                view.default_graph.add(triple)
        for name in options.named_graphs:
            graph = view.graph(URIRef(name))
            for triple in self._ds.graph(URIRef(name)):
                graph.add(triple)
        return view

    def quads_for_pattern(
        self,
        subject: ox.NamedNode | ox.BlankNode | None,
        predicate: ox.NamedNode | None,
        obj: Term | None,
    ) -> Iterator[ox.Quad]:
        pattern = tuple(None if t is None else from_ox(t) for t in (subject, predicate, obj))
        with _translated("read"):
            found = list(self._ds.quads((*pattern, None)))  # type: ignore[arg-type]
        default = self._ds.default_graph.identifier
        for s, p, o, g in found:
            graph = ox.DefaultGraph() if g is None or g == default else to_ox(g)
            yield ox.Quad(to_ox(s), to_ox(p), to_ox(o), graph)  # type: ignore[arg-type]

    def update(self, sparql: str) -> None:
        with _translated("update"):
            # rdflib's Dataset.update evaluates against the union default graph, which it cannot
            # write to; update the real default graph instead.
            self._ds.default_graph.update(sparql)

    def dump(self, fmt: RdfFormat = RdfFormat.N_QUADS) -> bytes:
        source: Graph = self._ds
        if not fmt.supports_datasets:
            source = Graph()
            for s, p, o, _ in self._ds.quads((None, None, None, None)):
                source.add((s, p, o))
        with _translated("dump"):
            return source.serialize(format=_RDFLIB_FORMATS[fmt], encoding="utf-8")

    def flush(self) -> None:
        return None

    def close(self) -> None:
        return None
