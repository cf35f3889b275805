"""Stores: the protocol, the backends and :func:`open_store` — the only door to RDF data.

Nothing outside this package names a backend class; callers hold a :class:`Store` and read what
it can do from :attr:`Store.capabilities`.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset

from crmkg.errors import UsageError
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
from crmkg.store.batches import DEFAULT_BATCH_SIZE
from crmkg.store.terms import Term

__all__ = [
    "AskResult",
    "Bindings",
    "Capabilities",
    "GraphResult",
    "QueryOptions",
    "QueryResult",
    "SelectResult",
    "Store",
    "Term",
    "graph_names",
    "open_endpoint",
    "open_store",
    "rdflib_dataset",
]

BACKENDS = ("oxigraph", "memory", "sparql")


def open_store(
    location: str | Path | None = None,
    *,
    backend: str | None = None,
    read_only: bool = False,
) -> Store:
    """Open a store.

    ``location`` is ``None`` (in memory), a directory (an on-disk Oxigraph store) or an
    ``http(s)://`` SPARQL endpoint URL. ``backend`` forces ``oxigraph``, ``memory`` or ``sparql``.

    >>> store = open_store()
    >>> store.backend, len(store)
    ('oxigraph', 0)
    """
    loc = str(location) if location is not None else None
    if backend is None:
        backend = "sparql" if loc and loc.startswith(("http://", "https://")) else "oxigraph"
    # Each backend is imported when first opened: rdflib's SPARQL engine and SPARQLWrapper are slow to import.
    if backend == "oxigraph":
        from crmkg.store.oxigraph import OxigraphStore

        return OxigraphStore(Path(loc) if loc else None, read_only=read_only)
    if backend == "memory":
        if loc:
            raise UsageError(key="error.memory_no_location")
        from crmkg.store.memory import MemoryStore

        return MemoryStore()
    if backend == "sparql":
        if not loc:
            raise UsageError(key="error.sparql_backend_url")
        from crmkg.store.sparql import SparqlStore

        return SparqlStore(loc, read_only=read_only)
    raise UsageError(key="error.store_backend", backend=backend, backends=BACKENDS)


def open_endpoint(
    url: str,
    *,
    read_only: bool = False,
    update_url: str | None = None,
    graph_store_url: str | None = None,
    graph: str | None = None,
    timeout: float = 30.0,
    batch_size: int = DEFAULT_BATCH_SIZE,
    staged: bool = True,
) -> Store:
    """A SPARQL endpoint as a store, with what a remote one may need: a separate update URL, a
    Graph Store Protocol URL (loads go there, in documents of at most ``batch_size`` triples) and
    ``graph``, the named graph that holds the data (default-graph triples are written to it and
    queries read it as their default graph)."""
    from crmkg.store.sparql import SparqlStore

    return SparqlStore(
        url,
        read_only=read_only,
        update_url=update_url,
        graph_store_url=graph_store_url,
        insert_graph=graph,
        default_graphs=(graph,) if graph else (),
        timeout=timeout,
        batch_size=batch_size,
        staged=staged,
    )


def graph_names(store: Store) -> frozenset[str]:
    """The IRIs of the store's named graphs (what FROM and the dataset parameters may name)."""
    rows = store.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }").rows
    return frozenset(g.value for (g,) in rows if isinstance(g, ox.NamedNode))


def rdflib_dataset(store: Store) -> Dataset:
    """``store``'s quads as an rdflib dataset, for rdflib tools (pyshacl): the memory backend's own
    dataset (not copied, so not to be changed), any other store's a copy."""
    from crmkg.store.memory import MemoryStore

    if isinstance(store, MemoryStore):
        return store.dataset
    copy = Dataset()
    copy.parse(data=store.dump(RdfFormat.N_QUADS), format="nquads")
    return copy
