"""The served store as the app's own code sees it: every SPARQL query runs in a worker process.

The lookups, the typed catalogue endpoints (``/queries/*``) and the web pages run our own queries
with the client's values bound — the text is ours, but what a value makes a query do is not (a
relationship with a million assignments, a date that matches everything). :class:`PooledStore`
sends each of those queries to the killable worker processes of :mod:`crmkg.api.sparql.workers`,
so it has the same real timeout, row cap, memory cap and crash isolation as ``/sparql``: a query
past its time is stopped and answers 503, and a worker that dies costs one request. The workers
are their own pool, beside ``/sparql``'s, so a client keeping ``/sparql`` busy never delays a
lookup. Everything else (reading quads, counting, dumping) goes to the store itself.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import anyio
import pyoxigraph as ox

from crmkg.api.answers import Holders
from crmkg.api.sparql import wire
from crmkg.api.sparql.gate import ThreadGate, request_client
from crmkg.api.sparql.workers import WorkerPool
from crmkg.errors import QueryTimeout
from crmkg.formats import RdfFormat
from crmkg.store import AskResult, Capabilities, GraphResult, QueryOptions, QueryResult, SelectResult, Store, Term
from crmkg.store.base import Bindings

#: Result formats asked of the worker, by preference: SELECT as TSV (every term in N-Triples
#: syntax, read back by pyoxigraph), ASK as JSON, CONSTRUCT as N-Triples.
_FORMATS = ("tsv", "nt", "json")


def _current_job(holders: Holders, iri: str, day: dt.date, lang: str) -> dict[str, Any]:
    return {"call": "current", "holders": holders, "relationship": iri, "day": day.isoformat(), "lang": lang}


class PooledStore(Store):
    """``store`` with :meth:`query` answered by worker processes (the pool ``pool()`` gives)."""

    def __init__(
        self,
        store: Store,
        pool: Callable[[], WorkerPool],
        max_bytes: int,
        max_depth: int,
        gate: ThreadGate,
        started: Callable[[], WorkerPool | None] = lambda: None,
    ) -> None:
        self.inner = store
        self._pool = pool
        self._started = started  # the pool if it has started (never starts it: that blocks)
        self._max_bytes = max_bytes
        self._max_depth = max_depth
        self._gate = gate

    def _execute(self, job: dict[str, Any]) -> tuple[dict[str, Any], bytes]:
        """``job`` on a worker, in one of the requesting client's turns (CRMKG_LOOKUP_PER_CLIENT):
        a client sending many heavy requests at once holds at most that many workers."""
        pool = self._pool()
        started = time.monotonic()
        with self._gate.turn(request_client.get(), pool.timeout_s):
            remaining = pool.timeout_s - (time.monotonic() - started)
            if remaining <= 0:
                raise QueryTimeout(key="error.no_lookup_worker", seconds=f"{pool.timeout_s:.3g}")
            return pool.execute(job, remaining)

    @property
    def backend(self) -> str:
        return self.inner.backend

    @property
    def read_only(self) -> bool:
        return self.inner.read_only

    @property
    def capabilities(self) -> Capabilities:
        return self.inner.capabilities

    @property
    def path(self) -> Path | None:
        return self.inner.path

    def __len__(self) -> int:
        return len(self.inner)

    def add_quads(self, quads: Sequence[ox.Quad]) -> None:
        self.inner.add_quads(quads)

    def query(
        self, sparql: str, *, bindings: Bindings | None = None, options: QueryOptions | None = None
    ) -> QueryResult:
        opts = options or QueryOptions()
        job: dict[str, Any] = {
            "query": sparql,
            "bindings": wire.encode_terms(bindings or {}),
            "default_graphs": list(opts.default_graphs),
            "named_graphs": list(opts.named_graphs),
            "accept": None,
            "formats": list(_FORMATS),
            "max_rows": -1 if opts.max_rows is None else opts.max_rows,
            "max_bytes": self._max_bytes,
            "max_depth": self._max_depth,
        }
        header, body = self._execute(job)
        truncated = bool(header.get("truncated"))
        if header["kind"] == "boolean":
            return AskResult(bool(json.loads(body)["boolean"]))
        if header["kind"] == "solutions":
            solutions = ox.parse_query_results(body, format=ox.QueryResultsFormat.TSV)
            assert isinstance(solutions, ox.QuerySolutions)
            variables = tuple(v.value for v in solutions.variables)
            width = range(len(variables))
            return SelectResult(variables, [tuple(s[i] for i in width) for s in solutions], truncated=truncated)
        triples = tuple(q.triple for q in ox.parse(body, format=ox.RdfFormat.N_TRIPLES))
        return GraphResult(triples, truncated=truncated)

    def current_json(self, holders: Holders, iri: str, day: dt.date, lang: str) -> bytes:
        """:func:`crmkg.api.answers.current_json` run whole in a worker: its queries, and the JSON
        body made there, cost one round trip instead of one per query (the hot owner/leads lookup)."""
        _, body = self._execute(_current_job(holders, iri, day, lang))
        return body

    async def current_json_async(self, holders: Holders, iri: str, day: dt.date, lang: str) -> bytes:
        """:meth:`current_json` from the event loop: with one of the client's turns free, the wait
        for a worker and the round trip are awaited on the loop (no thread hop); a client already
        using its turns waits in a thread, by the rules of :meth:`current_json`. Either way the
        lookup runs in a worker process."""
        pool = self._started()
        if pool is not None:
            with self._gate.turn_if_free(request_client.get()) as free:
                if free:
                    _, body = await pool.execute_async(_current_job(holders, iri, day, lang))
                    return body
        return await anyio.to_thread.run_sync(self.current_json, holders, iri, day, lang)

    def quads_for_pattern(
        self, subject: ox.NamedNode | ox.BlankNode | None, predicate: ox.NamedNode | None, obj: Term | None
    ) -> Iterator[ox.Quad]:
        return self.inner.quads_for_pattern(subject, predicate, obj)

    def update(self, sparql: str) -> None:
        self.inner.update(sparql)

    def dump(self, fmt: RdfFormat = RdfFormat.N_QUADS) -> bytes:
        return self.inner.dump(fmt)

    def flush(self) -> None:
        self.inner.flush()

    def close(self) -> None:
        """Nothing: the store and the pool belong to the snapshot that made this view."""
