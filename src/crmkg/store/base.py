"""The Store protocol every backend implements, and the typed query results they return.

A store holds RDF quads and answers SPARQL 1.1. Parameters are always passed as ``bindings``
(variable name → RDF term) and bound by the engine — never spliced into query text.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

import pyoxigraph as ox
from rdflib import Graph

from crmkg.formats import RdfFormat
from crmkg.store.terms import Term

Bindings = Mapping[str, Term]


@dataclass(frozen=True)
class SelectResult:
    """Rows of a SELECT query; an unbound variable is ``None``."""

    variables: tuple[str, ...]
    rows: list[tuple[Term | None, ...]]
    truncated: bool = False

    def __len__(self) -> int:
        return len(self.rows)

    @classmethod
    def capped(
        cls, variables: tuple[str, ...], rows: Iterable[tuple[Term | None, ...]], max_rows: int | None
    ) -> SelectResult:
        """Read at most ``max_rows`` rows (all when ``None``); ``truncated`` says whether more were left.

        Rows are pulled lazily, so a capped query stops reading where the cap is reached.
        """
        taken: list[tuple[Term | None, ...]] = []
        for row in rows:
            if max_rows is not None and len(taken) >= max_rows:
                return cls(variables, taken, truncated=True)
            taken.append(row)
        return cls(variables, taken)

    def __iter__(self) -> Iterator[tuple[Term | None, ...]]:
        return iter(self.rows)

    def dicts(self) -> list[dict[str, Term]]:
        """Each row as a mapping of the bound variables only."""
        return [{v: t for v, t in zip(self.variables, row, strict=True) if t is not None} for row in self.rows]


@dataclass(frozen=True)
class AskResult:
    """The answer of an ASK query."""

    value: bool


@dataclass(frozen=True)
class GraphResult:
    """The triples of a CONSTRUCT or DESCRIBE query."""

    graph: Graph = field(default_factory=Graph)


QueryResult = SelectResult | AskResult | GraphResult


@dataclass(frozen=True)
class QueryOptions:
    """How a query sees the dataset and how much it may return.

    ``default_graphs``/``named_graphs`` follow the SPARQL 1.1 Protocol's ``default-graph-uri`` and
    ``named-graph-uri``; with neither, the default graph is the union of all graphs.
    """

    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    max_rows: int | None = None


@runtime_checkable
class Store(Protocol):
    """A quad store that answers SPARQL 1.1."""

    @property
    def backend(self) -> str:
        """Short backend name: ``oxigraph``, ``memory`` or ``sparql``."""
        ...

    def __len__(self) -> int:
        """Number of quads (all graphs)."""
        ...

    def add_quads(self, quads: Sequence[ox.Quad]) -> None:
        """Add all quads or none (atomic)."""
        ...

    def query(
        self,
        sparql: str,
        *,
        bindings: Bindings | None = None,
        options: QueryOptions | None = None,
    ) -> QueryResult:
        """Run a SPARQL query with engine-bound parameters."""
        ...

    def update(self, sparql: str) -> None:
        """Run a SPARQL 1.1 Update."""
        ...

    def dump(self, fmt: RdfFormat = RdfFormat.N_QUADS) -> bytes:
        """Serialise the whole store."""
        ...

    def close(self) -> None:
        """Release resources (flush to disk for persistent stores)."""
        ...
