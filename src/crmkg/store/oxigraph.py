"""The default backend: pyoxigraph, in memory or on disk."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

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

OX_FORMATS: dict[RdfFormat, ox.RdfFormat] = {
    RdfFormat.TURTLE: ox.RdfFormat.TURTLE,
    RdfFormat.N_TRIPLES: ox.RdfFormat.N_TRIPLES,
    RdfFormat.N_QUADS: ox.RdfFormat.N_QUADS,
    RdfFormat.TRIG: ox.RdfFormat.TRIG,
    RdfFormat.RDF_XML: ox.RdfFormat.RDF_XML,
    RdfFormat.JSON_LD: ox.RdfFormat.JSON_LD,
}


class OxigraphStore:
    """A pyoxigraph store; ``path=None`` keeps it in memory."""

    def __init__(self, path: Path | None = None, *, read_only: bool = False) -> None:
        try:
            if path is None:
                native = ox.Store()
            elif read_only:
                native = ox.Store.read_only(str(path))
            else:
                path.mkdir(parents=True, exist_ok=True)
                native = ox.Store(str(path))
        except OSError as exc:
            raise StoreError(f"{path}: cannot open the Oxigraph store: {exc}") from exc
        self._native: ox.Store | None = native
        self.path = path
        self.read_only = read_only

    @property
    def _store(self) -> ox.Store:
        if self._native is None:
            raise StoreError(f"the Oxigraph store {self.path or '(in memory)'} is closed")
        return self._native

    @property
    def backend(self) -> str:
        return "oxigraph"

    @property
    def native(self) -> ox.Store:
        """The underlying pyoxigraph store, for callers that need native speed (e.g. serialisers)."""
        return self._store

    def __len__(self) -> int:
        return len(self._store)

    def add_quads(self, quads: Sequence[ox.Quad]) -> None:
        try:
            self._store.extend(quads)  # transactional in pyoxigraph: all or nothing
        except OSError as exc:
            raise StoreError(f"cannot write to the Oxigraph store: {exc}") from exc

    def native_query(
        self,
        sparql: str,
        *,
        bindings: Bindings | None = None,
        options: QueryOptions | None = None,
    ) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        """Run a query and return pyoxigraph's own result object (lazy, natively serialisable)."""
        opts = options or QueryOptions()
        if bindings:
            sparql = substitute(sparql, dict(bindings))
        kwargs: dict[str, object] = {}
        if opts.default_graphs:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in opts.default_graphs]
        else:
            kwargs["use_default_graph_as_union"] = True
        if opts.named_graphs:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in opts.named_graphs]
        try:
            return self._store.query(sparql, **kwargs)  # type: ignore[arg-type]
        except SyntaxError as exc:
            raise QuerySyntaxError(f"SPARQL syntax error: {exc}") from exc
        except OSError as exc:
            raise StoreError(f"query failed: {exc}") from exc

    def query(
        self,
        sparql: str,
        *,
        bindings: Bindings | None = None,
        options: QueryOptions | None = None,
    ) -> QueryResult:
        result = self.native_query(sparql, bindings=bindings, options=options)
        max_rows = (options or QueryOptions()).max_rows
        try:
            if isinstance(result, ox.QueryBoolean):
                return AskResult(bool(result))
            if isinstance(result, ox.QuerySolutions):
                variables = tuple(v.value for v in result.variables)
                width = range(len(variables))
                rows = (tuple(None if (t := sol[i]) is None else from_ox(t) for i in width) for sol in result)
                return SelectResult.capped(variables, rows, max_rows)
            graph = Graph()
            for triple in result:
                graph.add((from_ox(triple.subject), from_ox(triple.predicate), from_ox(triple.object)))
            return GraphResult(graph)
        except OSError as exc:  # evaluation errors surface while iterating
            raise StoreError(f"query failed: {exc}") from exc

    def update(self, sparql: str) -> None:
        try:
            self._store.update(sparql)
        except SyntaxError as exc:
            raise QuerySyntaxError(f"SPARQL update syntax error: {exc}") from exc
        except OSError as exc:
            raise StoreError(f"update failed: {exc}") from exc

    def dump(self, fmt: RdfFormat = RdfFormat.N_QUADS) -> bytes:
        ox_fmt = OX_FORMATS[fmt]
        if fmt.supports_datasets:
            data = self._store.dump(format=ox_fmt)
        else:
            data = self._store.dump(format=ox_fmt, from_graph=ox.DefaultGraph())
        assert data is not None
        return data

    def close(self) -> None:
        """Flush and release the store (an on-disk store's lock is freed for other openers)."""
        if self._native is not None and self.path is not None and not self.read_only:
            self._native.flush()  # read-only instances refuse flush()
        self._native = None
