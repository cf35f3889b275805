"""Stores: the protocol, the backends and :func:`open_store`."""

from __future__ import annotations

from pathlib import Path

from crmkg.errors import UsageError
from crmkg.store.base import (
    AskResult,
    Bindings,
    GraphResult,
    QueryOptions,
    QueryResult,
    SelectResult,
    Store,
)

__all__ = [
    "AskResult",
    "Bindings",
    "GraphResult",
    "QueryOptions",
    "QueryResult",
    "SelectResult",
    "Store",
    "open_store",
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
    if backend == "oxigraph":
        from crmkg.store.oxigraph import OxigraphStore

        return OxigraphStore(Path(loc) if loc else None, read_only=read_only)
    if backend == "memory":
        if loc:
            raise UsageError("the memory backend keeps nothing on disk; give no location")
        from crmkg.store.memory import MemoryStore

        return MemoryStore()
    if backend == "sparql":
        if not loc:
            raise UsageError("the sparql backend needs an endpoint URL")
        from crmkg.store.sparql import SparqlStore  # type: ignore[import-not-found,import-untyped,unused-ignore]

        return SparqlStore(loc, read_only=read_only)  # type: ignore[no-any-return,unused-ignore]
    raise UsageError(f"unknown store backend {backend!r}; expected one of {BACKENDS}")
