"""The Store protocol every backend implements, and the typed query results they return.

A store holds RDF quads and answers SPARQL 1.1. It speaks pyoxigraph's typed terms
(:data:`~crmkg.store.terms.Term`) both ways. Parameters are always passed as ``bindings``
(variable name → term) and bound the same way on every backend — never spliced in as text
of the caller's choosing. Nothing outside ``crmkg.store`` names a backend class: what callers
need to know about one is in :class:`Capabilities`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable

import pyoxigraph as ox
from rdflib import Graph

from crmkg.errors import QueryError
from crmkg.formats import RdfFormat
from crmkg.store.parsing import parse_bytes, parse_file
from crmkg.store.terms import Term, to_rdflib_graph

Bindings = Mapping[str, Term]
Row = tuple[Term | None, ...]


@dataclass(frozen=True)
class SelectResult:
    """Rows of a SELECT query; an unbound variable is ``None``."""

    variables: tuple[str, ...]
    rows: list[Row]
    truncated: bool = False

    def __len__(self) -> int:
        return len(self.rows)

    @classmethod
    def capped(cls, variables: tuple[str, ...], rows: Iterable[Row], max_rows: int | None) -> SelectResult:
        """Read at most ``max_rows`` rows (all when ``None``); ``truncated`` says whether more were left.

        Rows are pulled lazily, so a capped query stops reading where the cap is reached.
        """
        taken: list[Row] = []
        for row in rows:
            if max_rows is not None and len(taken) >= max_rows:
                return cls(variables, taken, truncated=True)
            taken.append(row)
        return cls(variables, taken)

    def __iter__(self) -> Iterator[Row]:
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
    """The triples of a CONSTRUCT or DESCRIBE query: a set, in the order the store gave them."""

    triples: tuple[ox.Triple, ...] = ()
    truncated: bool = False

    def __len__(self) -> int:
        return len(self.triples)

    def __iter__(self) -> Iterator[ox.Triple]:
        return iter(self.triples)

    @classmethod
    def capped(cls, triples: Iterable[ox.Triple], max_triples: int | None) -> GraphResult:
        """At most ``max_triples`` distinct triples (all when ``None``); ``truncated`` if more were left."""
        taken: dict[ox.Triple, None] = {}
        for triple in triples:
            if triple in taken:
                continue
            if max_triples is not None and len(taken) >= max_triples:
                return cls(tuple(taken), truncated=True)
            taken[triple] = None
        return cls(tuple(taken))

    def to_rdflib(self) -> Graph:
        """The triples as an rdflib graph (for rdflib tools and graph comparison)."""
        return to_rdflib_graph(self.triples)


QueryResult = SelectResult | AskResult | GraphResult


@dataclass(frozen=True)
class QueryOptions:
    """How a query sees the dataset and how much it may return.

    ``default_graphs``/``named_graphs`` follow the SPARQL 1.1 Protocol's ``default-graph-uri`` and
    ``named-graph-uri``: given either, they are the dataset (only named graphs given: the default
    graph is empty). Given neither, the query's own ``FROM``/``FROM NAMED`` make the dataset when
    ``query_dataset`` says the query has them (the caller parsed it), and otherwise the default
    graph is the union of all graphs. ``max_rows`` caps rows, or triples of a graph result.
    """

    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    max_rows: int | None = None
    query_dataset: bool = False


@dataclass(frozen=True)
class Capabilities:
    """What a backend can do beyond the protocol, for callers that choose a faster way by it."""

    #: Evaluates SPARQL 1.2 ``LATERAL`` joins.
    lateral: bool = False
    #: Can be read from processes forked after it was filled (in memory, no background threads).
    forkable: bool = False
    #: :meth:`Store.load` parses natively, outside the GIL (worth running beside other work).
    bulk_load: bool = False
    #: Its data cannot change while it is open (a folder opened read-only), so answers may be cached.
    snapshot: bool = False
    #: May cut an answer short at a row limit of its own (Virtuoso's ``ResultSetMaxRows``): a long
    #: answer must then be asked for in pages (:mod:`crmkg.validation.paging`).
    capped_answers: bool = False


@runtime_checkable
class Store(Protocol):
    """A quad store that answers SPARQL 1.1.

    Backends subclass it for the shared :meth:`select`, :meth:`load` and :meth:`load_files`; a
    structural implementation must provide those too.
    """

    @property
    def backend(self) -> str:
        """Short backend name: ``oxigraph``, ``memory`` or ``sparql``."""
        ...

    @property
    def read_only(self) -> bool:
        """Whether writes are refused (with :class:`~crmkg.errors.ReadOnlyError`)."""
        ...

    @property
    def capabilities(self) -> Capabilities:
        """What this store can do beyond the protocol."""
        ...

    @property
    def path(self) -> Path | None:
        """The folder of an on-disk store (other processes may open it read-only); else ``None``."""
        ...

    @property
    def root(self) -> Path | None:
        """The store folder whose generations ``crmkg load`` publishes (on-disk Oxigraph); else ``None``."""
        return None

    @property
    def generation(self) -> str | None:
        """The published generation this store has open (on-disk Oxigraph); else ``None``."""
        return None

    def __len__(self) -> int:
        """Number of quads (all graphs)."""
        ...

    def add_quads(self, quads: Sequence[ox.Quad]) -> None:
        """Add all quads or none (atomic)."""
        ...

    def load(self, data: bytes, fmt: RdfFormat, *, source: str = "<input>", checked: bool = False) -> None:
        """Parse one document and add all its quads or none; blank nodes are fresh per document.

        ``checked``: the caller has already checked ``data`` against the input limits
        (:func:`~crmkg.inputcheck.check_document`), so a backend may skip checking it again.
        Raises :class:`~crmkg.errors.RdfSyntaxError` naming ``source``, line and column.
        """
        self.add_quads(parse_bytes(data, fmt, source=source))

    def load_files(self, files: Sequence[Path]) -> int:
        """Parse ``files`` (formats by extension) and add the quads of all of them or of none: here
        every file is parsed before anything is written. Returns the number of quads the store
        gained (a quad it already held, or two files saying the same, counted once or not at all) —
        what every store's ``load_files`` returns.

        Raises :class:`~crmkg.errors.RdfSyntaxError` naming the file, line and column.
        """
        quads = [quad for file in files for quad in parse_file(file)]
        before = len(self)
        self.add_quads(quads)
        return len(self) - before

    def query(
        self,
        sparql: str,
        *,
        bindings: Bindings | None = None,
        options: QueryOptions | None = None,
    ) -> QueryResult:
        """Run a SPARQL query with engine-bound parameters."""
        ...

    def select(
        self,
        sparql: str,
        *,
        bindings: Bindings | None = None,
        options: QueryOptions | None = None,
    ) -> SelectResult:
        """Run a SELECT query; :class:`~crmkg.errors.QueryError` if ``sparql`` is another form."""
        result = self.query(sparql, bindings=bindings, options=options)
        if not isinstance(result, SelectResult):
            raise QueryError(key="error.expected_select")
        return result

    def quads_for_pattern(
        self,
        subject: ox.NamedNode | ox.BlankNode | None,
        predicate: ox.NamedNode | None,
        obj: Term | None,
    ) -> Iterator[ox.Quad]:
        """The quads (all graphs) matching a pattern; ``None`` matches anything."""
        ...

    def update(self, sparql: str) -> None:
        """Run a SPARQL 1.1 Update."""
        ...

    def dump(self, fmt: RdfFormat = RdfFormat.N_QUADS) -> bytes:
        """Serialise the whole store."""
        ...

    def flush(self) -> None:
        """Make what was written visible to other processes opening the same folder."""
        ...

    def close(self) -> None:
        """Release resources (flush to disk for persistent stores)."""
        ...
