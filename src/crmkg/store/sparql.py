"""The remote backend: any SPARQL 1.1 endpoint (Fuseki, GraphDB, Virtuoso, Neptune, Oxigraph server).

Queries go over the SPARQL 1.1 Protocol through SPARQLWrapper (POST, with a timeout). Parameters
are bound the same way as on the embedded stores — each bound variable is replaced by its
validated, N-Triples-serialised term (:func:`crmkg.store.binding.substitute`) — so a value is
always one RDF term and never query text. Results are parsed here from SPARQL JSON results,
N-Triples or Turtle; anything else is reported as an endpoint answering garbage.

Remote specifics (see ``queries/README.md``): ``len()`` counts the triples of the endpoint's
default graph (the union of graphs on endpoints configured that way, e.g. ``oxigraph serve
--union-default-graph``; on Virtuoso it includes the server's own system graphs). ``add_quads``
sends one ``INSERT DATA`` request, so a load is all-or-nothing as far as the endpoint makes one
update request atomic; with a ``graph_store_url`` it posts each graph through the Graph Store
Protocol instead, in bounded batches (:mod:`crmkg.store.graph_store`: atomic per graph as far as
the endpoint makes one update request atomic). ``max_rows`` truncates on the
client. The ``Server`` header of the answers tells an Oxigraph server, which evaluates SPARQL 1.2
``LATERAL`` and sends every row of an answer (:attr:`SparqlStore.capabilities`); any other engine is
taken to speak SPARQL 1.1 only and to cap its answers (Virtuoso's ``ResultSetMaxRows``).
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from SPARQLWrapper import POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import (
    EndPointInternalError,
    EndPointNotFound,
    QueryBadFormed,
    SPARQLWrapperException,
    Unauthorized,
    URITooLong,
)

from crmkg.errors import Phrase, QuerySyntaxError, QueryTimeout, ReadOnlyError, StoreError, UsageError
from crmkg.formats import RdfFormat
from crmkg.sparql import lexer
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
from crmkg.store.batches import DEFAULT_BATCH_SIZE, held_in, target_graphs
from crmkg.store.binding import serialise_term, substitute
from crmkg.store.file_load import post_files
from crmkg.store.graph_store import QuadPasses, load_graphs, post_request, target_url
from crmkg.store.parsing import OX_FORMATS, parse_file
from crmkg.store.terms import Term, literal

__all__ = ["SparqlStore"]

_ACCEPT_RESULTS = "application/sparql-results+json, application/json;q=0.5"
_ACCEPT_GRAPH = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5, text/plain;q=0.4"
_GRAPH_MEDIA = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}


def query_form(sparql: str) -> str:
    """``select``, ``ask``, ``construct`` or ``describe``: the form after the prologue (by the one SPARQL lexer)."""
    form = lexer.query_form(sparql)
    if form is None:
        raise QuerySyntaxError(key="error.sparql_no_form")
    return form.lower()


class SparqlStore(Store):
    """A store behind a SPARQL 1.1 Protocol endpoint.

    ``url`` answers queries; ``update_url`` (default: the same) takes updates. ``timeout`` is in
    seconds and applies to every request. ``insert_graph`` names the graph that
    :meth:`add_quads` writes default-graph quads to, for endpoints whose default graph cannot be
    written (Virtuoso answers "No plain default graph specified"). ``graph_store_url`` is the
    endpoint's SPARQL 1.1 Graph Store Protocol URL: when given, :meth:`add_quads` posts each graph
    there in documents of at most ``batch_size`` triples (:mod:`crmkg.store.graph_store`; through a
    staging graph unless ``staged`` is false).
    ``default_graphs`` are the graphs a query sees as its default graph when its options name none
    (SPARQL Protocol ``default-graph-uri``), e.g. the one graph the data is in.
    """

    def __init__(
        self,
        url: str,
        *,
        read_only: bool = False,
        update_url: str | None = None,
        timeout: float = 30.0,
        user: str | None = None,
        password: str | None = None,
        insert_graph: str | None = None,
        graph_store_url: str | None = None,
        default_graphs: Sequence[str] = (),
        batch_size: int = DEFAULT_BATCH_SIZE,
        staged: bool = True,
    ) -> None:
        if not url.startswith(("http://", "https://")):
            raise UsageError(key="error.endpoint_url", url=url)
        self.url = url
        self.update_url = update_url or url
        self._read_only = read_only
        self.timeout = timeout
        self._credentials = (user, password) if user is not None else None
        for graph in (insert_graph, *default_graphs):
            if graph is not None and re.search(r'[\x00-\x20<>"{}|^`\\]', graph):
                raise UsageError(key="error.graph_iri", graph=graph)
        # Endpoints without a writable default graph (Virtuoso) get default-graph quads here.
        self.insert_graph = insert_graph
        if graph_store_url is not None:
            target_url(graph_store_url, None)  # checks the URL now, not at the first write
        self.graph_store_url = graph_store_url
        if batch_size < 1:
            raise UsageError(key="error.batch_size", size=batch_size)
        self.batch_size = batch_size
        self.staged = staged
        self.default_graphs = tuple(default_graphs)
        #: The endpoint's ``Server`` header as its last answer gave it ("" before the first request):
        #: callers choose query forms an engine is known to misread by it (Virtuoso 7.2).
        self.server_software = ""

    @property
    def backend(self) -> str:
        return "sparql"

    @property
    def read_only(self) -> bool:
        return self._read_only

    @property
    def capabilities(self) -> Capabilities:
        # told by the Server header, so known from the first answer on; until then, and for any
        # engine not named, answers are taken to be capped (a cut answer would lose findings
        # silently) and LATERAL unknown (SPARQL 1.1 only)
        oxigraph = self.server_software.lower().startswith("oxigraph/")
        return Capabilities(lateral=oxigraph, capped_answers=not oxigraph)

    @property
    def path(self) -> Path | None:
        return None

    def __repr__(self) -> str:
        return f"SparqlStore({self.url!r}, read_only={self.read_only})"

    # ------------------------------------------------------------------ requests

    def _wrapper(self, endpoint: str) -> SPARQLWrapper:
        wrapper = SPARQLWrapper(endpoint, updateEndpoint=self.update_url)
        wrapper.setMethod(POST)
        wrapper.setTimeout(int(max(1, round(self.timeout))))
        wrapper.setOnlyConneg(True)
        if self._credentials is not None:
            wrapper.setCredentials(*self._credentials)
        return wrapper

    def _send(self, wrapper: SPARQLWrapper, what: Phrase) -> tuple[bytes, str]:
        """Perform the request; returns the body and its media type, or raises a typed error."""
        with self._translated(what):
            response = wrapper.query().response
            body: bytes = response.read()
            media = str(response.headers.get("Content-Type", "")).split(";")[0].strip().lower()
            self.server_software = str(response.headers.get("Server", ""))
        return body, media

    @contextmanager
    def _translated(self, what: Phrase) -> Iterator[None]:
        """SPARQLWrapper's and urllib's errors as crmkg's: the one place this backend's are mapped."""
        try:
            yield
        except QueryBadFormed as exc:
            raise QuerySyntaxError(key="error.endpoint_rejected", url=self.url, what=what, problem=_short(exc)) from exc
        except (EndPointNotFound, Unauthorized, URITooLong, EndPointInternalError) as exc:
            raise StoreError(key="error.endpoint_failed", url=self.url, what=what, problem=_short(exc)) from exc
        except SPARQLWrapperException as exc:
            raise StoreError(key="error.endpoint_failed", url=self.url, what=what, problem=_short(exc)) from exc
        except urllib.error.HTTPError as exc:
            detail = exc.read()[:300].decode("utf-8", "replace") if exc.fp else ""
            if exc.code in (408, 503, 504) and "timeout" in (detail + str(exc.reason)).lower():
                raise QueryTimeout(key="error.endpoint_timed_out", url=self.url, what=what, code=exc.code) from exc
            raise StoreError(
                key="error.endpoint_http", url=self.url, code=exc.code, what=what, detail=detail or exc.reason
            ) from exc
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                raise QueryTimeout(
                    key="error.endpoint_no_answer", url=self.url, what=what, seconds=f"{self.timeout:g}"
                ) from exc
            raise StoreError(key="error.endpoint_unreachable", url=self.url, reason=exc.reason) from exc
        except TimeoutError as exc:
            raise QueryTimeout(
                key="error.endpoint_no_answer", url=self.url, what=what, seconds=f"{self.timeout:g}"
            ) from exc
        except (ConnectionError, OSError) as exc:
            raise StoreError(key="error.endpoint_unreachable", url=self.url, reason=exc) from exc

    # ------------------------------------------------------------------ Store protocol

    def query(
        self,
        sparql: str,
        *,
        bindings: Bindings | None = None,
        options: QueryOptions | None = None,
    ) -> QueryResult:
        opts = options or QueryOptions()
        form = query_form(sparql)
        text = substitute(sparql, dict(bindings)) if bindings else sparql
        wrapper = self._wrapper(self.url)
        wrapper.setQuery(text)
        graph_form = form in ("construct", "describe")
        wrapper.addCustomHttpHeader("Accept", _ACCEPT_GRAPH if graph_form else _ACCEPT_RESULTS)
        for graph in opts.default_graphs or self.default_graphs:
            wrapper.addDefaultGraph(graph)
        for graph in opts.named_graphs:
            wrapper.addNamedGraph(graph)
        body, media = self._send(wrapper, Phrase("store_op.query"))
        if graph_form:
            return GraphResult.capped(self._parse_graph(body, media), opts.max_rows)
        return self._parse_results(body, media, form, opts.max_rows)

    def _parse_results(self, body: bytes, media: str, form: str, max_rows: int | None) -> SelectResult | AskResult:
        try:
            data = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            tail = body[-300:].decode("utf-8", "replace").lower()
            if "cancelled" in tail or "timeout" in tail or "timed out" in tail:
                # a server-side timeout that cut the result stream short (Oxigraph's --timeout-s)
                raise QueryTimeout(key="error.endpoint_server_time_limit", url=self.url) from exc
            raise StoreError(
                key="error.endpoint_garbage",
                url=self.url,
                media=media or Phrase("error.endpoint_no_content_type"),
                start=repr(body[:120]),
            ) from exc
        if not isinstance(data, dict):
            raise StoreError(key="error.endpoint_not_results", url=self.url)
        if "boolean" in data:
            if form != "ask":
                raise StoreError(key="error.endpoint_boolean", url=self.url, form=form.upper())
            return AskResult(bool(data["boolean"]))
        if form == "ask":
            return self._ask_as_rows(data)
        try:
            variables = tuple(str(v) for v in data["head"]["vars"])
            rows = (tuple(_term(b[v]) if v in b else None for v in variables) for b in data["results"]["bindings"])
            return SelectResult.capped(variables, rows, max_rows)
        except (KeyError, TypeError, ValueError) as exc:
            raise StoreError(key="error.endpoint_malformed_results", url=self.url, problem=str(exc)) from exc

    def _ask_as_rows(self, data: dict[str, Any]) -> AskResult:
        """Virtuoso 7 answers ASK in JSON as one row ``__ASK_RETVAL`` = 1 or 0 instead of a boolean."""
        try:
            rows = data["results"]["bindings"]
            values = [cell["value"] for row in rows for cell in row.values()]
        except (KeyError, TypeError, AttributeError) as exc:
            raise StoreError(key="error.endpoint_malformed_ask", url=self.url, problem=str(exc)) from exc
        if len(values) > 1 or any(v not in ("0", "1", "true", "false") for v in values):
            raise StoreError(key="error.endpoint_ask_rows", url=self.url)
        return AskResult(bool(values) and values[0] in ("1", "true"))

    def _parse_graph(self, body: bytes, media: str) -> list[ox.Triple]:
        fmt = _GRAPH_MEDIA.get(media)
        if fmt is None:
            raise StoreError(
                key="error.endpoint_graph_type", url=self.url, media=media or Phrase("error.endpoint_no_content_type")
            )
        try:
            return [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(body, format=fmt)]
        except (SyntaxError, ValueError) as exc:
            raise StoreError(key="error.endpoint_graph_parse", url=self.url, media=media, problem=str(exc)) from exc

    def update(self, sparql: str) -> None:
        if self._read_only:
            raise ReadOnlyError(key="error.endpoint_read_only", url=self.url)
        wrapper = self._wrapper(self.update_url)
        wrapper.setQuery(sparql)
        wrapper.queryType = "INSERT"  # any update form (WITH … DELETE too) goes out as update=…
        self._send(wrapper, Phrase("store_op.update"))

    def add_quads(self, quads: Sequence[ox.Quad]) -> None:
        """All quads in one update request (the endpoint applies it atomically or not at all), or
        with a ``graph_store_url`` through the Graph Store Protocol in batches (each graph atomic as far
        as the endpoint makes one update request atomic: :mod:`crmkg.store.graph_store`)."""
        if not quads:
            return
        if self._read_only:
            raise ReadOnlyError(key="error.endpoint_read_only", url=self.url)
        if self.graph_store_url is not None:
            self.post_graphs(lambda: quads)
            return
        default: list[str] = []
        named: dict[str, list[str]] = {}
        for quad in quads:
            triple = f"{quad.subject} {quad.predicate} {quad.object} ."
            if isinstance(quad.graph_name, ox.DefaultGraph) and self.insert_graph is None:
                default.append(triple)
            elif isinstance(quad.graph_name, ox.DefaultGraph):
                named.setdefault(f"<{self.insert_graph}>", []).append(triple)
            else:
                named.setdefault(str(quad.graph_name), []).append(triple)
        # INSERT DATA may not hold blank nodes on every endpoint (Virtuoso: "not allowed in a
        # constant clause"); INSERT { … } WHERE { } is standard and makes them fresh nodes.
        has_blank = any(isinstance(t, ox.BlankNode) for q in quads for t in (q.subject, q.object))
        parts = ["INSERT {" if has_blank else "INSERT DATA {", *default]
        for graph, triples in named.items():
            parts.extend([f"GRAPH {graph} {{", *triples, "}"])
        parts.append("} WHERE { }" if has_blank else "}")
        self.update("\n".join(parts))

    def load_files(self, files: Sequence[Path]) -> int:
        """:meth:`Store.load_files`; the quads gained are counted in the target graphs before and
        after (the endpoint's own size may be the default graph's alone). Through the Graph Store
        Protocol the files are parsed twice rather than held (:mod:`crmkg.store.file_load`)."""
        if self.graph_store_url is not None:
            return post_files(self, files)
        quads = [quad for file in files for quad in parse_file(file)]
        graphs = list(target_graphs(quads, self.insert_graph))
        before = held_in(self, graphs)
        self.add_quads(quads)
        return held_in(self, graphs) - before

    def post_graphs(self, quads: QuadPasses, counts: Mapping[str | None, int] | None = None) -> None:
        """Post the quads of ``quads()`` through the Graph Store Protocol in batches
        (:func:`crmkg.store.graph_store.load_graphs`: one pass per target graph, ``counts`` given or
        counted in a pass of their own), so the quads need not all be held: ``quads`` may parse
        files again at each call. Needs a ``graph_store_url``."""
        if self._read_only:
            raise ReadOnlyError(key="error.endpoint_read_only", url=self.url)
        endpoint = self.graph_store_url
        if endpoint is None:
            raise UsageError(key="error.graph_store_needed", url=self.url)

        def post(graph: str | None, document: bytes, what: str) -> None:
            request = post_request(endpoint, graph, document, self._credentials)
            with (
                self._translated(Phrase("store_op.write_of", graph=what)),
                urllib.request.urlopen(request, timeout=self.timeout) as reply,
            ):
                reply.read()

        load_graphs(
            quads,
            counts=counts,
            default_graph=self.insert_graph,
            post=post,
            update=self.update,
            batch_size=self.batch_size,
            staged=self.staged,
        )

    def __len__(self) -> int:
        rows = self.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows
        count = rows[0][0] if rows else None
        if count is None:
            raise StoreError(key="error.endpoint_no_count", url=self.url)
        try:
            return int(count.value)
        except ValueError as exc:
            raise StoreError(key="error.endpoint_count_not_number", url=self.url) from exc

    def quads_for_pattern(
        self,
        subject: ox.NamedNode | ox.BlankNode | None,
        predicate: ox.NamedNode | None,
        obj: Term | None,
    ) -> Iterator[ox.Quad]:
        """Matching quads, asked for in one query; a blank node cannot be named in a query to an
        endpoint, so a pattern that holds one matches nothing."""
        if isinstance(subject, ox.BlankNode) or isinstance(obj, ox.BlankNode):
            return
        pattern = " ".join(
            "?" + name if term is None else serialise_term(term)
            for name, term in (("s", subject), ("p", predicate), ("o", obj))
        )
        result = self.select(
            f"SELECT * WHERE {{ {{ GRAPH ?g {{ {pattern} }} }} UNION "
            f"{{ {pattern} FILTER NOT EXISTS {{ GRAPH ?anyGraph {{ {pattern} }} }} }} }}"
        )
        for row in result.dicts():
            s_, p_, o_ = row.get("s", subject), row.get("p", predicate), row.get("o", obj)
            graph = row.get("g")
            if s_ is None or p_ is None or o_ is None or isinstance(s_, ox.Literal) or not isinstance(p_, ox.NamedNode):
                continue
            yield ox.Quad(s_, p_, o_, ox.DefaultGraph() if graph is None else graph)  # type: ignore[arg-type]

    def dump(self, fmt: RdfFormat = RdfFormat.N_QUADS) -> bytes:
        """Named-graph quads plus default-graph triples found in no named graph."""
        quads = list(self.quads_for_pattern(None, None, None))
        store = ox.Store()
        store.extend(quads)
        if fmt.supports_datasets:
            data = store.dump(format=OX_FORMATS[fmt])
        else:
            data = store.dump(format=OX_FORMATS[fmt], from_graph=ox.DefaultGraph())
        return data or b""

    def flush(self) -> None:
        return None

    def close(self) -> None:
        return None


def _short(exc: Exception) -> str:
    text = str(exc).strip().replace("\n", " ")
    return text[:400]


def _term(cell: Any) -> Term:
    kind = cell["type"]
    value = cell["value"]
    if kind == "uri":
        return ox.NamedNode(value)
    if kind == "bnode":
        try:
            return ox.BlankNode(value)
        except ValueError:  # Virtuoso labels them nodeID://b10001: the same label maps to the same node
            return ox.BlankNode("x" + value.encode("utf-8").hex())
    if kind in ("literal", "typed-literal"):
        return literal(value, cell.get("datatype"), lang=cell.get("xml:lang"))
    raise ValueError(f"unknown term type {kind!r}")
